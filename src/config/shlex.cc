#include "config/shlex.h"

#include "config/py_text.h"

namespace vigil::config {
namespace {

bool IsShlexSpace(char32_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsAsciiWordChar(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Python's POSIX-mode wordchars add these Latin-1 letters; only "punctuation_chars" and
// non-whitespace-split lexing care, and shlex.split() uses whitespace_split, so every
// non-space character is part of a word there. Kept for the legacy lexer's sake: it is not
// POSIX, so it never uses them.
bool IsLegacyWordChar(char32_t c) {
  return IsAsciiWordChar(c) || c == '/' || c == '.' || c == '+' || c == '-' || c == '(' ||
         c == ')' || c == ':';
}

bool IsQuote(char32_t c) { return c == '\'' || c == '"'; }

void AppendCodePoint(std::string& out, std::string_view text, size_t start, size_t end) {
  out.append(text.substr(start, end - start));
}

}  // namespace

Result<std::vector<std::string>> ShlexSplit(std::string_view text) {
  // shlex(posix=True, whitespace_split=True, commenters=''): a straight port of read_token.
  std::vector<std::string> words;
  std::string token;
  bool quoted = false;
  enum class State { kSpace, kWord, kQuote, kEscape } state = State::kSpace;
  char32_t quote_char = 0;
  State escaped_from = State::kWord;
  size_t i = 0;
  while (true) {
    const size_t start = i;
    const bool at_end = i >= text.size();
    char32_t c = at_end ? 0 : NextCodePoint(text, i);
    switch (state) {
      case State::kSpace:
        if (at_end) return words;
        if (IsShlexSpace(c)) continue;
        if (c == '\\') {
          escaped_from = State::kWord;
          state = State::kEscape;
        } else if (IsQuote(c)) {
          quote_char = c;
          state = State::kQuote;
        } else {
          AppendCodePoint(token, text, start, i);
          state = State::kWord;
        }
        break;
      case State::kQuote:
        quoted = true;
        if (at_end) return Error::InvalidArgument("No closing quotation");
        if (c == quote_char) {
          state = State::kWord;
        } else if (c == '\\' && quote_char == '"') {
          escaped_from = State::kQuote;
          state = State::kEscape;
        } else {
          AppendCodePoint(token, text, start, i);
        }
        break;
      case State::kEscape:
        if (at_end) return Error::InvalidArgument("No escaped character");
        // Inside double quotes a backslash escapes only '"' and '\'; elsewhere it is kept.
        if (escaped_from == State::kQuote && c != quote_char && c != '\\') token += '\\';
        AppendCodePoint(token, text, start, i);
        state = escaped_from;
        break;
      case State::kWord:
        if (at_end || IsShlexSpace(c)) {
          if (!token.empty() || quoted) words.push_back(std::move(token));
          token.clear();
          quoted = false;
          if (at_end) return words;
          state = State::kSpace;
        } else if (IsQuote(c)) {
          quote_char = c;
          state = State::kQuote;
        } else if (c == '\\') {
          escaped_from = State::kWord;
          state = State::kEscape;
        } else {
          AppendCodePoint(token, text, start, i);
        }
        break;
    }
  }
}

Result<LegacyTokens> ShlexLegacyTokens(std::string_view text) {
  // shlex(posix=False) with commenters='#', wordchars + "/.+-():": a straight port of
  // read_token. A token of "" ends the stream, as it does for Python's iterator.
  LegacyTokens result;
  std::vector<std::string>& tokens = result.tokens;
  size_t i = 0;
  bool pushed_back = false;
  char32_t pushback = 0;
  size_t pushback_start = 0, pushback_end = 0;
  auto skip_line = [&]() {
    result.dropped_comment = true;
    while (i < text.size()) {
      char32_t c = NextCodePoint(text, i);
      if (c == '\n') break;
    }
  };
  while (true) {
    std::string token;
    enum class State { kSpace, kWord, kQuote } state = State::kSpace;
    char32_t quote_char = 0;
    bool done = false;
    bool eof = false;
    while (!done) {
      size_t start, end;
      char32_t c;
      bool at_end;
      if (pushed_back) {
        pushed_back = false;
        c = pushback, start = pushback_start, end = pushback_end, at_end = false;
      } else {
        start = i;
        at_end = i >= text.size();
        c = at_end ? 0 : NextCodePoint(text, i);
        end = i;
      }
      switch (state) {
        case State::kSpace:
          if (at_end) {
            eof = true;
            done = true;
          } else if (IsShlexSpace(c)) {
            if (!token.empty()) done = true;
          } else if (c == '#') {
            skip_line();
          } else if (IsLegacyWordChar(c)) {
            AppendCodePoint(token, text, start, end);
            state = State::kWord;
          } else if (IsQuote(c)) {
            AppendCodePoint(token, text, start, end);
            quote_char = c;
            state = State::kQuote;
          } else {
            AppendCodePoint(token, text, start, end);
            done = true;
          }
          break;
        case State::kQuote:
          if (at_end) return Error::InvalidArgument("No closing quotation");
          AppendCodePoint(token, text, start, end);
          if (c == quote_char) done = true;
          break;
        case State::kWord:
          if (at_end) {
            eof = true;
            done = true;
          } else if (IsShlexSpace(c)) {
            done = true;
          } else if (c == '#') {
            skip_line();  // non-POSIX mode keeps building the same word afterwards
          } else if (IsLegacyWordChar(c) || IsQuote(c)) {
            AppendCodePoint(token, text, start, end);
          } else {
            pushed_back = true;
            pushback = c, pushback_start = start, pushback_end = end;
            done = true;
          }
          break;
      }
    }
    if (token.empty()) return result;  // "" is the end of the stream
    tokens.push_back(std::move(token));
    if (eof) return result;
  }
}

std::string ShlexQuote(std::string_view arg) {
  if (arg.empty()) return "''";
  bool safe = true;
  for (char c : arg) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '@' || c == '%' || c == '+' || c == '=' || c == ':' || c == ',' ||
                    c == '.' || c == '/' || c == '-' || c == '_';
    if (!ok) safe = false;
  }
  if (safe) return std::string(arg);
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'') {
      out += "'\"'\"'";
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

}  // namespace vigil::config
