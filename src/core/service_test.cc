#include "core/service.h"

#include <gtest/gtest.h>
#include <signal.h>

#include "tests/fakes/unit_fixture.h"

namespace vigil::core {
namespace {

using config::KillMode;
using config::RestartSetting;
using config::ServiceSpec;
using config::ServiceType;
using std::chrono::milliseconds;
using std::chrono::seconds;

class ServiceTest : public testing::UnitFixture {};

// --- Pure policy: the restart delay and the start limit ---

TEST(RestartDelayTest, FollowsSystemdsGeometricInterpolation) {
  ServiceSpec spec;
  spec.restart_sec = seconds(1);
  spec.restart_steps = 5;
  spec.restart_max_delay = seconds(60);
  // The reference's example: 1, 2.27, 5.14, 11.67, 26.46, 60, 60 s.
  const double expected[] = {1, 2.27, 5.14, 11.67, 26.46, 60, 60, 60};
  for (int64_t n = 0; n < 8; ++n) {
    const double delay = std::chrono::duration<double>(RestartDelay(spec, n)).count();
    EXPECT_NEAR(delay, expected[n], 0.01) << "after " << n << " restarts";
  }
}

TEST(RestartDelayTest, IsRestartSecWithoutBothStepsAndMaximum) {
  ServiceSpec spec;
  spec.restart_sec = seconds(3);
  spec.restart_steps = 5;  // RestartMaxDelaySec= missing: no backoff
  EXPECT_EQ(RestartDelay(spec, 4), seconds(3));
  spec.restart_steps = 0;
  spec.restart_max_delay = seconds(30);  // RestartSteps= missing
  EXPECT_EQ(RestartDelay(spec, 4), seconds(3));
  spec.restart_steps = 2;
  spec.restart_sec = seconds(0);  // RestartSec=0 disables it too
  EXPECT_EQ(RestartDelay(spec, 4), seconds(0));
}

TEST(StartLimitTest, RefusesTheStartBeyondTheBurstWithinTheInterval) {
  ServiceSpec spec;
  spec.start_limit_interval = seconds(120);
  spec.start_limit_burst = 3;
  StartLimit limit;
  MonotonicTime t{};
  EXPECT_TRUE(limit.Allow(spec, t));
  EXPECT_TRUE(limit.Allow(spec, t + seconds(30)));
  EXPECT_TRUE(limit.Allow(spec, t + seconds(60)));
  EXPECT_FALSE(limit.Allow(spec, t + seconds(90)));
  // A new window begins once the interval since its first start has passed.
  EXPECT_TRUE(limit.Allow(spec, t + seconds(121)));
}

TEST(StartLimitTest, ZeroIntervalOrBurstDisablesIt) {
  ServiceSpec spec;
  spec.start_limit_interval = seconds(0);
  StartLimit limit;
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(limit.Allow(spec, MonotonicTime{}));
}

// --- The exit cause x Restart= matrix (systemd.service(5), "Table 2") ---

enum class Cause {
  kCleanCode,
  kCleanSignal,
  kUncleanCode,
  kUncleanSignal,
  kCoreDump,
  kTimeout,
  kWatchdog
};

struct MatrixCase {
  Cause cause;
  RestartSetting restart;
  bool restarts;
};

std::string CaseName(const ::testing::TestParamInfo<MatrixCase>& info) {
  static const char* causes[] = {"CleanCode", "CleanSignal", "UncleanCode", "UncleanSignal",
                                 "CoreDump",  "Timeout",     "Watchdog"};
  static const char* settings[] = {"no",          "always",   "on_success", "on_failure",
                                   "on_abnormal", "on_abort", "on_watchdog"};
  return std::string(causes[static_cast<int>(info.param.cause)]) + "_" +
         settings[static_cast<int>(info.param.restart)];
}

std::vector<MatrixCase> MatrixCases() {
  // Rows in the reference's order; columns no, always, on-success, on-failure, on-abnormal,
  // on-abort, on-watchdog.
  const bool table[7][7] = {
      {false, true, true, false, false, false, false},  // clean exit code or signal
      {false, true, true, false, false, false, false},  // (the signal half of it)
      {false, true, false, true, false, false, false},  // unclean exit code
      {false, true, false, true, true, true, false},    // unclean signal
      {false, true, false, true, true, true, false},    // core dump
      {false, true, false, true, true, false, false},   // timeout
      {false, true, false, true, true, false, true},    // watchdog
  };
  std::vector<MatrixCase> cases;
  for (int c = 0; c < 7; ++c) {
    for (int r = 0; r < 7; ++r) {
      cases.push_back({static_cast<Cause>(c), static_cast<RestartSetting>(r), table[c][r]});
    }
  }
  return cases;
}

class RestartMatrixTest : public testing::UnitFixture,
                          public ::testing::WithParamInterface<MatrixCase> {};

TEST_P(RestartMatrixTest, RestartsExactlyWhenTheTableSays) {
  const MatrixCase& c = GetParam();
  AddUnit("svc", [&](ServiceSpec& s) {
    s.restart = c.restart;
    s.restart_sec = seconds(1);
    s.start_limit_burst = 100;
    if (c.cause == Cause::kTimeout) {
      s.type = ServiceType::kNotify;  // never sends READY=1
      s.timeout_start = seconds(5);
    }
    if (c.cause == Cause::kWatchdog) s.watchdog = seconds(3);
  });
  ASSERT_TRUE(supervisor_.Start("svc"));
  switch (c.cause) {
    case Cause::kCleanCode:
      EndMain("svc", ExitStatus::Exited(0));
      break;
    case Cause::kCleanSignal:
      EndMain("svc", ExitStatus::Killed(SIGTERM));
      break;
    case Cause::kUncleanCode:
      EndMain("svc", ExitStatus::Exited(3));
      break;
    case Cause::kUncleanSignal:
      EndMain("svc", ExitStatus::Killed(SIGKILL));
      break;
    case Cause::kCoreDump:
      EndMain("svc", ExitStatus::Killed(SIGSEGV, true));
      break;
    case Cause::kTimeout:
      RunFor(5);  // start times out: SIGTERM to the main process
      EndMain("svc", ExitStatus::Killed(SIGTERM));
      break;
    case Cause::kWatchdog:
      RunFor(3);  // no WATCHDOG=1: SIGABRT
      EndMain("svc", ExitStatus::Killed(SIGABRT, true));
      break;
  }
  if (c.restarts) {
    EXPECT_EQ(Sub("svc"), "auto-restart");
    const size_t before = spawner_.commands().size();
    RunFor(1);
    EXPECT_EQ(spawner_.commands().size(), before + 1);
    // Started again (a notify service that never says READY=1 is activating again).
    EXPECT_EQ(Active("svc"), c.cause == Cause::kTimeout ? "activating" : "active");
    EXPECT_EQ(Unit("svc").restart_count(), 1);
  } else {
    EXPECT_NE(Sub("svc"), "auto-restart");
    EXPECT_EQ(Active("svc"), c.cause == Cause::kCleanCode || c.cause == Cause::kCleanSignal
                                 ? "inactive"
                                 : "failed");
  }
}

INSTANTIATE_TEST_SUITE_P(Systemd, RestartMatrixTest, ::testing::ValuesIn(MatrixCases()), CaseName);

// --- Lifecycle ---

TEST_F(ServiceTest, SimpleServiceRunsAndRestartsAfterRestartSec) {
  AddUnit("web", [](ServiceSpec& s) {
    s.restart = RestartSetting::kOnFailure;
    s.restart_sec = seconds(5);
  });
  ASSERT_TRUE(supervisor_.Start("web"));
  EXPECT_EQ(Sub("web"), "running");
  EXPECT_EQ(StateOf("web"), ProgramState::kRunning);
  EXPECT_EQ(spawner_.LastCommand().role, CommandRole::kMain);
  EndMain("web", ExitStatus::Exited(1));
  EXPECT_EQ(Sub("web"), "auto-restart");
  EXPECT_EQ(StateOf("web"), ProgramState::kBackoff);
  EXPECT_TRUE(Logged("web", "Main process exited, code=exited, status=1/FAILURE"));
  EXPECT_TRUE(Logged("web", "Failed with result 'exit-code'."));
  RunFor(4.9);
  EXPECT_EQ(spawner_.commands().size(), 1u);
  RunFor(0.1);
  EXPECT_EQ(spawner_.commands().size(), 2u);
  EXPECT_EQ(spawner_.LastCommand().at, 5.0);
  EXPECT_TRUE(Logged("web", "Scheduled restart job, restart counter is at 1."));
  EXPECT_EQ(Sub("web"), "running");
}

TEST_F(ServiceTest, ThreeCrashesWithinTheIntervalHitTheStartLimit) {
  // The seed's doris-be.service: RestartSec=30, StartLimitInterval=120, StartLimitBurst=3.
  AddUnit("be", [](ServiceSpec& s) {
    s.restart = RestartSetting::kOnFailure;
    s.restart_sec = seconds(30);
    s.start_limit_interval = seconds(120);
    s.start_limit_burst = 3;
  });
  ASSERT_TRUE(supervisor_.Start("be"));
  for (int crash = 1; crash <= 3; ++crash) {
    EndMain("be", ExitStatus::Killed(SIGKILL));
    RunFor(30);
  }
  EXPECT_EQ(spawner_.commands().size(), 3u);  // the first start and two restarts
  EXPECT_EQ(Sub("be"), "failed");
  EXPECT_EQ(ResultOf("be"), "start-limit-hit");
  EXPECT_TRUE(Logged("be", "Start request repeated too quickly."));
  EXPECT_EQ(StateOf("be"), ProgramState::kFatal);
  RunFor(600);
  EXPECT_EQ(spawner_.commands().size(), 3u) << "no restart after start-limit-hit";

  // reset-failed clears the failed state and the start counter; a start then runs afresh.
  ASSERT_TRUE(supervisor_.ResetFailed("be"));
  EXPECT_EQ(Active("be"), "inactive");
  ASSERT_TRUE(supervisor_.Start("be"));
  EXPECT_EQ(Sub("be"), "running");
  EXPECT_EQ(Unit("be").restart_count(), 0);
}

TEST_F(ServiceTest, ManualStartsCountTowardsTheStartLimit) {
  AddUnit("x", [](ServiceSpec& s) { s.start_limit_burst = 2; });
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(supervisor_.Start("x"));
    ASSERT_TRUE(supervisor_.Stop("x"));
    EndMain("x", ExitStatus::Killed(SIGTERM));
    ASSERT_EQ(Active("x"), "inactive");
  }
  Result<void> third = supervisor_.Start("x");
  EXPECT_FALSE(third);
  EXPECT_EQ(ResultOf("x"), "start-limit-hit");
}

TEST_F(ServiceTest, AStopThatWasAskedForNeverRestarts) {
  AddUnit("web", [](ServiceSpec& s) { s.restart = RestartSetting::kAlways; });
  ASSERT_TRUE(supervisor_.Start("web"));
  ASSERT_TRUE(supervisor_.Stop("web"));
  EXPECT_EQ(Sub("web"), "stop-sigterm");
  ASSERT_GE(spawner_.signals().size(), 2u);
  EXPECT_EQ(spawner_.signals()[0].signo, SIGTERM);
  EXPECT_EQ(spawner_.signals()[1].signo, SIGCONT);  // systemd's kill_and_sigcont
  EndMain("web", ExitStatus::Killed(SIGTERM));
  EXPECT_EQ(Sub("web"), "dead");
  EXPECT_EQ(StateOf("web"), ProgramState::kStopped);
  RunFor(60);
  EXPECT_EQ(spawner_.commands().size(), 1u);
}

TEST_F(ServiceTest, StopTimeoutEscalatesToSigkill) {
  AddUnit("stubborn", [](ServiceSpec& s) { s.timeout_stop = seconds(10); });
  ASSERT_TRUE(supervisor_.Start("stubborn"));
  ASSERT_TRUE(supervisor_.Stop("stubborn"));
  RunFor(10);
  EXPECT_EQ(Sub("stubborn"), "stop-sigkill");
  EXPECT_EQ(spawner_.signals().back().signo, SIGKILL);
  EXPECT_TRUE(Logged("stubborn", "State 'stop-sigterm' timed out. Killing."));
  EndMain("stubborn", ExitStatus::Killed(SIGKILL));
  EXPECT_EQ(Sub("stubborn"), "failed");
  EXPECT_EQ(ResultOf("stubborn"), "timeout");
}

TEST_F(ServiceTest, SendSigkillNoSkipsTheFinalSignal) {
  AddUnit("gentle", [](ServiceSpec& s) {
    s.send_sigkill = false;
    s.timeout_stop = seconds(5);
  });
  ASSERT_TRUE(supervisor_.Start("gentle"));
  ASSERT_TRUE(supervisor_.Stop("gentle"));
  RunFor(5);
  EXPECT_TRUE(Logged("gentle", "State 'stop-sigterm' timed out. Skipping SIGKILL."));
  ASSERT_FALSE(spawner_.signals().empty()) << "the stop sent its SIGTERM";
  for (const auto& signal : spawner_.signals()) EXPECT_NE(signal.signo, SIGKILL);
}

TEST_F(ServiceTest, KillAndFinalKillSignalsAreUsed) {
  AddUnit("custom", [](ServiceSpec& s) {
    s.kill_signal = SIGINT;
    s.final_kill_signal = SIGQUIT;
    s.restart_kill_signal = SIGUSR2;
    s.timeout_stop = seconds(5);
  });
  ASSERT_TRUE(supervisor_.Start("custom"));
  ASSERT_TRUE(supervisor_.Stop("custom"));
  EXPECT_EQ(spawner_.signals().front().signo, SIGINT);
  RunFor(5);
  const auto& sent = spawner_.signals();
  ASSERT_GE(sent.size(), 2u);
  EXPECT_EQ(sent[sent.size() - 2].signo, SIGQUIT);
  EXPECT_EQ(sent.back().signo, SIGCONT);
  EndMain("custom", ExitStatus::Killed(SIGQUIT, true));
  // A restart's stop uses RestartKillSignal=.
  ASSERT_TRUE(supervisor_.Start("custom"));
  const size_t before = spawner_.signals().size();
  ASSERT_TRUE(supervisor_.RestartService("custom"));
  ASSERT_GT(spawner_.signals().size(), before);
  EXPECT_EQ(spawner_.signals()[before].signo, SIGUSR2);
}

TEST_F(ServiceTest, ExecStopRunsWithMainpidAndKillModeNoneSendsNothing) {
  // The seed's units: ExecStop= runs the stop script, which SIGKILLs the daemon itself.
  AddUnit("be", [](ServiceSpec& s) {
    s.kill_mode = KillMode::kNone;
    s.exec_stop.push_back(Command("/opt/be/stop_be.sh"));
    s.restart = RestartSetting::kOnFailure;
  });
  ASSERT_TRUE(supervisor_.Start("be"));
  const pid_t main_pid = Unit("be").pid();
  ASSERT_TRUE(supervisor_.Stop("be"));
  EXPECT_EQ(Sub("be"), "stop");
  const auto& stop = spawner_.LastCommand();
  EXPECT_EQ(stop.path, "/opt/be/stop_be.sh");
  EXPECT_EQ(stop.role, CommandRole::kControl);
  EXPECT_NE(std::find(stop.environment.begin(), stop.environment.end(),
                      std::pair<std::string, std::string>("MAINPID", std::to_string(main_pid))),
            stop.environment.end());
  // The script kills the daemon, then exits 0.
  EndMain("be", ExitStatus::Killed(SIGKILL));
  EXPECT_EQ(Sub("be"), "stop");
  EndCommand("/opt/be/stop_be.sh", ExitStatus::Exited(0));
  EXPECT_TRUE(spawner_.signals().empty()) << "KillMode=none signals nobody";
  EXPECT_TRUE(spawner_.service_signals().empty());
  // As in systemd, a main process that died of SIGKILL leaves the unit failed; not restarted.
  EXPECT_EQ(Sub("be"), "failed");
  EXPECT_EQ(ResultOf("be"), "signal");
  RunFor(300);
  EXPECT_EQ(spawner_.commands().size(), 2u);
}

TEST_F(ServiceTest, KillModeControlGroupSignalsEveryProcessAndWaitsForThem) {
  AddUnit("web");
  spawner_.SetServiceProcesses("web", 2, true);
  ASSERT_TRUE(supervisor_.Start("web"));
  const pid_t main_pid = Unit("web").pid();
  ASSERT_TRUE(supervisor_.Stop("web"));
  ASSERT_EQ(spawner_.service_signals().size(), 1u);
  EXPECT_EQ(spawner_.service_signals()[0].signo, SIGTERM);
  EXPECT_EQ(spawner_.service_signals()[0].spared, std::vector<pid_t>{main_pid});
  EndMain("web", ExitStatus::Killed(SIGTERM));
  // The main process is gone, the others are not: final-sigterm waits for them.
  EXPECT_EQ(Sub("web"), "final-sigterm");
  spawner_.SetServiceProcesses("web", 0, false);
  supervisor_.CheckDrained();
  EXPECT_EQ(Sub("web"), "dead");
}

TEST_F(ServiceTest, KillModeMixedTermsTheMainProcessAndKillsTheRest) {
  AddUnit("web", [](ServiceSpec& s) { s.kill_mode = KillMode::kMixed; });
  spawner_.SetServiceProcesses("web", 1, true);
  ASSERT_TRUE(supervisor_.Start("web"));
  ASSERT_TRUE(supervisor_.Stop("web"));
  EXPECT_TRUE(spawner_.service_signals().empty()) << "SIGTERM goes to the main process only";
  EndMain("web", ExitStatus::Killed(SIGTERM));
  ASSERT_EQ(spawner_.service_signals().size(), 1u);
  EXPECT_EQ(spawner_.service_signals()[0].signo, SIGKILL);
}

TEST_F(ServiceTest, KillModeProcessLeavesTheRest) {
  AddUnit("web", [](ServiceSpec& s) { s.kill_mode = KillMode::kProcess; });
  spawner_.SetServiceProcesses("web", 1, true);
  ASSERT_TRUE(supervisor_.Start("web"));
  ASSERT_TRUE(supervisor_.Stop("web"));
  EndMain("web", ExitStatus::Killed(SIGTERM));
  EXPECT_TRUE(spawner_.service_signals().empty());
  EXPECT_EQ(Sub("web"), "dead");
}

TEST_F(ServiceTest, FailingExecStartPreSkipsTheMainProcessAndRunsExecStopPost) {
  AddUnit("db", [](ServiceSpec& s) {
    s.exec_start_pre.push_back(Command("/usr/bin/check"));
    s.exec_stop_post.push_back(Command("/usr/bin/cleanup"));
  });
  ASSERT_TRUE(supervisor_.Start("db"));
  EXPECT_EQ(Sub("db"), "start-pre");
  EndCommand("/usr/bin/check", ExitStatus::Exited(2));
  EXPECT_EQ(spawner_.CommandPaths(),
            (std::vector<std::string>{"/usr/bin/check", "/usr/bin/cleanup"}));
  const auto& env = spawner_.LastCommand().environment;
  EXPECT_NE(std::find(env.begin(), env.end(),
                      std::pair<std::string, std::string>("SERVICE_RESULT", "exit-code")),
            env.end());
  EndCommand("/usr/bin/cleanup", ExitStatus::Exited(0));
  EXPECT_EQ(Sub("db"), "failed");
  EXPECT_EQ(ResultOf("db"), "exit-code");
}

TEST_F(ServiceTest, AnIgnoredFailureIsASuccess) {
  AddUnit("db", [](ServiceSpec& s) {
    config::ExecCommand pre = Command("/usr/bin/check");
    pre.ignore_failure = true;
    s.exec_start_pre.push_back(pre);
  });
  ASSERT_TRUE(supervisor_.Start("db"));
  EndCommand("/usr/bin/check", ExitStatus::Exited(2));
  EXPECT_EQ(Sub("db"), "running");
}

TEST_F(ServiceTest, ExecConditionFailureSkipsWithoutFailing) {
  AddUnit("maybe", [](ServiceSpec& s) {
    s.exec_condition.push_back(Command("/usr/bin/should-run"));
    s.restart = RestartSetting::kAlways;
  });
  ASSERT_TRUE(supervisor_.Start("maybe"));
  EndCommand("/usr/bin/should-run", ExitStatus::Exited(1));
  EXPECT_EQ(Sub("maybe"), "dead");
  EXPECT_EQ(ResultOf("maybe"), "exec-condition");
  EXPECT_EQ(spawner_.commands().size(), 1u);
}

TEST_F(ServiceTest, AMainProcessThatCannotBeExecutedFailsWith203) {
  AddUnit("ghost", [](ServiceSpec& s) { s.restart = RestartSetting::kNo; });
  spawner_.FailCommand("/usr/bin/ghost", 203);
  ASSERT_TRUE(supervisor_.Start("ghost"));
  EXPECT_EQ(Sub("ghost"), "failed");
  EXPECT_EQ(ResultOf("ghost"), "exit-code");
  ASSERT_TRUE(Unit("ghost").main_exit().has_value());
  EXPECT_EQ(Unit("ghost").main_exit()->code, 203);
  EXPECT_TRUE(Logged("ghost", "Main process exited, code=exited, status=203/EXEC"));
}

TEST_F(ServiceTest, OneshotRunsEachExecStartThenStaysActiveWithRemainAfterExit) {
  AddUnit("setup", [](ServiceSpec& s) {
    s.type = ServiceType::kOneshot;
    s.exec_start.push_back(Command("/usr/bin/second"));
    s.remain_after_exit = true;
  });
  ASSERT_TRUE(supervisor_.Start("setup"));
  EXPECT_EQ(Sub("setup"), "start");
  EXPECT_EQ(StateOf("setup"), ProgramState::kStarting);
  EndMain("setup", ExitStatus::Exited(0));
  EXPECT_EQ(spawner_.LastCommand().path, "/usr/bin/second");
  EndMain("setup", ExitStatus::Exited(0));
  EXPECT_EQ(Sub("setup"), "exited");
  EXPECT_EQ(Active("setup"), "active");
}

TEST_F(ServiceTest, OneshotWithoutRemainAfterExitEndsDead) {
  AddUnit("job", [](ServiceSpec& s) { s.type = ServiceType::kOneshot; });
  ASSERT_TRUE(supervisor_.Start("job"));
  EndMain("job", ExitStatus::Exited(0));
  EXPECT_EQ(Sub("job"), "dead");
  EXPECT_EQ(StateOf("job"), ProgramState::kExited);
  EXPECT_TRUE(Logged("job", "Finished job."));
}

// --- Type=forking ---

class ForkingTest : public ServiceTest {
 protected:
  void AddForking(const Configure& more = nullptr) {
    AddUnit("be", [&](ServiceSpec& s) {
      s.type = ServiceType::kForking;
      s.exec_start[0] = Command("/opt/be/start_be.sh");
      s.pid_file = "/opt/be/be.pid";
      s.restart = RestartSetting::kOnFailure;
      s.restart_sec = seconds(30);
      if (more) more(s);
    });
  }
};

TEST_F(ForkingTest, WaitsForALatePidFileThenTracksTheDaemon) {
  AddForking();
  ASSERT_TRUE(supervisor_.Start("be"));
  EXPECT_EQ(Sub("be"), "start");
  EXPECT_EQ(spawner_.LastCommand().role, CommandRole::kControl);
  // start_be.sh --daemon returns before doris_be has written be.pid.
  EndCommand("/opt/be/start_be.sh", ExitStatus::Exited(0));
  EXPECT_EQ(Sub("be"), "start");
  EXPECT_TRUE(Logged("be", "Can't open PID file /opt/be/be.pid (yet?) after start"));
  EXPECT_TRUE(spawner_.watching_pid_file("be"));
  spawner_.AddProcess(4242, ProcessOwner::kService);
  spawner_.WritePidFile("/opt/be/be.pid", 4242);
  supervisor_.OnPidFileChanged("be");
  EXPECT_EQ(Sub("be"), "running");
  EXPECT_EQ(Unit("be").pid(), 4242);
  EXPECT_FALSE(spawner_.watching_pid_file("be"));
  // kill -9 of the daemon: back after RestartSec.
  EndMain("be", ExitStatus::Killed(SIGKILL));
  EXPECT_EQ(Sub("be"), "auto-restart");
  RunFor(30);
  EXPECT_EQ(spawner_.LastCommand().path, "/opt/be/start_be.sh");
  EXPECT_EQ(Sub("be"), "start");
}

TEST_F(ForkingTest, TimesOutWhenThePidFileNeverComes) {
  AddForking([](ServiceSpec& s) { s.timeout_start = seconds(90); });
  ASSERT_TRUE(supervisor_.Start("be"));
  EndCommand("/opt/be/start_be.sh", ExitStatus::Exited(0));
  RunFor(90);
  EXPECT_TRUE(Logged("be", "Start operation timed out. Terminating."));
  EXPECT_EQ(ResultOf("be"), "timeout");
}

TEST_F(ForkingTest, RefusesAPidOutsideTheServiceFromAFileNotOwnedByRoot) {
  AddForking();
  spawner_.AddProcess(1, ProcessOwner::kOther);
  spawner_.WritePidFile("/opt/be/be.pid", 1, 1000);
  ASSERT_TRUE(supervisor_.Start("be"));
  EndCommand("/opt/be/start_be.sh", ExitStatus::Exited(0));
  EXPECT_TRUE(Logged("be", "does not belong to service, and PID file is not owned by root"));
  EXPECT_EQ(Sub("be"), "start");  // still waiting for a usable pid file
}

TEST_F(ForkingTest, AStalePidFileIsNotBelieved) {
  AddForking();
  spawner_.WritePidFile("/opt/be/be.pid", 999);  // no such process
  ASSERT_TRUE(supervisor_.Start("be"));
  EndCommand("/opt/be/start_be.sh", ExitStatus::Exited(0));
  EXPECT_TRUE(Logged("be", "New main PID 999 does not exist or is a zombie."));
  EXPECT_EQ(Sub("be"), "start");
}

TEST_F(ForkingTest, GuessesTheMainPidWithoutPidFile) {
  AddForking([](ServiceSpec& s) { s.pid_file.clear(); });
  spawner_.AddProcess(777, ProcessOwner::kService);
  spawner_.SetGuess("be", 777);
  ASSERT_TRUE(supervisor_.Start("be"));
  EndCommand("/opt/be/start_be.sh", ExitStatus::Exited(0));
  EXPECT_EQ(Sub("be"), "running");
  EXPECT_EQ(Unit("be").pid(), 777);
}

TEST_F(ForkingTest, WithoutAMainPidItRunsWhileTheServiceHasProcesses) {
  AddForking([](ServiceSpec& s) {
    s.pid_file.clear();
    s.guess_main_pid = false;
  });
  spawner_.SetServiceProcesses("be", 1, true);
  ASSERT_TRUE(supervisor_.Start("be"));
  EndCommand("/opt/be/start_be.sh", ExitStatus::Exited(0));
  EXPECT_EQ(Sub("be"), "running");
  spawner_.SetServiceProcesses("be", 0, false);
  supervisor_.CheckDrained();
  EXPECT_EQ(Active("be"), "inactive");
}

TEST_F(ForkingTest, AFailingStartScriptFailsTheUnit) {
  AddForking([](ServiceSpec& s) { s.restart = RestartSetting::kNo; });
  ASSERT_TRUE(supervisor_.Start("be"));
  EndCommand("/opt/be/start_be.sh", ExitStatus::Exited(1));
  EXPECT_EQ(Sub("be"), "failed");
  EXPECT_EQ(ResultOf("be"), "exit-code");
}

// --- Type=notify and the watchdog ---

TEST_F(ServiceTest, NotifyServiceIsStartedOnReady) {
  AddUnit("n", [](ServiceSpec& s) { s.type = ServiceType::kNotify; });
  ASSERT_TRUE(supervisor_.Start("n"));
  EXPECT_EQ(Sub("n"), "start");
  EXPECT_TRUE(spawner_.LastCommand().notify_socket);
  const pid_t main_pid = Unit("n").pid();
  supervisor_.OnNotify("n", main_pid + 1, 0, "READY=1");
  EXPECT_EQ(Sub("n"), "start") << "NotifyAccess=main ignores other processes";
  EXPECT_TRUE(Logged("n", "reception only permitted for main PID"));
  supervisor_.OnNotify("n", main_pid, 0, "STATUS=warming up\nEXTEND_TIMEOUT_USEC=1");
  EXPECT_EQ(Unit("n").status_text(), "warming up");
  supervisor_.OnNotify("n", main_pid, 0, "READY=1\nSTATUS=serving");
  EXPECT_EQ(Sub("n"), "running");
  EXPECT_EQ(Unit("n").status_text(), "serving");
}

TEST_F(ServiceTest, NotifyStartTimesOutWithoutReadyButExtendTimeoutHelps) {
  AddUnit("n", [](ServiceSpec& s) {
    s.type = ServiceType::kNotify;
    s.timeout_start = seconds(10);
  });
  ASSERT_TRUE(supervisor_.Start("n"));
  RunFor(8);
  supervisor_.OnNotify("n", Unit("n").pid(), 0, "EXTEND_TIMEOUT_USEC=20000000");
  RunFor(19);
  EXPECT_EQ(Sub("n"), "start");
  RunFor(1);
  EXPECT_EQ(Sub("n"), "stop-sigterm");
  EXPECT_EQ(ResultOf("n"), "timeout");
}

// The limit is written as systemd's format_timespan() writes it.
TEST_F(ServiceTest, WatchdogTimeoutNamesItsLimitAsSystemdDoes) {
  AddUnit("w", [](ServiceSpec& s) {
    s.type = ServiceType::kNotify;
    s.watchdog = seconds(90);
  });
  ASSERT_TRUE(supervisor_.Start("w"));
  supervisor_.OnNotify("w", Unit("w").pid(), 0, "READY=1");
  RunFor(91);
  EXPECT_TRUE(Logged("w", "Watchdog timeout (limit 1min 30s)!"));
}

TEST_F(ServiceTest, WatchdogKeepsItAliveOrAbortsIt) {
  AddUnit("w", [](ServiceSpec& s) {
    s.type = ServiceType::kNotify;
    s.watchdog = seconds(2);
    s.restart = RestartSetting::kOnWatchdog;
  });
  ASSERT_TRUE(supervisor_.Start("w"));
  const auto& env = spawner_.LastCommand().environment;
  EXPECT_NE(std::find(env.begin(), env.end(),
                      std::pair<std::string, std::string>("WATCHDOG_USEC", "2000000")),
            env.end());
  const pid_t main_pid = Unit("w").pid();
  supervisor_.OnNotify("w", main_pid, 0, "READY=1");
  for (int i = 0; i < 5; ++i) {
    RunFor(1.5);
    supervisor_.OnNotify("w", main_pid, 0, "WATCHDOG=1");
  }
  EXPECT_EQ(Sub("w"), "running");
  RunFor(2);
  EXPECT_TRUE(Logged("w", "Watchdog timeout (limit 2s)!"));
  EXPECT_EQ(Sub("w"), "stop-watchdog");
  EXPECT_EQ(spawner_.signals().back().signo, SIGCONT);
  EXPECT_EQ(spawner_.signals()[spawner_.signals().size() - 2].signo, SIGABRT);
  EndMain("w", ExitStatus::Killed(SIGABRT, true));
  EXPECT_EQ(ResultOf("w"), "watchdog");
  EXPECT_EQ(Sub("w"), "auto-restart");
}

TEST_F(ServiceTest, NotifyMainPidMovesTheMainProcess) {
  AddUnit("n", [](ServiceSpec& s) { s.type = ServiceType::kNotify; });
  ASSERT_TRUE(supervisor_.Start("n"));
  spawner_.AddProcess(5555, ProcessOwner::kService);
  supervisor_.OnNotify("n", Unit("n").pid(), 0, "MAINPID=5555\nREADY=1");
  EXPECT_EQ(Unit("n").pid(), 5555);
  EXPECT_EQ(Sub("n"), "running");
}

TEST_F(ServiceTest, ReloadRunsExecReloadAndStaysRunning) {
  AddUnit("web", [](ServiceSpec& s) { s.exec_reload.push_back(Command("/bin/kill")); });
  ASSERT_TRUE(supervisor_.Start("web"));
  ASSERT_TRUE(supervisor_.ReloadService("web"));
  EXPECT_EQ(Sub("web"), "reload");
  EXPECT_EQ(Active("web"), "reloading");
  EndCommand("/bin/kill", ExitStatus::Exited(0));
  EXPECT_EQ(Sub("web"), "running");
}

TEST_F(ServiceTest, ReloadWithoutExecReloadIsRefused) {
  AddUnit("web");
  ASSERT_TRUE(supervisor_.Start("web"));
  Result<void> reloaded = supervisor_.ReloadService("web");
  ASSERT_FALSE(reloaded);
  EXPECT_NE(reloaded.error().message.find("ExecReload"), std::string::npos);
}

TEST_F(ServiceTest, ShutdownStopsServicesAndCancelsAutoRestarts) {
  AddUnit("a", [](ServiceSpec& s) { s.restart = RestartSetting::kAlways; });
  AddUnit("b", [](ServiceSpec& s) { s.restart = RestartSetting::kAlways; });
  ASSERT_TRUE(supervisor_.Start("a"));
  ASSERT_TRUE(supervisor_.Start("b"));
  EndMain("b", ExitStatus::Exited(1));
  ASSERT_EQ(Sub("b"), "auto-restart");
  supervisor_.BeginShutdown();
  EXPECT_EQ(Sub("b"), "dead");
  EXPECT_EQ(Sub("a"), "stop-sigterm");
  EndMain("a", ExitStatus::Killed(SIGTERM));
  EXPECT_TRUE(supervisor_.IsShutDown());
}

}  // namespace
}  // namespace vigil::core
