#include "config/py_format.h"

#include <fmt/format.h>

#include <cinttypes>
#include <cstdio>

#include "base/strings.h"
#include "config/py_text.h"

namespace vigil::config {
namespace {

struct Spec {
  bool left = false;   // '-'
  bool plus = false;   // '+'
  bool space = false;  // ' '
  bool alt = false;    // '#'
  bool zero = false;   // '0'
  int width = -1;
  int precision = -1;
  char32_t type = 0;
};

std::string PadToWidth(std::string body, const Spec& spec, bool numeric) {
  const size_t length = CodePointCount(body);
  if (spec.width < 0 || length >= static_cast<size_t>(spec.width)) return body;
  const size_t fill = static_cast<size_t>(spec.width) - length;
  if (spec.left) return body + std::string(fill, ' ');
  if (spec.zero && numeric) {
    // Zeros go after the sign and any 0x/0o prefix.
    size_t insert_at = 0;
    if (!body.empty() && (body[0] == '-' || body[0] == '+' || body[0] == ' ')) insert_at = 1;
    if (body.size() >= insert_at + 2 && body[insert_at] == '0' &&
        (body[insert_at + 1] == 'x' || body[insert_at + 1] == 'X' || body[insert_at + 1] == 'o')) {
      insert_at += 2;
    }
    return body.insert(insert_at, fill, '0');
  }
  return std::string(fill, ' ') + body;
}

std::string TypeName(const ExpansionValue& v) {
  return std::holds_alternative<std::string>(v) ? "str" : "int";
}

std::string SignPrefix(bool negative, const Spec& spec) {
  if (negative) return "-";
  if (spec.plus) return "+";
  if (spec.space) return " ";
  return "";
}

Result<std::string> FormatInteger(int64_t n, const Spec& spec) {
  const bool negative = n < 0;
  // Magnitude as unsigned so INT64_MIN is safe.
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  std::string digits;
  std::string prefix;
  switch (spec.type) {
    case 'o':
      digits = fmt::format("{:o}", magnitude);
      if (spec.alt) prefix = "0o";
      break;
    case 'x':
      digits = fmt::format("{:x}", magnitude);
      if (spec.alt) prefix = "0x";
      break;
    case 'X':
      digits = fmt::format("{:X}", magnitude);
      if (spec.alt) prefix = "0X";
      break;
    default:
      digits = fmt::format("{}", magnitude);
  }
  if (spec.precision > 0 && digits.size() < static_cast<size_t>(spec.precision)) {
    digits.insert(0, static_cast<size_t>(spec.precision) - digits.size(), '0');
  }
  return PadToWidth(SignPrefix(negative, spec) + prefix + digits, spec, true);
}

std::string FormatFloat(double value, const Spec& spec) {
  std::string format = "%";
  if (spec.plus) format += '+';
  if (spec.space) format += ' ';
  if (spec.alt) format += '#';
  format += ".*";
  format += static_cast<char>(spec.type);
  const int precision = spec.precision < 0 ? 6 : spec.precision;
  char buffer[512];
  int n = std::snprintf(buffer, sizeof buffer, format.c_str(), precision, value);
  std::string body(buffer, n > 0 ? static_cast<size_t>(std::min<int>(n, sizeof buffer - 1)) : 0);
  return PadToWidth(std::move(body), spec, true);
}

std::string CodePointToUtf8(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xc0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xe0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
  return out;
}

// Python's %s precision cuts at a number of code points.
std::string TruncateCodePoints(const std::string& s, int precision) {
  if (precision < 0) return s;
  size_t i = 0;
  for (int n = 0; n < precision && i < s.size(); ++n) NextCodePoint(s, i);
  return s.substr(0, i);
}

Result<std::string> Convert(const ExpansionValue& value, const Spec& spec) {
  const auto* text = std::get_if<std::string>(&value);
  const auto* number = std::get_if<int64_t>(&value);
  switch (spec.type) {
    case 's':
    case 'r':
    case 'a': {
      std::string body = text ? *text : std::to_string(*number);
      if (text && spec.type != 's') body = PyRepr(*text);
      return PadToWidth(TruncateCodePoints(body, spec.precision), spec, false);
    }
    case 'd':
    case 'i':
    case 'u':
      if (!number) {
        return Error::InvalidArgument(fmt::format("%{} format: a real number is required, not {}",
                                                  static_cast<char>(spec.type), TypeName(value)));
      }
      return FormatInteger(*number, spec);
    case 'o':
    case 'x':
    case 'X':
      if (!number) {
        return Error::InvalidArgument(fmt::format("%{} format: an integer is required, not {}",
                                                  static_cast<char>(spec.type), TypeName(value)));
      }
      return FormatInteger(*number, spec);
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
      if (!number) return Error::InvalidArgument("must be real number, not " + TypeName(value));
      return FormatFloat(static_cast<double>(*number), spec);
    case 'c':
      if (number) {
        if (*number < 0 || *number > 0x10ffff) {
          return Error::InvalidArgument("%c arg not in range(0x110000)");
        }
        return PadToWidth(CodePointToUtf8(static_cast<char32_t>(*number)), spec, false);
      }
      if (CodePointCount(*text) != 1) return Error::InvalidArgument("%c requires int or char");
      return PadToWidth(*text, spec, false);
    default:
      return Error::Internal("unreachable conversion");
  }
}

bool IsConversion(char32_t c) {
  return c == 's' || c == 'r' || c == 'a' || c == 'd' || c == 'i' || c == 'u' || c == 'o' ||
         c == 'x' || c == 'X' || c == 'e' || c == 'E' || c == 'f' || c == 'F' || c == 'g' ||
         c == 'G' || c == 'c';
}

std::string AvailableNames(const Expansions& expansions) {
  std::vector<std::string> names;
  for (const auto& [name, value] : expansions) names.push_back(name);
  return Join(names, ", ");  // std::map keeps them sorted, as supervisord sorts them
}

}  // namespace

// No configuration value needs to grow beyond this; a file that asks for more (say, many
// "%(n)999999d") is refused instead of exhausting memory.
constexpr size_t kMaxExpandedBytes = 4 * 1024 * 1024;

Result<std::string> PyPercentFormat(std::string_view text, const Expansions& expansions,
                                    std::string_view what) {
  auto badly_formatted = [&](std::string_view why) {
    Error error = Error::InvalidArgument(fmt::format(
        "Format string {} for {} is badly formatted: {}", PyRepr(text), PyRepr(what), why));
    error.compat_message = error.message;
    return error;
  };
  std::string out;
  size_t i = 0;
  size_t index = 0;  // code point index, for Python's "at index N"
  auto next = [&]() {
    ++index;
    return NextCodePoint(text, i);
  };
  while (i < text.size()) {
    const size_t start = i;
    char32_t c = next();
    if (c != '%') {
      out.append(text.substr(start, i - start));
      continue;
    }
    if (i >= text.size()) return badly_formatted("incomplete format");
    if (text[i] == '%') {
      next();
      out += '%';
      continue;
    }
    std::optional<std::string> key;
    if (text[i] == '(') {
      next();
      // Python matches nested parentheses inside the key.
      int depth = 1;
      const size_t key_start = i;
      size_t key_end = i;
      while (i < text.size()) {
        key_end = i;
        char32_t k = next();
        if (k == '(') ++depth;
        if (k == ')' && --depth == 0) break;
      }
      if (depth != 0) return badly_formatted("incomplete format key");
      key = std::string(text.substr(key_start, key_end - key_start));
    }
    Spec spec;
    // Flags, width, precision and one length modifier, as PyUnicode_Format parses them.
    for (bool more = true; more && i < text.size();) {
      switch (text[i]) {
        case '-':
          spec.left = true;
          next();
          break;
        case '+':
          spec.plus = true;
          next();
          break;
        case ' ':
          spec.space = true;
          next();
          break;
        case '#':
          spec.alt = true;
          next();
          break;
        case '0':
          spec.zero = true;
          next();
          break;
        default:
          more = false;
      }
    }
    auto parse_number = [&]() -> Result<int> {
      if (i < text.size() && text[i] == '*') {
        return Error::InvalidArgument("not enough arguments for format string");
      }
      int n = -1;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        if (n < 0) n = 0;
        n = n * 10 + (text[i] - '0');
        if (n > 1000000) return Error::InvalidArgument("width too big");
        next();
      }
      return n;
    };
    Result<int> width = parse_number();
    if (!width) return badly_formatted(width.error().message);
    spec.width = *width;
    if (i < text.size() && text[i] == '.') {
      next();
      Result<int> precision = parse_number();
      if (!precision) return badly_formatted(precision.error().message);
      spec.precision = std::max(*precision, 0);
    }
    if (i < text.size() && (text[i] == 'h' || text[i] == 'l' || text[i] == 'L')) next();
    if (i >= text.size()) return badly_formatted("incomplete format");
    const size_t type_index = index;
    spec.type = next();
    if (!IsConversion(spec.type)) {
      return badly_formatted(fmt::format("unsupported format character {} (0x{:x}) at index {}",
                                         PyRepr(CodePointToUtf8(spec.type)),
                                         static_cast<uint32_t>(spec.type), type_index));
    }
    if (!key) {
      // vigil's words: Python's own message here ("format requires a mapping") does not help.
      Error error = badly_formatted(fmt::format(
          "a conversion without a name; write %%{} for a literal percent sign, or name an "
          "expansion such as %(program_name){}",
          static_cast<char>(spec.type), static_cast<char>(spec.type)));
      error.compat_message.clear();
      return error;
    }
    auto found = expansions.find(*key);
    if (found == expansions.end()) {
      Error error = Error::InvalidArgument(fmt::format(
          "Format string {} for {} contains names ({}) which cannot be expanded. Available "
          "names: {}",
          PyRepr(text), PyRepr(what), PyRepr(*key), AvailableNames(expansions)));
      error.compat_message = error.message;
      return error;
    }
    Result<std::string> converted = Convert(found->second, spec);
    if (!converted) return badly_formatted(converted.error().message);
    out += *converted;
    if (out.size() > kMaxExpandedBytes) {
      return Error::InvalidArgument(fmt::format(
          "Format string for {} expands to more than {} bytes; vigil refuses values that large",
          PyRepr(what), kMaxExpandedBytes));
    }
  }
  return out;
}

}  // namespace vigil::config
