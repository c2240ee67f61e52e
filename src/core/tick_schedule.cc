#include "core/tick_schedule.h"

namespace vigil::core {
namespace {

// Python's `when - (when % period)`: floors towards minus infinity, also before 1970.
int64_t Timeslice(int64_t period, int64_t when) {
  int64_t remainder = when % period;
  if (remainder < 0) remainder += period;
  return when - remainder;
}

}  // namespace

std::vector<Event> TickSchedule::Advance(int64_t now) {
  std::vector<Event> due;
  for (Period& period : periods_) {
    const int64_t slice = Timeslice(period.seconds, now);
    if (!period.slice) {
      period.slice = slice;
      continue;
    }
    if (slice != *period.slice) {
      period.slice = slice;
      due.push_back(TickEvent(period.type, slice));
    }
  }
  return due;
}

std::optional<int64_t> TickSchedule::NextDue() const {
  std::optional<int64_t> next;
  for (const Period& period : periods_) {
    if (!period.slice) return std::nullopt;
    const int64_t due = *period.slice + period.seconds;
    if (!next || due < *next) next = due;
  }
  return next;
}

}  // namespace vigil::core
