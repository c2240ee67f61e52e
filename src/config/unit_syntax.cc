#include "config/unit_syntax.h"

#include <fmt/format.h>

#include <cstring>

#include "config/py_text.h"

namespace vigil::config {
namespace {

constexpr std::string_view kWhitespace = " \t\n\r";
constexpr std::string_view kByteOrderMark = "\xef\xbb\xbf";

std::string_view Strip(std::string_view s) {
  while (!s.empty() && kWhitespace.find(s.front()) != std::string_view::npos) s.remove_prefix(1);
  while (!s.empty() && kWhitespace.find(s.back()) != std::string_view::npos) s.remove_suffix(1);
  return s;
}

// systemd's string_is_safe(): no control characters, quotes, backslashes or DEL.
bool IsSafeString(std::string_view s) {
  for (char c : s) {
    if ((c > 0 && c < ' ') || c == '"' || c == '\'' || c == '\\' || c == '\x7f') return false;
  }
  return true;
}

// read_line(): a line ends at "\n", "\r", "\r\n" or a NUL byte.
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '\n' || c == '\r' || c == '\0') {
      lines.push_back(text.substr(start, i - start));
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
    ++i;
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

// Whether the line ends in a backslash that is not itself escaped.
bool EndsInEscape(std::string_view s) {
  bool escaped = false;
  for (char c : s) {
    if (escaped) {
      escaped = false;
    } else if (c == '\\') {
      escaped = true;
    }
  }
  return escaped;
}

class UnitTextParser {
 public:
  UnitTextParser(std::string_view filename, std::span<const std::string_view> sections)
      : filename_(filename), sections_(sections) {}

  std::vector<UnitLine> Parse(std::string_view text);

 private:
  // Returns false after a fatal event.
  bool ParseLine(std::string_view line, int number);
  void Add(UnitLine::Kind kind, int number, std::string message);
  bool KnownSection(std::string_view name) const;

  std::string filename_;
  std::span<const std::string_view> sections_;
  std::vector<UnitLine> events_;
  std::string section_;           // "" when outside any usable section
  bool section_ignored_ = false;  // inside an unknown section (warned about once)
};

void UnitTextParser::Add(UnitLine::Kind kind, int number, std::string message) {
  UnitLine event;
  event.kind = kind;
  event.where = SourceLocation{filename_, number};
  event.message = fmt::format("{}:{}: {}", filename_, number, message);
  events_.push_back(std::move(event));
}

bool UnitTextParser::KnownSection(std::string_view name) const {
  for (std::string_view known : sections_) {
    if (known == name) return true;
  }
  return false;
}

bool UnitTextParser::ParseLine(std::string_view raw, int number) {
  std::string_view line = Strip(raw);
  if (line.empty()) return true;
  if (!IsValidUtf8(line)) {
    Add(UnitLine::Kind::kFatal, number,
        fmt::format("String is not UTF-8 clean, ignoring assignment: {} (systemd refuses to "
                    "load such a unit; save the file as UTF-8)",
                    EscapeInvalidUtf8(line)));
    return false;
  }
  if (line.front() == '[') {
    if (line.back() != ']') {
      Add(UnitLine::Kind::kFatal, number,
          fmt::format("Invalid section header '{}' (a header is [Name] alone on its line)", line));
      return false;
    }
    std::string_view name = line.substr(1, line.size() - 2);
    if (!IsSafeString(name)) {
      Add(UnitLine::Kind::kFatal, number,
          fmt::format("Bad characters in section header '{}' (no quotes, backslashes or control "
                      "characters)",
                      line));
      return false;
    }
    if (KnownSection(name) || name.starts_with("X-")) {
      section_ = std::string(name);
      section_ignored_ = false;
    } else {
      Add(UnitLine::Kind::kWarning, number, fmt::format("Unknown section '{}'. Ignoring.", name));
      section_.clear();
      section_ignored_ = true;
    }
    return true;
  }
  if (section_.empty()) {
    if (!section_ignored_) {
      Add(UnitLine::Kind::kWarning, number, "Assignment outside of section. Ignoring.");
    }
    return true;
  }
  const size_t eq = line.find('=');
  if (eq == std::string_view::npos) {
    Add(UnitLine::Kind::kWarning, number, "Missing '=', ignoring line.");
    return true;
  }
  if (eq == 0) {
    Add(UnitLine::Kind::kWarning, number, "Missing key name before '=', ignoring line.");
    return true;
  }
  UnitLine assignment;
  assignment.kind = UnitLine::Kind::kAssignment;
  assignment.section = section_;
  assignment.key = std::string(Strip(line.substr(0, eq)));
  assignment.value = std::string(Strip(line.substr(eq + 1)));
  assignment.where = SourceLocation{filename_, number};
  events_.push_back(std::move(assignment));
  return true;
}

std::vector<UnitLine> UnitTextParser::Parse(std::string_view text) {
  std::string continuation;
  bool continuing = false;
  bool bom_seen = false;
  int number = 0;
  for (std::string_view raw : SplitLines(text)) {
    ++number;
    if (raw.size() > kMaxUnitLineLength) {
      Add(UnitLine::Kind::kFatal, number,
          "Line too long (systemd refuses lines longer than 1 MiB)");
      return std::move(events_);
    }
    std::string_view stripped = Strip(raw);
    if (!stripped.empty() && (stripped.front() == '#' || stripped.front() == ';')) continue;
    std::string_view line = raw;
    if (!bom_seen && line.starts_with(kByteOrderMark)) {
      line.remove_prefix(kByteOrderMark.size());
      bom_seen = true;
    }
    if (continuing) {
      if (continuation.size() + line.size() > kMaxUnitLineLength) {
        Add(UnitLine::Kind::kFatal, number,
            "Continuation line too long (systemd refuses lines longer than 1 MiB)");
        return std::move(events_);
      }
      continuation += line;
    } else {
      continuation.assign(line);
    }
    if (EndsInEscape(continuation)) {
      continuation.back() = ' ';
      continuing = true;
      continue;
    }
    continuing = false;
    if (!ParseLine(continuation, number)) return std::move(events_);
  }
  if (continuing) ParseLine(continuation, number + 1);
  return std::move(events_);
}

}  // namespace

std::vector<UnitLine> ParseUnitText(std::string_view text, std::string_view filename,
                                    std::span<const std::string_view> sections) {
  return UnitTextParser(filename, sections).Parse(text);
}

std::string EscapeInvalidUtf8(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    char32_t c = NextCodePoint(text, i);
    std::string_view piece = text.substr(start, i - start);
    if (c == 0xFFFD && piece != "\xef\xbf\xbd") {
      out += "\xef\xbf\xbd";
    } else {
      out += piece;
    }
  }
  return out;
}

}  // namespace vigil::config
