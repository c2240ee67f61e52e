// Enablement: unit file states, boot-time enablement and the links `systemctl enable` and
// `disable` would make (install.c's rules, simplified to what vigil's directories need).

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "base/strings.h"
#include "config/unit_loader.h"
#include "config/unit_lookup.h"
#include "config/unit_name.h"
#include "config/unit_syntax.h"

namespace vigil::config {
namespace {

constexpr std::string_view kBootTargets[] = {"default.target", "multi-user.target",
                                             "graphical.target"};

// "foo" -> "foo.service"; templates allowed.
std::optional<UnitName> ParseServiceArgument(std::string_view typed) {
  std::string name(typed);
  if (!ParseUnitName(name)) name += ".service";
  std::optional<UnitName> parsed = ParseUnitName(name);
  if (!parsed || !parsed->IsService()) return std::nullopt;
  return parsed;
}

// The [Install] keys as written, after empty assignments reset them; enough to tell static from
// disabled without building the unit.
struct RawInstall {
  std::vector<std::string> wanted_by, required_by, alias, also;
  std::string default_instance;
  bool HasRules() const { return !wanted_by.empty() || !required_by.empty() || !alias.empty(); }
};

RawInstall ReadRawInstall(const FoundUnit& found, const std::vector<std::string>& directories,
                          const Host& host) {
  RawInstall install;
  constexpr std::string_view kSections[] = {"Unit", "Service", "Install"};
  std::vector<std::string> files = {found.fragment};
  for (const std::string& dropin :
       DropinFiles(DropinDirectories({found.name.Full()}, directories), host)) {
    files.push_back(dropin);
  }
  for (const std::string& file : files) {
    Result<std::string> text = host.ReadFile(file);
    if (!text) continue;
    for (const UnitLine& line : ParseUnitText(*text, file, kSections)) {
      if (line.kind != UnitLine::Kind::kAssignment || line.section != "Install") continue;
      std::vector<std::string>* list = line.key == "WantedBy"     ? &install.wanted_by
                                       : line.key == "RequiredBy" ? &install.required_by
                                       : line.key == "Alias"      ? &install.alias
                                       : line.key == "Also"       ? &install.also
                                                                  : nullptr;
      if (line.key == "DefaultInstance") install.default_instance = line.value;
      if (list == nullptr) continue;
      if (line.value.empty()) {
        list->clear();
      } else {
        for (std::string& word : SplitWhitespace(line.value)) list->push_back(std::move(word));
      }
    }
  }
  return install;
}

// Every install link named `name` (or, for a template, named after any of its instances) in a
// .wants/ or .requires/ directory of `directories`.
std::vector<std::string> InstallLinks(const UnitName& name,
                                      const std::vector<std::string>& directories,
                                      const Host& host) {
  std::vector<std::string> links;
  for (const std::string& directory : directories) {
    for (const std::string& entry : host.ListDirectory(directory)) {
      if (!(entry.ends_with(".wants") || entry.ends_with(".requires"))) continue;
      const std::string sub = JoinPath(directory, entry);
      for (const std::string& link : host.ListDirectory(sub)) {
        std::optional<UnitName> linked = ParseUnitName(link);
        if (!linked) continue;
        const bool match =
            name.form == UnitNameForm::kTemplate
                ? linked->form == UnitNameForm::kInstance && linked->Template() == name.Full()
                : link == name.Full();
        if (match) links.push_back(JoinPath(sub, link));
      }
    }
  }
  return links;
}

// Symlinks directly in `directories` that lead to `fragment`, other than the unit's own entry.
std::vector<std::string> AliasLinks(const FoundUnit& found,
                                    const std::vector<std::string>& directories, const Host& host) {
  std::vector<std::string> links;
  for (const std::string& alias :
       FindAliases(found.name.Full(), found.fragment, directories, host)) {
    for (const std::string& directory : directories) {
      std::string path = JoinPath(directory, alias);
      if (path != found.path && host.ReadLink(path) &&
          FollowSymlinks(path, host) == found.fragment) {
        links.push_back(path);
      }
    }
  }
  return links;
}

std::string WithInstance(const std::string& name, const std::string& instance) {
  std::optional<UnitName> parsed = ParseUnitName(name);
  if (!parsed || parsed->form != UnitNameForm::kTemplate || instance.empty()) return name;
  parsed->form = UnitNameForm::kInstance;
  parsed->instance = instance;
  return parsed->Full();
}

constexpr std::string_view kNoInstallConfig =
    "The unit files have no installation config (WantedBy=, RequiredBy=, Also=, Alias= settings "
    "in the [Install] section, and DefaultInstance= for template units). This means they are "
    "not meant to be enabled using systemctl.";

class EnablePlanner {
 public:
  EnablePlanner(const UnitPaths& paths, const Host& host) : paths_(paths), host_(host) {}

  Result<void> Enable(std::string_view unit_name);
  Result<void> Disable(std::string_view unit_name);
  InstallPlan Take() { return std::move(plan_); }

 private:
  Result<FoundUnit> Find(std::string_view unit_name, bool allow_masked);
  void AddLink(const std::string& path, const std::string& target);
  void AddUnlink(const std::string& path);

  const UnitPaths& paths_;
  const Host& host_;
  InstallPlan plan_;
  std::set<std::string> visited_;
};

Result<FoundUnit> EnablePlanner::Find(std::string_view unit_name, bool allow_masked) {
  std::optional<UnitName> name = ParseServiceArgument(unit_name);
  if (!name) {
    return Error::InvalidArgument(fmt::format("'{}' is not a valid service unit name", unit_name));
  }
  std::optional<FoundUnit> found = FindUnitFile(*name, paths_.directories, host_);
  if (!found) return Error::NotFound(fmt::format("Unit file {} does not exist.", name->Full()));
  if (found->masked && !allow_masked) {
    return Error::FailedPrecondition(fmt::format("Unit file {} is masked.", found->path));
  }
  return *found;
}

void EnablePlanner::AddLink(const std::string& path, const std::string& target) {
  if (host_.ReadLink(path) || host_.ReadFile(path)) {
    std::string existing = FollowSymlinks(path, host_);
    if (existing != FollowSymlinks(target, host_)) {
      plan_.warnings.push_back(fmt::format(
          "{} already exists and does not point to {}; systemctl enable would fail here (File "
          "exists)",
          path, target));
    }
    return;
  }
  InstallChange change{InstallChange::Kind::kSymlink, path, target};
  if (std::find(plan_.changes.begin(), plan_.changes.end(), change) == plan_.changes.end()) {
    plan_.changes.push_back(std::move(change));
  }
}

void EnablePlanner::AddUnlink(const std::string& path) {
  InstallChange change{InstallChange::Kind::kUnlink, path, ""};
  if (std::find(plan_.changes.begin(), plan_.changes.end(), change) == plan_.changes.end()) {
    plan_.changes.push_back(std::move(change));
  }
}

Result<void> EnablePlanner::Enable(std::string_view unit_name) {
  if (!visited_.insert(std::string(unit_name)).second) return Ok();
  Result<FoundUnit> found = Find(unit_name, false);
  if (!found) return found.error();
  FoundUnit unit = *found;
  if (unit.name.form == UnitNameForm::kTemplate) {
    std::string instance = ReadRawInstall(unit, paths_.directories, host_).default_instance;
    if (instance.empty()) {
      plan_.warnings.push_back(fmt::format(
          "{} is a template without DefaultInstance=; enable one of its instances, such as "
          "{}@NAME.service",
          unit.name.Full(), unit.name.prefix));
      return Ok();
    }
    unit.name.form = UnitNameForm::kInstance;
    unit.name.instance = instance;
  }
  Result<BuiltService> built = BuildFoundUnit(unit, unit.name.Full(), paths_.directories, host_);
  if (!built) return built.error();
  const InstallSection& install = built->program.service->install;
  if (install.empty()) {
    plan_.warnings.push_back(fmt::format("{}: {}", unit.name.Full(), kNoInstallConfig));
    return Ok();
  }
  const std::string& directory = paths_.directories.front();
  const std::string& instance = unit.name.instance;
  for (const std::string& target : install.wanted_by) {
    AddLink(JoinPath(directory, WithInstance(target, instance) + ".wants/" + unit.name.Full()),
            unit.path);
  }
  for (const std::string& target : install.required_by) {
    AddLink(JoinPath(directory, WithInstance(target, instance) + ".requires/" + unit.name.Full()),
            unit.path);
  }
  for (const std::string& alias : install.alias) {
    AddLink(JoinPath(directory, WithInstance(alias, instance)), unit.path);
  }
  for (const std::string& also : install.also) {
    if (Result<void> r = Enable(also); !r) return r.error();
  }
  return Ok();
}

Result<void> EnablePlanner::Disable(std::string_view unit_name) {
  if (!visited_.insert(std::string(unit_name)).second) return Ok();
  Result<FoundUnit> found = Find(unit_name, true);
  if (!found) return found.error();
  std::optional<UnitName> requested = ParseServiceArgument(unit_name);
  for (const std::string& link : InstallLinks(*requested, paths_.directories, host_)) {
    AddUnlink(link);
  }
  if (found->masked) return Ok();
  for (const std::string& link : AliasLinks(*found, paths_.directories, host_)) AddUnlink(link);
  for (const std::string& also : ReadRawInstall(*found, paths_.directories, host_).also) {
    if (Result<void> r = Disable(also); !r && r.error().code != ErrorCode::kNotFound) {
      return r.error();
    }
  }
  return Ok();
}

}  // namespace

std::string_view UnitFileStateName(UnitFileState state) {
  switch (state) {
    case UnitFileState::kEnabled:
      return "enabled";
    case UnitFileState::kDisabled:
      return "disabled";
    case UnitFileState::kStatic:
      return "static";
    case UnitFileState::kIndirect:
      return "indirect";
    case UnitFileState::kMasked:
      return "masked";
    case UnitFileState::kAlias:
      return "alias";
    case UnitFileState::kNotFound:
      return "not-found";
  }
  return "not-found";
}

UnitFileState GetUnitFileState(std::string_view unit_name, const UnitPaths& paths,
                               const Host& host) {
  std::optional<UnitName> name = ParseServiceArgument(unit_name);
  if (!name) return UnitFileState::kNotFound;
  std::optional<FoundUnit> found = FindUnitFile(*name, paths.directories, host);
  if (!found) return UnitFileState::kNotFound;
  if (found->masked) return UnitFileState::kMasked;
  if (found->alias) return UnitFileState::kAlias;
  if (name->form != UnitNameForm::kTemplate &&
      !InstallLinks(*name, paths.directories, host).empty()) {
    return UnitFileState::kEnabled;
  }
  RawInstall install = ReadRawInstall(*found, paths.directories, host);
  for (const std::string& alias : install.alias) {
    for (const std::string& directory : paths.directories) {
      std::string path = JoinPath(directory, alias);
      if (host.ReadLink(path) && FollowSymlinks(path, host) == found->fragment) {
        return UnitFileState::kEnabled;
      }
    }
  }
  if (name->form == UnitNameForm::kTemplate &&
      !InstallLinks(*name, paths.directories, host).empty()) {
    return UnitFileState::kIndirect;
  }
  if (install.HasRules()) return UnitFileState::kDisabled;
  if (!install.also.empty()) return UnitFileState::kIndirect;
  return UnitFileState::kStatic;
}

bool IsEnabledAtBoot(std::string_view unit_name, const UnitPaths& paths, const Host& host) {
  std::set<std::string> reachable(std::begin(kBootTargets), std::end(kBootTargets));
  std::vector<std::string> queue(std::begin(kBootTargets), std::end(kBootTargets));
  bool enabled = false;
  while (!queue.empty() && !enabled) {
    const std::string target = queue.back();
    queue.pop_back();
    for (const std::string& directory : paths.directories) {
      for (std::string_view suffix : {".wants", ".requires"}) {
        const std::string sub = JoinPath(directory, target + std::string(suffix));
        for (const std::string& link : host.ListDirectory(sub)) {
          if (link == unit_name && !FollowSymlinks(JoinPath(sub, link), host).empty()) {
            enabled = true;
          }
          if (link.ends_with(".target") && reachable.insert(link).second) queue.push_back(link);
        }
      }
    }
  }
  return enabled;
}

Result<InstallPlan> PlanEnable(std::string_view unit_name, const UnitPaths& paths,
                               const Host& host) {
  if (paths.directories.empty()) {
    return Error::FailedPrecondition("no unit directories to enable units in");
  }
  EnablePlanner planner(paths, host);
  if (Result<void> r = planner.Enable(unit_name); !r) return r.error();
  return planner.Take();
}

Result<InstallPlan> PlanDisable(std::string_view unit_name, const UnitPaths& paths,
                                const Host& host) {
  EnablePlanner planner(paths, host);
  if (Result<void> r = planner.Disable(unit_name); !r) return r.error();
  return planner.Take();
}

}  // namespace vigil::config
