#pragma once

// Small ASCII string helpers used across modules. Python-compatible text rules (Unicode
// whitespace, int() syntax) live in config/py_text.h, because only the supervisord dialect needs
// them.

#include <string>
#include <string_view>
#include <vector>

namespace vigil {

bool IsAsciiSpace(char c);
std::string_view TrimAscii(std::string_view s);
std::string AsciiLower(std::string_view s);
std::string AsciiUpper(std::string_view s);

// Splits on every occurrence of `sep`; "a,,b" gives {"a", "", "b"}; "" gives {""}.
std::vector<std::string> Split(std::string_view s, char sep);
// Splits on runs of ASCII whitespace and drops empty pieces.
std::vector<std::string> SplitWhitespace(std::string_view s);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);

// Quotes a string the way Python's repr() does for str: 'abc', "it's", with \n \t \\ escapes.
std::string PyRepr(std::string_view s);

}  // namespace vigil
