#include "config/service_names.h"

#include <fmt/format.h>

namespace vigil::config {

std::string_view ServiceTypeName(ServiceType type) {
  switch (type) {
    case ServiceType::kSimple:
      return "simple";
    case ServiceType::kExec:
      return "exec";
    case ServiceType::kForking:
      return "forking";
    case ServiceType::kOneshot:
      return "oneshot";
    case ServiceType::kNotify:
      return "notify";
    case ServiceType::kDbus:
      return "dbus";
    case ServiceType::kIdle:
      return "idle";
  }
  return "simple";
}

std::string_view RestartSettingName(RestartSetting restart) {
  switch (restart) {
    case RestartSetting::kNo:
      return "no";
    case RestartSetting::kAlways:
      return "always";
    case RestartSetting::kOnSuccess:
      return "on-success";
    case RestartSetting::kOnFailure:
      return "on-failure";
    case RestartSetting::kOnAbnormal:
      return "on-abnormal";
    case RestartSetting::kOnAbort:
      return "on-abort";
    case RestartSetting::kOnWatchdog:
      return "on-watchdog";
  }
  return "no";
}

std::string_view KillModeName(KillMode mode) {
  switch (mode) {
    case KillMode::kControlGroup:
      return "control-group";
    case KillMode::kMixed:
      return "mixed";
    case KillMode::kProcess:
      return "process";
    case KillMode::kNone:
      return "none";
  }
  return "control-group";
}

std::string_view NotifyAccessName(NotifyAccess access) {
  switch (access) {
    case NotifyAccess::kUnset:
    case NotifyAccess::kNone:
      return "none";
    case NotifyAccess::kMain:
      return "main";
    case NotifyAccess::kExec:
      return "exec";
    case NotifyAccess::kAll:
      return "all";
  }
  return "none";
}

std::string FormatTimespan(std::optional<Duration> span) {
  if (!span || *span == Duration::max()) return "infinity";
  int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(*span).count();
  if (us <= 0) return "0";
  struct Unit {
    const char* suffix;
    int64_t us;
  };
  // systemd's table (time-util.c), largest first.
  static constexpr Unit kUnits[] = {
      {"y", 31557600LL * 1000000},
      {"month", 2629800LL * 1000000},
      {"w", 604800LL * 1000000},
      {"d", 86400LL * 1000000},
      {"h", 3600LL * 1000000},
      {"min", 60LL * 1000000},
      {"s", 1000000},
      {"ms", 1000},
      {"us", 1},
  };
  std::string text;
  for (const Unit& unit : kUnits) {
    if (us < unit.us) continue;
    const int64_t count = us / unit.us;
    us -= count * unit.us;
    if (!text.empty()) text += ' ';
    text += fmt::format("{}{}", count, unit.suffix);
  }
  return text;
}

}  // namespace vigil::config
