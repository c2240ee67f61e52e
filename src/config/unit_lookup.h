#pragma once

// Finding unit files in a list of directories (highest precedence first), as systemd's unit
// path lookup does: the first directory with a file or symlink of the name wins; a symlink to
// /dev/null or an empty file masks the unit; a symlink to a file of another name inside the
// directories is an alias of that unit; a symlink elsewhere is a linked unit file; an instance
// without a file of its own uses its template's. Also the drop-in search (systemd's
// unit_file_find_dropin_paths) and the alias scan. Internal to unit_loader.cc and
// unit_install.cc; all file access goes through Host.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "config/host.h"
#include "config/service_builder.h"
#include "config/unit_name.h"

namespace vigil::config {

struct FoundUnit {
  UnitName name;         // the unit's own name: the alias target's, if `path` is an alias
  std::string path;      // where the name was found (the symlink, if it is one)
  std::string fragment;  // the file read: `path` with its symlinks followed
  bool masked = false;   // empty, or a symlink to /dev/null
  bool alias = false;    // found under another name that links to `name` inside the directories
  bool from_template = false;  // an instance read from its template's file
};

// `name` must be a valid unit name. nullopt when no directory has it (nor its template).
std::optional<FoundUnit> FindUnitFile(const UnitName& name,
                                      const std::vector<std::string>& directories,
                                      const Host& host);

// Resolves `path` the way FindUnitFile() resolves a match (for a unit named by path).
FoundUnit ResolveUnitPath(const UnitName& name, const std::string& path,
                          const std::vector<std::string>& directories, const Host& host);

// The names in `directories` that are symlinks to `fragment` (other than `name` itself): the
// unit's aliases, sorted.
std::vector<std::string> FindAliases(const std::string& name, const std::string& fragment,
                                     const std::vector<std::string>& directories, const Host& host);

// The drop-in directories of a unit, in systemd's order: for each name (the unit's, then its
// aliases') in each directory: NAME.d, the template's, then the dashed prefixes' ("foo-bar-baz"
// also reads "foo-bar-.service.d" and "foo-.service.d"); finally each directory's "service.d".
std::vector<std::string> DropinDirectories(const std::vector<std::string>& names,
                                           const std::vector<std::string>& directories);

// The *.conf files of those directories, sorted by file name; for a name found in several
// directories, the one in the earliest directory of the list wins. Masked (empty) drop-ins are
// left out.
std::vector<std::string> DropinFiles(const std::vector<std::string>& dropin_directories,
                                     const Host& host);

// `path` with every symlink followed (relative targets against the link's directory); "" when a
// link in the chain points to /dev/null. Gives up after 32 links.
std::string FollowSymlinks(const std::string& path, const Host& host);

// Reads and builds a found (not masked) unit: its file, its drop-ins (for its own name and its
// aliases) and its specifiers; sets ServiceSpec::aliases. `requested` is the name it was asked
// for (recorded as an alias when it differs). autostart is left false.
Result<BuiltService> BuildFoundUnit(const FoundUnit& found, const std::string& requested,
                                    const std::vector<std::string>& directories, const Host& host);

// The last component of a path.
std::string BaseName(std::string_view path);

}  // namespace vigil::config
