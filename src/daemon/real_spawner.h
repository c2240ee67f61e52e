#pragma once

// RealSpawner: the core's Spawner over real processes. A spawn does what supervisord's does
// (find the command on PATH with its checks, pipes for stdin/stdout/stderr, the SUPERVISOR_*
// environment, the program's directory, umask and user) and more: each child runs in its own
// session and, when cgroups are available, its own cgroup; it dies with vigild
// (PR_SET_PDEATHSIG); a failure before exec is returned as an error, not an exit code.
//
// Exits reach the core through the exit handler, after the child's pipes have been drained.

#include <sys/resource.h>
#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/program_spec.h"
#include "core/exit_status.h"
#include "core/spawner.h"
#include "daemon/program_output.h"
#include "logs/main_log.h"
#include "loop/event_loop.h"
#include "os/cgroup.h"
#include "os/inotify.h"
#include "os/pid_fd.h"
#include "os/spawn.h"

namespace vigil::daemon {

struct SpawnerSettings {
  config::Environment base_environment;   // vigild's own environment
  std::optional<std::string> serverurl;   // SUPERVISOR_SERVER_URL when the program says AUTO
  std::optional<os::CgroupTree> cgroups;  // nullopt: process-group mode
  int parent_death_signal = 9;            // SIGKILL
  rlim_t child_nofile_soft = 0;           // RLIMIT_NOFILE soft limit for children; 0 = inherit
  std::string notify_socket;              // $NOTIFY_SOCKET for services; "" = none
};

class RealSpawner : public core::Spawner {
 public:
  using ExitHandler = std::function<void(core::ChildId, const core::ExitStatus&)>;
  using OutputLookup = std::function<ProgramOutput*(const config::ProgramSpec&)>;

  // `loop` and `main_log` must outlive the spawner.
  RealSpawner(loop::EventLoop& loop, logs::MainLog& main_log, SpawnerSettings settings,
              OutputLookup outputs);
  ~RealSpawner() override;

  void SetExitHandler(ExitHandler handler) { on_exit_ = std::move(handler); }

  Result<core::SpawnedChild> Spawn(const config::ProgramSpec& spec) override;
  Result<void> CheckCommand(const config::ProgramSpec& spec) override;
  Result<void> Signal(core::ChildId child, int signo, bool to_group) override;
  bool HasLeftovers(const config::ProgramSpec& spec) override;
  Result<void> SignalLeftovers(const config::ProgramSpec& spec, int signo) override;

  // systemd services (service_spawner.cc).
  core::CommandSpawn SpawnCommand(const config::ProgramSpec& spec,
                                  const core::CommandRequest& request) override;
  int SignalService(const config::ProgramSpec& spec, int signo,
                    const std::vector<pid_t>& spared) override;
  std::optional<bool> ServicePopulated(const config::ProgramSpec& spec) override;
  Result<core::PidFileContents> ReadPidFile(const std::string& path) override;
  core::ProcessOwner OwnerOf(const config::ProgramSpec& spec, pid_t pid) override;
  std::optional<pid_t> GuessMainPid(const config::ProgramSpec& spec) override;
  Result<core::SpawnedChild> Adopt(const config::ProgramSpec& spec, pid_t pid) override;
  void Forget(core::ChildId child) override;
  void WatchPidFile(const config::ProgramSpec& spec, const std::string& path, bool on) override;
  // Called with a service's name when the directory of its PIDFile= changed.
  void SetPidFileHandler(std::function<void(const std::string&)> handler) {
    on_pid_file_ = std::move(handler);
  }
  // The processes of a service now.
  std::vector<pid_t> ServicePids(const std::string& name) const { return ServiceProcesses(name); }
  // The service a process belongs to (its cgroup, or its session without cgroups); "" if none.
  std::string ServiceOf(pid_t pid) const;

  // Writes to the child's stdin (supervisord's sendProcessStdin). What the pipe cannot take now
  // is kept and written as it drains. NotFound when the stdin is closed (the child closed it).
  Result<void> WriteStdin(core::ChildId child, std::string_view data);

  // On SIGCHLD: reaps every exited child, ours (through its exit path) and orphans that were
  // re-parented to vigild (logged as supervisord does: "reaped unknown pid N").
  void ReapExited();

  size_t child_count() const { return children_.size(); }
  bool cgroup_mode() const { return settings_.cgroups.has_value(); }
  // The cgroup a program runs in, when in cgroup mode.
  const os::Cgroup* CgroupOf(const std::string& namespec) const;
  // When every program has stopped (at exit, and before a reload starts them again): SIGKILLs
  // the processes still in a program's cgroup (those a program left behind, such as a daemon
  // it forked), so that nothing vigild started runs on unsupervised. What it killed, by cgroup.
  struct Leftovers {
    std::string cgroup;
    size_t processes = 0;
  };
  std::vector<Leftovers> KillLeftovers();
  // Removes empty program cgroups, waiting briefly for killed ones to empty (at exit).
  void PruneCgroups();
  // Removes the cgroups of programs that are gone (stopped, so their cgroups are empty),
  // without waiting.
  void RemoveCgroups(const std::vector<std::string>& namespecs);

 private:
  struct Child {
    core::ChildId id;
    std::string namespec;
    os::PidFd pidfd;
    std::unique_ptr<loop::Watch> watch;
    UniqueFd stdin_write;       // kept for sendProcessStdin; closed when the child exits
    std::string stdin_pending;  // written as the pipe drains
    std::unique_ptr<loop::Watch> stdin_watch;
    ProgramOutput* output = nullptr;
    bool adopted = false;  // not spawned here (a daemonized main process): maybe not our child
  };

  Result<std::vector<std::string>> Environment(const config::ProgramSpec& spec) const;
  Result<std::string> ResolveFor(const config::ProgramSpec& spec) const;
  Result<const os::Cgroup*> CgroupFor(const std::string& namespec);
  void HandleExit(core::ChildId id);
  void FlushStdin(core::ChildId id);
  Result<core::SpawnedChild> Track(const std::string& namespec, os::PidFd pidfd, UniqueFd stdin,
                                   ProgramOutput* output, bool adopted);
  // The processes of a service, from its cgroup or (without cgroups) its sessions.
  std::vector<pid_t> ServiceProcesses(const std::string& name) const;
  Result<os::SpawnRequest> ServiceRequest(const config::ProgramSpec& spec,
                                          const core::CommandRequest& request,
                                          std::string* failure);
  void OnPidFileEvents();

  loop::EventLoop& loop_;
  logs::MainLog& main_log_;
  SpawnerSettings settings_;
  OutputLookup outputs_;
  ExitHandler on_exit_;
  std::map<core::ChildId, Child> children_;
  std::map<pid_t, core::ChildId> by_pid_;
  std::map<std::string, os::Cgroup> cgroups_;
  uint64_t next_id_ = 1;
  // Without cgroups: the sessions (= pids of the commands, each a session leader) of services.
  std::map<std::string, std::set<pid_t>> sessions_;
  std::optional<os::Inotify> inotify_;
  std::unique_ptr<loop::Watch> inotify_watch_;
  std::map<int, std::set<std::string>> pid_file_watchers_;  // inotify watch -> services
  std::map<std::string, int> pid_file_watch_of_;            // service -> inotify watch
  std::function<void(const std::string&)> on_pid_file_;
};

}  // namespace vigil::daemon
