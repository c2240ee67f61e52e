#include "config/config_units.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/strings.h"
#include "config/py_format.h"
#include "config/unit_loader.h"

namespace vigil::config {
namespace {

// Where each group and program name is defined, to report a unit that reuses one.
std::map<std::string, SourceLocation> TakenNames(const SupervisordConfig& config) {
  std::map<std::string, SourceLocation> taken;
  for (const GroupSpec& group : config.groups) {
    taken.emplace(group.name, group.where);
    for (const ProgramSpec& process : group.processes) taken.emplace(process.name, process.where);
  }
  return taken;
}

}  // namespace

GroupSpec UnitGroup(ProgramSpec unit) {
  GroupSpec group;
  group.kind = GroupSpec::Kind::kProcessGroup;
  group.name = unit.name;
  group.priority = unit.priority;
  group.where = unit.where;
  group.processes.push_back(std::move(unit));
  return group;
}

Result<std::vector<std::string>> UnitDirectoriesFromDocument(const IniDocument& doc,
                                                             const std::string& main_here,
                                                             const Host& host) {
  std::vector<std::string> directories;
  const IniSection* section = doc.FindSection("units");
  if (section == nullptr) return directories;
  const IniEntry* entry = doc.Get("units", "directories");
  if (entry == nullptr) {
    return Error::InvalidArgument(fmt::format(
        "{}:{}: [units] section has no directories setting (add directories=/path/to/units, "
        "several separated by spaces, highest precedence first)",
        section->where.file, section->where.line));
  }
  // Relative directories are taken from the file that holds the setting (an included .ini can
  // have the [units] section), like %(here)s.
  const std::string here =
      entry->where.file.empty() ? main_here : DirName(AbsolutePath(host, entry->where.file));
  Expansions expansions{{"here", here}, {"host_node_name", host.HostName()}};
  for (const auto& [key, value] : host.Environment()) {
    expansions.insert_or_assign("ENV_" + key, value);
  }
  Result<std::string> text = PyPercentFormat(entry->value, expansions, "units.directories");
  if (!text) {
    return Error::InvalidArgument(fmt::format("{}:{}: [units] directories: {}", entry->where.file,
                                              entry->where.line, text.error().message));
  }
  for (const std::string& directory : SplitWhitespace(*text)) {
    std::string absolute = NormPath(JoinPath(here, ExpandUser(host, directory)));
    if (std::find(directories.begin(), directories.end(), absolute) == directories.end()) {
      directories.push_back(std::move(absolute));
    }
  }
  return directories;
}

Result<void> AddUnitGroups(SupervisordConfig& config, const std::vector<std::string>& unit_files,
                           const Host& host) {
  std::map<std::string, SourceLocation> taken = TakenNames(config);
  std::map<std::string, std::string> unit_files_by_name;  // to recognize a unit met twice
  auto add = [&](LoadedUnit unit) -> Result<void> {
    const ProgramSpec& spec = unit.spec;
    // The same unit reached again (an [include] glob matching a unit and its alias, or a unit
    // of a [units] directory): the first one stands.
    if (auto seen = unit_files_by_name.find(spec.name);
        seen != unit_files_by_name.end() && seen->second == spec.service->fragment_path) {
      return Ok();
    }
    if (auto it = taken.find(spec.name); it != taken.end()) {
      return Error::InvalidArgument(fmt::format(
          "{}:{}: unit {} is already defined at {}:{} (every unit, group and program needs a "
          "name of its own; remove or rename one of them)",
          spec.where.file, spec.where.line, spec.name, it->second.file, it->second.line));
    }
    taken.emplace(spec.name, spec.where);
    unit_files_by_name.emplace(spec.name, spec.service->fragment_path);
    config.warnings.insert(config.warnings.end(), unit.warnings.begin(), unit.warnings.end());
    config.groups.push_back(UnitGroup(std::move(unit.spec)));
    return Ok();
  };

  const UnitPaths paths{config.unit_directories};
  for (const std::string& directory : config.unit_directories) {
    if (!host.IsDirectory(directory)) {
      config.warnings.push_back(fmt::format(
          "[units] directory {} does not exist; no units are loaded from it", directory));
    }
  }
  for (const std::string& name : ListServiceUnits(paths, host)) {
    Result<LoadedUnit> unit = LoadServiceUnit(name, paths, host);
    if (!unit) return unit.error();
    if (Result<void> added = add(std::move(*unit)); !added) return added;
  }
  for (const std::string& file : unit_files) {
    Result<LoadedUnit> unit = LoadServiceUnitFile(file, paths, host);
    if (!unit && unit.error().code == ErrorCode::kFailedPrecondition) {
      config.warnings.push_back(fmt::format(
          "Included unit file \"{}\" is masked and is not loaded: {}", file, unit.error().message));
      continue;
    }
    if (!unit) return unit.error();
    // A unit named in [include] was asked for explicitly, as a [program] is: it starts with
    // vigild whether or not install symlinks enable it.
    unit->spec.autostart = true;
    if (Result<void> added = add(std::move(*unit)); !added) return added;
  }
  std::stable_sort(config.groups.begin(), config.groups.end(),
                   [](const GroupSpec& a, const GroupSpec& b) {
                     if (a.priority != b.priority) return a.priority < b.priority;
                     return a.name < b.name;
                   });
  return Ok();
}

}  // namespace vigil::config
