#pragma once

// TickSchedule: when supervisord emits TICK_5, TICK_60 and TICK_3600 (supervisord.py tick()).
// The first call only records the current timeslice of each period; a tick is due when the
// timeslice (wall seconds floored to the period) has changed since. The daemon asks for
// NextDue() to arm its one timer, and only when some pool subscribes to TICK events.

#include <cstdint>
#include <optional>
#include <vector>

#include "core/event_payloads.h"

namespace vigil::core {

class TickSchedule {
 public:
  // The ticks due at wall time `now` (seconds since the epoch), shortest period first.
  std::vector<Event> Advance(int64_t now);
  // The wall second at which the next tick is due; nullopt before the first Advance().
  std::optional<int64_t> NextDue() const;

 private:
  struct Period {
    EventType type;
    int64_t seconds;
    std::optional<int64_t> slice;
  };
  std::vector<Period> periods_ = {{EventType::kTick5, 5, std::nullopt},
                                  {EventType::kTick60, 60, std::nullopt},
                                  {EventType::kTick3600, 3600, std::nullopt}};
};

}  // namespace vigil::core
