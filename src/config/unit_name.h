#pragma once

// systemd unit names (systemd.unit(5), systemd's unit-name.c): PREFIX[@INSTANCE].TYPE, at most 255
// characters, made of letters, digits and ":-_.\@". A template has an '@' right before the type
// suffix ("foo@.service"); an instance fills it in ("foo@bar.service"). Escaping (what
// systemd-escape produces) turns '/' into '-' and other bytes into "\xNN"; the functions here undo
// it for the %I, %P, %J and %f specifiers.

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace vigil::config {

enum class UnitNameForm { kPlain, kTemplate, kInstance };

struct UnitName {
  std::string prefix;    // before the first '@' (or the suffix): "foo" in "foo@bar.service"
  std::string instance;  // between the first '@' and the suffix; "" unless kInstance
  std::string type;      // the suffix without the dot: "service"
  UnitNameForm form = UnitNameForm::kPlain;

  std::string Full() const;      // "foo@bar.service"
  std::string Template() const;  // "foo@.service" for templates and instances; Full() otherwise
  bool IsService() const { return type == "service"; }
};

inline constexpr size_t kMaxUnitNameLength = 255;

// The parts of a valid unit name of any type; nullopt when systemd would not accept the name.
std::optional<UnitName> ParseUnitName(std::string_view name);

// What a user typed for a service ("doris-fe", "doris-fe.service", "getty@tty1"): ".service" is
// appended when the name has no unit type suffix, then the result must be a valid plain or
// instance service name. Errors say what is wrong ("... is a template; name an instance such as
// foo@NAME.service", "... is a .target unit; vigil runs .service units only").
Result<std::string> NormalizeServiceName(std::string_view typed);

// unit_name_unescape(): "\xNN" becomes the byte, '-' becomes '/'. Error for a malformed escape.
Result<std::string> UnescapeUnitName(std::string_view text);

// unit_name_path_unescape() as %f uses it: "-" is "/", otherwise the unescaped text with a
// leading '/'; the path must be normalized (no "..", "//").
Result<std::string> UnescapeUnitPath(std::string_view text);

}  // namespace vigil::config
