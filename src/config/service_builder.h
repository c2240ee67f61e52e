#pragma once

// Builds the ProgramSpec of one .service unit from its texts: the fragment (the unit file) and
// its drop-ins, in the order they apply. Assignments are applied in file order with systemd 252's
// rules (lists accumulate and an empty assignment resets them, scalars keep the last value); then
// systemd's load-time checks run (service_verify: a unit systemd refuses is an Error here) and the
// result is mapped onto ProgramSpec as service_spec.h describes. Pure over Host, which is asked
// only about users, groups, home directories and executables.
//
// NotifyAccess= is left kUnset when the unit does not set it; the core resolves it (kMain for
// Type=notify and WatchdogSec=, else kNone), as the ServiceSpec contract says.

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "config/host.h"
#include "config/program_spec.h"
#include "config/unit_name.h"
#include "config/unit_specifiers.h"

namespace vigil::config {

struct UnitSourceFile {
  std::string path;
  std::string text;
};

struct ServiceUnitSources {
  UnitName name;                           // the unit's name (an instance for templates)
  std::optional<UnitSourceFile> fragment;  // nullopt: a unit made of drop-ins only
  std::vector<UnitSourceFile> dropins;     // in the order they apply
};

struct BuiltService {
  ProgramSpec program;                // dialect kSystemd; autostart false (the loader decides)
  std::vector<std::string> warnings;  // "file:line: message", in the order systemd logs them
};

// Errors are "file:line: message": the first problem that makes systemd refuse the unit, in
// systemd's words, followed by what would be right.
Result<BuiltService> BuildServiceUnit(const ServiceUnitSources& sources,
                                      const SpecifierContext& specifiers, const Host& host);

}  // namespace vigil::config
