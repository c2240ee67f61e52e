#include "os/timer_fd.h"

#include <gtest/gtest.h>
#include <poll.h>

#include "os/system_clock.h"

namespace vigil::os {
namespace {

bool Readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1;
}

TEST(TimerFdTest, PastDeadlineFiresAtOnceAndDisarmStops) {
  Result<TimerFd> timer = TimerFd::Create();
  ASSERT_TRUE(timer);
  SystemClock clock;
  ASSERT_TRUE(timer->Arm(clock.Now() - std::chrono::seconds(1)));
  pollfd p{timer->fd(), POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 5000), 1);
  timer->Drain();
  EXPECT_FALSE(Readable(timer->fd()));
  ASSERT_TRUE(timer->Arm(clock.Now() + std::chrono::hours(1)));
  EXPECT_FALSE(Readable(timer->fd()));
  ASSERT_TRUE(timer->Arm(std::nullopt));
  EXPECT_FALSE(Readable(timer->fd()));
}

}  // namespace
}  // namespace vigil::os
