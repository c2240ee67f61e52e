#pragma once

// vigilctl's systemctl-style verbs for systemd units (docs/vigilctl.md):
//   start|stop|restart|try-restart|reload|reset-failed NAME...   jobs, answered when done
//   status NAME...        systemctl status's view: loaded from, active since, main pid, tasks,
//                         processes, the last messages and output lines
//   show [-p KEY[,KEY]] [--value] NAME
//   is-active|is-failed|is-enabled NAME...   print the state; exit 0 as systemctl does
//   enable|disable [--now] NAME...
//   daemon-reload, list-units
// Exit codes follow systemctl where it has its own: is-active/is-failed/is-enabled 0 or 1..3,
// status 0 active, 3 not active, 4 no such unit.

#include <iosfwd>
#include <string>
#include <vector>

#include "ctl/client.h"
#include "ctl/commands.h"

namespace vigil::ctl {

// Whether `name` is a unit vigild has loaded (directly or with ".service" added).
bool IsUnit(const Client& client, const std::string& name);

// Runs a unit verb on `units` (all of which are units). Returns the exit code.
int RunUnitCommand(const Command& command, const std::vector<std::string>& units,
                   const Client& client, std::ostream& out, std::ostream& err);

// The verbs only units have (enable, is-active, show, ...).
bool IsUnitOnlyVerb(const std::string& verb);

}  // namespace vigil::ctl
