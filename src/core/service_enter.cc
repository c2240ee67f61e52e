// Service: entering each state, systemd's service_enter_*() functions under their own names (see
// service.cc for the bookkeeping and the verbs that lead here).

#include <fmt/format.h>

#include "core/service.h"

namespace vigil::core {

using config::ServiceType;

// --- Entering states (service_enter_*) ---

void Service::EnterCondition() {
  if (!service_spec().exec_condition.empty()) {
    RunControl(ExecKind::kCondition, 0);
    SetState(ServiceState::kCondition);
    Arm(service_spec().timeout_start);
    return;
  }
  EnterStartPre();
}

void Service::EnterStartPre() {
  if (!service_spec().exec_start_pre.empty()) {
    RunControl(ExecKind::kStartPre, 0);
    SetState(ServiceState::kStartPre);
    Arm(service_spec().timeout_start);
    return;
  }
  EnterStart();
}

void Service::EnterStart() {
  const config::ServiceSpec& s = service_spec();
  ForgetMain();
  if (s.exec_start.empty()) {
    // Only a oneshot may have no ExecStart= (the parser refuses it for other types).
    EnterStartPost();
    return;
  }
  if (s.type == ServiceType::kForking) {
    // The ExecStart process only starts the daemon; the main pid comes later.
    RunControl(ExecKind::kStart, 0);
    SetState(ServiceState::kStart);
    Arm(s.timeout_start);
    return;
  }
  RunMain(0);
  switch (s.type) {
    case ServiceType::kSimple:
    case ServiceType::kIdle:
    case ServiceType::kExec:
    case ServiceType::kDbus:
      // vigil's spawn returns once the exec has succeeded, so simple and exec both continue
      // here (a failed exec is delivered as the main process's exit, 203/EXEC).
      EnterStartPost();
      return;
    case ServiceType::kOneshot:
    case ServiceType::kNotify:
      SetState(ServiceState::kStart);
      Arm(s.timeout_start);
      return;
    case ServiceType::kForking:
      break;
  }
}

void Service::EnterStartPost() {
  ArmWatchdog();
  if (!service_spec().exec_start_post.empty()) {
    RunControl(ExecKind::kStartPost, 0);
    SetState(ServiceState::kStartPost);
    Arm(service_spec().timeout_start);
    return;
  }
  EnterRunning(ServiceResult::kSuccess);
}

void Service::EnterRunning(ServiceResult result) {
  if (result_ == ServiceResult::kSuccess) result_ = result;
  if (control_.child) {
    host_.spawner().Forget(*control_.child);
    control_.Clear();
  }
  if (result_ != ServiceResult::kSuccess) {
    EnterSignal(ServiceState::kStopSigterm, result);
  } else if (Good()) {
    if (notify_stopping_) {
      EnterStopByNotify();
      return;
    }
    const bool was_running = state_ == ServiceState::kRunning;
    SetState(ServiceState::kRunning);
    if (!was_running) Arm(service_spec().runtime_max);
    if (!watchdog_) ArmWatchdog();
  } else if (service_spec().remain_after_exit) {
    SetState(ServiceState::kExited);
  } else {
    EnterStop(ServiceResult::kSuccess);
  }
}

void Service::EnterReload() {
  RunControl(ExecKind::kReload, 0);
  reload_result_ = ServiceResult::kSuccess;
  SetState(ServiceState::kReload);
  Arm(service_spec().timeout_start);
}

void Service::EnterStop(ServiceResult result) {
  if (result_ == ServiceResult::kSuccess) result_ = result;
  if (control_.child) {
    host_.spawner().Forget(*control_.child);
    control_.Clear();
  }
  if (!service_spec().exec_stop.empty()) {
    RunControl(ExecKind::kStop, 0);
    SetState(ServiceState::kStop);
    Arm(service_spec().timeout_stop);
    return;
  }
  EnterSignal(ServiceState::kStopSigterm, ServiceResult::kSuccess);
}

void Service::EnterStopByNotify() {
  // STOPPING=1: the service is shutting down by itself; wait for it as for a stop.
  Arm(service_spec().timeout_stop);
  SetState(ServiceState::kStopSigterm);
}

void Service::EnterSignal(ServiceState state, ServiceResult result) {
  if (result_ == ServiceResult::kSuccess) result_ = result;
  const config::ServiceSpec& s = service_spec();
  if (KillProcesses(state)) {
    SetState(state);
    if (state == ServiceState::kStopWatchdog || state == ServiceState::kFinalWatchdog) {
      Arm(s.timeout_abort ? s.timeout_abort : s.timeout_stop);
    } else {
      Arm(s.timeout_stop);
    }
    return;
  }
  if ((state == ServiceState::kStopWatchdog || state == ServiceState::kStopSigterm) &&
      s.send_sigkill) {
    EnterSignal(ServiceState::kStopSigkill, ServiceResult::kSuccess);
  } else if (state == ServiceState::kStopWatchdog || state == ServiceState::kStopSigterm ||
             state == ServiceState::kStopSigkill) {
    EnterStopPost(ServiceResult::kSuccess);
  } else if ((state == ServiceState::kFinalWatchdog || state == ServiceState::kFinalSigterm) &&
             s.send_sigkill) {
    EnterSignal(ServiceState::kFinalSigkill, ServiceResult::kSuccess);
  } else {
    EnterDead(ServiceResult::kSuccess, true);
  }
}

void Service::EnterStopPost(ServiceResult result) {
  if (result_ == ServiceResult::kSuccess) result_ = result;
  if (control_.child) {
    host_.spawner().Forget(*control_.child);
    control_.Clear();
  }
  StopWatchingPidFile();
  if (!service_spec().exec_stop_post.empty()) {
    RunControl(ExecKind::kStopPost, 0);
    SetState(ServiceState::kStopPost);
    Arm(service_spec().timeout_stop);
    return;
  }
  EnterSignal(ServiceState::kFinalSigterm, ServiceResult::kSuccess);
}

void Service::EnterDead(ServiceResult result, bool allow_restart) {
  if (result_ == ServiceResult::kSuccess) result_ = result;
  StopWatchingPidFile();
  // An ExecCondition= that says no skips the unit; it does not fail it.
  const bool failed =
      result_ != ServiceResult::kSuccess && result_ != ServiceResult::kSkipCondition;
  if (result_ == ServiceResult::kSuccess) {
    Log("Deactivated successfully.");
  } else if (!failed) {
    Log(fmt::format("Skipped due to '{}'.", ServiceResultName(result_)));
  } else {
    Log(fmt::format("Failed with result '{}'.", ServiceResultName(result_)));
  }
  const bool restart = allow_restart && restarts_allowed_ && !forbid_restart_ &&
                       ShallRestart(service_spec(), result_, main_exit_);
  // A run that ended by itself shows as EXITED to supervisorctl; a stop asked for, as STOPPED.
  ran_and_ended_ = !forbid_restart_ && result_ == ServiceResult::kSuccess && ever_started_;
  if (failed) failure_text_ = fmt::format("Failed with result '{}'", ServiceResultName(result_));
  SetState(failed ? ServiceState::kFailed : ServiceState::kDead);
  if (restart) {
    SetState(ServiceState::kAutoRestart);
    timer_ = host_.Now() + RestartDelay(service_spec(), restart_count_);
  } else {
    flush_restart_count_ = true;
  }
  forbid_restart_ = false;
  stopping_for_restart_ = false;
}

void Service::EnterRestart() {
  ++restart_count_;
  flush_restart_count_ = false;
  Log(fmt::format("Scheduled restart job, restart counter is at {}.", restart_count_));
  // systemd's restart job: stop (auto-restart -> dead) then start.
  SetState(ServiceState::kDead);
  Start();
}

}  // namespace vigil::core
