#include "os/pid_fd.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "os/spawn.h"

namespace vigil::os {
namespace {

TEST(PidFdTest, SignalWaitAndReap) {
  SpawnRequest request;
  request.path = "/bin/sleep";
  request.argv = {"sleep", "60"};
  Result<SpawnedProcess> child = SpawnProcess(request);
  ASSERT_TRUE(child) << child.error().message;
  EXPECT_EQ(*child->pidfd.TryReap(), std::nullopt);
  ASSERT_TRUE(child->pidfd.SendSignal(SIGTERM));
  pollfd p{child->pidfd.fd(), POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 10000), 1);  // readable once the child has exited
  // Signalling an exited, unreaped child is not an error.
  EXPECT_TRUE(child->pidfd.SendSignal(SIGTERM));
  Result<std::optional<int>> status = child->pidfd.TryReap();
  ASSERT_TRUE(status && *status);
  EXPECT_TRUE(WIFSIGNALED(**status));
  EXPECT_EQ(WTERMSIG(**status), SIGTERM);
}

}  // namespace
}  // namespace vigil::os
