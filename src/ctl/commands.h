#pragma once

// vigilctl's commands: each sends one request to vigild's JSON API and prints the answer in
// supervisorctl's style, or as JSON with --json. Exit codes: base/exit_codes.h, documented in
// docs/vigilctl.md.

#include <iosfwd>
#include <string>
#include <vector>

#include "ctl/client.h"

namespace vigil::ctl {

struct Command {
  std::string verb;               // status, start, stop, restart, signal, pid, tail, info, ...
  std::vector<std::string> args;  // names, or the signal then names
  bool json = false;
  bool follow = false;            // tail -f
  long bytes = 1600;              // tail -n
  std::string stream = "stdout";  // tail: stdout or stderr
  std::string state = "RUNNING";  // wait
  double timeout = 30;            // wait
  bool no_wait = false;           // start/stop/restart --no-wait
  // systemd units
  std::vector<std::string> properties;  // show -p KEY[,KEY]
  bool value_only = false;              // show --value
  bool quiet = false;                   // is-active/is-failed/is-enabled -q
  bool now = false;                     // enable/disable --now
};

int RunCommand(const Command& command, const Client& client, std::ostream& out, std::ostream& err);

// supervisorctl's status table: name column at least 30 wide plus 3, state column 10.
struct StatusRow {
  std::string name;
  std::string state;
  std::string description;
};
std::string FormatStatusTable(const std::vector<StatusRow>& rows);

}  // namespace vigil::ctl
