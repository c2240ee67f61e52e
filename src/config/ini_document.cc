#include "config/ini_document.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/strings.h"
#include "config/py_text.h"

namespace vigil::config {
namespace {

// Splits text into lines the way Python's universal-newline reading does (\n, \r\n, \r).
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      lines.push_back(text.substr(start, i - start));
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

bool IsCodePointSpaceBefore(std::string_view line, size_t byte_index) {
  // The code point ending right before byte_index; UTF-8 continuation bytes are skipped back.
  size_t start = byte_index - 1;
  while (start > 0 && (static_cast<unsigned char>(line[start]) & 0xc0) == 0x80) --start;
  size_t i = start;
  return IsPySpace(NextCodePoint(line, i));
}

// configparser's inline comment search, verbatim: each prefix is searched from its previous
// hit; a hit counts only at index 0 or after whitespace; the loop stops after the first round
// that found a counting hit for any prefix. Returns npos when the line has no comment.
size_t FindInlineComment(std::string_view line) {
  struct Prefix {
    char ch;
    size_t index;  // last hit; npos before the first search
    bool active;
  };
  Prefix prefixes[] = {{';', std::string_view::npos, true}, {'#', std::string_view::npos, true}};
  size_t comment_start = std::string_view::npos;
  while (comment_start == std::string_view::npos &&
         std::any_of(std::begin(prefixes), std::end(prefixes),
                     [](const Prefix& p) { return p.active; })) {
    for (Prefix& p : prefixes) {
      if (!p.active) continue;
      size_t from = p.index == std::string_view::npos ? 0 : p.index + 1;
      size_t hit = line.find(p.ch, from);
      if (hit == std::string_view::npos) {
        p.active = false;
        continue;
      }
      p.index = hit;
      if (hit == 0 || IsCodePointSpaceBefore(line, hit)) {
        comment_start = std::min(comment_start, hit);
      }
    }
  }
  return comment_start;
}

size_t IndentInCodePoints(std::string_view line) {
  size_t first = FindNonSpace(line);
  if (first == std::string_view::npos) return 0;
  return CodePointCount(line.substr(0, first));
}

// Matches configparser's SECTCRE, r"\[(?P<header>.+)\]", at the start of the stripped line.
std::optional<std::string_view> MatchHeader(std::string_view value) {
  if (value.size() < 3 || value.front() != '[') return std::nullopt;
  size_t close = value.rfind(']');
  if (close == std::string_view::npos || close < 2) return std::nullopt;
  return value.substr(1, close - 1);
}

struct OptionLine {
  std::string_view key;
  std::string_view value;
};

// Matches configparser's OPTCRE: the key is everything before the first '=' or ':'.
std::optional<OptionLine> MatchOption(std::string_view value) {
  size_t delimiter = value.find_first_of("=:");
  if (delimiter == std::string_view::npos) return std::nullopt;
  return OptionLine{PyRstrip(value.substr(0, delimiter)), PyStrip(value.substr(delimiter + 1))};
}

}  // namespace

const IniEntry* IniSection::Find(std::string_view key) const {
  for (const IniEntry& entry : entries) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

void IniDocument::Set(IniSection& section, IniEntry entry) {
  for (IniEntry& existing : section.entries) {
    if (existing.key == entry.key) {
      existing = std::move(entry);
      return;
    }
  }
  section.entries.push_back(std::move(entry));
}

IniSection* IniDocument::OpenSection(std::string_view name, const SourceLocation& where) {
  if (name == kDefaultSection) return &defaults_;
  if (auto it = index_.find(name); it != index_.end()) return &sections_[it->second];
  index_.emplace(std::string(name), sections_.size());
  sections_.push_back(IniSection{std::string(name), where, {}});
  return &sections_.back();
}

Result<void> IniDocument::Read(std::string_view text, std::string_view filename) {
  const std::string file(filename);
  if (!IsValidUtf8(text)) {
    // Name the first line that is not UTF-8, so the operator can find it.
    int line_number = 1;
    for (std::string_view line : SplitLines(text)) {
      if (!IsValidUtf8(line)) break;
      ++line_number;
    }
    return Error::InvalidArgument(
        fmt::format("{}:{}: the file is not valid UTF-8 text", file, line_number));
  }

  // Values being built in this read, as configparser keeps them: a list of lines per key, joined
  // when the file ends. Keyed by (section name, key); a map, because a file of a thousand
  // programs has thousands of keys.
  std::map<std::pair<std::string, std::string>, std::vector<std::string>, std::less<>> pending;
  auto pending_for = [&](const std::string& section,
                         const std::string& key) -> std::vector<std::string>& {
    return pending[std::make_pair(section, key)];
  };

  std::optional<std::string> current_section;  // name; kDefaultSection for [DEFAULT]
  std::optional<std::string> current_key;
  size_t indent_level = 0;
  std::vector<std::string> errors;

  int line_number = 0;
  for (std::string_view line : SplitLines(text)) {
    ++line_number;
    size_t comment_start = FindInlineComment(line);
    std::string_view stripped_line = PyStrip(line);
    if (!stripped_line.empty() && (stripped_line.front() == '#' || stripped_line.front() == ';')) {
      comment_start = 0;
    }
    std::string_view value = PyStrip(line.substr(0, comment_start));
    if (value.empty()) {
      // A blank line inside a value is kept; a comment-only line is not.
      if (comment_start == std::string_view::npos && current_section && current_key) {
        pending_for(*current_section, *current_key).emplace_back();
      }
      continue;
    }
    const size_t indent = IndentInCodePoints(line);
    if (current_section && current_key && indent > indent_level) {
      pending_for(*current_section, *current_key).emplace_back(value);
      continue;
    }
    indent_level = indent;
    if (std::optional<std::string_view> header = MatchHeader(value)) {
      OpenSection(*header, SourceLocation{file, line_number});
      current_section = std::string(*header);
      current_key.reset();
      continue;
    }
    if (!current_section) {
      return Error::InvalidArgument(
          fmt::format("{}:{}: {} comes before any [section] header; supervisord files start with a "
                      "header such as [program:name]",
                      file, line_number, PyRepr(line)));
    }
    std::optional<OptionLine> option = MatchOption(value);
    if (!option || option->key.empty()) {
      errors.push_back(fmt::format(
          "{}:{}: cannot parse {}: expected 'key = value', 'key: value', a [section] header, "
          "a comment, or an indented continuation of the previous value",
          file, line_number, PyRepr(line)));
      continue;
    }
    std::string key = PyLower(option->key);
    IniSection* section = OpenSection(*current_section, SourceLocation{file, line_number});
    Set(*section, IniEntry{key, std::string(option->value), SourceLocation{file, line_number}});
    pending_for(*current_section, key).assign(1, std::string(option->value));
    current_key = std::move(key);
  }
  if (!errors.empty()) return Error::InvalidArgument(Join(errors, "\n"));

  for (const auto& [where, lines] : pending) {
    IniSection* section = OpenSection(where.first, {});
    for (IniEntry& entry : section->entries) {
      if (entry.key == where.second) entry.value = std::string(PyRstrip(Join(lines, "\n")));
    }
  }
  return Ok();
}

bool IniDocument::HasSection(std::string_view name) const { return index_.contains(name); }

std::vector<std::string> IniDocument::SectionNames() const {
  std::vector<std::string> names;
  names.reserve(sections_.size());
  for (const IniSection& section : sections_) names.push_back(section.name);
  return names;
}

const IniSection* IniDocument::FindSection(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &sections_[it->second];
}

const IniEntry* IniDocument::Get(std::string_view section, std::string_view key) const {
  if (const IniSection* s = FindSection(section)) {
    if (const IniEntry* entry = s->Find(key)) return entry;
  }
  return defaults_.Find(key);
}

std::vector<IniEntry> IniDocument::Items(std::string_view section) const {
  std::vector<IniEntry> items = defaults_.entries;
  const IniSection* s = FindSection(section);
  if (s == nullptr) return items;
  for (const IniEntry& entry : s->entries) {
    auto it = std::find_if(items.begin(), items.end(),
                           [&](const IniEntry& e) { return e.key == entry.key; });
    if (it != items.end()) {
      *it = entry;
    } else {
      items.push_back(entry);
    }
  }
  return items;
}

void IniDocument::ExpandHere(std::string_view here) {
  static constexpr std::string_view kHere = "%(here)s";
  for (IniSection& section : sections_) {
    for (IniEntry entry : Items(section.name)) {
      if (entry.value.find(kHere) == std::string::npos) continue;
      std::string replaced;
      size_t start = 0;
      for (size_t hit; (hit = entry.value.find(kHere, start)) != std::string::npos;
           start = hit + kHere.size()) {
        replaced.append(entry.value, start, hit - start);
        replaced.append(here);
      }
      replaced.append(entry.value, start);
      entry.value = std::move(replaced);
      Set(section, std::move(entry));
    }
  }
}

}  // namespace vigil::config
