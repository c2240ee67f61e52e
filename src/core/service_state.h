#pragma once

// The vocabulary of systemd's service state machine (src/core/service.c): its sub-states, the
// unit active states they map to, and the results a run ends with. Names are systemd's, as
// `systemctl show` prints them.

#include <string_view>

#include "core/exit_status.h"
#include "core/program_state.h"

namespace vigil::core {

enum class ServiceState {
  kDead,
  kCondition,
  kStartPre,
  kStart,
  kStartPost,
  kRunning,
  kExited,  // RemainAfterExit=yes after the main process ended
  kReload,
  kStop,
  kStopWatchdog,
  kStopSigterm,
  kStopSigkill,
  kStopPost,
  kFinalWatchdog,
  kFinalSigterm,
  kFinalSigkill,
  kFailed,
  kAutoRestart,
};

enum class ActiveState { kInactive, kActivating, kActive, kReloading, kDeactivating, kFailed };

enum class ServiceResult {
  kSuccess,
  kResources,
  kProtocol,
  kTimeout,
  kExitCode,
  kSignal,
  kCoreDump,
  kWatchdog,
  kStartLimitHit,
  kSkipCondition,  // "exec-condition"
};

std::string_view ServiceStateName(ServiceState state);     // "stop-sigterm"
std::string_view ActiveStateName(ActiveState state);       // "deactivating"
std::string_view ServiceResultName(ServiceResult result);  // "start-limit-hit"

ActiveState ToActiveState(ServiceState state);
bool IsStopState(ServiceState state);   // kStop .. kFinalSigkill
bool IsStartState(ServiceState state);  // kCondition .. kStartPost

// How supervisorctl sees a service. `ran` tells a service that ended on its own with success
// (EXITED) from one that never ran or was stopped (STOPPED).
ProgramState ToProgramState(ServiceState state, bool ran_and_ended);

// systemd's $EXIT_CODE ("exited", "killed", "dumped") and $EXIT_STATUS ("1", "KILL").
std::string_view ExitCodeName(const ExitStatus& status);
std::string ExitStatusText(const ExitStatus& status);
// systemd's log wording: "code=exited, status=1/FAILURE", "code=killed, status=9/KILL".
std::string DescribeForSystemd(const ExitStatus& status);

}  // namespace vigil::core
