#pragma once

// Process exit codes, defined once.

namespace vigil::exit_code {

// vigild
inline constexpr int kOk = 0;
inline constexpr int kFailure = 1;
inline constexpr int kConfigError = 2;  // as supervisord: "Error: <msg>" then exit 2

// vigilctl (documented in docs/vigilctl.md)
inline constexpr int kCtlOk = 0;
inline constexpr int kCtlOperationFailed = 1;
inline constexpr int kCtlUsage = 2;
// status and is-active, as supervisorctl and systemctl (LSB's status codes): not running, and
// no such program or unit.
inline constexpr int kCtlNotRunning = 3;
inline constexpr int kCtlNoSuchProgram = 4;
// sysexits' EX_UNAVAILABLE: kept apart from the status codes so scripts can tell "not running"
// from "cannot ask".
inline constexpr int kCtlUnreachable = 69;

// The child side of a failed spawn, as tini and supervisord use them.
inline constexpr int kChildCannotExecute = 126;
inline constexpr int kChildNotFound = 127;

}  // namespace vigil::exit_code
