#pragma once

// How program events read in vigild's main log: supervisord's own lines, so that what
// operators grep for today keeps working:
//   spawned: 'web' with pid 4242
//   success: web entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)
//   exited: web (exit status 1; not expected)
//   gave up: web entered FATAL state, too many start retries too quickly

#include "core/events.h"
#include "logs/main_log.h"

namespace vigil::daemon {

void LogProgramEvent(logs::MainLog& log, const core::ProgramEvent& event);

}  // namespace vigil::daemon
