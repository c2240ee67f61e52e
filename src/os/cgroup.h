#pragma once

// cgroup v2 tracking: every program gets its own cgroup, so "all processes of this program"
// is exact, even for a grandchild that called setsid() or daemonized twice.
//
// CgroupTree::Probe() finds a writable cgroup v2 hierarchy, at /sys/fs/cgroup (unified) or
// /sys/fs/cgroup/unified (the hybrid layout), and a directory vigild may create cgroups in:
// <mount>/vigil/<instance> when that can be created (root), else <own cgroup>/vigil.<instance>.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"

namespace vigil::os {

class Cgroup {
 public:
  // `mount`: where the cgroup v2 hierarchy is mounted, when known.
  explicit Cgroup(std::string path, std::string mount = "")
      : path_(std::move(path)), mount_(std::move(mount)) {}

  const std::string& path() const { return path_; }
  // The path as /proc/PID/cgroup shows it, from the hierarchy's root ("/vigil/x/web"); the full
  // path when the mount is not known.
  std::string RelativePath() const;
  // The cgroup's directory, opened for SpawnRequest::cgroup_fd.
  Result<UniqueFd> Open() const;
  Result<std::vector<pid_t>> Pids() const;
  // Whether any process is in the cgroup (cgroup.events "populated").
  bool Populated() const;
  // SIGKILL to every process at once (cgroup.kill, Linux 5.14+), else one by one.
  Result<void> KillAll() const;
  // Sends `signo` to every process, rescanning until no new process appears.
  Result<void> SignalAll(int signo) const;
  // Removes the cgroup directory; it must be empty.
  Result<void> Remove() const;

 private:
  std::string path_;
  std::string mount_;
};

class CgroupTree {
 public:
  // nullopt when no writable cgroup v2 hierarchy exists here; `why` says what was tried.
  static std::optional<CgroupTree> Probe(const std::string& instance, std::string* why);

  const std::string& root() const { return root_; }
  // The cgroup for `name` (created if needed). Names may not contain '/'.
  Result<Cgroup> Create(const std::string& name) const;
  // Every cgroup directly under the root (for cleaning up after an earlier vigild).
  std::vector<Cgroup> Children() const;

 private:
  CgroupTree(std::string mount, std::string root)
      : mount_(std::move(mount)), root_(std::move(root)) {}
  std::string mount_;
  std::string root_;
};

}  // namespace vigil::os
