#pragma once

// `vigild --check`: what a configuration means, spelled out, so an operator can see that vigil
// read their file as they intended before running it. Human text, or JSON for scripts and for
// the compatibility test that compares vigil's reading with supervisord's own.

#include <string>
#include <vector>

#include "config/supervisord_config.h"

namespace vigil::daemon {

std::string CheckReportText(const config::SupervisordConfig& config);
std::string CheckReportJson(const config::SupervisordConfig& config);

// `vigild --check-unit PATH`: one systemd unit as vigil reads it, and the warnings about it.
std::string CheckUnitReportText(const config::ProgramSpec& unit,
                                const std::vector<std::string>& warnings);
std::string CheckUnitReportJson(const config::ProgramSpec& unit,
                                const std::vector<std::string>& warnings);

}  // namespace vigil::daemon
