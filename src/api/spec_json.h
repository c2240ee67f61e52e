#pragma once

// A ProgramSpec as JSON text (every setting, in supervisord's option names), for vigilctl's
// program detail and `vigild --check --json`.

#include <string>

#include "config/program_spec.h"

namespace vigil::api {

std::string ProgramSpecToJson(const config::ProgramSpec& spec);

}  // namespace vigil::api
