#pragma once

// Loading systemd .service units from directories, without systemd: the public API of vigil's
// unit dialect. See docs/units.md.
//
// Lookup (systemd.unit(5)): `UnitPaths::directories` are searched in order, highest precedence
// first; the first directory holding NAME.service (a file or a symlink) wins. An empty file or a
// symlink to /dev/null masks the unit. A symlink to a file of another name inside the
// directories makes NAME an alias of that unit (the unit is loaded under its own name, with NAME
// in ServiceSpec::aliases); a symlink elsewhere is followed ("linked" unit file). An instance
// foo@bar.service without a file of its own is read from foo@.service, with %i = "bar".
//
// Drop-ins: NAME.service.d/*.conf of every directory (and of every alias name), then those of
// the template (foo@.service.d), of the dashed prefixes (foo-bar-baz.service also reads
// foo-bar-.service.d and foo-.service.d) and the top-level service.d; all merged in
// lexicographic order of file name; for one file name, the highest-precedence directory and the
// most specific name win. Drop-ins need section headers.
//
// Enablement: the unit's install symlinks in <dir>/<target>.wants/ and .requires/. A unit is
// started at vigild's start (ProgramSpec::autostart) when it is enabled for a boot target:
// default.target, multi-user.target, graphical.target, or a target reached from one of them
// through such symlinks. vigil reads these links but never writes them: PlanEnable() and
// PlanDisable() say which links `systemctl enable`/`disable` would create or remove, and the
// daemon applies them.
//
// Nothing here writes to the file system; all reads go through Host.

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "config/host.h"
#include "config/program_spec.h"

namespace vigil::config {

struct UnitPaths {
  std::vector<std::string> directories;  // absolute, highest precedence first
};

struct LoadedUnit {
  ProgramSpec spec;                   // dialect kSystemd; name = group = program = unit name
  std::vector<std::string> warnings;  // "file:line: message"
};

// Loads a service by name: "doris-fe", "doris-fe.service" or "getty@tty1.service" (see
// NormalizeServiceName() in unit_name.h). Errors:
// - kInvalidArgument: not a valid service name, or the unit is invalid ("file:line: message",
//   the first problem for which systemd would refuse the unit);
// - kNotFound: no directory has the unit (nor its template);
// - kFailedPrecondition: the unit is masked ("Unit foo.service is masked.").
Result<LoadedUnit> LoadServiceUnit(std::string_view unit_name, const UnitPaths& paths,
                                   const Host& host);

// Loads the unit file at `path` (named after its file name), for units named by path such as
// [include] files= matches. The file's own directory is searched before `paths` for drop-ins
// and aliases. A template file (foo@.service) needs an `instance` to be loaded as
// foo@INSTANCE.service. Errors as LoadServiceUnit(); kNotFound when `path` does not exist.
Result<LoadedUnit> LoadServiceUnitFile(const std::string& path, const UnitPaths& paths,
                                       const Host& host, std::string_view instance = "");

// Every service that can be loaded from the directories, sorted: each non-template NAME.service
// that is not masked, under its own name (aliases are not listed separately), plus each instance
// foo@x.service that an install symlink names (in a .wants/ or .requires/ directory) and whose
// template exists.
std::vector<std::string> ListServiceUnits(const UnitPaths& paths, const Host& host);

// systemctl is-enabled's answer, from the files alone.
enum class UnitFileState {
  kEnabled,   // an install symlink (in some .wants/.requires) or an Alias= symlink exists
  kDisabled,  // not enabled, but [Install] has WantedBy=, RequiredBy= or Alias=
  kStatic,    // not enabled, and [Install] says nothing: not meant to be enabled
  kIndirect,  // not enabled, [Install] has only Also=; or a template with enabled instances
  kMasked,    // empty file or symlink to /dev/null
  kAlias,     // the name is an alias of another unit
  kNotFound,  // no such unit in the directories
};
std::string_view UnitFileStateName(UnitFileState state);  // "enabled", "static", ...

// `unit_name` as for LoadServiceUnit(), or a template name (foo@.service).
UnitFileState GetUnitFileState(std::string_view unit_name, const UnitPaths& paths,
                               const Host& host);

// Whether the unit is enabled for a boot target (see above); what ProgramSpec::autostart says
// for units loaded from directories.
bool IsEnabledAtBoot(std::string_view unit_name, const UnitPaths& paths, const Host& host);

// One change `systemctl enable`/`disable` would make.
struct InstallChange {
  enum class Kind { kSymlink, kUnlink };
  Kind kind = Kind::kSymlink;
  std::string path;    // the link
  std::string target;  // kSymlink: what it points to (the unit file, absolute)

  bool operator==(const InstallChange&) const = default;
};

struct InstallPlan {
  std::vector<InstallChange> changes;  // in the order systemctl would make them
  std::vector<std::string> warnings;   // e.g. a unit without [Install] ("static")
};

// The links `systemctl enable` would create, in the first (highest-precedence) directory:
// <dir>/<T>.wants/NAME for WantedBy=T, .requires/ for RequiredBy=, <dir>/ALIAS for Alias=, and the
// same for the units in Also=. Links that already exist as planned are left out. A template is
// enabled as its DefaultInstance=. Errors: not found, masked (kFailedPrecondition), invalid unit.
Result<InstallPlan> PlanEnable(std::string_view unit_name, const UnitPaths& paths,
                               const Host& host);

// The links `systemctl disable` would remove: every symlink named NAME in any directory's
// .wants/ or .requires/, and every other symlink in the directories to the unit's file (its
// aliases), and the same for the units in Also=.
Result<InstallPlan> PlanDisable(std::string_view unit_name, const UnitPaths& paths,
                                const Host& host);

}  // namespace vigil::config
