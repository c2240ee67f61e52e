#pragma once

// The core's only way to affect processes. The daemon implements it with fork/exec, pidfds and
// cgroups; tests implement it with FakeSpawner. The core never sees a raw pid except to show it.

#include <sys/types.h>

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "config/program_spec.h"

namespace vigil::core {

// Names one spawned child for its whole life; never reused (unlike pids).
struct ChildId {
  uint64_t value = 0;
  auto operator<=>(const ChildId&) const = default;
};

struct SpawnedChild {
  ChildId id;
  pid_t pid = 0;
};

// --- For systemd services ---

// Which of a service's processes a command becomes: its main process (ExecStart= of most types)
// or a control process (ExecStartPre=, ExecStop=, ..., and ExecStart= of Type=forking).
enum class CommandRole { kMain, kControl };

struct CommandRequest {
  const config::ExecCommand* command = nullptr;  // one of the spec's service commands
  CommandRole role = CommandRole::kMain;
  // Set by the service for this command: MAINPID, SERVICE_RESULT, EXIT_CODE, EXIT_STATUS,
  // WATCHDOG_USEC, ... (they win over the unit's own environment).
  config::Environment environment;
  bool notify_socket = false;  // pass NOTIFY_SOCKET (NotifyAccess= is not none)
  bool watchdog_pid = false;   // pass WATCHDOG_PID=<the child's own pid> (with WATCHDOG_USEC)
};

// A command that was started, or one that failed before its exec. systemd reports the latter as
// the process exiting with one of its own codes (200 CHDIR, 203 EXEC, 205 LIMITS, 217 USER, ...),
// and so does vigil.
struct CommandSpawn {
  std::optional<SpawnedChild> child;
  // When !child: systemd's exit code for the step that failed; 0 when nothing was started at
  // all (a missing EnvironmentFile=, no pipe: systemd's "resources" result).
  int failure_code = 0;
  std::string failure;  // when !child: what failed, e.g. "couldn't exec /x: ENOENT"
};

struct PidFileContents {
  pid_t pid = 0;
  uid_t owner = 0;              // the file's owner
  bool unsafe_symlink = false;  // reached through a symlink owned by another, non-root user
};

// Whose a process is, for Type=forking's PIDFile= and MAINPID= checks.
enum class ProcessOwner {
  kGone,     // no such process (or a zombie)
  kManager,  // vigild itself
  kService,  // a process of this service (its cgroup, or its session without cgroups)
  kOther,    // anyone else's
};

class Spawner {
 public:
  virtual ~Spawner() = default;

  // Starts a process for `spec`. An error is a spawn error in supervisord's sense (the command
  // cannot be found or run, fork failed, ...); its message is shown as `spawnerr`, e.g.
  // "can't find command '/x'". A child that starts reports its exit later through
  // Supervisor::OnChildExited, exactly once.
  virtual Result<SpawnedChild> Spawn(const config::ProgramSpec& spec) = 0;

  // The checks a spawn makes before forking (the command can be found and executed), without
  // starting anything: supervisord's startProcess answers NO_FILE / NOT_EXECUTABLE from them
  // and leaves the process as it was. Errors: kNotFound, kFailedPrecondition.
  virtual Result<void> CheckCommand(const config::ProgramSpec& spec) = 0;

  // Sends `signo` to the child, or to every process of the program when `to_group` (its
  // process group or cgroup). A child that has already exited but not yet been reported is
  // not an error.
  virtual Result<void> Signal(ChildId child, int signo, bool to_group) = 0;

  // Whether processes of the program other than its main child (which has exited) are still
  // running: a grandchild that ignored the stop signal, or one that left the process group.
  // Only an exact tracker (a cgroup per program) can say; without one this returns false.
  virtual bool HasLeftovers(const config::ProgramSpec& spec) = 0;
  // Sends `signo` to every remaining process of the program.
  virtual Result<void> SignalLeftovers(const config::ProgramSpec& spec, int signo) = 0;

  // --- For systemd services ---

  // Starts one Exec*= command of `spec` (dialect kSystemd). Any failure, fork's included, is
  // a CommandSpawn without a child.
  virtual CommandSpawn SpawnCommand(const config::ProgramSpec& spec,
                                    const CommandRequest& request) = 0;
  // Sends `signo` to every process of the service except `spared` (its main and control
  // processes, which the service signals itself), each followed by SIGCONT. Returns how many
  // processes were signalled (0 without a cgroup: then only the main and control processes
  // are reachable).
  virtual int SignalService(const config::ProgramSpec& spec, int signo,
                            const std::vector<pid_t>& spared) = 0;
  // Whether any process of the service is left: nullopt when the spawner cannot tell (no
  // cgroups).
  virtual std::optional<bool> ServicePopulated(const config::ProgramSpec& spec) = 0;
  // Type=forking: the pid in a PIDFile=. NotFound while the file is missing; InvalidArgument
  // when it holds no pid.
  virtual Result<PidFileContents> ReadPidFile(const std::string& path) = 0;
  virtual ProcessOwner OwnerOf(const config::ProgramSpec& spec, pid_t pid) = 0;
  // systemd's GuessMainPID: the one process of the service whose parent is vigild; nullopt
  // when there is none or more than one.
  virtual std::optional<pid_t> GuessMainPid(const config::ProgramSpec& spec) = 0;
  // Watches `pid` (not started by this spawner; typically re-parented to vigild) as a child of
  // the service: its exit is reported through Supervisor::OnChildExited like a spawned child's.
  // NotFound when it is already gone.
  virtual Result<SpawnedChild> Adopt(const config::ProgramSpec& spec, pid_t pid) = 0;
  // Stops watching an adopted or spawned child without it having exited (its exit will not be
  // reported); for a main pid replaced by PIDFile= or MAINPID=.
  virtual void Forget(ChildId child) = 0;
  // While on, a change to the directory holding `path` is reported through
  // Supervisor::OnPidFileChanged(namespec). At most one watch per service.
  virtual void WatchPidFile(const config::ProgramSpec& spec, const std::string& path, bool on) = 0;
};

}  // namespace vigil::core
