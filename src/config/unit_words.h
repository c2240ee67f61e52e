#pragma once

// Word splitting and C unescaping as systemd 252 does them (extract-word.c, escape.c), for the
// unit-file settings that take lists, command lines or quoted words.
//
// Note what 252 really does, which is laxer than systemd.syntax(7) says: with kUnquote, a quote
// opens anywhere in a word, not only at its start (A"B C"=1 is the one word "AB C=1"), and a word
// continues after its closing quote. Verified against systemd-analyze verify 252.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace vigil::config {

// The subset of systemd's ExtractFlags that unit settings use.
enum ExtractFlag : unsigned {
  kExtractUnquote = 1u << 0,         // '...' and "..." group text and are removed
  kExtractCUnescape = 1u << 1,       // \n, \t, \xHH, \NNN, \uXXXX, ... are decoded
  kExtractCUnescapeRelax = 1u << 2,  // an unknown escape is kept as written (with its backslash)
  kExtractRetainEscape = 1u << 3,    // backslashes are kept, and escape nothing
};

inline constexpr std::string_view kUnitWhitespace = " \t\n\r";

// extract_first_word(): removes the first word from `input` and returns it; nullopt when only
// separators are left. Runs of separators count as one. Without kExtractCUnescape a backslash makes
// the next character literal (unless kExtractRetainEscape). Errors (EINVAL in sys_errno):
// unbalanced quotes, a trailing backslash, an invalid escape without kExtractCUnescapeRelax.
Result<std::optional<std::string>> ExtractFirstWord(std::string_view& input,
                                                    std::string_view separators, unsigned flags);

// cunescape_one(): decodes the escape sequence that starts at `text` (just after the backslash).
// Returns the number of characters consumed and the code point, or nullopt when the sequence is
// not valid ("\q", "\x0", "\x00" (NUL is refused), "\400"). `is_byte` is set for \xHH and \NNN,
// which stand for a raw byte rather than a code point.
struct Unescaped {
  size_t length = 0;
  char32_t code = 0;
  bool is_byte = false;
};
std::optional<Unescaped> CUnescapeOne(std::string_view text);

// Appends the UTF-8 encoding of `code` to `out`.
void AppendUtf8(std::string& out, char32_t code);

}  // namespace vigil::config
