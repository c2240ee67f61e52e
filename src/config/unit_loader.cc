#include "config/unit_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "base/strings.h"
#include "config/service_builder.h"
#include "config/unit_lookup.h"
#include "config/unit_name.h"
#include "config/unit_specifiers.h"

namespace vigil::config {
namespace {

Error MaskedError(const std::string& name) {
  return Error::FailedPrecondition(fmt::format("Unit {} is masked.", name));
}

Result<UnitSourceFile> ReadSource(const std::string& path, const Host& host) {
  Result<std::string> text = host.ReadFile(path);
  if (!text) {
    return Error::Io(text.error().sys_errno,
                     fmt::format("could not read {}: {}", path, text.error().message));
  }
  return UnitSourceFile{path, std::move(*text)};
}

std::vector<std::string> WithDirectory(const std::string& first,
                                       const std::vector<std::string>& rest) {
  std::vector<std::string> directories = {NormPath(first)};
  for (const std::string& directory : rest) {
    if (NormPath(directory) != directories.front()) directories.push_back(directory);
  }
  return directories;
}

Result<LoadedUnit> Finish(Result<BuiltService> built, bool autostart) {
  if (!built) return built.error();
  built->program.autostart = autostart;
  return LoadedUnit{std::move(built->program), std::move(built->warnings)};
}

}  // namespace

Result<BuiltService> BuildFoundUnit(const FoundUnit& found, const std::string& requested,
                                    const std::vector<std::string>& directories, const Host& host) {
  const std::string name = found.name.Full();
  std::vector<std::string> aliases = FindAliases(name, found.fragment, directories, host);
  if (requested != name && std::find(aliases.begin(), aliases.end(), requested) == aliases.end()) {
    aliases.push_back(requested);
    std::sort(aliases.begin(), aliases.end());
  }
  std::vector<std::string> names = {name};
  names.insert(names.end(), aliases.begin(), aliases.end());

  ServiceUnitSources sources;
  sources.name = found.name;
  Result<UnitSourceFile> fragment = ReadSource(found.fragment, host);
  if (!fragment) return fragment.error();
  sources.fragment = std::move(*fragment);
  for (const std::string& path : DropinFiles(DropinDirectories(names, directories), host)) {
    Result<UnitSourceFile> dropin = ReadSource(path, host);
    if (!dropin) return dropin.error();
    sources.dropins.push_back(std::move(*dropin));
  }
  SpecifierContext specifiers = MakeSpecifierContext(host, found.name, found.fragment);
  Result<BuiltService> built = BuildServiceUnit(sources, specifiers, host);
  if (built) built->program.service->aliases = std::move(aliases);
  return built;
}

Result<LoadedUnit> LoadServiceUnit(std::string_view unit_name, const UnitPaths& paths,
                                   const Host& host) {
  Result<std::string> normalized = NormalizeServiceName(unit_name);
  if (!normalized) return normalized.error();
  std::optional<UnitName> name = ParseUnitName(*normalized);
  std::optional<FoundUnit> found = FindUnitFile(*name, paths.directories, host);
  if (!found) {
    return Error::NotFound(fmt::format("Unit {} not found in {}", *normalized,
                                       paths.directories.empty()
                                           ? std::string("(no unit directories)")
                                           : Join(paths.directories, ", ")));
  }
  if (found->masked) return MaskedError(*normalized);
  const bool autostart = IsEnabledAtBoot(found->name.Full(), paths, host);
  return Finish(BuildFoundUnit(*found, *normalized, paths.directories, host), autostart);
}

Result<LoadedUnit> LoadServiceUnitFile(const std::string& path, const UnitPaths& paths,
                                       const Host& host, std::string_view instance) {
  const std::string absolute = AbsolutePath(host, path);
  const std::string file_name = BaseName(absolute);
  std::optional<UnitName> name = ParseUnitName(file_name);
  if (!name || !name->IsService()) {
    return Error::InvalidArgument(fmt::format(
        "{}: not a valid service unit file name (NAME.service or NAME@INSTANCE.service)",
        absolute));
  }
  if (name->form == UnitNameForm::kTemplate) {
    if (instance.empty()) {
      return Error::InvalidArgument(
          fmt::format("{}: a template unit runs only as an instance; name an instance such as "
                      "{}@NAME.service (a symlink to the template)",
                      absolute, name->prefix));
    }
    name->form = UnitNameForm::kInstance;
    name->instance = std::string(instance);
  }
  if (!host.ReadLink(absolute) && !host.ReadFile(absolute)) {
    return Error::NotFound(fmt::format("Unit file {} does not exist", absolute));
  }
  const std::vector<std::string> directories = WithDirectory(DirName(absolute), paths.directories);
  FoundUnit found = ResolveUnitPath(*name, absolute, directories, host);
  if (found.masked) return MaskedError(name->Full());
  UnitPaths with_own{directories};
  const bool autostart = IsEnabledAtBoot(found.name.Full(), with_own, host);
  return Finish(BuildFoundUnit(found, name->Full(), directories, host), autostart);
}

std::vector<std::string> ListServiceUnits(const UnitPaths& paths, const Host& host) {
  std::set<std::string> candidates;
  std::set<std::string> instances;
  for (const std::string& directory : paths.directories) {
    for (const std::string& entry : host.ListDirectory(directory)) {
      std::optional<UnitName> name = ParseUnitName(entry);
      if (name && name->IsService() && name->form == UnitNameForm::kPlain) {
        candidates.insert(entry);
      }
      if (!(entry.ends_with(".wants") || entry.ends_with(".requires"))) continue;
      for (const std::string& link : host.ListDirectory(JoinPath(directory, entry))) {
        std::optional<UnitName> linked = ParseUnitName(link);
        if (linked && linked->IsService() && linked->form == UnitNameForm::kInstance) {
          instances.insert(link);
        }
      }
    }
  }
  candidates.insert(instances.begin(), instances.end());
  std::set<std::string> units;
  for (const std::string& candidate : candidates) {
    std::optional<FoundUnit> found =
        FindUnitFile(*ParseUnitName(candidate), paths.directories, host);
    if (!found || found->masked) continue;
    // An alias is listed under the unit's own name, if that can be loaded.
    if (found->alias && !FindUnitFile(found->name, paths.directories, host)) continue;
    units.insert(found->name.Full());
  }
  return {units.begin(), units.end()};
}

}  // namespace vigil::config
