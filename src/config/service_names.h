#pragma once

// The names systemd gives the settings of a service when it shows them (`systemctl show`,
// `systemd-analyze`): Type=, Restart=, KillMode=, NotifyAccess= values, and time spans.

#include <optional>
#include <string>
#include <string_view>

#include "base/time.h"
#include "config/service_spec.h"

namespace vigil::config {

std::string_view ServiceTypeName(ServiceType type);           // "forking"
std::string_view RestartSettingName(RestartSetting restart);  // "on-failure"
std::string_view KillModeName(KillMode mode);                 // "control-group"
std::string_view NotifyAccessName(NotifyAccess access);       // "main" (kUnset is "none")

// systemd's format_timespan: "0", "100ms", "30s", "1min 30s", "2h 5min"; nullopt or
// Duration::max() is "infinity".
std::string FormatTimespan(std::optional<Duration> span);

}  // namespace vigil::config
