#include "os/system_clock.h"

namespace vigil::os {

// steady_clock is CLOCK_MONOTONIC on Linux, the clock timerfd deadlines use.
MonotonicTime SystemClock::Now() const {
  return std::chrono::time_point_cast<Duration>(std::chrono::steady_clock::now());
}

WallTime SystemClock::WallNow() const {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

}  // namespace vigil::os
