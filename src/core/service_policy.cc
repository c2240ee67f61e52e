// The decisions of systemd's service.c that are pure functions of the unit and the outcome:
// the Restart= table, the restart delay with RestartSteps= backoff, clean exits, the start
// rate limit, and NotifyAccess='s default.

#include <signal.h>

#include <algorithm>
#include <cmath>

#include "core/service.h"

namespace vigil::core {
namespace {

bool Contains(const std::vector<int>& values, int value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

bool InSet(const config::ExitStatusSet& set, const ExitStatus& status) {
  return status.exited ? Contains(set.codes, status.code) : Contains(set.signals, status.signal);
}

}  // namespace

Duration RestartDelay(const config::ServiceSpec& spec, int64_t restart_count) {
  const int64_t next = restart_count + 1;
  const Duration base = spec.restart_sec;
  if (next <= 1 || spec.restart_steps <= 0 || base <= Duration::zero() || !spec.restart_max_delay ||
      base >= *spec.restart_max_delay) {
    return base;
  }
  const Duration max = *spec.restart_max_delay;
  if (next > spec.restart_steps) return max;
  // Geometric interpolation between RestartSec= and RestartMaxDelaySec=.
  const long double ratio = static_cast<long double>(max.count()) / base.count();
  const long double exponent = static_cast<long double>(next - 1) / spec.restart_steps;
  const long double delay = base.count() * std::pow(ratio, exponent);
  return std::min(max, Duration(static_cast<Duration::rep>(delay)));
}

bool IsCleanExit(const config::ServiceSpec& spec, const ExitStatus& status) {
  if (status.exited && status.code == 0) return true;
  if (!status.exited && !status.core_dumped && spec.type != config::ServiceType::kOneshot) {
    switch (status.signal) {
      case SIGHUP:
      case SIGINT:
      case SIGTERM:
      case SIGPIPE:
        return true;
      default:
        break;
    }
  }
  return InSet(spec.success_exit_status, status);
}

bool ShallRestart(const config::ServiceSpec& spec, ServiceResult result,
                  const std::optional<ExitStatus>& main_status) {
  if (main_status && InSet(spec.restart_prevent_exit_status, *main_status)) return false;
  if (main_status && InSet(spec.restart_force_exit_status, *main_status)) return true;
  using config::RestartSetting;
  switch (spec.restart) {
    case RestartSetting::kNo:
      return false;
    case RestartSetting::kAlways:
      return result != ServiceResult::kSkipCondition;
    case RestartSetting::kOnSuccess:
      return result == ServiceResult::kSuccess;
    case RestartSetting::kOnFailure:
      return result != ServiceResult::kSuccess && result != ServiceResult::kSkipCondition;
    case RestartSetting::kOnAbnormal:
      return result != ServiceResult::kSuccess && result != ServiceResult::kExitCode &&
             result != ServiceResult::kSkipCondition;
    case RestartSetting::kOnWatchdog:
      return result == ServiceResult::kWatchdog;
    case RestartSetting::kOnAbort:
      return result == ServiceResult::kSignal || result == ServiceResult::kCoreDump;
  }
  return false;
}

bool StartLimit::Allow(const config::ServiceSpec& spec, MonotonicTime now) {
  if (spec.start_limit_interval <= Duration::zero() || spec.start_limit_burst <= 0) return true;
  if (!begin_ || now - *begin_ > spec.start_limit_interval) {
    begin_ = now;
    count_ = 0;
  }
  ++count_;
  return count_ <= spec.start_limit_burst;
}

config::NotifyAccess EffectiveNotifyAccess(const config::ServiceSpec& spec) {
  if (spec.notify_access == config::NotifyAccess::kUnset ||
      spec.notify_access == config::NotifyAccess::kNone) {
    if (spec.type == config::ServiceType::kNotify || spec.watchdog > Duration::zero()) {
      return config::NotifyAccess::kMain;
    }
    return config::NotifyAccess::kNone;
  }
  return spec.notify_access;
}

}  // namespace vigil::core
