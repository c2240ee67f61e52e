#pragma once

// SupervisordProgram: one process's lifecycle, supervisord's state machine (process.py) made
// explicit.
//
//   STOPPED/EXITED/FATAL --Start--> STARTING --StartGrace elapsed--> RUNNING
//   STARTING --spawn error, or exit within StartGrace--> BACKOFF --delay--> STARTING
//   BACKOFF --too many failures--> FATAL            BACKOFF --Stop--> STOPPED
//   RUNNING --exit--> EXITED (--restart verdict--> STARTING)
//   RUNNING/STARTING --Stop--> STOPPING --exit, and no process of the program left--> STOPPED
//   STOPPING --timeout--> SIGKILL, again every timeout until the child dies
//   (a stop is complete only when the program's other processes are gone too, where the
//   spawner can tell: they get the stop signal when the main child exits, then SIGKILL at the
//   same deadline)
//   any signallable state --signal cannot be sent--> UNKNOWN
//
// Every timer is a deadline the owner reads with Deadline() and reports with OnDeadline().
// Calls into ProgramHost (spawn, signal) are synchronous; events are handed to the host, which
// must queue them and deliver them after the current operation (see Supervisor).

#include <memory>
#include <optional>
#include <string>

#include "base/time.h"
#include "config/program_spec.h"
#include "core/program.h"
#include "core/restart_policy.h"

namespace vigil::core {

class SupervisordProgram final : public Program {
 public:
  // `host` must outlive the program.
  SupervisordProgram(config::ProgramSpec spec, ProgramHost& host);

  // Spawns a child. Requires a state that allows starting: STOPPED, EXITED, FATAL or BACKOFF.
  void Start() override;
  // Administrative stop. RUNNING/STARTING: stop signal, then SIGKILL after the stop timeout.
  // BACKOFF: straight to STOPPED. Requires one of those states.
  void Stop() override;
  // Shutdown of a program that is in BACKOFF: FATAL, as supervisord's stop_all() does.
  void GiveUp() override;
  // Sends `signo` to the child itself. Requires a signallable state. An error moves the
  // program to UNKNOWN and is returned.
  Result<void> SendSignal(int signo) override;
  // The child this program is waiting for has ended.
  void OnExit(const ExitStatus& status);
  bool OnChildExit(ChildId child, const ExitStatus& status) override;
  // The deadline has passed: act on it (RUNNING, a retry, a restart, a SIGKILL).
  void OnDeadline() override;
  // While a stop waits for the program's leftover processes: checks whether they are gone and,
  // if so, completes the stop. Returns whether it was waiting.
  bool CheckDrained() override;
  bool draining() const override { return draining_; }
  std::optional<MonotonicTime> Deadline() const override;

  // While false (vigild is shutting down or reloading), exits and failed starts never lead to
  // a new spawn.
  void set_restarts_allowed(bool allowed) override { restarts_allowed_ = allowed; }

  const config::ProgramSpec& spec() const override { return spec_; }
  ProgramState state() const override { return state_; }
  std::optional<ChildId> main_child() const override { return child_; }
  pid_t pid() const override { return child_ ? pid_ : 0; }
  bool ever_started() const override { return ever_started_; }
  // Wall time of the last start attempt and of the last exit; nullopt before the first.
  std::optional<WallTime> last_start() const override { return last_start_wall_; }
  std::optional<WallTime> last_stop() const override { return last_stop_wall_; }
  // supervisord's exitstatus: the last exit code (-1 for a signal), 0 when none is known.
  int exit_status() const override { return exit_status_; }
  // supervisord's spawnerr: why the last start failed or the last exit was unexpected.
  const std::string& spawn_error() const override { return spawn_error_; }
  // The error of the last spawn attempt, when it failed at once (its code tells a missing
  // command from one that cannot run from a failed fork).
  const std::optional<Error>& last_spawn_failure() const override { return last_spawn_failure_; }

 private:
  void ChangeState(ProgramState to, bool expected = true);
  void EnterBackoff();
  void BecomeRunning();
  void Kill(int signo);
  void FinishStop();
  ProgramEvent MakeEvent(ProgramEvent::Kind kind) const;

  config::ProgramSpec spec_;
  ProgramHost& host_;
  std::unique_ptr<RestartPolicy> policy_;

  ProgramState state_ = ProgramState::kStopped;
  std::optional<ChildId> child_;
  pid_t pid_ = 0;
  pid_t last_pid_ = 0;      // of the last child, for the state events after it exited
  bool killing_ = false;    // a stop is in progress: the next exit means STOPPED
  bool draining_ = false;   // the stopped main child is gone; its leftovers are not
  ExitStatus stop_status_;  // how the main child of a stop ended
  bool restarts_allowed_ = true;
  bool ever_started_ = false;  // supervisord's laststart != 0: autostart happens once

  MonotonicTime last_start_{};
  std::optional<WallTime> last_start_wall_;
  std::optional<WallTime> last_stop_wall_;
  // The one pending timer; its meaning depends on the state: STARTING -> RUNNING,
  // BACKOFF -> retry, STOPPING -> SIGKILL, EXITED -> restart.
  std::optional<MonotonicTime> deadline_;
  int exit_status_ = 0;
  std::string spawn_error_;
  std::optional<Error> last_spawn_failure_;
};

}  // namespace vigil::core
