#pragma once

// SectionReader: reads one section's options the way supervisord's saneget() does (own value,
// else [DEFAULT]'s, else the default; then %-expansion) and turns every failure into a
// located error:
//   /etc/supervisord.conf:12: [program:web] autostart: not a valid boolean value: 'yup' (...)
// Options that are missing are reported at the section's header line.

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "config/ini_document.h"
#include "config/py_format.h"

namespace vigil::config {

class SectionReader {
 public:
  // `doc` must outlive the reader. `expansions` are those every option of this section sees.
  SectionReader(const IniDocument& doc, std::string section, Expansions expansions);

  const std::string& section() const { return section_; }
  Expansions& expansions() { return expansions_; }

  bool Has(std::string_view key) const;
  // The expanded value, or nullopt when neither the section nor [DEFAULT] has the key.
  Result<std::optional<std::string>> Get(std::string_view key) const;
  // The expanded value, or `fallback` (also expanded, as supervisord expands string defaults).
  Result<std::string> Get(std::string_view key, std::string_view fallback) const;
  // The value exactly as written (supervisord's do_expand=False), or nullopt.
  std::optional<std::string> Raw(std::string_view key) const;
  // Expands `text` as if it were this section's `key` (for supervisord's second expansions).
  Result<std::string> Expand(std::string_view key, std::string_view text,
                             std::string_view what) const;

  // Reads and converts with `parse`, which returns Result<T>; errors get the location.
  template <typename Parse>
  auto Typed(std::string_view key, std::string_view fallback, Parse parse) const
      -> decltype(parse(std::string_view())) {
    Result<std::string> text = Get(key, fallback);
    if (!text) return text.error();
    auto parsed = parse(*text);
    if (!parsed) return KeyError(key, parsed.error());
    return parsed;
  }

  // "<file>:<line>: [section] key: message", at the key's line (or the header's).
  Error KeyError(std::string_view key, std::string_view message) const;
  // The same with `cause`'s message; supervisord's text (compat_message) stays the cause's.
  Error KeyError(std::string_view key, const Error& cause) const;
  // "<file>:<line>: [section]: message", at the header.
  Error SectionError(std::string_view message) const;
  Error SectionError(const Error& cause) const;
  SourceLocation Where(std::string_view key) const;
  SourceLocation HeaderWhere() const;

 private:
  const IniDocument& doc_;
  std::string section_;
  Expansions expansions_;
};

}  // namespace vigil::config
