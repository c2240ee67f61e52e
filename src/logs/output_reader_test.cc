#include "logs/output_reader.h"

#include <fcntl.h>
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

// A child that fills its pipe gets a 1 MiB one; a quiet one keeps the kernel's default.
TEST(OutputReaderTest, AChattyChildsPipeGrows) {
  auto loop = loop::EventLoop::Create();
  ASSERT_TRUE(loop);
  auto quiet = os::MakePipe(os::NonBlockingEnd::kRead);
  auto chatty = os::MakePipe(os::NonBlockingEnd::kRead);
  ASSERT_TRUE(quiet && chatty);
  const int default_size = ::fcntl(chatty->write.get(), F_GETPIPE_SZ);
  size_t received = 0;
  auto quiet_reader = OutputReader::Create(
      **loop, std::move(quiet->read), [&](std::string_view data) { received += data.size(); },
      nullptr);
  auto chatty_reader = OutputReader::Create(
      **loop, std::move(chatty->read), [&](std::string_view data) { received += data.size(); },
      nullptr);
  ASSERT_TRUE(quiet_reader && chatty_reader);
  const std::string line(99, 'x');
  ASSERT_EQ(::write(quiet->write.get(), (line + "\n").data(), 100), 100);
  const std::string full(static_cast<size_t>(default_size), 'y');
  ASSERT_EQ(::write(chatty->write.get(), full.data(), full.size()),
            static_cast<ssize_t>(full.size()));
  (*quiet_reader)->Drain();
  (*chatty_reader)->Drain();
  EXPECT_EQ(received, 100 + full.size());
  EXPECT_EQ(::fcntl(quiet->write.get(), F_GETPIPE_SZ), default_size);
  EXPECT_EQ(::fcntl(chatty->write.get(), F_GETPIPE_SZ), 1024 * 1024);
}

}  // namespace
}  // namespace vigil::logs
