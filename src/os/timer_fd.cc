#include "os/timer_fd.h"

#include <sys/timerfd.h>
#include <unistd.h>

#include <cstdint>

#include "os/errors.h"

namespace vigil::os {

Result<TimerFd> TimerFd::Create() {
  int fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
  if (fd < 0) return SysError("timerfd_create");
  return TimerFd(UniqueFd(fd));
}

Result<void> TimerFd::Arm(std::optional<MonotonicTime> deadline) {
  itimerspec spec{};
  if (deadline) {
    const auto ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(deadline->time_since_epoch()).count();
    // An all-zero it_value would disarm; a deadline at (or before) zero means "now".
    const int64_t at = ns > 0 ? ns : 1;
    spec.it_value.tv_sec = at / 1'000'000'000;
    spec.it_value.tv_nsec = at % 1'000'000'000;
  }
  if (::timerfd_settime(fd_.get(), TFD_TIMER_ABSTIME, &spec, nullptr) != 0) {
    return SysError("timerfd_settime");
  }
  return Ok();
}

void TimerFd::Drain() {
  uint64_t expirations = 0;
  // EAGAIN when nothing expired: nothing to do.
  static_cast<void>(::read(fd_.get(), &expirations, sizeof expirations));
}

}  // namespace vigil::os
