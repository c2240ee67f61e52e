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
  explicit Cgroup(std::string path) : path_(std::move(path)) {}

  const std::string& path() const { return path_; }
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
  explicit CgroupTree(std::string root) : root_(std::move(root)) {}
  std::string root_;
};

}  // namespace vigil::os
