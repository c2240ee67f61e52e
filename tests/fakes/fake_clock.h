#pragma once

// FakeClock: time that moves only when the test says so.

#include "base/time.h"

namespace vigil::testing {

class FakeClock : public Clock {
 public:
  MonotonicTime Now() const override { return now_; }
  WallTime WallNow() const override { return wall_epoch_ + (now_ - MonotonicTime{}); }
  void Advance(Duration d) { now_ += d; }
  // Seconds since the fake clock started, for readable assertions.
  double Seconds() const { return std::chrono::duration<double>(now_ - MonotonicTime{}).count(); }

 private:
  MonotonicTime now_{};
  WallTime wall_epoch_{std::chrono::seconds(1'700'000'000)};
};

}  // namespace vigil::testing
