#pragma once

// The systemd units of a supervisord-style configuration (vigil's extension; supervisord ignores
// both): the [units] section's `directories` (searched like systemd's unit path, highest
// precedence first; every loadable unit in them becomes a group of one program, started at
// vigild's start when it is enabled for a boot target) and the [include] files= matches that
// end in ".service" (each loaded as a unit from its file, with drop-ins from the file's
// directory, and started at vigild's start like a [program]). See docs/units.md.
//
// [units]
// directories = /etc/vigil/system %(here)s/units
//
// Directories are separated by whitespace, relative ones are taken from the directory of the
// file that holds the [units] section, and %(here)s, %(host_node_name)s and %(ENV_X)s expand
// as in [include] files=.

#include <string>
#include <vector>

#include "base/result.h"
#include "config/host.h"
#include "config/ini_document.h"
#include "config/supervisord_config.h"

namespace vigil::config {

// The [units] directories, absolute and in the order given; empty without a [units] section.
// Errors: a bad %-expansion, a [units] section without `directories`.
Result<std::vector<std::string>> UnitDirectoriesFromDocument(const IniDocument& doc,
                                                             const std::string& main_here,
                                                             const Host& host);

// The group that runs one unit: group = program = unit name, with the unit's priority.
GroupSpec UnitGroup(ProgramSpec unit);

// Loads the units (those of `config.unit_directories`, then `unit_files`) into `config`: one
// group per unit (group = program = unit name, priority 999), re-sorted with the other groups,
// their warnings appended to config.warnings. Any unit that fails to load fails the whole
// configuration with its "file:line: message"; so does a unit whose name is already taken by
// another unit, a group or a program (the same unit file reached twice, say through an alias, is
// loaded once). Masked units in the directories are skipped; a masked included unit file and a
// [units] directory that does not exist are warnings.
Result<void> AddUnitGroups(SupervisordConfig& config, const std::vector<std::string>& unit_files,
                           const Host& host);

}  // namespace vigil::config
