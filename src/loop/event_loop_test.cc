#include "loop/event_loop.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "os/pipe.h"
#include "os/system_clock.h"

namespace vigil::loop {
namespace {

class EventLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<EventLoop>> loop = EventLoop::Create();
    ASSERT_TRUE(loop);
    loop_ = std::move(*loop);
  }
  static os::Pipe ReadyPipe() {
    Result<os::Pipe> pipe = os::MakePipe(os::NonBlockingEnd::kRead);
    EXPECT_TRUE(pipe);
    EXPECT_EQ(::write(pipe->write.get(), "x", 1), 1);
    return std::move(*pipe);
  }
  std::unique_ptr<EventLoop> loop_;
};

TEST_F(EventLoopTest, DispatchesInPhaseOrderThenTheDeadline) {
  os::Pipe io = ReadyPipe(), exits = ReadyPipe(), signals = ReadyPipe();
  std::vector<std::string> order;
  auto w1 =
      loop_->WatchFd(io.read.get(), EPOLLIN, Phase::kIo, [&](uint32_t) { order.push_back("io"); });
  auto w2 = loop_->WatchFd(exits.read.get(), EPOLLIN, Phase::kChildExit,
                           [&](uint32_t) { order.push_back("exit"); });
  auto w3 = loop_->WatchFd(signals.read.get(), EPOLLIN, Phase::kSignal,
                           [&](uint32_t) { order.push_back("signal"); });
  ASSERT_TRUE(w1 && w2 && w3);
  os::SystemClock clock;
  loop_->SetPrepare([&] { return std::optional<MonotonicTime>(clock.Now()); });
  loop_->SetDeadlineHandler([&] { order.push_back("deadline"); });
  // The timer may become readable a moment after the pipes; iterate until it has fired.
  for (int i = 0; i < 100 && std::find(order.begin(), order.end(), "deadline") == order.end();
       ++i) {
    ASSERT_TRUE(loop_->RunOnce());
    if (order.size() == 3) {
      w1->reset();
    }
  }
  ASSERT_GE(order.size(), 4u);
  EXPECT_EQ(std::vector<std::string>(order.begin(), order.begin() + 3),
            (std::vector<std::string>{"signal", "exit", "io"}));
  EXPECT_EQ(order.back(), "deadline");
}

TEST_F(EventLoopTest, ACallbackMayDestroyAnotherWatchInTheSameBatch) {
  os::Pipe first = ReadyPipe(), second = ReadyPipe();
  std::unique_ptr<Watch> victim;
  int victim_calls = 0;
  auto killer =
      loop_->WatchFd(first.read.get(), EPOLLIN, Phase::kSignal, [&](uint32_t) { victim.reset(); });
  auto created =
      loop_->WatchFd(second.read.get(), EPOLLIN, Phase::kIo, [&](uint32_t) { ++victim_calls; });
  ASSERT_TRUE(killer && created);
  victim = std::move(*created);
  ASSERT_TRUE(loop_->RunOnce());
  EXPECT_EQ(victim, nullptr);
  EXPECT_EQ(victim_calls, 0);
}

TEST_F(EventLoopTest, ACallbackMayDestroyItsOwnWatch) {
  os::Pipe pipe = ReadyPipe();
  std::unique_ptr<Watch> self;
  int calls = 0;
  auto watch = loop_->WatchFd(pipe.read.get(), EPOLLIN, Phase::kIo, [&](uint32_t) {
    ++calls;
    self.reset();
  });
  ASSERT_TRUE(watch);
  self = std::move(*watch);
  ASSERT_TRUE(loop_->RunOnce());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(self, nullptr);
}

}  // namespace
}  // namespace vigil::loop
