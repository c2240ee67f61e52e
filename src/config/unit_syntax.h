#pragma once

// The syntax of systemd unit files and drop-ins (systemd.syntax(7)), as systemd 252's
// config_parse() reads it. This is not the supervisord ini dialect (ini_document.h): the rules
// differ in every corner.
// - Lines end at '\n'; leading and trailing whitespace (" \t\n\r") is stripped; a UTF-8 byte order
//   mark at the start of the file is skipped.
// - A line whose first non-blank character is '#' or ';' is a comment. There are no inline
//   comments: "Key=a # b" is the value "a # b".
// - A line ending in an odd number of backslashes continues on the next line; that backslash
//   becomes a space. Comment lines inside a continuation are skipped. A continued line is
//   reported at the number of its last physical line (at end of file, one past it).
// - "[Name]" opens a section. Keys are "Key=Value" with whitespace around '=' ignored; keys and
//   section names are case-sensitive.
// - A physical or joined line longer than 1 MiB, a malformed section header and text that is not
//   UTF-8 are fatal (systemd refuses to load the unit); other problems are warnings with
//   systemd's own words ("Missing '=', ignoring line.", "Unknown section 'X'. Ignoring.",
//   "Assignment outside of section. Ignoring.").
// Pure: the caller hands in text and the file name used in messages.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/ini_document.h"

namespace vigil::config {

// One event of a unit file, in file order: an assignment to hand to a key parser, a warning, or
// the fatal error that ends the file (always the last event when present).
struct UnitLine {
  enum class Kind { kAssignment, kWarning, kFatal };
  Kind kind = Kind::kAssignment;
  std::string section;  // kAssignment: "Unit", "Service", "Install", or an "X-..." section
  std::string key;
  std::string value;    // stripped
  std::string message;  // kWarning, kFatal: "file:line: text"
  SourceLocation where;
};

inline constexpr size_t kMaxUnitLineLength = 1024 * 1024;

// `sections` are the sections the unit type knows; assignments in other sections are dropped
// with a warning, except in sections whose name starts with "X-", which are passed through
// silently (so that vigil's own [X-Vigil] section can be read).
std::vector<UnitLine> ParseUnitText(std::string_view text, std::string_view filename,
                                    std::span<const std::string_view> sections);

// Replaces every invalid UTF-8 sequence with U+FFFD, as systemd quotes such text in messages.
std::string EscapeInvalidUtf8(std::string_view text);

}  // namespace vigil::config
