#pragma once

// SettingContext: what a parser of one unit-file assignment needs besides the value: where the
// assignment is (for "file:line: message"), its key, the unit's specifiers, and the list that
// collects warnings. systemd logs most bad values and carries on ("..., ignoring"); those become
// warnings here. What makes systemd refuse the unit becomes an Error, which the caller returns.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "config/ini_document.h"
#include "config/unit_specifiers.h"

namespace vigil::config {

struct SettingContext {
  SourceLocation where;
  std::string key;
  const SpecifierContext& specifiers;
  std::vector<std::string>& warnings;

  // "file:line: message"
  std::string Located(std::string_view message) const;
  void Warn(std::string_view message) const;
  Error Fatal(std::string_view message) const;
  // Specifier expansion; the deprecated %c %r %R add systemd's warning.
  Result<std::string> Expand(std::string_view text, SpecifierSet set) const;
  // Expand(), or nullopt after systemd's warning for text that cannot be expanded, in the
  // wording of the parser systemd uses for the setting:
  enum class Wording {
    kQuoted,    // "Failed to resolve unit specifiers in 'TEXT', ignoring: WHY"
    kUnquoted,  // "Failed to resolve unit specifiers in TEXT, ignoring: WHY"
    kListWord,  // "Failed to resolve specifiers in TEXT, ignoring: WHY"
  };
  std::optional<std::string> ExpandOrWarn(std::string_view text, SpecifierSet set,
                                          Wording wording = Wording::kQuoted) const;
};

}  // namespace vigil::config
