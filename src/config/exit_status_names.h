#pragma once

// systemd's names for exit statuses (`systemd-analyze exit-status`): libc's 0 and 1, LSB's
// 2..7, BSD's sysexits 64..78 and systemd's own 200..255 (a child that failed before exec).

#include <optional>
#include <string_view>

namespace vigil::config {

// "FAILURE" for 1, "EXEC" for 203; nullopt for a status without a name.
std::optional<std::string_view> ExitStatusName(int status);
// The status named `name` (without "EXIT_"/"EX_"), case-sensitive as systemd is.
std::optional<int> ExitStatusByName(std::string_view name);

}  // namespace vigil::config
