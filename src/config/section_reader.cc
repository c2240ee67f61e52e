#include "config/section_reader.h"

#include <fmt/format.h>

namespace vigil::config {

SectionReader::SectionReader(const IniDocument& doc, std::string section, Expansions expansions)
    : doc_(doc), section_(std::move(section)), expansions_(std::move(expansions)) {}

bool SectionReader::Has(std::string_view key) const { return doc_.Get(section_, key) != nullptr; }

std::optional<std::string> SectionReader::Raw(std::string_view key) const {
  const IniEntry* entry = doc_.Get(section_, key);
  if (entry == nullptr) return std::nullopt;
  return entry->value;
}

Result<std::string> SectionReader::Expand(std::string_view key, std::string_view text,
                                          std::string_view what) const {
  Result<std::string> expanded = PyPercentFormat(text, expansions_, what);
  if (!expanded) return KeyError(key, expanded.error());
  return expanded;
}

Result<std::optional<std::string>> SectionReader::Get(std::string_view key) const {
  std::optional<std::string> raw = Raw(key);
  if (!raw) return std::optional<std::string>();
  Result<std::string> expanded = Expand(key, *raw, fmt::format("{}.{}", section_, key));
  if (!expanded) return expanded.error();
  return std::optional<std::string>(std::move(*expanded));
}

Result<std::string> SectionReader::Get(std::string_view key, std::string_view fallback) const {
  std::optional<std::string> raw = Raw(key);
  return Expand(key, raw ? *raw : std::string(fallback), fmt::format("{}.{}", section_, key));
}

SourceLocation SectionReader::HeaderWhere() const {
  if (const IniSection* section = doc_.FindSection(section_)) return section->where;
  return {};
}

SourceLocation SectionReader::Where(std::string_view key) const {
  if (const IniEntry* entry = doc_.Get(section_, key)) return entry->where;
  return HeaderWhere();
}

Error SectionReader::KeyError(std::string_view key, std::string_view message) const {
  SourceLocation where = Where(key);
  return Error::InvalidArgument(
      fmt::format("{}:{}: [{}] {}: {}", where.file, where.line, section_, key, message));
}

Error SectionReader::SectionError(std::string_view message) const {
  SourceLocation where = HeaderWhere();
  return Error::InvalidArgument(
      fmt::format("{}:{}: [{}]: {}", where.file, where.line, section_, message));
}

Error SectionReader::KeyError(std::string_view key, const Error& cause) const {
  Error error = KeyError(key, cause.message);
  error.compat_message = cause.compat_message;
  return error;
}

Error SectionReader::SectionError(const Error& cause) const {
  Error error = SectionError(cause.message);
  error.compat_message = cause.compat_message;
  return error;
}

}  // namespace vigil::config
