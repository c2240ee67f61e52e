#pragma once

// The core's only way to affect processes. The daemon implements it with fork/exec, pidfds and
// cgroups; tests implement it with FakeSpawner. The core never sees a raw pid except to show it.

#include <sys/types.h>

#include <compare>
#include <cstdint>

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
};

}  // namespace vigil::core
