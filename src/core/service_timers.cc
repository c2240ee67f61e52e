// Service: its timers (systemd's service_dispatch_timer and service_dispatch_watchdog): start and
// stop timeouts, the restart delay, RuntimeMaxSec= and the watchdog.

#include <fmt/format.h>
#include <signal.h>

#include "config/service_names.h"
#include "core/service.h"

namespace vigil::core {

void Service::OnDeadline() {
  const MonotonicTime now = host_.Now();
  if (watchdog_ && *watchdog_ <= now) {
    watchdog_.reset();
    const Duration limit = watchdog_override_.value_or(service_spec().watchdog);
    Log(fmt::format("Watchdog timeout (limit {})!", config::FormatTimespan(limit)));
    EnterSignal(ServiceState::kStopWatchdog, ServiceResult::kWatchdog);
    DeliverSpawnFailures();
    return;
  }
  if (!timer_ || *timer_ > now) return;
  timer_.reset();
  const config::ServiceSpec& s = service_spec();
  auto fail_start = [&](std::string_view what) {
    switch (s.timeout_start_failure_mode) {
      case config::TimeoutFailureMode::kTerminate:
        Log(fmt::format("{} operation timed out. Terminating.", what));
        EnterSignal(ServiceState::kStopSigterm, ServiceResult::kTimeout);
        break;
      case config::TimeoutFailureMode::kAbort:
        Log(fmt::format("{} operation timed out. Aborting.", what));
        EnterSignal(ServiceState::kStopWatchdog, ServiceResult::kTimeout);
        break;
      case config::TimeoutFailureMode::kKill:
        Log(fmt::format("{} operation timed out. Killing.", what));
        EnterSignal(ServiceState::kStopSigkill, ServiceResult::kTimeout);
        break;
    }
  };
  const bool abort_on_stop = s.timeout_stop_failure_mode == config::TimeoutFailureMode::kAbort;
  const bool kill_on_stop = s.timeout_stop_failure_mode == config::TimeoutFailureMode::kKill;
  switch (state_) {
    case ServiceState::kCondition:
      fail_start("Condition");
      break;
    case ServiceState::kStartPre:
      fail_start("Start-pre");
      break;
    case ServiceState::kStart:
      fail_start("Start");
      break;
    case ServiceState::kStartPost:
      Log("Start-post operation timed out. Stopping.");
      EnterStop(ServiceResult::kTimeout);
      break;
    case ServiceState::kRunning:
      Log("Service reached runtime time limit. Stopping.");
      EnterStop(ServiceResult::kTimeout);
      break;
    case ServiceState::kReload:
      Log("Reload operation timed out. Killing reload process.");
      if (control_.child)
        static_cast<void>(host_.spawner().Signal(*control_.child, SIGKILL, false));
      reload_result_ = ServiceResult::kTimeout;
      EnterRunning(ServiceResult::kSuccess);
      break;
    case ServiceState::kStop:
      if (abort_on_stop) {
        Log("Stopping timed out. Aborting.");
        EnterSignal(ServiceState::kStopWatchdog, ServiceResult::kTimeout);
      } else if (kill_on_stop) {
        Log("Stopping timed out. Killing.");
        EnterSignal(ServiceState::kStopSigkill, ServiceResult::kTimeout);
      } else {
        Log("Stopping timed out. Terminating.");
        EnterSignal(ServiceState::kStopSigterm, ServiceResult::kTimeout);
      }
      break;
    case ServiceState::kStopWatchdog:
      if (s.send_sigkill) {
        Log("State 'stop-watchdog' timed out. Killing.");
        EnterSignal(ServiceState::kStopSigkill, ServiceResult::kTimeout);
      } else {
        Log("State 'stop-watchdog' timed out. Skipping SIGKILL.");
        EnterStopPost(ServiceResult::kTimeout);
      }
      break;
    case ServiceState::kStopSigterm:
      if (abort_on_stop) {
        Log("State 'stop-sigterm' timed out. Aborting.");
        EnterSignal(ServiceState::kStopWatchdog, ServiceResult::kTimeout);
      } else if (s.send_sigkill) {
        Log("State 'stop-sigterm' timed out. Killing.");
        EnterSignal(ServiceState::kStopSigkill, ServiceResult::kTimeout);
      } else {
        Log("State 'stop-sigterm' timed out. Skipping SIGKILL.");
        EnterStopPost(ServiceResult::kTimeout);
      }
      break;
    case ServiceState::kStopSigkill:
      Log("Processes still around after SIGKILL. Ignoring.");
      EnterStopPost(ServiceResult::kTimeout);
      break;
    case ServiceState::kStopPost:
      if (abort_on_stop) {
        Log("State 'stop-post' timed out. Aborting.");
        EnterSignal(ServiceState::kFinalWatchdog, ServiceResult::kTimeout);
      } else if (kill_on_stop) {
        Log("State 'stop-post' timed out. Killing.");
        EnterSignal(ServiceState::kFinalSigkill, ServiceResult::kTimeout);
      } else {
        Log("State 'stop-post' timed out. Terminating.");
        EnterSignal(ServiceState::kFinalSigterm, ServiceResult::kTimeout);
      }
      break;
    case ServiceState::kFinalWatchdog:
      if (s.send_sigkill) {
        Log("State 'final-watchdog' timed out. Killing.");
        EnterSignal(ServiceState::kFinalSigkill, ServiceResult::kTimeout);
      } else {
        Log("State 'final-watchdog' timed out. Skipping SIGKILL. Entering failed mode.");
        EnterDead(ServiceResult::kTimeout, false);
      }
      break;
    case ServiceState::kFinalSigterm:
      if (abort_on_stop) {
        Log("State 'final-sigterm' timed out. Aborting.");
        EnterSignal(ServiceState::kFinalWatchdog, ServiceResult::kTimeout);
      } else if (s.send_sigkill) {
        Log("State 'final-sigterm' timed out. Killing.");
        EnterSignal(ServiceState::kFinalSigkill, ServiceResult::kTimeout);
      } else {
        Log("State 'final-sigterm' timed out. Skipping SIGKILL. Entering failed mode.");
        EnterDead(ServiceResult::kTimeout, false);
      }
      break;
    case ServiceState::kFinalSigkill:
      Log("Processes still around after final SIGKILL. Entering failed mode.");
      EnterDead(ServiceResult::kTimeout, true);
      break;
    case ServiceState::kAutoRestart:
      if (restarts_allowed_) EnterRestart();
      break;
    case ServiceState::kDead:
    case ServiceState::kFailed:
    case ServiceState::kExited:
      break;
  }
  DeliverSpawnFailures();
}

void Service::ArmWatchdog() {
  const Duration interval = watchdog_override_.value_or(service_spec().watchdog);
  if (interval <= Duration::zero() || interval == Duration::max()) {
    watchdog_.reset();
    return;
  }
  watchdog_ = host_.Now() + interval;
}

void Service::ExtendTimeout(Duration extension) {
  if (!timer_) return;
  const MonotonicTime extended = host_.Now() + extension;
  if (extended > *timer_) timer_ = extended;
}

}  // namespace vigil::core
