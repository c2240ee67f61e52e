// The [Unit] and [Install] settings vigil reads, with systemd 252's parsers' rules and messages
// (load-fragment.c, install.c).

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "config/service_draft.h"
#include "config/unit_name.h"
#include "config/unit_values.h"
#include "config/unit_words.h"

namespace vigil::config {
namespace {

void AddUnique(std::vector<std::string>& list, std::string value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

Result<void> Description(ServiceDraft& draft, const SettingContext& context,
                         std::string_view value) {
  std::optional<std::string> text = context.ExpandOrWarn(value, SpecifierSet::kFull);
  if (!text) return Ok();
  draft.spec.description = std::move(*text);
  return Ok();
}

bool IsAsciiPrintable(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= ' ' && c < 0x7f; });
}

// documentation_url_is_valid()
bool IsDocumentationUrl(std::string_view url) {
  for (std::string_view scheme : {"http://", "https://", "file:/", "info:", "man:"}) {
    if (url.starts_with(scheme)) {
      std::string_view rest = url.substr(scheme.size());
      if (scheme == "file:/") return IsAsciiPrintable(rest);
      return !rest.empty() && IsAsciiPrintable(rest);
    }
  }
  return false;
}

Result<void> Documentation(ServiceDraft& draft, const SettingContext& context,
                           std::string_view value) {
  if (value.empty()) {
    draft.spec.documentation.clear();
    return Ok();
  }
  std::optional<std::string> text = context.ExpandOrWarn(value, SpecifierSet::kFull);
  if (!text) return Ok();
  std::string_view p = *text;
  while (true) {
    Result<std::optional<std::string>> word = ExtractFirstWord(p, kUnitWhitespace, kExtractUnquote);
    if (!word) {
      context.Warn(fmt::format("Invalid syntax, ignoring: {}", value));
      return Ok();
    }
    if (!*word) return Ok();
    if (!IsDocumentationUrl(**word)) {
      context.Warn(fmt::format("Invalid URL, ignoring: {}", **word));
      continue;
    }
    AddUnique(draft.spec.documentation, std::move(**word));
  }
}

std::vector<std::string>* DependencyList(UnitDependencies& deps, std::string_view key) {
  if (key == "After") return &deps.after;
  if (key == "Before") return &deps.before;
  if (key == "Wants") return &deps.wants;
  if (key == "Requires" || key == "RequiresOverridable") return &deps.requires_units;
  if (key == "Requisite" || key == "RequisiteOverridable") return &deps.requisite;
  if (key == "BindsTo" || key == "BindTo") return &deps.binds_to;
  if (key == "PartOf") return &deps.part_of;
  if (key == "Conflicts") return &deps.conflicts;
  if (key == "OnFailure") return &deps.on_failure;
  return nullptr;
}

// config_parse_unit_deps(): dependency lists only grow; an empty value adds nothing.
Result<void> Dependency(ServiceDraft& draft, const SettingContext& context,
                        std::string_view value) {
  if (context.key == "RequiresOverridable" || context.key == "RequisiteOverridable") {
    context.Warn(fmt::format(
        "Unit dependency type {}= is obsolete, replacing by {}=, please update your unit file",
        context.key, context.key == "RequiresOverridable" ? "Requires" : "Requisite"));
  }
  std::vector<std::string>* list = DependencyList(draft.spec.dependencies, context.key);
  std::string_view p = value;
  while (true) {
    Result<std::optional<std::string>> word =
        ExtractFirstWord(p, kUnitWhitespace, kExtractRetainEscape);
    if (!word) {
      context.Warn(fmt::format("Invalid syntax, ignoring: {}", value));
      return Ok();
    }
    if (!*word) return Ok();
    std::optional<std::string> name = context.ExpandOrWarn(**word, SpecifierSet::kUnitName);
    if (!name) continue;
    if (!ParseUnitName(*name)) {
      context.Warn(fmt::format(
          "'{}' in {}= is not a valid unit name; vigil ignores it (a unit name is NAME.TYPE, "
          "such as network-online.target)",
          *name, context.key));
      continue;
    }
    AddUnique(*list, std::move(*name));
  }
}

Result<void> StartLimitInterval(ServiceDraft& draft, const SettingContext& context,
                                std::string_view value) {
  std::optional<uint64_t> usec = ParseSecSetting(context, value);
  if (!usec) return Ok();
  // systemd treats infinity like 0: no limit (systemd/systemd#17572).
  draft.spec.start_limit_interval =
      *usec == kInfinityUsec ? Duration::zero() : UsecToDuration(*usec);
  return Ok();
}

Result<void> StartLimitBurst(ServiceDraft& draft, const SettingContext& context,
                             std::string_view value) {
  Result<uint64_t> burst = ParseCUnsigned(value);
  if (!burst || *burst > UINT32_MAX) {
    context.Warn(fmt::format("Failed to parse unsigned value, ignoring: {}", value));
    return Ok();
  }
  draft.spec.start_limit_burst = static_cast<int64_t>(*burst);
  return Ok();
}

// config_parse_emergency_action() for StartLimitAction=, FailureAction=, SuccessAction=.
Result<void> EmergencyAction(ServiceDraft& draft, const SettingContext& context,
                             std::string_view value) {
  static constexpr std::array<std::string_view, 9> kActions = {
      "none",      "reboot",         "reboot-force",       "reboot-immediate",
      "poweroff",  "poweroff-force", "poweroff-immediate", "exit",
      "exit-force"};
  if (std::find(kActions.begin(), kActions.end(), value) == kActions.end()) {
    context.Warn(fmt::format("Failed to parse {}=, ignoring: {}", context.key, value));
    return Ok();
  }
  if (context.key == "SuccessAction") draft.has_success_action = value != "none";
  if (value != "none") {
    context.Warn(fmt::format(
        "{}={} is not supported by vigil, ignoring (vigil never reboots, powers off or exits "
        "because of a unit)",
        context.key, value));
  }
  return Ok();
}

Result<void> DefaultDependencies(ServiceDraft&, const SettingContext& context,
                                 std::string_view value) {
  // vigil adds no implicit dependencies and treats the standard targets as always reached, which
  // is what both values amount to without systemd; only the syntax is checked.
  static_cast<void>(ParseBooleanSetting(context, value));
  return Ok();
}

// [Install]: systemctl enable reads these; systemd's manager (and so systemd-analyze verify)
// does not, so problems here are vigil's own warnings.
Result<std::vector<std::string>> InstallNames(const SettingContext& context,
                                              std::string_view value) {
  std::vector<std::string> names;
  std::string_view p = value;
  while (true) {
    Result<std::optional<std::string>> word = ExtractFirstWord(p, kUnitWhitespace, kExtractUnquote);
    if (!word) {
      context.Warn(fmt::format(
          "Invalid syntax in {}={} (systemctl enable would refuse it; vigil ignores it)",
          context.key, value));
      return names;
    }
    if (!*word) return names;
    Result<std::string> name = context.Expand(**word, SpecifierSet::kInstall);
    if (!name) {
      context.Warn(fmt::format(
          "Failed to resolve specifiers in {}={}: {} (systemctl enable would refuse it; vigil "
          "ignores it)",
          context.key, **word, name.error().message));
      continue;
    }
    if (!ParseUnitName(*name)) {
      context.Warn(fmt::format(
          "'{}' in {}= is not a valid unit name (systemctl enable would refuse it; vigil "
          "ignores it)",
          *name, context.key));
      continue;
    }
    names.push_back(std::move(*name));
  }
}

Result<void> InstallList(ServiceDraft& draft, const SettingContext& context,
                         std::string_view value) {
  InstallSection& install = draft.spec.install;
  std::vector<std::string>& list = context.key == "WantedBy"     ? install.wanted_by
                                   : context.key == "RequiredBy" ? install.required_by
                                   : context.key == "Alias"      ? install.alias
                                                                 : install.also;
  if (value.empty()) {
    list.clear();
    return Ok();
  }
  Result<std::vector<std::string>> names = InstallNames(context, value);
  if (!names) return names.error();
  for (std::string& name : *names) {
    if (context.key == "Alias" && !name.ends_with(".service")) {
      context.Warn(fmt::format(
          "Alias={} does not have the .service suffix of the unit (systemctl enable would refuse "
          "it; vigil ignores it)",
          name));
      continue;
    }
    AddUnique(list, std::move(name));
  }
  return Ok();
}

Result<void> DefaultInstance(ServiceDraft& draft, const SettingContext& context,
                             std::string_view value) {
  Result<std::string> instance = context.Expand(value, SpecifierSet::kInstall);
  if (!instance) {
    context.Warn(fmt::format(
        "Failed to resolve specifiers in DefaultInstance={}: {} (systemctl enable would refuse "
        "it; vigil ignores it)",
        value, instance.error().message));
    return Ok();
  }
  if (!instance->empty() && !ParseUnitName("x@" + *instance + ".service")) {
    context.Warn(fmt::format(
        "DefaultInstance={} is not a valid instance name (systemctl enable would refuse it; "
        "vigil ignores it)",
        *instance));
    return Ok();
  }
  draft.spec.install.default_instance = std::move(*instance);
  return Ok();
}

struct NamedHandler {
  std::string_view key;
  SettingHandler handler;
};

constexpr NamedHandler kUnitHandlers[] = {
    {"Description", Description},
    {"Documentation", Documentation},
    {"After", Dependency},
    {"Before", Dependency},
    {"Wants", Dependency},
    {"Requires", Dependency},
    {"RequiresOverridable", Dependency},
    {"Requisite", Dependency},
    {"RequisiteOverridable", Dependency},
    {"BindsTo", Dependency},
    {"BindTo", Dependency},
    {"PartOf", Dependency},
    {"Conflicts", Dependency},
    {"OnFailure", Dependency},
    {"StartLimitIntervalSec", StartLimitInterval},
    {"StartLimitInterval", StartLimitInterval},
    {"StartLimitBurst", StartLimitBurst},
    {"StartLimitAction", EmergencyAction},
    {"FailureAction", EmergencyAction},
    {"SuccessAction", EmergencyAction},
    {"DefaultDependencies", DefaultDependencies},
};

constexpr NamedHandler kInstallHandlers[] = {
    {"WantedBy", InstallList}, {"RequiredBy", InstallList},          {"Alias", InstallList},
    {"Also", InstallList},     {"DefaultInstance", DefaultInstance},
};

}  // namespace

SettingHandler FindUnitSectionHandler(std::string_view key) {
  for (const NamedHandler& entry : kUnitHandlers) {
    if (entry.key == key) return entry.handler;
  }
  return nullptr;
}

SettingHandler FindInstallSectionHandler(std::string_view key) {
  for (const NamedHandler& entry : kInstallHandlers) {
    if (entry.key == key) return entry.handler;
  }
  return nullptr;
}

std::optional<bool> ParseBooleanSetting(const SettingContext& context, std::string_view value) {
  std::optional<bool> parsed = ParseUnitBoolean(value);
  if (!parsed) context.Warn(fmt::format("Failed to parse boolean value, ignoring: {}", value));
  return parsed;
}

std::optional<uint64_t> ParseSecSetting(const SettingContext& context, std::string_view value) {
  Result<uint64_t> usec = ParseSecUsec(value);
  if (!usec) {
    context.Warn(fmt::format("Failed to parse sec value, ignoring: {}", value));
    return std::nullopt;
  }
  return *usec;
}

Result<std::string> CheckedPath(std::string_view key, std::string_view path, bool fatal_wording) {
  const std::string_view ignoring = fatal_wording ? "" : ", ignoring";
  if (!path.starts_with('/')) {
    return Error::InvalidArgument(
        fmt::format("{}= path is not absolute{}: {}", key, ignoring, path));
  }
  std::string simplified = SimplifyPath(path);
  if (simplified.size() >= 4096) {
    return Error::InvalidArgument(
        fmt::format("{}= path has invalid length ({} bytes){}.", key, simplified.size(), ignoring));
  }
  if (!IsNormalizedPath(simplified)) {
    return Error::InvalidArgument(
        fmt::format("{}= path is not normalized{}: {}", key, ignoring, simplified));
  }
  return simplified;
}

}  // namespace vigil::config
