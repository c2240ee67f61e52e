#pragma once

// SystemClock: the real clocks. The only code in vigil that reads them (CI greps for others).

#include "base/time.h"

namespace vigil::os {

class SystemClock : public Clock {
 public:
  MonotonicTime Now() const override;
  WallTime WallNow() const override;
};

}  // namespace vigil::os
