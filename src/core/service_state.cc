#include "core/service_state.h"

#include <fmt/format.h>

#include "config/supervisord_types.h"
#include "config/unit_signals.h"

namespace vigil::core {

std::string_view ServiceStateName(ServiceState state) {
  switch (state) {
    case ServiceState::kDead:
      return "dead";
    case ServiceState::kCondition:
      return "condition";
    case ServiceState::kStartPre:
      return "start-pre";
    case ServiceState::kStart:
      return "start";
    case ServiceState::kStartPost:
      return "start-post";
    case ServiceState::kRunning:
      return "running";
    case ServiceState::kExited:
      return "exited";
    case ServiceState::kReload:
      return "reload";
    case ServiceState::kStop:
      return "stop";
    case ServiceState::kStopWatchdog:
      return "stop-watchdog";
    case ServiceState::kStopSigterm:
      return "stop-sigterm";
    case ServiceState::kStopSigkill:
      return "stop-sigkill";
    case ServiceState::kStopPost:
      return "stop-post";
    case ServiceState::kFinalWatchdog:
      return "final-watchdog";
    case ServiceState::kFinalSigterm:
      return "final-sigterm";
    case ServiceState::kFinalSigkill:
      return "final-sigkill";
    case ServiceState::kFailed:
      return "failed";
    case ServiceState::kAutoRestart:
      return "auto-restart";
  }
  return "unknown";
}

std::string_view ActiveStateName(ActiveState state) {
  switch (state) {
    case ActiveState::kInactive:
      return "inactive";
    case ActiveState::kActivating:
      return "activating";
    case ActiveState::kActive:
      return "active";
    case ActiveState::kReloading:
      return "reloading";
    case ActiveState::kDeactivating:
      return "deactivating";
    case ActiveState::kFailed:
      return "failed";
  }
  return "unknown";
}

std::string_view ServiceResultName(ServiceResult result) {
  switch (result) {
    case ServiceResult::kSuccess:
      return "success";
    case ServiceResult::kResources:
      return "resources";
    case ServiceResult::kProtocol:
      return "protocol";
    case ServiceResult::kTimeout:
      return "timeout";
    case ServiceResult::kExitCode:
      return "exit-code";
    case ServiceResult::kSignal:
      return "signal";
    case ServiceResult::kCoreDump:
      return "core-dump";
    case ServiceResult::kWatchdog:
      return "watchdog";
    case ServiceResult::kStartLimitHit:
      return "start-limit-hit";
    case ServiceResult::kSkipCondition:
      return "exec-condition";
  }
  return "unknown";
}

ActiveState ToActiveState(ServiceState state) {
  switch (state) {
    case ServiceState::kDead:
      return ActiveState::kInactive;
    case ServiceState::kFailed:
      return ActiveState::kFailed;
    case ServiceState::kRunning:
    case ServiceState::kExited:
      return ActiveState::kActive;
    case ServiceState::kReload:
      return ActiveState::kReloading;
    case ServiceState::kCondition:
    case ServiceState::kStartPre:
    case ServiceState::kStart:
    case ServiceState::kStartPost:
    case ServiceState::kAutoRestart:
      return ActiveState::kActivating;
    case ServiceState::kStop:
    case ServiceState::kStopWatchdog:
    case ServiceState::kStopSigterm:
    case ServiceState::kStopSigkill:
    case ServiceState::kStopPost:
    case ServiceState::kFinalWatchdog:
    case ServiceState::kFinalSigterm:
    case ServiceState::kFinalSigkill:
      return ActiveState::kDeactivating;
  }
  return ActiveState::kInactive;
}

bool IsStopState(ServiceState state) { return ToActiveState(state) == ActiveState::kDeactivating; }

bool IsStartState(ServiceState state) {
  return state == ServiceState::kCondition || state == ServiceState::kStartPre ||
         state == ServiceState::kStart || state == ServiceState::kStartPost;
}

ProgramState ToProgramState(ServiceState state, bool ran_and_ended) {
  switch (state) {
    case ServiceState::kDead:
      return ran_and_ended ? ProgramState::kExited : ProgramState::kStopped;
    case ServiceState::kFailed:
      return ProgramState::kFatal;
    case ServiceState::kAutoRestart:
      return ProgramState::kBackoff;
    default:
      break;
  }
  switch (ToActiveState(state)) {
    case ActiveState::kActivating:
      return ProgramState::kStarting;
    case ActiveState::kActive:
    case ActiveState::kReloading:
      return ProgramState::kRunning;
    case ActiveState::kDeactivating:
      return ProgramState::kStopping;
    case ActiveState::kInactive:
      return ProgramState::kStopped;
    case ActiveState::kFailed:
      return ProgramState::kFatal;
  }
  return ProgramState::kUnknown;
}

std::string_view ExitCodeName(const ExitStatus& status) {
  if (status.exited) return "exited";
  return status.core_dumped ? "dumped" : "killed";
}

std::string ExitStatusText(const ExitStatus& status) {
  if (status.exited) return std::to_string(status.code);
  std::string name = config::SignalName(status.signal);
  if (name.starts_with("SIG")) name.erase(0, 3);
  return name;
}

std::string DescribeForSystemd(const ExitStatus& status) {
  if (status.exited) {
    for (const config::ExitStatusName& entry : config::ExitStatusNames()) {
      if (entry.status == status.code) {
        return fmt::format("code=exited, status={}/{}", status.code, entry.name);
      }
    }
    return fmt::format("code=exited, status={}", status.code);
  }
  return fmt::format("code={}, status={}/{}", ExitCodeName(status), status.signal,
                     ExitStatusText(status));
}

}  // namespace vigil::core
