#pragma once

// The two ways supervisord tokenizes with Python's shlex module:
// - ShlexSplit: shlex.split(command), POSIX mode, for `command=` (no shell: quotes and
//   backslashes only; no variables, pipes or redirections).
// - ShlexLegacyTokens: shlex.shlex(text) in non-POSIX mode with wordchars += "/.+-():", which
//   dict_of_key_value_pairs() uses for `environment=`. Its quirks are supervisord's: a value
//   stops at the first character outside the word set ("A=hello world" keeps "hello"), '#'
//   drops the rest of its line, and quotes stay part of the token.
// Both work on code points (UTF-8), as Python does on str.

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vigil::config {

// Errors: "No closing quotation", "No escaped character" (Python's messages).
Result<std::vector<std::string>> ShlexSplit(std::string_view text);

// Never fails except for an unterminated quote ("No closing quotation"). `dropped_comment` is
// set when a '#' made the lexer skip the rest of a line.
struct LegacyTokens {
  std::vector<std::string> tokens;
  bool dropped_comment = false;
};
Result<LegacyTokens> ShlexLegacyTokens(std::string_view text);

// Quotes one argument so ShlexSplit gives it back unchanged (shlex.quote).
std::string ShlexQuote(std::string_view arg);

}  // namespace vigil::config
