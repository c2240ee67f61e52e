#pragma once

// `vigild --check`: what a configuration means, spelled out, so an operator can see that vigil
// read their file as they intended before running it. Human text, or JSON for scripts and for
// the compatibility test that compares vigil's reading with supervisord's own.

#include <string>

#include "config/supervisord_config.h"

namespace vigil::daemon {

std::string CheckReportText(const config::SupervisordConfig& config);
std::string CheckReportJson(const config::SupervisordConfig& config);

}  // namespace vigil::daemon
