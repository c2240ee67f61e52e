// Service: what happens when one of its processes ends (systemd's service_sigchld_event) or
// when the last process of the unit is gone (service_notify_cgroup_empty_event).

#include <fmt/format.h>
#include <signal.h>

#include "core/service.h"

namespace vigil::core {

using config::ServiceType;

// --- Exits (service_sigchld_event) ---

bool Service::OnChildExit(ChildId child, const ExitStatus& status) {
  if (main_.child == child) {
    main_exit_pid_ = main_.pid;
    main_.Clear();
    OnMainExit(status);
    DeliverSpawnFailures();
    return true;
  }
  if (control_.child == child) {
    control_.Clear();
    OnControlExit(status);
    DeliverSpawnFailures();
    return true;
  }
  return false;
}

void Service::OnMainExit(const ExitStatus& status) {
  const config::ServiceSpec& s = service_spec();
  ServiceResult result = ServiceResult::kSuccess;
  if (!IsCleanExit(s, status)) {
    if (status.exited) {
      result = ServiceResult::kExitCode;
    } else {
      result = status.core_dumped ? ServiceResult::kCoreDump : ServiceResult::kSignal;
    }
  }
  const bool ignore_failure =
      !s.exec_start.empty() && s.exec_start[main_is_command_ ? main_index_ : 0].ignore_failure;
  if (ignore_failure) result = ServiceResult::kSuccess;
  main_exit_ = status;
  last_stop_wall_ = host_.WallNow();
  {
    ProgramEvent event = MakeEvent(ProgramEvent::Kind::kExited);
    event.pid = main_exit_pid_;
    event.status = status;
    event.expected = result == ServiceResult::kSuccess;
    host_.Publish(std::move(event));
  }
  if (result != ServiceResult::kSuccess || !IsCleanExit(s, status)) {
    Log(fmt::format("Main process exited, {}", DescribeForSystemd(status)));
  }
  if (result_ == ServiceResult::kSuccess) result_ = result;

  if (main_is_command_ && s.type == ServiceType::kOneshot && result == ServiceResult::kSuccess &&
      main_index_ + 1 < s.exec_start.size()) {
    RunMain(main_index_ + 1);
    return;
  }
  main_is_command_ = false;

  switch (state_) {
    case ServiceState::kStartPost:
    case ServiceState::kReload:
    case ServiceState::kStop:
      return;  // the operation in progress decides
    case ServiceState::kStart:
      if (s.type == ServiceType::kOneshot) {
        if (result == ServiceResult::kSuccess) {
          EnterStartPost();
        } else {
          EnterSignal(ServiceState::kStopSigterm, result);
        }
        return;
      }
      if (s.type == ServiceType::kNotify) {
        if (result != ServiceResult::kSuccess) {
          EnterSignal(ServiceState::kStopSigterm, result);
        } else if (!s.remain_after_exit ||
                   EffectiveNotifyAccess(s) == config::NotifyAccess::kMain) {
          // It can never send READY=1 now.
          EnterSignal(ServiceState::kStopSigterm, ServiceResult::kProtocol);
        }
        return;
      }
      EnterRunning(result);
      return;
    case ServiceState::kRunning:
      EnterRunning(result);
      return;
    case ServiceState::kStopWatchdog:
    case ServiceState::kStopSigterm:
    case ServiceState::kStopSigkill:
      if (!ControlAlive()) EnterStopPost(result);
      return;
    case ServiceState::kStopPost:
      if (!ControlAlive()) EnterSignal(ServiceState::kFinalSigterm, result);
      return;
    case ServiceState::kFinalWatchdog:
    case ServiceState::kFinalSigterm:
    case ServiceState::kFinalSigkill:
      if (!ControlAlive()) EnterDead(result, true);
      return;
    default:
      return;
  }
}

void Service::OnControlExit(const ExitStatus& status) {
  const config::ServiceSpec& s = service_spec();
  // (The unit may have been reloaded since the command started: look only at what is left.)
  const std::vector<config::ExecCommand>& commands = Commands(control_kind_);
  ServiceResult result = ServiceResult::kSuccess;
  if (!(status.exited && status.code == 0)) {
    if (status.exited) {
      result = ServiceResult::kExitCode;
    } else {
      result = status.core_dumped ? ServiceResult::kCoreDump : ServiceResult::kSignal;
    }
  }
  if (control_ignores_failure_) result = ServiceResult::kSuccess;
  if (state_ == ServiceState::kCondition && result == ServiceResult::kExitCode &&
      status.code < 255) {
    // ExecCondition= exiting 1..254: skip the start, without failing.
    result = ServiceResult::kSkipCondition;
  } else if (!(status.exited && status.code == 0)) {
    Log(fmt::format("Control process exited, {}", DescribeForSystemd(status)));
  }
  if (state_ != ServiceState::kReload && result_ == ServiceResult::kSuccess) result_ = result;

  if (result == ServiceResult::kSuccess && control_index_ + 1 < commands.size()) {
    RunControl(control_kind_, control_index_ + 1);
    return;
  }

  switch (state_) {
    case ServiceState::kCondition:
      if (result == ServiceResult::kSuccess) {
        EnterStartPre();
      } else {
        EnterSignal(ServiceState::kStopSigterm, result);
      }
      return;
    case ServiceState::kStartPre:
      if (result == ServiceResult::kSuccess) {
        EnterStart();
      } else {
        EnterSignal(ServiceState::kStopSigterm, result);
      }
      return;
    case ServiceState::kStart: {
      if (s.type != ServiceType::kForking) return;
      if (result != ServiceResult::kSuccess) {
        EnterSignal(ServiceState::kStopSigterm, result);
        return;
      }
      if (!s.pid_file.empty()) {
        // The PID file may be written by an ExecStartPost= command; then do not insist yet.
        const bool has_start_post = !s.exec_start_post.empty();
        const bool loaded = LoadPidFile(!has_start_post);
        if (!has_start_post && !loaded && !DemandPidFile()) {
          if (CgroupEmpty()) EnterSignal(ServiceState::kStopSigterm, ServiceResult::kProtocol);
          return;
        }
      } else {
        SearchMainPid();
      }
      EnterStartPost();
      return;
    }
    case ServiceState::kStartPost:
      if (result != ServiceResult::kSuccess) {
        EnterSignal(ServiceState::kStopSigterm, result);
        return;
      }
      if (!s.pid_file.empty()) {
        if (!LoadPidFile(true) && !DemandPidFile()) {
          if (CgroupEmpty()) EnterStop(ServiceResult::kProtocol);
          return;
        }
      } else {
        SearchMainPid();
      }
      EnterRunning(ServiceResult::kSuccess);
      return;
    case ServiceState::kReload:
      if (result == ServiceResult::kSuccess && !LoadPidFile(true)) SearchMainPid();
      reload_result_ = result;
      if (result != ServiceResult::kSuccess) Log("Reload failed.");
      EnterRunning(ServiceResult::kSuccess);
      return;
    case ServiceState::kStop:
      EnterSignal(ServiceState::kStopSigterm, result);
      return;
    case ServiceState::kStopWatchdog:
    case ServiceState::kStopSigterm:
    case ServiceState::kStopSigkill:
      if (MainAlive() != std::optional<bool>(true)) EnterStopPost(result);
      return;
    case ServiceState::kStopPost:
      if (MainAlive() != std::optional<bool>(true)) {
        EnterSignal(ServiceState::kFinalSigterm, result);
      }
      return;
    case ServiceState::kFinalWatchdog:
    case ServiceState::kFinalSigterm:
    case ServiceState::kFinalSigkill:
      if (MainAlive() != std::optional<bool>(true)) EnterDead(result, true);
      return;
    default:
      return;
  }
}

// The unit's processes may all be gone (systemd's cgroup-empty event): called after reaping.
bool Service::CheckDrained() {
  switch (state_) {
    case ServiceState::kStart:
    case ServiceState::kRunning:
    case ServiceState::kStopWatchdog:
    case ServiceState::kStopSigterm:
    case ServiceState::kStopSigkill:
    case ServiceState::kStopPost:
    case ServiceState::kFinalWatchdog:
    case ServiceState::kFinalSigterm:
    case ServiceState::kFinalSigkill:
      break;
    default:
      return false;
  }
  const bool main_gone = MainAlive() != std::optional<bool>(true);
  if (!main_gone || ControlAlive() || !CgroupEmpty()) return false;
  switch (state_) {
    case ServiceState::kStart:
      if (service_spec().type == ServiceType::kNotify &&
          MainAlive() == std::optional<bool>(false)) {
        // No chance of a READY=1 any more.
        EnterStopPost(ServiceResult::kProtocol);
      }
      break;
    case ServiceState::kRunning:
      EnterRunning(ServiceResult::kSuccess);
      break;
    case ServiceState::kStopWatchdog:
    case ServiceState::kStopSigterm:
    case ServiceState::kStopSigkill:
      EnterStopPost(ServiceResult::kSuccess);
      break;
    default:
      EnterDead(ServiceResult::kSuccess, true);
      break;
  }
  DeliverSpawnFailures();
  return true;
}

bool Service::draining() const { return IsStopState(state_) && !main_.child && !control_.child; }

}  // namespace vigil::core
