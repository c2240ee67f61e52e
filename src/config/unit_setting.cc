#include "config/unit_setting.h"

#include <fmt/format.h>

namespace vigil::config {

std::string SettingContext::Located(std::string_view message) const {
  return fmt::format("{}:{}: {}", where.file, where.line, message);
}

void SettingContext::Warn(std::string_view message) const { warnings.push_back(Located(message)); }

Error SettingContext::Fatal(std::string_view message) const {
  return Error::InvalidArgument(Located(message));
}

Result<std::string> SettingContext::Expand(std::string_view text, SpecifierSet set) const {
  Result<ExpandedText> expanded = ExpandSpecifiers(text, specifiers, set);
  if (!expanded) return expanded.error();
  for (char c : expanded->deprecated) Warn(DeprecatedSpecifierMessage(c));
  return std::move(expanded->text);
}

std::optional<std::string> SettingContext::ExpandOrWarn(std::string_view text, SpecifierSet set,
                                                        Wording wording) const {
  Result<std::string> expanded = Expand(text, set);
  if (expanded) return std::move(*expanded);
  const std::string& why = expanded.error().message;
  switch (wording) {
    case Wording::kQuoted:
      Warn(fmt::format("Failed to resolve unit specifiers in '{}', ignoring: {}", text, why));
      break;
    case Wording::kUnquoted:
      Warn(fmt::format("Failed to resolve unit specifiers in {}, ignoring: {}", text, why));
      break;
    case Wording::kListWord:
      Warn(fmt::format("Failed to resolve specifiers in {}, ignoring: {}", text, why));
      break;
  }
  return std::nullopt;
}

}  // namespace vigil::config
