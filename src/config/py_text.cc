#include "config/py_text.h"

#include <algorithm>
#include <array>
#include <limits>

namespace vigil::config {
namespace {

// Code points whose Python 3.11 (Unicode 14) str.isspace() is true.
constexpr std::array<char32_t, 29> kPySpaces = {
    0x09,   0x0a,   0x0b,   0x0c,   0x0d,   0x1c,   0x1d,   0x1e,   0x1f,   0x20,
    0x85,   0xa0,   0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
    0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000};

// The zero of every run of ten Unicode decimal digits (category Nd) in Unicode 14; int() accepts
// any of them. Generated with unicodedata.decimal().
constexpr std::array<char32_t, 66> kDigitZeros = {
    0x30,    0x660,   0x6f0,   0x7c0,   0x966,   0x9e6,   0xa66,   0xae6,   0xb66,   0xbe6,
    0xc66,   0xce6,   0xd66,   0xde6,   0xe50,   0xed0,   0xf20,   0x1040,  0x1090,  0x17e0,
    0x1810,  0x1946,  0x19d0,  0x1a80,  0x1a90,  0x1b50,  0x1bb0,  0x1c40,  0x1c50,  0xa620,
    0xa8d0,  0xa900,  0xa9d0,  0xa9f0,  0xaa50,  0xabf0,  0xff10,  0x104a0, 0x10d30, 0x11066,
    0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0, 0x11730, 0x118e0,
    0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0, 0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2,
    0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0};

std::optional<int> DigitValue(char32_t c) {
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
  for (char32_t zero : kDigitZeros) {
    if (c >= zero && c < zero + 10) return static_cast<int>(c - zero);
  }
  return std::nullopt;
}

std::string_view UpperToAscii(char32_t c) {
  switch (c) {
    case 0xdf:
      return "SS";
    case 0x131:
      return "I";
    case 0x17f:
      return "S";
    case 0xfb00:
      return "FF";
    case 0xfb01:
      return "FI";
    case 0xfb02:
      return "FL";
    case 0xfb03:
      return "FFI";
    case 0xfb04:
      return "FFL";
    case 0xfb05:
    case 0xfb06:
      return "ST";
    default:
      return {};
  }
}

// Parses digits (with underscores) in `base` from the stripped body; nullopt on bad syntax or
// int64 overflow.
std::optional<int64_t> ParseDigits(std::string_view body, int base) {
  bool negative = false;
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  if (base == 8 && body.size() >= 2 && body[0] == '0' && (body[1] == 'o' || body[1] == 'O')) {
    body.remove_prefix(2);
    // Python allows an underscore right after the prefix: int('0o_7', 8) == 7.
    if (!body.empty() && body.front() == '_') body.remove_prefix(1);
  }
  if (body.empty()) return std::nullopt;
  // Accumulate as a negative number so that INT64_MIN parses.
  int64_t value = 0;
  bool previous_was_digit = false;
  size_t i = 0;
  while (i < body.size()) {
    char32_t c = NextCodePoint(body, i);
    if (c == '_') {
      if (!previous_was_digit) return std::nullopt;
      previous_was_digit = false;
      continue;
    }
    std::optional<int> digit = DigitValue(c);
    if (!digit || *digit >= base) return std::nullopt;
    if (value < (std::numeric_limits<int64_t>::min() + *digit) / base) return std::nullopt;
    value = value * base - *digit;
    previous_was_digit = true;
  }
  if (!previous_was_digit) return std::nullopt;  // trailing underscore
  if (negative) return value;
  if (value == std::numeric_limits<int64_t>::min()) return std::nullopt;
  return -value;
}

}  // namespace

char32_t NextCodePoint(std::string_view s, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  int length = 0;
  char32_t c = 0;
  char32_t min = 0;
  if ((lead & 0xe0) == 0xc0) {
    length = 2, c = lead & 0x1f, min = 0x80;
  } else if ((lead & 0xf0) == 0xe0) {
    length = 3, c = lead & 0x0f, min = 0x800;
  } else if ((lead & 0xf8) == 0xf0) {
    length = 4, c = lead & 0x07, min = 0x10000;
  } else {
    ++i;
    return 0xfffd;
  }
  if (i + length > s.size()) {
    ++i;
    return 0xfffd;
  }
  for (int k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) {
      ++i;
      return 0xfffd;
    }
    c = (c << 6) | (byte(i + k) & 0x3f);
  }
  if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
    ++i;
    return 0xfffd;
  }
  i += length;
  return c;
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = i;
    char32_t c = NextCodePoint(s, i);
    // A genuine U+FFFD is three bytes; a decoding error advances by exactly one.
    if (c == 0xfffd && i - start == 1) return false;
  }
  return true;
}

size_t CodePointCount(std::string_view s) {
  size_t count = 0;
  for (size_t i = 0; i < s.size();) {
    NextCodePoint(s, i);
    ++count;
  }
  return count;
}

bool IsPySpace(char32_t c) {
  return std::find(kPySpaces.begin(), kPySpaces.end(), c) != kPySpaces.end();
}

size_t FindNonSpace(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    if (!IsPySpace(NextCodePoint(s, i))) return start;
  }
  return std::string_view::npos;
}

std::string_view PyRstrip(std::string_view s) {
  size_t end = 0;  // byte just past the last non-space code point
  for (size_t i = 0; i < s.size();) {
    if (!IsPySpace(NextCodePoint(s, i))) end = i;
  }
  return s.substr(0, end);
}

std::string_view PyStrip(std::string_view s) {
  size_t start = FindNonSpace(s);
  if (start == std::string_view::npos) return {};
  return PyRstrip(s.substr(start));
}

std::string PyLower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    char32_t c = NextCodePoint(s, i);
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if (c == 0x212a) {  // KELVIN SIGN
      out += 'k';
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  return out;
}

std::string PyUpper(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    char32_t c = NextCodePoint(s, i);
    if (c >= 'a' && c <= 'z') {
      out += static_cast<char>(c - 'a' + 'A');
    } else if (std::string_view ascii = UpperToAscii(c); !ascii.empty()) {
      out.append(ascii);
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  return out;
}

std::optional<int64_t> PyInt(std::string_view s) { return ParseDigits(PyStrip(s), 10); }

std::optional<int64_t> PyOctal(std::string_view s) { return ParseDigits(PyStrip(s), 8); }

}  // namespace vigil::config
