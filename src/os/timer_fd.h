#pragma once

// TimerFd: one CLOCK_MONOTONIC timer, armed to an absolute deadline.

#include <optional>

#include "base/result.h"
#include "base/time.h"
#include "base/unique_fd.h"

namespace vigil::os {

class TimerFd {
 public:
  static Result<TimerFd> Create();

  int fd() const { return fd_.get(); }
  // Fires once at `deadline` (at once if it has passed); nullopt disarms.
  Result<void> Arm(std::optional<MonotonicTime> deadline);
  // Consumes the expiration count after the fd became readable.
  void Drain();

 private:
  explicit TimerFd(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace vigil::os
