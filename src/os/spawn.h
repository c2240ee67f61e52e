#pragma once

// Starting a child process with fork and exec, exactly:
// - everything the child needs (argv, envp, paths) is built before fork; after fork the child
//   makes only async-signal-safe calls;
// - the child joins its cgroup first (so nothing it starts can escape), then becomes a session
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
  std::optional<mode_t> umask;
  std::optional<Credentials> credentials;
  std::vector<ResourceLimit> limits;
  // Descriptors that become the child's 0, 1 and 2.
  int stdin_fd = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
  // An open cgroup.procs file of the cgroup the child must run in, or -1.
  int cgroup_procs_fd = -1;
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
  kExec
};

// Errors: ErrorCode::kSpawn with the failing step's message and errno (e.g. "couldn't exec
// /bin/x: EACCES"), or kIo when fork/pipe/pidfd_open themselves failed. When the error comes
// from the child, the child has already been reaped.
Result<SpawnedProcess> SpawnProcess(const SpawnRequest& request);

// supervisord's wording for a failed step (without the "supervisor: " prefix).
std::string DescribeSpawnFailure(SpawnStep step, int err, const SpawnRequest& request);

}  // namespace vigil::os
