#pragma once

// Python 3 text rules that supervisord's config dialect inherits from configparser, str and
// int(): Unicode whitespace for strip()/isspace(), int() syntax (signs, underscores, Unicode
// digits), and the few non-ASCII characters whose lower()/upper() is ASCII (so "10\u212aB" is a
// valid byte size, as in Python). Text is UTF-8; these functions work on code points.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::config {

// Decodes the code point at s[i] and advances i. Invalid UTF-8 yields U+FFFD and advances by one
// byte; callers validate UTF-8 up front where it matters (the ini reader does).
char32_t NextCodePoint(std::string_view s, size_t& i);
bool IsValidUtf8(std::string_view s);
// Number of code points (Python's len()).
size_t CodePointCount(std::string_view s);

// str.isspace() for one code point.
bool IsPySpace(char32_t c);
// str.strip(): removes leading and trailing Unicode whitespace.
std::string_view PyStrip(std::string_view s);
std::string_view PyRstrip(std::string_view s);
// Byte offset of the first non-whitespace code point (regex \S), or npos.
size_t FindNonSpace(std::string_view s);

// str.lower() / str.upper() as far as the result can be ASCII: ASCII letters, plus the
// characters Python maps into ASCII (KELVIN SIGN -> k; long s, dotless i, sharp s and the Latin
// ligatures upper-case to ASCII). Other non-ASCII text is left as it is.
std::string PyLower(std::string_view s);
std::string PyUpper(std::string_view s);

// int(s) for base 10: surrounding Unicode whitespace, an optional sign, decimal digits of any
// script, single underscores between digits. nullopt if Python would raise ValueError, and also
// for values beyond int64 (Python has no limit; vigil reports those as out of range).
std::optional<int64_t> PyInt(std::string_view s);
// int(s, 8): as above in base 8, with an optional "0o" prefix.
std::optional<int64_t> PyOctal(std::string_view s);

}  // namespace vigil::config
