#pragma once

// IniDocument: supervisord's configuration text as Python's configparser.RawConfigParser reads
// it (inline_comment_prefixes=(';', '#'), strict=False), with the file and line of every section
// and key kept for error messages. Pure: the loader hands it text, it never reads files.
//
// The rules, all checked against Python 3.11's configparser:
// - lines end at \n, \r\n or \r (Python's universal newlines);
// - a line whose stripped text starts with '#' or ';' is a comment;
// - ';' or '#' starts an inline comment only at the start of the line or after whitespace, with
//   configparser's exact search order (so "a;b ;c #d" keeps "a;b ;c");
// - "key = value" or "key: value": the key is everything before the first '=' or ':', stripped
//   and lower-cased; the value is stripped;
// - a line indented deeper than its key line continues the value (joined with "\n"); blank lines
//   inside a value are kept, comment lines are skipped; the joined value is right-stripped;
// - "[name]" anywhere at the start of a stripped line is a header (the name runs to the last
//   ']'); names are case-sensitive; a repeated section merges, a repeated key's last value wins;
// - [DEFAULT] keys are inherited by every section.
// Strings are UTF-8; whitespace is Python's Unicode whitespace.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vigil::config {

struct SourceLocation {
  std::string file;
  int line = 0;

  bool operator==(const SourceLocation&) const = default;
};

struct IniEntry {
  std::string key;    // lower-cased
  std::string value;  // continuation lines joined with '\n'
  SourceLocation where;
};

struct IniSection {
  std::string name;
  SourceLocation where;           // the first header that opened it
  std::vector<IniEntry> entries;  // in first-seen order; a repeated key replaces its value

  const IniEntry* Find(std::string_view key) const;
};

class IniDocument {
 public:
  static constexpr std::string_view kDefaultSection = "DEFAULT";

  // Reads one file's text into the document, merging with what earlier Read() calls added, as
  // configparser.read() does for several files. Errors: the text is not UTF-8, a line before
  // any section header, or lines that are neither header, key, comment nor continuation (all of
  // them are reported, one per line, like configparser's ParsingError).
  Result<void> Read(std::string_view text, std::string_view filename);

  bool HasSection(std::string_view name) const;
  // Sections other than [DEFAULT], in the order they were first seen.
  std::vector<std::string> SectionNames() const;
  const IniSection* FindSection(std::string_view name) const;
  const IniSection& Defaults() const { return defaults_; }

  // The entry for `key` in `section`, falling back to [DEFAULT]; nullptr if neither has it.
  const IniEntry* Get(std::string_view section, std::string_view key) const;
  // Every key of `section` with [DEFAULT]'s merged in, in configparser's items() order.
  std::vector<IniEntry> Items(std::string_view section) const;

  // supervisord's expand_here(): in every section (not [DEFAULT]), each value that contains the
  // literal text "%(here)s" (its own or inherited) gets it replaced by `here`, and is stored in
  // that section. Runs after each file is read, so an included file's values see that file's
  // directory.
  void ExpandHere(std::string_view here);

 private:
  IniSection* OpenSection(std::string_view name, const SourceLocation& where);
  static void Set(IniSection& section, IniEntry entry);

  IniSection defaults_{std::string(kDefaultSection), {}, {}};
  std::vector<IniSection> sections_;
  std::map<std::string, size_t, std::less<>> index_;
};

}  // namespace vigil::config
