#pragma once

// Starting a child process with fork and exec, exactly:
// - everything the child needs (argv, envp, paths) is built before fork; after fork the child
//   makes only async-signal-safe calls;
// - the child is created in its cgroup (clone3 with CLONE_INTO_CGROUP; where the kernel cannot,
//   it joins the cgroup first thing), so nothing it starts can escape; it becomes a session
//   leader, takes its stdio, working directory, umask, limits and credentials (supplementary
//   groups, then gid, then uid), arms its parent-death signal, resets signal dispositions and
//   the signal mask, closes every other descriptor, and execs;
// - any failure on the way is sent back to the parent through a CLOEXEC pipe, so Spawn()
//   returns the real error (which step, which errno) instead of a mysterious exit status 127.

#include <sys/resource.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "os/pid_fd.h"

namespace vigil::os {

struct Credentials {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary groups, as initgroups() would set them
};

struct ResourceLimit {
  int resource = 0;  // RLIMIT_*
  rlim_t soft = 0;
  rlim_t hard = 0;
};

struct SpawnRequest {
  std::string path;  // the file to execute
  std::vector<std::string> argv;
  std::vector<std::string> environment;  // "KEY=value"
  std::optional<std::string> directory;
  bool directory_optional = false;  // a failing chdir is ignored (WorkingDirectory=-/x)
  std::optional<mode_t> umask;
  std::optional<int> nice;              // setpriority()
  std::optional<int> oom_score_adjust;  // /proc/self/oom_score_adj
  bool ignore_sigpipe = false;          // SIGPIPE ignored in the new program (IgnoreSIGPIPE=)
  // The index in `environment` of a "NAME=" entry whose value the child fills in with its own
  // pid (systemd's WATCHDOG_PID); the entry must end in '=' followed by room for 20 digits.
  std::optional<size_t> own_pid_variable;
  std::optional<Credentials> credentials;
  std::vector<ResourceLimit> limits;
  // Descriptors that become the child's 0, 1 and 2.
  int stdin_fd = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
  // The directory of the cgroup v2 the child must run in (Cgroup::Open()), or -1.
  int cgroup_fd = -1;
  // Signal the child gets when vigild dies (PR_SET_PDEATHSIG), or 0.
  int parent_death_signal = 0;
};

struct SpawnedProcess {
  pid_t pid = 0;
  PidFd pidfd;
};

// The step of the child's setup that failed, for messages such as supervisord's
// "couldn't chdir to /x: ENOENT".
enum class SpawnStep {
  kCgroup,
  kSession,
  kStdio,
  kDirectory,
  kUmask,
  kLimits,
  kGroups,
  kGid,
  kUid,
  kParentDeath,
  kExec,
  kNice,
  kOomAdjust,
};

// What failed in the child, when SpawnProcess returns an error from it.
struct SpawnFailure {
  SpawnStep step = SpawnStep::kExec;
  int err = 0;
  size_t limit_index = 0;  // kLimits: which of request.limits
};

// systemd's exit code for a child that failed at `step` (200 CHDIR, 203 EXEC, 205 LIMITS, ...).
int SystemdExitCode(SpawnStep step);

// Errors: ErrorCode::kSpawn with the failing step's message and errno (e.g. "couldn't exec
// /bin/x: EACCES"), or kIo when fork/pipe/pidfd_open themselves failed. When the error comes
// from the child, the child has already been reaped.
// When the error comes from the child and `failure` is given, it receives the details.
Result<SpawnedProcess> SpawnProcess(const SpawnRequest& request, SpawnFailure* failure = nullptr);

// supervisord's wording for a failed step (without the "supervisor: " prefix).
std::string DescribeSpawnFailure(SpawnStep step, int err, const SpawnRequest& request);

}  // namespace vigil::os
