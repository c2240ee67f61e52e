#include "core/restart_policy.h"

#include <gtest/gtest.h>

namespace vigil::core {
namespace {

using std::chrono::seconds;

TEST(SupervisordRestartPolicyTest, LinearBackoffThenGiveUp) {
  config::SupervisordRestart settings;  // startretries=3
  SupervisordRestartPolicy policy(settings);
  EXPECT_EQ(policy.OnStartFailed(), Duration(seconds(1)));
  EXPECT_EQ(policy.OnStartFailed(), Duration(seconds(2)));
  EXPECT_EQ(policy.OnStartFailed(), Duration(seconds(3)));
  EXPECT_EQ(policy.FailedStarts(), 3);
  EXPECT_EQ(policy.OnStartFailed(), std::nullopt);
  policy.OnGaveUp();
  EXPECT_EQ(policy.FailedStarts(), 0);
}

TEST(SupervisordRestartPolicyTest, NoCapOnTheDelay) {
  config::SupervisordRestart settings;
  settings.startretries = 100;
  SupervisordRestartPolicy policy(settings);
  for (int i = 1; i < 50; ++i) static_cast<void>(policy.OnStartFailed());
  EXPECT_EQ(policy.OnStartFailed(), Duration(seconds(50)));
}

TEST(SupervisordRestartPolicyTest, RunningResetsTheCount) {
  SupervisordRestartPolicy policy(config::SupervisordRestart{});
  static_cast<void>(policy.OnStartFailed());
  static_cast<void>(policy.OnStartFailed());
  policy.OnStarted();
  EXPECT_EQ(policy.OnStartFailed(), Duration(seconds(1)));
}

struct ExitCase {
  config::AutoRestart autorestart;
  std::vector<int> exitcodes;
  ExitStatus status;
  bool expected;
  bool restart;
};

void PrintTo(const ExitCase& c, std::ostream* os) {
  *os << config::AutoRestartName(c.autorestart) << "_" << c.status.Describe();
}

class SupervisordExitTest : public ::testing::TestWithParam<ExitCase> {};

// supervisord.md §2.4: the exit matrix after RUNNING.
TEST_P(SupervisordExitTest, Verdict) {
  config::SupervisordRestart settings;
  settings.autorestart = GetParam().autorestart;
  settings.exitcodes = GetParam().exitcodes;
  SupervisordRestartPolicy policy(settings);
  ExitVerdict verdict = policy.OnExit(GetParam().status);
  EXPECT_EQ(verdict.expected, GetParam().expected);
  EXPECT_EQ(verdict.restart, GetParam().restart);
  EXPECT_EQ(verdict.delay, Duration::zero());  // supervisord restarts on the next pass
}

using config::AutoRestart;

INSTANTIATE_TEST_SUITE_P(
    Matrix, SupervisordExitTest,
    ::testing::Values(ExitCase{AutoRestart::kUnexpected, {0}, ExitStatus::Exited(0), true, false},
                      ExitCase{AutoRestart::kUnexpected, {0}, ExitStatus::Exited(1), false, true},
                      ExitCase{AutoRestart::kUnexpected, {0}, ExitStatus::Killed(9), false, true},
                      ExitCase{
                          AutoRestart::kUnexpected, {0, 2}, ExitStatus::Exited(2), true, false},
                      ExitCase{AutoRestart::kAlways, {0}, ExitStatus::Exited(0), true, true},
                      ExitCase{AutoRestart::kAlways, {0}, ExitStatus::Exited(3), false, true},
                      ExitCase{AutoRestart::kNever, {0}, ExitStatus::Exited(1), false, false},
                      ExitCase{AutoRestart::kNever, {0}, ExitStatus::Killed(15), false, false},
                      ExitCase{AutoRestart::kUnexpected, {}, ExitStatus::Exited(0), false, true}));

TEST(ExitStatusTest, DescribesLikeSupervisord) {
  EXPECT_EQ(ExitStatus::Exited(1).Describe(), "exit status 1");
  EXPECT_EQ(ExitStatus::Killed(15).Describe(), "terminated by SIGTERM");
  EXPECT_EQ(ExitStatus::Killed(11, true).Describe(), "terminated by SIGSEGV (core dumped)");
  EXPECT_EQ(ExitStatus::Killed(9).SupervisordCode(), -1);
  EXPECT_EQ(ExitStatus::FromWaitStatus(3 << 8), ExitStatus::Exited(3));
  EXPECT_EQ(ExitStatus::FromWaitStatus(9), ExitStatus::Killed(9));
  EXPECT_EQ(ExitStatus::FromWaitStatus(11 | 0x80), ExitStatus::Killed(11, true));
}

}  // namespace
}  // namespace vigil::core
