#pragma once

// Program: one supervised program as the Supervisor and the control plane see it, whatever its
// dialect. Two state machines implement it:
//   SupervisordProgram (supervisord_program.h)  supervisord's process.py
//   Service            (service.h)               systemd's service.c
// Both report their state in supervisord's terms (ProgramState), which is what supervisorctl
// and the XML-RPC API show; a Service has its systemd view besides (AsService()).
//
// Every timer is a deadline the owner reads with Deadline() and reports with OnDeadline().
// Calls into ProgramHost (spawn, signal) are synchronous; events are handed to the host, which
// must queue them and deliver them after the current operation (see Supervisor).

#include <sys/types.h>

#include <optional>
#include <string>

#include "base/result.h"
#include "base/time.h"
#include "config/program_spec.h"
#include "core/events.h"
#include "core/exit_status.h"
#include "core/program_state.h"
#include "core/spawner.h"

namespace vigil::core {

class Service;

// What a program needs from its owner: the clock, the spawner's operations, and an outbox.
class ProgramHost {
 public:
  virtual ~ProgramHost() = default;
  virtual MonotonicTime Now() const = 0;
  virtual WallTime WallNow() const = 0;
  virtual Spawner& spawner() = 0;
  virtual void Publish(ProgramEvent event) = 0;
};

class Program {
 public:
  virtual ~Program() = default;
  Program() = default;
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  // Starts the program. Requires a state that allows starting: STOPPED, EXITED, FATAL or
  // BACKOFF.
  virtual void Start() = 0;
  // Administrative stop. Requires a running state (STARTING, RUNNING, BACKOFF).
  virtual void Stop() = 0;
  // Shutdown of a program that is in BACKOFF: it gives up (FATAL for supervisord programs).
  virtual void GiveUp() = 0;
  // Sends `signo` to the main process. Requires a signallable state. An error is returned (a
  // supervisord program is then UNKNOWN).
  virtual Result<void> SendSignal(int signo) = 0;
  // A child ended. Returns false when it is not one of this program's.
  virtual bool OnChildExit(ChildId child, const ExitStatus& status) = 0;
  // The deadline has passed: act on it.
  virtual void OnDeadline() = 0;
  virtual std::optional<MonotonicTime> Deadline() const = 0;
  // While a stop waits for the program's leftover processes: checks whether they are gone and,
  // if so, completes the stop. Returns whether it was waiting.
  virtual bool CheckDrained() = 0;
  virtual bool draining() const = 0;
  // While false (vigild is shutting down or reloading), exits and failed starts never lead to a
  // new spawn.
  virtual void set_restarts_allowed(bool allowed) = 0;

  virtual const config::ProgramSpec& spec() const = 0;
  std::string namespec() const { return config::Namespec(spec()); }
  virtual ProgramState state() const = 0;
  // The main process, if there is one now.
  virtual std::optional<ChildId> main_child() const = 0;
  virtual pid_t pid() const = 0;
  // Whether it was ever started (supervisord's laststart != 0: autostart happens once).
  virtual bool ever_started() const = 0;
  // Wall time of the last start attempt and of the last exit; nullopt before the first.
  virtual std::optional<WallTime> last_start() const = 0;
  virtual std::optional<WallTime> last_stop() const = 0;
  // supervisord's exitstatus: the last exit code (-1 for a signal), 0 when none is known.
  virtual int exit_status() const = 0;
  // supervisord's spawnerr: why the last start failed or the last exit was unexpected.
  virtual const std::string& spawn_error() const = 0;
  // The error of the last start, when it failed at once (its code tells a missing command from
  // one that cannot run from a failed fork).
  virtual const std::optional<Error>& last_spawn_failure() const = 0;

  virtual const Service* AsService() const { return nullptr; }
  virtual Service* AsService() { return nullptr; }
};

}  // namespace vigil::core
