#pragma once

// vigil's one vocabulary for time. Durations are std::chrono nanoseconds; monotonic instants
// measure intervals and deadlines; wall time only labels things for humans (logs, API).
// Only os/SystemClock reads the real clocks; everything else is handed a Clock&.

#include <chrono>

namespace vigil {

using Duration = std::chrono::nanoseconds;
using MonotonicTime = std::chrono::time_point<std::chrono::steady_clock, Duration>;
using WallTime = std::chrono::time_point<std::chrono::system_clock, Duration>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual MonotonicTime Now() const = 0;
  virtual WallTime WallNow() const = 0;
};

}  // namespace vigil
