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
inline constexpr int kCtlUnreachable = 3;

// The child side of a failed spawn, as tini and supervisord use them.
inline constexpr int kChildCannotExecute = 126;
inline constexpr int kChildNotFound = 127;

}  // namespace vigil::exit_code
