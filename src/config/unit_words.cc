#include "config/unit_words.h"

#include <errno.h>

#include <cstring>

namespace vigil::config {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int OctalDigit(char c) { return c >= '0' && c <= '7' ? c - '0' : -1; }

bool IsValidCodePoint(char32_t c) {
  return c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF) && c != 0xFFFE && c != 0xFFFF;
}

std::optional<char32_t> HexNumber(std::string_view digits) {
  char32_t value = 0;
  for (char c : digits) {
    int d = HexDigit(c);
    if (d < 0) return std::nullopt;
    value = (value << 4) | static_cast<char32_t>(d);
  }
  return value;
}

Error InvalidWord() { return Error{ErrorCode::kInvalidArgument, std::strerror(EINVAL), EINVAL}; }

bool IsSeparator(std::string_view separators, char c) {
  return separators.find(c) != std::string_view::npos;
}

}  // namespace

void AppendUtf8(std::string& out, char32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

std::optional<Unescaped> CUnescapeOne(std::string_view text) {
  if (text.empty()) return std::nullopt;
  auto simple = [](char32_t c) { return Unescaped{1, c, false}; };
  switch (text[0]) {
    case 'a':
      return simple('\a');
    case 'b':
      return simple('\b');
    case 'f':
      return simple('\f');
    case 'n':
      return simple('\n');
    case 'r':
      return simple('\r');
    case 't':
      return simple('\t');
    case 'v':
      return simple('\v');
    case '\\':
      return simple('\\');
    case '"':
      return simple('"');
    case '\'':
      return simple('\'');
    case 's':  // systemd's extension: a space
      return simple(' ');
    case 'x': {
      if (text.size() < 3) return std::nullopt;
      std::optional<char32_t> value = HexNumber(text.substr(1, 2));
      if (!value || *value == 0) return std::nullopt;
      return Unescaped{3, *value, true};
    }
    case 'u': {
      if (text.size() < 5) return std::nullopt;
      std::optional<char32_t> value = HexNumber(text.substr(1, 4));
      if (!value || *value == 0) return std::nullopt;
      return Unescaped{5, *value, false};
    }
    case 'U': {
      if (text.size() < 9) return std::nullopt;
      std::optional<char32_t> value = HexNumber(text.substr(1, 8));
      if (!value || *value == 0 || !IsValidCodePoint(*value)) return std::nullopt;
      return Unescaped{9, *value, false};
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      if (text.size() < 3) return std::nullopt;
      int a = OctalDigit(text[0]);
      int b = OctalDigit(text[1]);
      int c = OctalDigit(text[2]);
      if (a < 0 || b < 0 || c < 0) return std::nullopt;
      char32_t value = static_cast<char32_t>((a << 6) | (b << 3) | c);
      if (value == 0 || value > 255) return std::nullopt;
      return Unescaped{3, value, true};
    }
    default:
      return std::nullopt;
  }
}

Result<std::optional<std::string>> ExtractFirstWord(std::string_view& input,
                                                    std::string_view separators, unsigned flags) {
  const bool unquote = (flags & kExtractUnquote) != 0;
  const bool cunescape = (flags & kExtractCUnescape) != 0;
  const bool relax_escape = (flags & kExtractCUnescapeRelax) != 0;
  const bool retain_escape = (flags & kExtractRetainEscape) != 0;

  size_t i = 0;
  while (i < input.size() && IsSeparator(separators, input[i])) ++i;
  if (i == input.size()) {
    input = {};
    return std::optional<std::string>();
  }

  std::string word;
  char quote = 0;
  while (true) {
    if (i == input.size()) {
      if (quote != 0) return InvalidWord();
      input = {};
      return std::optional<std::string>(std::move(word));
    }
    char c = input[i];
    if (c == '\\' && !retain_escape) {
      ++i;
      if (i == input.size()) return InvalidWord();
      if (cunescape) {
        if (std::optional<Unescaped> escape = CUnescapeOne(input.substr(i))) {
          if (escape->is_byte) {
            word += static_cast<char>(escape->code);
          } else {
            AppendUtf8(word, escape->code);
          }
          i += escape->length;
        } else if (relax_escape) {
          word += '\\';
          word += input[i];
          ++i;
        } else {
          return InvalidWord();
        }
      } else {
        word += input[i];
        ++i;
      }
      continue;
    }
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
      ++i;
      continue;
    }
    if (unquote && (c == '\'' || c == '"')) {
      quote = c;
      ++i;
      continue;
    }
    if (IsSeparator(separators, c)) {
      while (i < input.size() && IsSeparator(separators, input[i])) ++i;
      input.remove_prefix(i);
      return std::optional<std::string>(std::move(word));
    }
    word += c;
    ++i;
  }
}

}  // namespace vigil::config
