#pragma once

// Service: one systemd .service unit's lifecycle, systemd's service.c state machine made
// explicit and pure (no syscalls, no clock; processes through the Spawner, time through the
// host). The transitions, in systemd's names:
//
//   dead/failed --Start--> [start limit] condition -> start-pre -> start -> start-post -> running
//     start:      simple/idle/exec: the main process is spawned and start-post follows at once;
//                 forking: the ExecStart process is a control process; when it exits 0 the main
//                 pid comes from PIDFile= (waiting for the file until TimeoutStartSec) or
//                 GuessMainPID; oneshot: each ExecStart in turn, start-post after the last;
//                 notify: start-post on READY=1.
//   running --main process exits--> per Type: stop (ExecStop=) or exited (RemainAfterExit=)
//   running --Stop--> stop (ExecStop=) -> stop-sigterm -> stop-sigkill -> stop-post
//     (ExecStopPost=) -> final-sigterm -> final-sigkill -> dead, or failed when the run's result
//     is not success; then auto-restart per Restart= and the restart delay, unless the stop was
//     asked for.
//   any failing step --> stop-sigterm with a result (exit-code, signal, timeout, protocol, ...)
//   a start beyond StartLimitBurst= within StartLimitIntervalSec= --> failed (start-limit-hit)
//
// The signals of the stop states go by KillMode= (control-group, mixed, process, none); each is
// followed by SIGCONT. Timers: the state's timeout, the watchdog, and RuntimeMaxSec= share one
// deadline each; Deadline() is the earliest.
//
// ProgramState (what supervisorctl shows): activating = STARTING, active/reloading = RUNNING,
// deactivating = STOPPING, auto-restart = BACKOFF, failed = FATAL, dead = STOPPED (EXITED after
// a successful run that ended on its own).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/service_spec.h"
#include "core/program.h"
#include "core/service_state.h"

namespace vigil::core {

// systemd's restart delay (service_restart_usec_next): `restart_count` automatic restarts have
// happened; the delay before the next one grows geometrically from RestartSec= to
// RestartMaxDelaySec= over RestartSteps= steps.
Duration RestartDelay(const config::ServiceSpec& spec, int64_t restart_count);

// systemd's Restart= table: whether a run that ended with `result` (its main process with
// `main_status`, if it exited) is restarted. Manual stops never get here.
bool ShallRestart(const config::ServiceSpec& spec, ServiceResult result,
                  const std::optional<ExitStatus>& main_status);

// Whether a main process exit counts as clean (systemd's is_clean_exit): code 0, SIGHUP, SIGINT,
// SIGTERM or SIGPIPE (not for oneshot), or anything in SuccessExitStatus=.
bool IsCleanExit(const config::ServiceSpec& spec, const ExitStatus& status);

// StartLimitIntervalSec=/StartLimitBurst=: at most `burst` starts per interval (systemd's
// ratelimit_below, counting every start, manual ones included).
class StartLimit {
 public:
  // Records a start at `now`; false when it is one too many.
  bool Allow(const config::ServiceSpec& spec, MonotonicTime now);
  void Reset() { count_ = 0, begin_.reset(); }

 private:
  std::optional<MonotonicTime> begin_;
  int64_t count_ = 0;
};

// What a sender may say over NOTIFY_SOCKET (NotifyAccess= resolved).
config::NotifyAccess EffectiveNotifyAccess(const config::ServiceSpec& spec);

class Service final : public Program {
 public:
  // `spec.service` must be set. `host` must outlive the service.
  Service(config::ProgramSpec spec, ProgramHost& host);

  // --- Program ---
  void Start() override;  // systemd's start job, for a dead or failed service
  void Stop() override;
  void GiveUp() override;  // shutdown of an auto-restart: dead, no restart
  Result<void> SendSignal(int signo) override;
  bool OnChildExit(ChildId child, const ExitStatus& status) override;
  void OnDeadline() override;
  std::optional<MonotonicTime> Deadline() const override;
  bool CheckDrained() override;
  bool draining() const override;
  void set_restarts_allowed(bool allowed) override { restarts_allowed_ = allowed; }

  const config::ProgramSpec& spec() const override { return spec_; }
  ProgramState state() const override;
  std::optional<ChildId> main_child() const override { return main_.child; }
  pid_t pid() const override { return main_.pid; }
  bool ever_started() const override { return ever_started_; }
  std::optional<WallTime> last_start() const override { return last_start_wall_; }
  std::optional<WallTime> last_stop() const override { return last_stop_wall_; }
  int exit_status() const override;
  const std::string& spawn_error() const override { return failure_text_; }
  const std::optional<Error>& last_spawn_failure() const override { return start_refusal_; }
  const Service* AsService() const override { return this; }
  Service* AsService() override { return this; }

  // --- systemd's verbs ---
  // Whether Start() would be refused by the start limit right now is not knowable in advance;
  // Start() itself records start-limit-hit.
  // ExecReload=: requires running (or exited with RemainAfterExit); FailedPrecondition
  // otherwise, or when the unit has no ExecReload=.
  Result<void> Reload();
  // Back to dead from failed, and the start limit and restart counter start over.
  void ResetFailed();
  // A datagram from NOTIFY_SOCKET. `sender` is in this service (the host checked); `sender_uid`
  // decides whether a MAINPID= outside the service is believed.
  void OnNotify(pid_t sender, uid_t sender_uid, std::string_view message);
  // The directory of PIDFile= changed while the service waits for the file.
  void OnPidFileChanged();
  // The stop that follows is the first half of a restart (RestartKillSignal= applies).
  void PrepareRestart();
  // daemon-reload: the unit's new definition. Running processes go on; the new settings apply
  // to what is started from now on (systemd's semantics).
  void ReplaceSpec(config::ProgramSpec spec);

  // --- What `systemctl status`/`show` tell ---
  const config::ServiceSpec& service_spec() const { return *spec_.service; }
  ServiceState service_state() const { return state_; }
  ActiveState active_state() const { return ToActiveState(state_); }
  ServiceResult result() const { return result_; }
  ServiceResult reload_result() const { return reload_result_; }
  pid_t control_pid() const { return control_.pid; }
  // The main process's last exit, and when it started.
  const std::optional<ExitStatus>& main_exit() const { return main_exit_; }
  pid_t main_exit_pid() const { return main_exit_pid_; }
  std::optional<WallTime> main_start() const { return main_start_wall_; }
  int64_t restart_count() const { return restart_count_; }
  const std::string& status_text() const { return status_text_; }
  // When the active state last changed, and when the unit last became active/inactive.
  std::optional<WallTime> state_change_time() const { return state_change_wall_; }
  std::optional<WallTime> active_enter_time() const { return active_enter_wall_; }
  std::optional<WallTime> inactive_enter_time() const { return inactive_enter_wall_; }
  // Whether a start job is being worked on (activating) or a stop (deactivating): the job
  // engine waits for these to settle.
  bool settled() const;

 private:
  // One tracked process: the main or the control process.
  struct Tracked {
    std::optional<ChildId> child;
    pid_t pid = 0;
    bool known = false;  // main only: a main pid was determined (it may have exited since)
    void Clear() { child.reset(), pid = 0; }
  };
  enum class ExecKind { kCondition, kStartPre, kStart, kStartPost, kReload, kStop, kStopPost };

  const std::vector<config::ExecCommand>& Commands(ExecKind kind) const;
  void SetState(ServiceState to);
  void Log(std::string message);
  void Arm(std::optional<Duration> timeout);  // the state timer; nullopt = infinity
  ProgramEvent MakeEvent(ProgramEvent::Kind kind) const;

  void EnterCondition();
  void EnterStartPre();
  void EnterStart();
  void EnterStartPost();
  void EnterRunning(ServiceResult result);
  void EnterReload();
  void EnterStop(ServiceResult result);
  void EnterStopByNotify();
  void EnterSignal(ServiceState state, ServiceResult result);
  void EnterStopPost(ServiceResult result);
  void EnterDead(ServiceResult result, bool allow_restart);
  void EnterRestart();

  // Runs Commands(kind)[index] as a control process, or exec_start[index] as the main one. A
  // command that cannot be started becomes a pending exit (DeliverSpawnFailures()).
  void RunControl(ExecKind kind, size_t index);
  void RunMain(size_t index);
  CommandRequest MakeRequest(const config::ExecCommand& command, CommandRole role,
                             bool with_result) const;
  void DeliverSpawnFailures();
  std::string Description() const;
  void OnMainExit(const ExitStatus& status);
  void OnControlExit(const ExitStatus& status);
  void AfterMainGone(ServiceResult result);

  bool LoadPidFile(bool may_warn);
  void SearchMainPid();
  void SetMainPid(pid_t pid, std::optional<ChildId> child);
  void ForgetMain();
  bool AcceptMainPid(pid_t pid, bool trusted, bool warn);
  bool DemandPidFile();  // watches for the file; true when it has just become usable
  void StopWatchingPidFile();

  // > 0 alive; 0 gone; nullopt unknown (no main pid was ever determined).
  std::optional<bool> MainAlive() const;
  bool ControlAlive() const { return control_.child.has_value(); }
  bool CgroupEmpty();  // the spawner can tell, and no process of the unit is left
  bool Good();         // service_good: the main process is alive, or the unit has processes

  // Sends the signal of `state`'s kill operation per KillMode=; true when a process was
  // signalled that vigil must wait for.
  bool KillProcesses(ServiceState state);
  void ArmWatchdog();
  void ExtendTimeout(Duration extension);

  config::ProgramSpec spec_;
  ProgramHost& host_;

  ServiceState state_ = ServiceState::kDead;
  ServiceResult result_ = ServiceResult::kSuccess;
  ServiceResult reload_result_ = ServiceResult::kSuccess;
  Tracked main_;
  Tracked control_;
  ExecKind control_kind_ = ExecKind::kStart;
  size_t control_index_ = 0;
  size_t main_index_ = 0;                 // oneshot: which ExecStart= runs
  bool control_ignores_failure_ = false;  // the running control command has a "-" prefix
  bool main_ignores_failure_ = false;     // the running main command has a "-" prefix
  bool main_is_command_ = false;  // the main pid is the ExecStart process (not a forked one)
  bool forbid_restart_ = false;   // a stop was asked for
  bool stopping_for_restart_ = false;
  bool start_job_ = false;  // a start is in progress: "Started"/"Failed to start" next
  bool stop_job_ = false;   // a stop was asked for: "Stopped" next
  std::optional<ExitStatus> pending_main_failure_;  // see DeliverSpawnFailures()
  std::optional<ExitStatus> pending_control_failure_;
  bool pending_resources_failure_ = false;
  bool flush_restart_count_ = false;
  bool restarts_allowed_ = true;
  bool ever_started_ = false;
  bool ran_and_ended_ = false;  // dead after a successful run that ended on its own
  bool waiting_for_pid_file_ = false;
  bool notify_ready_ = false;
  bool notify_stopping_ = false;
  int64_t restart_count_ = 0;
  StartLimit start_limit_;
  std::string status_text_;
  std::string failure_text_;
  std::optional<Error> start_refusal_;

  std::optional<ExitStatus> main_exit_;
  pid_t main_exit_pid_ = 0;
  std::optional<WallTime> main_start_wall_;
  std::optional<WallTime> last_start_wall_;
  std::optional<WallTime> last_stop_wall_;
  std::optional<WallTime> state_change_wall_;
  std::optional<WallTime> active_enter_wall_;
  std::optional<WallTime> inactive_enter_wall_;

  std::optional<MonotonicTime> timer_;     // the state's timeout or the restart delay
  std::optional<MonotonicTime> watchdog_;  // WatchdogSec= expiry
  std::optional<Duration> watchdog_override_;
};

}  // namespace vigil::core
