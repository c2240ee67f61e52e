#pragma once

// PidFd: a stable handle on one child process (pidfd_open). Signals sent through it can never
// reach another process that later gets the same pid, and it becomes readable when the process
// exits.

#include <sys/types.h>

#include <optional>

#include "base/result.h"
#include "base/unique_fd.h"

namespace vigil::os {

class PidFd {
 public:
  static Result<PidFd> Open(pid_t pid);

  int fd() const { return fd_.get(); }
  pid_t pid() const { return pid_; }
  // Sends `signo`. ESRCH (exited, not yet reaped) is reported as success.
  Result<void> SendSignal(int signo);
  // Reaps the process if it has exited: its wait status, or nullopt while it runs.
  Result<std::optional<int>> TryReap();

 private:
  PidFd(UniqueFd fd, pid_t pid) : fd_(std::move(fd)), pid_(pid) {}
  UniqueFd fd_;
  pid_t pid_;
};

}  // namespace vigil::os
