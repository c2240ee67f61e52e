#pragma once

// Signals and exit statuses as systemd 252 names them in unit files (signal-util.c,
// exit-status.c): KillSignal= and friends, and the entries of SuccessExitStatus=,
// RestartPreventExitStatus= and RestartForceExitStatus=. Pure.

#include <optional>
#include <span>
#include <string_view>

#include "base/result.h"

namespace vigil::config {

// signal_from_string(): a number 1..64, or a name with or without "SIG" (upper case only),
// or RTMIN, RTMIN+n, RTMAX, RTMAX-n.
Result<int> ParseUnitSignal(std::string_view text);

// systemd's exit status names (`systemd-analyze exit-status`), e.g. {"TEMPFAIL", 75}.
struct ExitStatusName {
  std::string_view name;
  int status;
  std::string_view exit_class;  // "libc", "LSB", "BSD", "systemd"
};
std::span<const ExitStatusName> ExitStatusNames();
// exit_status_from_string(): a number 0..255 (C syntax) or one of the names above.
std::optional<int> ParseExitStatus(std::string_view text);

}  // namespace vigil::config
