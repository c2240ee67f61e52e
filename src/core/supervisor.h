#pragma once

// Supervisor: every process group and its programs, the commands that act on them, and the
// one deadline the event loop must wake up for. Pure: it makes no syscall and reads no clock;
// processes are reached through the Spawner, time through the Clock.
//
// Contract with the event loop (see loop/event_loop.h):
// - arm one timer at NextDeadline() after every call, and call OnDeadline() when it fires;
// - report every exit of a spawned child through OnChildExited(), after draining its output.
// Events reach the EventSink after the operation that caused them has finished, in order; a
// sink may call back into the Supervisor (those events are delivered after the current ones).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "config/supervisord_config.h"
#include "core/events.h"
#include "core/program.h"
#include "core/service.h"
#include "core/spawner.h"
#include "core/unit_jobs.h"

namespace vigil::core {

struct Group {
  config::GroupSpec::Kind kind = config::GroupSpec::Kind::kProcessGroup;
  std::string name;
  int64_t priority = 999;
  std::vector<std::unique_ptr<Program>> programs;  // sorted by (priority, name)
};

class Supervisor {
 public:
  // All three must outlive the supervisor.
  Supervisor(Clock& clock, Spawner& spawner, EventSink& sink);
  ~Supervisor();
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // supervisord's addProcessGroup. AlreadyExists when the name is taken; FailedPrecondition
  // while shutting down. Autostart happens in StartAutostart(), as on supervisord's next pass.
  Result<void> AddGroup(const config::GroupSpec& spec);
  // removeProcessGroup: NotFound, or FailedPrecondition when a process is not stopped.
  Result<void> RemoveGroup(std::string_view name);
  // Changes inside a running group (vigil's per-process update). RemoveProcess: NotFound, or
  // FailedPrecondition unless the process is stopped. AddProcess: into the existing group
  // spec.group; NotFound without that group, AlreadyExists when the name is taken.
  Result<void> RemoveProcess(std::string_view namespec);
  Result<void> AddProcess(const config::ProgramSpec& spec);
  // Starts every autostart process that has never been started, groups and processes in
  // priority order, all at once (supervisord does not wait between them either).
  void StartAutostart();

  // Commands on one process, named "group:name" or "name" (= "name:name").
  // Start: NotFound; AlreadyExists when in a running state (STARTING, RUNNING, BACKOFF);
  // FailedPrecondition when UNKNOWN or shutting down; when the start failed at once, the
  // spawner's error (its message is the spawn error).
  Result<void> Start(std::string_view namespec);
  // The spawner's pre-fork checks for `namespec`'s command (see Spawner::CheckCommand).
  Result<void> CheckCommand(std::string_view namespec);
  // Stop: NotFound; FailedPrecondition when not in a running state.
  Result<void> Stop(std::string_view namespec);
  // Signal: NotFound; FailedPrecondition when there is no child to signal; Io when the kernel
  // refused (the process is then UNKNOWN).
  Result<void> Signal(std::string_view namespec, int signo);

  // systemd services (dialect kSystemd) only; NotFound for anything else. Start and Stop above
  // queue jobs for services (see unit_jobs.h), which also reach their dependencies.
  Result<void> RestartService(std::string_view name, bool only_if_active = false);
  Result<void> ReloadService(std::string_view name);  // ExecReload=
  Result<void> ResetFailed(std::string_view name);
  // daemon-reload of one unit: its new definition applies from its next start.
  Result<void> ReplaceServiceSpec(const config::ProgramSpec& spec);
  // Whether a job (start, stop, restart) of the service is still queued or running.
  bool HasJob(std::string_view name) const { return jobs_.HasJob(name); }
  // How the last start job of `name` ended (nullopt: none finished since it was queued).
  std::optional<bool> LastStartSucceeded(std::string_view name) const {
    return jobs_.LastStartSucceeded(name);
  }
  const Service* FindService(std::string_view name) const;
  // A NOTIFY_SOCKET datagram from `sender`, a process of service `name`.
  void OnNotify(std::string_view name, pid_t sender, uid_t sender_uid, std::string_view message);
  // The directory of service `name`'s PIDFile= changed.
  void OnPidFileChanged(std::string_view name);

  // Shutdown (SIGTERM, or the first half of a reload): restarts stop; groups are stopped one at
  // a time from the highest priority down, each group's processes together; BACKOFF processes
  // become FATAL. Done when IsShutDown().
  void BeginShutdown();
  bool shutting_down() const { return shutting_down_; }
  bool IsShutDown() const;

  // A child ended. Returns false when it is not one of ours (an orphan reaped as subreaper).
  bool OnChildExited(ChildId child, const ExitStatus& status);
  void OnDeadline();
  std::optional<MonotonicTime> NextDeadline() const;
  // Stops waiting for leftover processes complete once those are gone; call after reaping.
  void CheckDrained();

  const std::vector<Group>& groups() const { return groups_; }
  const Group* FindGroup(std::string_view name) const;
  const Program* FindProcess(std::string_view namespec) const;
  // Every process, sorted by group name then process name (getAllProcessInfo's order).
  std::vector<const Program*> Processes() const;

 private:
  class Host;

  std::unique_ptr<Program> MakeProgram(const config::ProgramSpec& spec);
  Program* MutableProcess(std::string_view namespec);
  Service* MutableService(std::string_view name);
  std::vector<Service*> Services();
  void Settle();  // runs the job engine, then delivers the events
  void AdvanceShutdown();
  void Deliver();

  Clock& clock_;
  Spawner& spawner_;
  EventSink& sink_;
  std::unique_ptr<Host> host_;
  std::vector<Group> groups_;  // sorted by (priority, name)
  bool shutting_down_ = false;
  std::vector<std::string> stop_order_;  // group names still to stop, last one first
  std::vector<ProgramEvent> outbox_;
  bool delivering_ = false;
  UnitJobs jobs_;
};

}  // namespace vigil::core
