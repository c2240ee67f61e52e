#pragma once

// What the core tells the rest of vigild about programs: every state change (with the fields
// supervisord's PROCESS_STATE events carry) and the happenings its main log reports (spawned,
// spawn error, exited, gave up, SIGKILL). The daemon turns them into log lines, event listener
// notifications and API answers.

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "core/exit_status.h"
#include "core/program_state.h"

namespace vigil::core {

struct ProgramEvent {
  enum class Kind {
    kStateChanged,  // from -> to; the only kind listeners see
    kSpawned,       // "spawned: 'x' with pid N"
    kSpawnError,    // "spawnerr: <message>"
    kRunning,       // "success: x entered RUNNING state, process has stayed up for > than N ..."
    kExited,        // "exited: x (exit status 1; not expected)"; also for exits before startsecs
    kStopped,       // "stopped: x (terminated by SIGTERM)"
    kGaveUp,        // "gave up: x entered FATAL state, too many start retries too quickly"
    kKilling,       // "killing 'x' (N) with SIGKILL" after stopwaitsecs
    kSignalError,   // a signal could not be sent: the program is now UNKNOWN
    kServiceLog,    // a systemd service's own message, e.g. "Main process exited, ..."
  };

  Kind kind = Kind::kStateChanged;
  std::string group;
  std::string name;
  std::string namespec;
  ProgramState from = ProgramState::kStopped;
  ProgramState to = ProgramState::kStopped;
  pid_t pid = 0;          // the child concerned, 0 if none
  int64_t tries = 0;      // failed start attempts so far (STARTING/BACKOFF events)
  bool expected = true;   // kExited, kStopped, and the EXITED state change
  ExitStatus status;      // kExited, kStopped
  std::string message;    // kSpawnError, kSignalError, kServiceLog
  int64_t startsecs = 0;  // kRunning
};

class EventSink {
 public:
  virtual ~EventSink() = default;
  // Called after the core has finished the operation that caused the event, never while it is
  // in the middle of changing state, so the sink may call back into the Supervisor.
  virtual void OnProgramEvent(const ProgramEvent& event) = 0;
};

}  // namespace vigil::core
