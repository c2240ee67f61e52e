#pragma once

// A unit's properties under systemd's names and in `systemctl show`'s formats (timespans like
// "1min 30s", timestamps like "Wed 2026-11-25 10:00:01 UTC", "infinity"), for the JSON API,
// `vigilctl show -p KEY` and `vigilctl status`.

#include <string>
#include <utility>
#include <vector>

#include "base/time.h"
#include "core/service.h"

namespace vigil::api {

using Properties = std::vector<std::pair<std::string, std::string>>;

// systemd's timestamp: "Wed 2026-11-25 10:00:01 UTC" in local time; "" when unset.
std::string FormatTimestamp(const std::optional<WallTime>& at);

// Every property of `service`, in a fixed order. `unit_file_state` is the answer of
// is-enabled; `tasks` the number of its processes now; `cgroup` its cgroup ("" without).
Properties ServiceProperties(const core::Service& service, const std::string& unit_file_state,
                             size_t tasks, const std::string& cgroup);

}  // namespace vigil::api
