#include "protocol/py_codecs.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace vigil::protocol {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The whitespace that int() and float() skip around a literal (Py_ISSPACE), ASCII only.
std::string_view StripPySpace(std::string_view s) {
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
  };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Consumes digits with single underscores between them (PEP 515) from the front of `s` and
// appends the digits to `out`. False if there is no digit or an underscore is misplaced.
bool TakeDigits(std::string_view& s, std::string& out) {
  if (s.empty() || !IsDigit(s.front())) return false;
  while (!s.empty()) {
    if (IsDigit(s.front())) {
      out += s.front();
      s.remove_prefix(1);
    } else if (s.front() == '_' && s.size() > 1 && IsDigit(s[1])) {
      s.remove_prefix(1);
    } else {
      break;
    }
  }
  return true;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

// The decimal order of magnitude of a literal that from_chars found out of range, to tell an
// overflow (Python gives inf) from an underflow (Python gives 0.0).
bool IsOverflow(std::string_view int_digits, std::string_view frac_digits, std::string_view exp) {
  int64_t order = 0;  // position of the first non-zero digit, as a power of ten
  size_t first = int_digits.find_first_not_of('0');
  if (first != std::string_view::npos) {
    order = static_cast<int64_t>(int_digits.size() - first) - 1;
  } else {
    const size_t frac_first = frac_digits.find_first_not_of('0');
    if (frac_first == std::string_view::npos) return false;  // zero is never out of range
    order = -static_cast<int64_t>(frac_first) - 1;
  }
  int64_t exponent = 0;  // saturates: only its sign matters beyond the double range
  bool negative = !exp.empty() && exp.front() == '-';
  for (char c : exp) {
    if (IsDigit(c) && exponent < 100000) exponent = exponent * 10 + (c - '0');
  }
  return order + (negative ? -exponent : exponent) >= 0;
}

// One alternative of a strptime field regex: a first character class and an optional second.
struct FieldAlt {
  std::string_view first;   // characters allowed first ("0-9" spelled out)
  std::string_view second;  // characters allowed second; empty for a one-character field
};

constexpr std::string_view kAnyDigit = "0123456789";
constexpr std::string_view kNonZero = "123456789";

// _strptime's regexes for %m, %d, %H, %M and %S, alternatives in regex order.
constexpr std::array<FieldAlt, 3> kMonth = {{{"1", "012"}, {"0", kNonZero}, {kNonZero, ""}}};
constexpr std::array<FieldAlt, 5> kDay = {
    {{"3", "01"}, {"12", kAnyDigit}, {"0", kNonZero}, {kNonZero, ""}, {" ", kNonZero}}};
constexpr std::array<FieldAlt, 3> kHour = {{{"2", "0123"}, {"01", kAnyDigit}, {kAnyDigit, ""}}};
constexpr std::array<FieldAlt, 2> kMinute = {{{"012345", kAnyDigit}, {kAnyDigit, ""}}};
constexpr std::array<FieldAlt, 3> kSecond = {{{"6", "01"}, {"012345", kAnyDigit}, {kAnyDigit, ""}}};

// Matches `alt` at the front of `s`: the field's value and length, or nullopt.
std::optional<std::pair<int, size_t>> MatchAlt(std::string_view s, const FieldAlt& alt) {
  if (s.empty() || alt.first.find(s[0]) == std::string_view::npos) return std::nullopt;
  if (alt.second.empty()) return std::pair{s[0] - '0', size_t{1}};
  if (s.size() < 2 || alt.second.find(s[1]) == std::string_view::npos) return std::nullopt;
  return std::pair{(s[0] == ' ' ? 0 : (s[0] - '0') * 10) + (s[1] - '0'), size_t{2}};
}

struct DateFields {
  int month, day, hour, minute, second;
};

// The first way, in regex backtracking order, that "%m%dT%H:%M:%S" matches all of `s`.
std::optional<DateFields> MatchDateTail(std::string_view s) {
  for (const FieldAlt& m : kMonth) {
    auto month = MatchAlt(s, m);
    if (!month) continue;
    for (const FieldAlt& d : kDay) {
      auto day = MatchAlt(s.substr(month->second), d);
      if (!day) continue;
      std::string_view rest = s.substr(month->second + day->second);
      if (rest.empty() || (rest[0] != 'T' && rest[0] != 't')) continue;
      rest.remove_prefix(1);
      for (const FieldAlt& h : kHour) {
        auto hour = MatchAlt(rest, h);
        if (!hour || rest.size() <= hour->second || rest[hour->second] != ':') continue;
        std::string_view after_hour = rest.substr(hour->second + 1);
        for (const FieldAlt& mi : kMinute) {
          auto minute = MatchAlt(after_hour, mi);
          if (!minute || after_hour.size() <= minute->second || after_hour[minute->second] != ':')
            continue;
          std::string_view after_minute = after_hour.substr(minute->second + 1);
          for (const FieldAlt& se : kSecond) {
            auto second = MatchAlt(after_minute, se);
            if (!second) continue;
            // The regex has no end anchor: its first match decides, and strptime then
            // refuses any text left over ("unconverted data remains").
            if (second->second != after_minute.size()) return std::nullopt;
            return DateFields{month->first, day->first, hour->first, minute->first, second->first};
          }
        }
      }
    }
  }
  return std::nullopt;
}

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<size_t>(month - 1)];
}

// binascii's table: the value of a base64 character, or 64 for anything else.
int Base64Value(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return 64;
}

// Length of the valid UTF-8 prefix of the sequence starting at s[i] (1-4), and whether it is a
// complete character. A lead byte that cannot start a character gives {1, false}.
std::pair<size_t, bool> Utf8Sequence(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return {1, true};
  size_t need = 0;
  unsigned char lo = 0x80, hi = 0xbf;  // the range of the second byte
  if (lead >= 0xc2 && lead <= 0xdf) {
    need = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    need = 3;
    if (lead == 0xe0) lo = 0xa0;  // overlong
    if (lead == 0xed) hi = 0x9f;  // surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    need = 4;
    if (lead == 0xf0) lo = 0x90;  // overlong
    if (lead == 0xf4) hi = 0x8f;  // above U+10FFFF
  } else {
    return {1, false};
  }
  size_t len = 1;
  while (len < need && i + len < s.size()) {
    const unsigned char c = byte(i + len);
    const bool ok = len == 1 ? (c >= lo && c <= hi) : (c >= 0x80 && c <= 0xbf);
    if (!ok) break;
    ++len;
  }
  return {len, len == need};
}

}  // namespace

Result<int64_t> ParsePyInt(std::string_view text) {
  std::string_view s = StripPySpace(text);
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  std::string digits;
  if (!TakeDigits(s, digits) || !s.empty()) return Error::Protocol("is not a decimal integer");
  uint64_t magnitude = 0;
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  for (char c : digits) {
    const auto digit = static_cast<uint64_t>(c - '0');
    if (magnitude > (limit - digit) / 10) return Error::Protocol("is out of the 64-bit range");
    magnitude = magnitude * 10 + digit;
  }
  if (negative) return static_cast<int64_t>(0 - magnitude);  // two's complement; fits by limit
  return static_cast<int64_t>(magnitude);
}

std::optional<double> ParsePyFloat(std::string_view text) {
  std::string_view s = StripPySpace(text);
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  const double sign = negative ? -1.0 : 1.0;
  if (EqualsIgnoringCase(s, "inf") || EqualsIgnoringCase(s, "infinity")) {
    return sign * std::numeric_limits<double>::infinity();
  }
  if (EqualsIgnoringCase(s, "nan")) return sign * std::numeric_limits<double>::quiet_NaN();

  // Rebuild the literal without underscores or '+' for from_chars, which takes neither.
  std::string int_digits, frac_digits, exp_digits;
  const bool has_int = TakeDigits(s, int_digits);
  if (!s.empty() && s.front() == '.') {
    s.remove_prefix(1);
    if (!TakeDigits(s, frac_digits) && !has_int) return std::nullopt;
  } else if (!has_int) {
    return std::nullopt;
  }
  if (!s.empty() && (s.front() == 'e' || s.front() == 'E')) {
    s.remove_prefix(1);
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
      if (s.front() == '-') exp_digits += '-';
      s.remove_prefix(1);
    }
    if (!TakeDigits(s, exp_digits)) return std::nullopt;
  }
  if (!s.empty()) return std::nullopt;

  std::string literal = (int_digits.empty() ? "0" : int_digits) + "." + frac_digits;
  if (literal.back() == '.') literal += '0';
  if (!exp_digits.empty()) literal += "e" + exp_digits;
  double value = 0;
  const auto [end, ec] = std::from_chars(literal.data(), literal.data() + literal.size(), value);
  if (ec == std::errc::result_out_of_range) {
    value = IsOverflow(int_digits, frac_digits, exp_digits) ? HUGE_VAL : 0.0;
  } else if (ec != std::errc() || end != literal.data() + literal.size()) {
    return std::nullopt;  // cannot happen for the grammar above
  }
  return sign * value;
}

std::optional<PyDateTime> ParsePyDateTime(std::string_view text) {
  if (text.size() < 4) return std::nullopt;
  int year = 0;
  for (char c : text.substr(0, 4)) {
    if (!IsDigit(c)) return std::nullopt;
    year = year * 10 + (c - '0');
  }
  std::optional<DateFields> f = MatchDateTail(text.substr(4));
  // strptime's regexes bound month, hour and minute; datetime() checks the rest.
  if (!f || year < 1 || f->day < 1 || f->day > DaysInMonth(year, f->month) || f->second > 59) {
    return std::nullopt;
  }
  return PyDateTime{year, f->month, f->day, f->hour, f->minute, f->second};
}

Result<std::string> DecodePyBase64(std::string_view text) {
  // A transcription of binascii_a2b_base64_impl() (CPython 3.11, strict_mode=False).
  std::string out;
  int quad_pos = 0;
  int left = 0;
  int pads = 0;
  size_t data_chars = 0;
  for (unsigned char c : text) {
    if (c == '=') {
      if (quad_pos >= 2 && quad_pos + ++pads >= 4) return out;  // complete padding ends it
      continue;
    }
    const int v = Base64Value(c);
    if (v == 64) continue;
    pads = 0;
    ++data_chars;
    switch (quad_pos) {
      case 0:
        left = v;
        break;
      case 1:
        out += static_cast<char>((left << 2) | (v >> 4));
        left = v & 0x0f;
        break;
      case 2:
        out += static_cast<char>((left << 4) | (v >> 2));
        left = v & 0x03;
        break;
      default:
        out += static_cast<char>((left << 6) | v);
        break;
    }
    quad_pos = (quad_pos + 1) % 4;
  }
  if (quad_pos == 1) {
    return Error::Protocol(fmt::format(
        "Invalid base64-encoded string: number of data characters ({}) cannot be 1 more than a "
        "multiple of 4",
        data_chars));
  }
  if (quad_pos != 0) return Error::Protocol("Incorrect padding");
  return out;
}

std::string EncodePyBase64(std::string_view bytes) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  constexpr size_t kLineBytes = 57;  // base64.MAXBINSIZE: 76 characters a line
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4 + bytes.size() / kLineBytes + 1);
  for (size_t line = 0; line < bytes.size(); line += kLineBytes) {
    const std::string_view chunk = bytes.substr(line, kLineBytes);
    for (size_t i = 0; i < chunk.size(); i += 3) {
      const size_t n = std::min<size_t>(3, chunk.size() - i);
      uint32_t group = 0;
      for (size_t k = 0; k < 3; ++k) {
        group = (group << 8) | (k < n ? static_cast<unsigned char>(chunk[i + k]) : 0u);
      }
      for (size_t k = 0; k < 4; ++k) {
        out += k <= n ? kAlphabet[(group >> (18 - 6 * k)) & 0x3f] : '=';
      }
    }
    out += '\n';
  }
  return out;
}

std::string PyFloatRepr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  // to_chars gives the shortest round-trip digits (as Python's repr does, through David Gay's
  // dtoa mode 0) as "-d.ddde+XX"; this re-lays them out by float_repr_style 'r' rules.
  std::array<char, 64> buf{};
  const auto res =
      std::to_chars(buf.data(), buf.data() + buf.size(), value, std::chars_format::scientific);
  const std::string_view sci(buf.data(), static_cast<size_t>(res.ptr - buf.data()));
  const size_t e = sci.find('e');
  std::string_view mantissa = sci.substr(0, e);
  std::string out;
  if (!mantissa.empty() && mantissa.front() == '-') {
    out += '-';
    mantissa.remove_prefix(1);
  }
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits += c;
  }
  int exponent = 0;
  std::from_chars(sci.data() + e + (sci[e + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exponent);
  const int decpt = exponent + 1;  // value = 0.digits * 10^decpt
  const auto ndigits = static_cast<int>(digits.size());
  if (decpt <= -4 || decpt > 16) {
    out += digits[0];
    if (ndigits > 1) out += "." + digits.substr(1);
    out += fmt::format("e{}{:02d}", exponent < 0 ? '-' : '+', std::abs(exponent));
  } else if (decpt <= 0) {
    out += "0." + std::string(static_cast<size_t>(-decpt), '0') + digits;
  } else if (decpt >= ndigits) {
    out += digits + std::string(static_cast<size_t>(decpt - ndigits), '0') + ".0";
  } else {
    out += digits.substr(0, static_cast<size_t>(decpt)) + "." +
           digits.substr(static_cast<size_t>(decpt));
  }
  return out;
}

bool IsValidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const auto [len, complete] = Utf8Sequence(text, i);
    if (!complete) return false;
    i += len;
  }
  return true;
}

std::string ReplaceInvalidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto [len, complete] = Utf8Sequence(text, i);
    out += complete ? text.substr(i, len) : std::string_view("\xef\xbf\xbd");
    i += len;
  }
  return out;
}

void AppendXmlEscaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
}

}  // namespace vigil::protocol
