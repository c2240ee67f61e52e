#include "config/unit_name.h"

#include <errno.h>
#include <fmt/format.h>

#include <array>
#include <cstring>

namespace vigil::config {
namespace {

constexpr std::array<std::string_view, 11> kUnitTypes = {"service", "mount",  "swap",      "socket",
                                                         "target",  "device", "automount", "timer",
                                                         "path",    "slice",  "scope"};

bool IsUnitType(std::string_view type) {
  for (std::string_view known : kUnitTypes) {
    if (type == known) return true;
  }
  return false;
}

bool IsUnitNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::strchr(":-_.\\@", c) != nullptr;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Error EinvalError() { return Error{ErrorCode::kInvalidArgument, std::strerror(EINVAL), EINVAL}; }

}  // namespace

std::string UnitName::Full() const {
  switch (form) {
    case UnitNameForm::kPlain:
      return prefix + "." + type;
    case UnitNameForm::kTemplate:
      return prefix + "@." + type;
    case UnitNameForm::kInstance:
      return prefix + "@" + instance + "." + type;
  }
  return prefix + "." + type;
}

std::string UnitName::Template() const {
  return form == UnitNameForm::kPlain ? Full() : prefix + "@." + type;
}

std::optional<UnitName> ParseUnitName(std::string_view name) {
  if (name.empty() || name.size() > kMaxUnitNameLength) return std::nullopt;
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  std::string_view type = name.substr(dot + 1);
  if (!IsUnitType(type)) return std::nullopt;
  std::string_view stem = name.substr(0, dot);
  for (char c : stem) {
    if (!IsUnitNameChar(c)) return std::nullopt;
  }
  UnitName parsed;
  parsed.type = std::string(type);
  const size_t at = stem.find('@');
  if (at == std::string_view::npos) {
    parsed.prefix = std::string(stem);
    return parsed;
  }
  if (at == 0) return std::nullopt;
  parsed.prefix = std::string(stem.substr(0, at));
  parsed.instance = std::string(stem.substr(at + 1));
  parsed.form = parsed.instance.empty() ? UnitNameForm::kTemplate : UnitNameForm::kInstance;
  return parsed;
}

Result<std::string> NormalizeServiceName(std::string_view typed) {
  std::string name(typed);
  const size_t dot = name.rfind('.');
  if (dot == std::string::npos || !IsUnitType(std::string_view(name).substr(dot + 1))) {
    name += ".service";
  }
  if (name.size() > kMaxUnitNameLength) {
    return Error::InvalidArgument(
        fmt::format("invalid unit name '{}': longer than {} characters", name, kMaxUnitNameLength));
  }
  for (char c : std::string_view(name).substr(0, name.rfind('.'))) {
    if (!IsUnitNameChar(c)) {
      return Error::InvalidArgument(fmt::format(
          "invalid unit name '{}': unit names consist of letters, digits and the characters "
          "\":-_.\\@\" (systemd-escape makes any text into one)",
          name));
    }
  }
  std::optional<UnitName> parsed = ParseUnitName(name);
  if (!parsed) {
    return Error::InvalidArgument(fmt::format(
        "invalid unit name '{}': a unit name is NAME.service or NAME@INSTANCE.service", name));
  }
  if (!parsed->IsService()) {
    return Error::InvalidArgument(
        fmt::format("'{}' is a .{} unit; vigil runs .service units only", name, parsed->type));
  }
  if (parsed->form == UnitNameForm::kTemplate) {
    return Error::InvalidArgument(
        fmt::format("'{}' is a template; name an instance of it, such as {}@NAME.service", name,
                    parsed->prefix));
  }
  return name;
}

Result<std::string> UnescapeUnitName(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '-') {
      out += '/';
    } else if (text[i] == '\\') {
      if (i + 3 >= text.size() || text[i + 1] != 'x') return EinvalError();
      int high = HexValue(text[i + 2]);
      int low = HexValue(text[i + 3]);
      if (high < 0 || low < 0) return EinvalError();
      out += static_cast<char>((high << 4) | low);
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

Result<std::string> UnescapeUnitPath(std::string_view text) {
  if (text.empty()) return EinvalError();
  if (text == "-") return std::string("/");
  Result<std::string> unescaped = UnescapeUnitName(text);
  if (!unescaped) return unescaped.error();
  std::string path = "/" + *unescaped;
  // systemd refuses paths that are not normalized: "..", "." components or "//".
  if (path.find("//") != std::string::npos || path.ends_with("/") ||
      path.find("/./") != std::string::npos || path.ends_with("/.") ||
      path.find("/../") != std::string::npos || path.ends_with("/..")) {
    return EinvalError();
  }
  return path;
}

}  // namespace vigil::config
