#pragma once

// SignalFd: delivers the given signals as readable events instead of handlers. The signals must
// already be blocked in every thread (BlockSignals), before anything else runs.

#include <signal.h>

#include <initializer_list>
#include <optional>

#include "base/result.h"
#include "base/unique_fd.h"

namespace vigil::os {

// Blocks `signals` in the calling thread (and so in threads it creates later).
Result<void> BlockSignals(std::initializer_list<int> signals);

class SignalFd {
 public:
  static Result<SignalFd> Create(std::initializer_list<int> signals);

  int fd() const { return fd_.get(); }
  // The next pending signal number, or nullopt when none is pending.
  Result<std::optional<int>> Read();

 private:
  explicit SignalFd(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace vigil::os
