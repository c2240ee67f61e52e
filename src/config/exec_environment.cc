#include "config/exec_environment.h"

#include <fmt/format.h>

namespace vigil::config {
namespace {

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }
bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsValidName(std::string_view name) {
  if (name.empty() || !IsNameStart(name[0])) return false;
  for (char c : name) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

const std::string* Lookup(const Environment& env, std::string_view name) {
  const std::string* found = nullptr;
  for (const auto& [key, value] : env) {
    if (key == name) found = &value;  // the last assignment wins
  }
  return found;
}

// Splits `value` at whitespace; single and double quotes group words and are removed
// (systemd's EXTRACT_UNQUOTE|EXTRACT_RELAX: an unterminated quote ends with the value).
std::vector<std::string> SplitWords(std::string_view value) {
  std::vector<std::string> words;
  size_t i = 0;
  while (true) {
    while (i < value.size() && IsBlank(value[i])) ++i;
    if (i >= value.size()) break;
    std::string word;
    char quote = 0;
    for (; i < value.size(); ++i) {
      const char c = value[i];
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < value.size()) {
          word += value[++i];
        } else {
          word += c;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '\\' && i + 1 < value.size()) {
        word += value[++i];
      } else if (IsBlank(c)) {
        break;
      } else {
        word += c;
      }
    }
    words.push_back(std::move(word));
  }
  return words;
}

std::string ReplaceBraced(std::string_view word, const Environment& env) {
  std::string out;
  for (size_t i = 0; i < word.size(); ++i) {
    if (word[i] != '$' || i + 1 >= word.size()) {
      out += word[i];
      continue;
    }
    if (word[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    if (word[i + 1] == '{') {
      const size_t close = word.find('}', i + 2);
      if (close != std::string_view::npos) {
        if (const std::string* value = Lookup(env, word.substr(i + 2, close - i - 2))) {
          out += *value;
        }
        i = close;
        continue;
      }
    }
    out += word[i];
  }
  return out;
}

}  // namespace

std::vector<std::string> ExpandExecArguments(const std::vector<std::string>& argv,
                                             const Environment& env) {
  std::vector<std::string> expanded;
  for (const std::string& word : argv) {
    if (word.size() > 1 && word[0] == '$' && IsValidName(std::string_view(word).substr(1))) {
      if (const std::string* value = Lookup(env, std::string_view(word).substr(1))) {
        for (std::string& piece : SplitWords(*value)) expanded.push_back(std::move(piece));
      }
      continue;
    }
    expanded.push_back(ReplaceBraced(word, env));
  }
  return expanded;
}

Environment ParseEnvironmentFile(std::string_view text, std::string_view path,
                                 std::vector<std::string>* warnings) {
  Environment env;
  size_t i = 0;
  int line = 1;
  auto warn = [&](int at, std::string message) {
    if (warnings) warnings->push_back(fmt::format("{}:{}: {}", path, at, message));
  };
  while (i < text.size()) {
    const int start_line = line;
    // Leading whitespace, then a comment or an empty line.
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i < text.size() &&
        (text[i] == '#' || text[i] == ';' || text[i] == '\n' || text[i] == '\r')) {
      while (i < text.size() && text[i] != '\n') ++i;
      if (i < text.size()) ++i, ++line;
      continue;
    }
    // The name.
    std::string name;
    while (i < text.size() && text[i] != '=' && text[i] != '\n') name += text[i++];
    while (!name.empty() && IsBlank(name.back())) name.pop_back();
    if (i >= text.size() || text[i] == '\n') {
      if (i < text.size()) ++i, ++line;
      continue;  // no '=': ignored
    }
    ++i;  // '='
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    // The value.
    std::string value;
    size_t trailing_blanks = 0;  // unquoted whitespace at the end, which is dropped
    char quote = 0;
    while (i < text.size()) {
      const char c = text[i];
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          if (c == '\n') ++line;
          value += c;
        }
        ++i;
        continue;
      }
      if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\' && i + 1 < text.size() &&
                   (text[i + 1] == '"' || text[i + 1] == '\\' || text[i + 1] == '`' ||
                    text[i + 1] == '$')) {
          value += text[++i];
        } else if (c == '\\' && i + 1 < text.size() && text[i + 1] == '\n') {
          ++i, ++line;  // a continuation inside double quotes
        } else {
          if (c == '\n') ++line;
          value += c;
        }
        ++i;
        continue;
      }
      if (c == '\n') {
        ++i, ++line;
        break;
      }
      if (c == '\'' || c == '"') {
        quote = c;
        trailing_blanks = 0;
        ++i;
        continue;
      }
      if (c == '\\' && i + 1 < text.size()) {
        if (text[i + 1] == '\n') {
          i += 2, ++line;  // continuation
          continue;
        }
        value += text[i + 1];
        trailing_blanks = 0;
        i += 2;
        continue;
      }
      value += c;
      trailing_blanks = IsBlank(c) ? trailing_blanks + 1 : 0;
      ++i;
    }
    value.resize(value.size() - trailing_blanks);
    if (!IsValidName(name)) {
      warn(start_line, fmt::format("invalid variable name \"{}\", ignoring", name));
      continue;
    }
    SetVariable(env, name, std::move(value));
  }
  return env;
}

}  // namespace vigil::config
