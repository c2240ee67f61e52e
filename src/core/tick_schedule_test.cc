#include "core/tick_schedule.h"

#include <gtest/gtest.h>

namespace vigil::core {
namespace {

TEST(TickScheduleTest, FirstCallOnlyRecordsTheTimeslices) {
  TickSchedule ticks;
  EXPECT_EQ(ticks.NextDue(), std::nullopt);
  EXPECT_TRUE(ticks.Advance(3601).empty());
  EXPECT_EQ(ticks.NextDue(), 3605);
}

TEST(TickScheduleTest, TicksWhenTheTimesliceChanges) {
  TickSchedule ticks;
  static_cast<void>(ticks.Advance(3598));  // slices 3595, 3540, 0
  EXPECT_TRUE(ticks.Advance(3599).empty());
  const std::vector<Event> due = ticks.Advance(3600);
  ASSERT_EQ(due.size(), 3U);
  EXPECT_EQ(due[0].type, EventType::kTick5);
  EXPECT_EQ(due[0].payload, "when:3600");
  EXPECT_EQ(due[1].type, EventType::kTick60);
  EXPECT_EQ(due[2].type, EventType::kTick3600);
  EXPECT_EQ(due[2].payload, "when:3600");
  EXPECT_EQ(ticks.NextDue(), 3605);
  // A late wake-up gives one tick per period, for the slice it woke in.
  const std::vector<Event> late = ticks.Advance(3617);
  ASSERT_EQ(late.size(), 1U);
  EXPECT_EQ(late[0].payload, "when:3615");
  EXPECT_EQ(ticks.NextDue(), 3620);
}

}  // namespace
}  // namespace vigil::core
