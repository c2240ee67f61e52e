#include "logs/output_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "os/pipe.h"

namespace vigil::logs {
namespace {

TEST(OutputReaderTest, ReadsUntilEveryWriterHasClosed) {
  auto loop = loop::EventLoop::Create();
  ASSERT_TRUE(loop);
  auto pipe = os::MakePipe(os::NonBlockingEnd::kRead);
  ASSERT_TRUE(pipe);
  std::string received;
  bool closed = false;
  auto reader = OutputReader::Create(
      **loop, std::move(pipe->read), [&](std::string_view data) { received += data; },
      [&] { closed = true; });
  ASSERT_TRUE(reader);
  const int second_writer = ::dup(pipe->write.get());
  ASSERT_EQ(::write(pipe->write.get(), "one\n", 4), 4);
  pipe->write.Reset();
  (*reader)->Drain();
  EXPECT_EQ(received, "one\n");
  EXPECT_FALSE(closed);  // a second writer (a grandchild, say) still holds the pipe
  ASSERT_EQ(::write(second_writer, "two\n", 4), 4);
  ::close(second_writer);
  while (!closed) ASSERT_TRUE((*loop)->RunOnce());
  EXPECT_EQ(received, "one\ntwo\n");
  EXPECT_TRUE((*reader)->closed());
}

}  // namespace
}  // namespace vigil::logs
