// vigild over many crash/restart cycles: no zombie, no leaked descriptor.

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include "tests/integration/harness.h"

namespace vigil::testing {
namespace {

// The one child of vigild, once it is the long-sleeping kind.
std::optional<pid_t> SleepingChild(pid_t vigild) {
  std::vector<pid_t> children = ChildrenOf(vigild);
  if (children.size() != 1 || IsZombie(children[0])) return std::nullopt;
  const std::string cmdline = ReadFile("/proc/" + std::to_string(children[0]) + "/cmdline");
  if (cmdline.find("sleep") == std::string::npos) return std::nullopt;
  return children[0];
}

TEST(RobustnessTest, ThousandCrashRestartCyclesLeakNothing) {
  TempDir dir;
  Vigild vigild(dir);
  // While <dir>/hold exists the program sleeps; otherwise it exits with 1 at once and, with
  // startsecs=0 and autorestart=true, is restarted at once (supervisord's tight loop).
  const std::string hold = dir / "hold";
  WriteFile(hold, "");
  vigild.Start(Vigild::Config("[program:flaky]\ncommand=/bin/sh -c 'test -e " + hold +
                              " && exec sleep 3600; exit 1'\nstartsecs=0\nautorestart=true\n"));
  std::optional<pid_t> sleeper;
  ASSERT_TRUE(
      WaitUntil([&] { return (sleeper = SleepingChild(vigild.pid())).has_value(); }, seconds(20)));
  const int fds_at_rest = CountFds(vigild.pid());

  ::unlink(hold.c_str());
  ::kill(*sleeper, SIGKILL);
  ASSERT_TRUE(vigild.WaitForLog("exited: flaky (exit status 1; not expected)", 1000,
                                std::chrono::seconds(300)))
      << Count(vigild.Log(), "exited: flaky");
  WriteFile(hold, "");
  ASSERT_TRUE(WaitUntil([&] { return SleepingChild(vigild.pid()).has_value(); }, seconds(30)));

  for (pid_t child : ChildrenOf(vigild.pid())) EXPECT_FALSE(IsZombie(child)) << child;
  // A leak would show as a thousand descriptors. Requests in flight (a connection and its
  // relay) come and go, so the count may take a moment to settle, and may have been a few
  // higher at rest.
  EXPECT_TRUE(WaitUntil([&] { return CountFds(vigild.pid()) <= fds_at_rest; }, seconds(10)))
      << CountFds(vigild.pid()) << " descriptors now, " << fds_at_rest << " at rest";
  EXPECT_GE(Count(vigild.Log(), "spawned: 'flaky'"), 1001);
  EXPECT_EQ(vigild.Stop(), 0);
}

}  // namespace
}  // namespace vigil::testing
