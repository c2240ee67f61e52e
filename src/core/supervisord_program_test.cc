// One program's lifecycle against supervisord's observable behaviour (supervisord.md §2.2-2.5),
// with fake time and a fake spawner.

#include <gtest/gtest.h>
#include <signal.h>

#include "core/program.h"
#include "tests/fakes/supervisor_fixture.h"

namespace vigil::core {
namespace {

using Kind = ProgramEvent::Kind;
using std::chrono::seconds;

class ProgramTest : public testing::SupervisorFixture {
 protected:
  static std::optional<ExitStatus> Fails(const testing::FakeSpawner::SpawnRecord&) {
    return ExitStatus::Exited(1);
  }
};

// supervisord.md §2.3: command=/bin/false with defaults spawns startretries+1 = 4 times, waiting
// 1 s, 2 s and 3 s between attempts, then gives up: FATAL right after the 4th failure.
// (supervisord's own run shows 0.00, 1.02, 4.03, 7.11 and FATAL at 8.16: the same schedule plus
// the up-to-1 s granularity of its poll loop, which vigil does not have.)
TEST_F(ProgramTest, BinFalseWithDefaultsFollowsSupervisordsTimeline) {
  Load("[program:false]\ncommand=/bin/false\n");
  supervisor_.StartAutostart();
  RunFor(60, Fails);
  EXPECT_EQ(spawner_.SpawnTimes(), (std::vector<double>{0, 1, 3, 6}));
  EXPECT_EQ(StateOf("false"), ProgramState::kFatal);
  EXPECT_EQ(events_.Transitions("false"),
            (std::vector<std::string>{"STARTING", "BACKOFF", "STARTING", "BACKOFF", "STARTING",
                                      "BACKOFF", "STARTING", "BACKOFF", "FATAL"}));
  EXPECT_EQ(events_.Count(Kind::kGaveUp), 1);
  EXPECT_EQ(supervisor_.FindProcess("false")->spawn_error(),
            "Exited too quickly (process log may have details)");
  // FATAL is never left on its own: no deadline remains.
  EXPECT_EQ(supervisor_.NextDeadline(), std::nullopt);
}

TEST_F(ProgramTest, BackoffEventsCarryTheTryCount) {
  Load("[program:false]\ncommand=/bin/false\nstartretries=2\n");
  supervisor_.StartAutostart();
  RunFor(60, Fails);
  std::vector<int64_t> tries;
  for (const ProgramEvent& e : events_.events()) {
    if (e.kind == Kind::kStateChanged &&
        (e.to == ProgramState::kStarting || e.to == ProgramState::kBackoff)) {
      tries.push_back(e.tries);
    }
  }
  // STARTING tries:0, BACKOFF tries:1, STARTING tries:1, BACKOFF tries:2, STARTING tries:2, ...
  EXPECT_EQ(tries, (std::vector<int64_t>{0, 1, 1, 2, 2, 3}));
  EXPECT_EQ(spawner_.spawn_count(), 3);
}

TEST_F(ProgramTest, StartretriesZeroGivesUpAtTheFirstFailure) {
  Load("[program:false]\ncommand=/bin/false\nstartretries=0\n");
  supervisor_.StartAutostart();
  RunFor(60, Fails);
  EXPECT_EQ(spawner_.spawn_count(), 1);
  EXPECT_EQ(StateOf("false"), ProgramState::kFatal);
}

// A spawn error (command not found) takes the same backoff path: STARTING -> BACKOFF at once.
TEST_F(ProgramTest, SpawnErrorBacksOffThenFatal) {
  Load("[program:ghost]\ncommand=/nonexistent\n");
  spawner_.FailSpawnsOf("ghost", "can't find command '/nonexistent'");
  Result<void> started = supervisor_.Start("ghost");
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, ErrorCode::kSpawn);
  EXPECT_EQ(started.error().message, "can't find command '/nonexistent'");
  EXPECT_EQ(StateOf("ghost"), ProgramState::kBackoff);
  RunFor(60);
  EXPECT_EQ(StateOf("ghost"), ProgramState::kFatal);
  EXPECT_EQ(events_.Count(Kind::kSpawnError), 4);
  EXPECT_EQ(supervisor_.FindProcess("ghost")->spawn_error(), "can't find command '/nonexistent'");
}

TEST_F(ProgramTest, UnsplittableCommandFailsEverySpawnWithoutCallingTheSpawner) {
  Load("[program:q]\ncommand=/bin/echo \"open\n");
  supervisor_.StartAutostart();
  RunFor(60);
  EXPECT_EQ(spawner_.spawn_count(), 0);
  EXPECT_EQ(StateOf("q"), ProgramState::kFatal);
  EXPECT_EQ(supervisor_.FindProcess("q")->spawn_error(),
            "can't parse command '/bin/echo \"open': No closing quotation");
}

TEST_F(ProgramTest, RunningAfterStartsecs) {
  Load("[program:web]\ncommand=/bin/web\nstartsecs=5\n");
  supervisor_.StartAutostart();
  RunFor(4.9);
  EXPECT_EQ(StateOf("web"), ProgramState::kStarting);
  RunFor(0.1);
  EXPECT_EQ(StateOf("web"), ProgramState::kRunning);
  EXPECT_EQ(events_.Count(Kind::kRunning), 1);
  EXPECT_EQ(supervisor_.NextDeadline(), std::nullopt);  // nothing to wake up for
}

TEST_F(ProgramTest, StartsecsZeroIsRunningAtOnce) {
  Load("[program:web]\ncommand=/bin/web\nstartsecs=0\n");
  supervisor_.StartAutostart();
  EXPECT_EQ(StateOf("web"), ProgramState::kRunning);
}

// supervisord.md §2.4, first row: even an expected exit code within startsecs is a failed start.
TEST_F(ProgramTest, ExpectedExitBeforeStartsecsIsStillABackoff) {
  Load("[program:quick]\ncommand=/bin/true\n");
  supervisor_.StartAutostart();
  clock_.Advance(std::chrono::milliseconds(500));
  supervisor_.OnChildExited(spawner_.Last().id, ExitStatus::Exited(0));
  EXPECT_EQ(StateOf("quick"), ProgramState::kBackoff);
  EXPECT_EQ(supervisor_.FindProcess("quick")->exit_status(), 0);
}

struct AfterRunningCase {
  const char* name;
  const char* options;
  ExitStatus status;
  ProgramState state_after;  // EXITED, or STARTING when restarted
  bool expected;
};

void PrintTo(const AfterRunningCase& c, std::ostream* os) { *os << c.name; }

class ExitAfterRunningTest : public ProgramTest,
                             public ::testing::WithParamInterface<AfterRunningCase> {};

TEST_P(ExitAfterRunningTest, FollowsAutorestartAndExitcodes) {
  Load(std::string("[program:p]\ncommand=/bin/p\n") + GetParam().options);
  supervisor_.StartAutostart();
  RunFor(2);
  ASSERT_EQ(StateOf("p"), ProgramState::kRunning);
  supervisor_.OnChildExited(spawner_.Last().id, GetParam().status);
  EXPECT_EQ(StateOf("p"), GetParam().state_after);
  const ProgramEvent* exited = nullptr;
  for (const ProgramEvent& e : events_.events()) {
    if (e.kind == Kind::kExited) exited = &e;
  }
  ASSERT_NE(exited, nullptr);
  EXPECT_EQ(exited->expected, GetParam().expected);
  EXPECT_EQ(spawner_.spawn_count(), GetParam().state_after == ProgramState::kStarting ? 2 : 1);
}

INSTANTIATE_TEST_SUITE_P(
    Matrix, ExitAfterRunningTest,
    ::testing::Values(AfterRunningCase{"UnexpectedDefaultCleanExit", "", ExitStatus::Exited(0),
                                       ProgramState::kExited, true},
                      AfterRunningCase{"UnexpectedDefaultFailure", "", ExitStatus::Exited(1),
                                       ProgramState::kStarting, false},
                      AfterRunningCase{"UnexpectedDefaultSignal", "", ExitStatus::Killed(SIGKILL),
                                       ProgramState::kStarting, false},
                      AfterRunningCase{"ExitcodesListed", "exitcodes=0,2\n", ExitStatus::Exited(2),
                                       ProgramState::kExited, true},
                      AfterRunningCase{"AlwaysOnCleanExit", "autorestart=true\n",
                                       ExitStatus::Exited(0), ProgramState::kStarting, true},
                      AfterRunningCase{"NeverOnFailure", "autorestart=false\n",
                                       ExitStatus::Exited(1), ProgramState::kExited, false}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST_F(ProgramTest, UnexpectedExitRecordsBadExitCode) {
  Load("[program:p]\ncommand=/bin/p\nautorestart=false\n");
  supervisor_.StartAutostart();
  RunFor(2);
  supervisor_.OnChildExited(spawner_.Last().id, ExitStatus::Exited(3));
  EXPECT_EQ(supervisor_.FindProcess("p")->spawn_error(), "Bad exit code 3");
  EXPECT_EQ(supervisor_.FindProcess("p")->exit_status(), 3);
  EXPECT_EQ(events_.Transitions("p").back(), "EXITED");
}

// supervisord renders PROCESS_STATE_EXITED and _STOPPED before it forgets the pid: listeners
// see the pid that ran (supervisord.md §5.2).
TEST_F(ProgramTest, ExitedAndStoppedStateEventsCarryThePidThatRan) {
  Load("[program:p]\ncommand=/bin/p\nautorestart=false\n");
  supervisor_.StartAutostart();
  RunFor(2);
  const pid_t first = spawner_.Last().pid;
  supervisor_.OnChildExited(spawner_.Last().id, ExitStatus::Exited(3));
  ASSERT_TRUE(supervisor_.Start("p"));
  RunFor(2);
  const pid_t second = spawner_.Last().pid;
  ASSERT_NE(first, second);
  ASSERT_TRUE(supervisor_.Stop("p"));
  supervisor_.OnChildExited(spawner_.Last().id, ExitStatus::Killed(SIGTERM));
  std::vector<std::pair<std::string, pid_t>> seen;
  for (const ProgramEvent& e : events_.events()) {
    if (e.kind == Kind::kStateChanged &&
        (e.to == ProgramState::kExited || e.to == ProgramState::kStopped)) {
      seen.emplace_back(std::string(StateName(e.to)), e.pid);
    }
  }
  EXPECT_EQ(seen,
            (std::vector<std::pair<std::string, pid_t>>{{"EXITED", first}, {"STOPPED", second}}));
}

// supervisord issue #1285: with startsecs=0 every exit counts as after RUNNING, so the program
// restarts forever without backoff or FATAL. vigil keeps that behaviour for supervisord files.
TEST_F(ProgramTest, StartsecsZeroRestartsForeverLikeSupervisord) {
  Load("[program:loop]\ncommand=/bin/false\nstartsecs=0\nautorestart=true\n");
  supervisor_.StartAutostart();
  for (int i = 0; i < 20; ++i) {
    supervisor_.OnChildExited(spawner_.Last().id, ExitStatus::Exited(1));
  }
  EXPECT_EQ(spawner_.spawn_count(), 21);
  EXPECT_EQ(StateOf("loop"), ProgramState::kRunning);
}

TEST_F(ProgramTest, StopSendsStopsignalThenSigkillAfterStopwaitsecs) {
  Load("[program:stubborn]\ncommand=/bin/stubborn\nstopsignal=INT\nstopwaitsecs=7\n");
  supervisor_.StartAutostart();
  RunFor(2);
  ASSERT_TRUE(supervisor_.Stop("stubborn"));
  EXPECT_EQ(StateOf("stubborn"), ProgramState::kStopping);
  RunFor(6.9);
  ASSERT_EQ(spawner_.signals().size(), 1u);
  EXPECT_EQ(spawner_.signals()[0].signo, SIGINT);
  RunFor(0.1);
  ASSERT_EQ(spawner_.signals().size(), 2u);
  EXPECT_EQ(spawner_.signals()[1].signo, SIGKILL);
  EXPECT_DOUBLE_EQ(spawner_.signals()[1].at - spawner_.signals()[0].at, 7);
  EXPECT_EQ(events_.Count(Kind::kKilling), 1);
  // SIGKILL is repeated every stopwaitsecs while the child survives, as in supervisord.
  RunFor(7);
  EXPECT_EQ(spawner_.signals().size(), 3u);
  supervisor_.OnChildExited(spawner_.Last().id, ExitStatus::Killed(SIGKILL));
  EXPECT_EQ(StateOf("stubborn"), ProgramState::kStopped);
  EXPECT_EQ(spawner_.spawn_count(), 1);  // a stopped program is not restarted
  EXPECT_EQ(supervisor_.NextDeadline(), std::nullopt);
}

// Where the spawner can see the whole program (a cgroup), a stop completes only when every
// process of it is gone: leftovers get the stop signal, then SIGKILL at the same deadline.
TEST_F(ProgramTest, StopWaitsForLeftoversThenKillsThem) {
  Load("[program:p]\ncommand=/bin/p\nstopwaitsecs=10\n");
  supervisor_.StartAutostart();
  RunFor(2);
  ASSERT_TRUE(supervisor_.Stop("p"));
  RunFor(3);
  spawner_.SetLeftovers("p", true);
  supervisor_.OnChildExited(spawner_.Last().id, ExitStatus::Killed(SIGTERM));
  EXPECT_EQ(StateOf("p"), ProgramState::kStopping);
  EXPECT_EQ(spawner_.leftover_signals(), std::vector<std::string>{"p:15"});
  supervisor_.CheckDrained();
  EXPECT_EQ(StateOf("p"), ProgramState::kStopping);  // still there
  RunFor(6.9);
  EXPECT_EQ(spawner_.leftover_signals().size(), 1u);
  RunFor(0.1);  // stopwaitsecs after the stop began
  EXPECT_EQ(spawner_.leftover_signals(), (std::vector<std::string>{"p:15", "p:9"}));
  spawner_.SetLeftovers("p", false);
  supervisor_.CheckDrained();
  EXPECT_EQ(StateOf("p"), ProgramState::kStopped);
  EXPECT_EQ(events_.events().back().kind, Kind::kStopped);
  EXPECT_EQ(events_.events().back().status, ExitStatus::Killed(SIGTERM));
}

TEST_F(ProgramTest, LeftoversAlreadySignalledAsAGroupAreNotSignalledTwice) {
  Load("[program:p]\ncommand=/bin/p\nstopasgroup=true\n");
  supervisor_.StartAutostart();
  ASSERT_TRUE(supervisor_.Stop("p"));
  spawner_.SetLeftovers("p", true);
  supervisor_.OnChildExited(spawner_.Last().id, ExitStatus::Exited(0));
  EXPECT_TRUE(spawner_.leftover_signals().empty());
  spawner_.SetLeftovers("p", false);
  supervisor_.CheckDrained();
  EXPECT_EQ(StateOf("p"), ProgramState::kStopped);
}

TEST_F(ProgramTest, StopasgroupAndKillasgroupChooseTheTarget) {
  Load(
      "[program:a]\ncommand=/bin/a\nstopasgroup=true\n"
      "[program:b]\ncommand=/bin/b\nkillasgroup=true\nstopwaitsecs=1\n");
  supervisor_.StartAutostart();
  RunFor(2);
  ASSERT_TRUE(supervisor_.Stop("a"));
  ASSERT_TRUE(supervisor_.Stop("b"));
  RunFor(1);
  // a: TERM to the group. b: TERM to the process, then SIGKILL to the group.
  ASSERT_EQ(spawner_.signals().size(), 3u);
  EXPECT_TRUE(spawner_.signals()[0].to_group);
  EXPECT_FALSE(spawner_.signals()[1].to_group);
  EXPECT_EQ(spawner_.signals()[2].signo, SIGKILL);
  EXPECT_TRUE(spawner_.signals()[2].to_group);
}

TEST_F(ProgramTest, StopRecordsExpectednessOfTheExit) {
  Load("[program:p]\ncommand=/bin/p\n");
  supervisor_.StartAutostart();
  RunFor(2);
  ASSERT_TRUE(supervisor_.Stop("p"));
  supervisor_.OnChildExited(spawner_.Last().id, ExitStatus::Killed(SIGTERM));
  const ProgramEvent& stopped = events_.events().back();
  EXPECT_EQ(stopped.kind, Kind::kStopped);
  EXPECT_FALSE(stopped.expected);  // supervisord logs it at WARN
  EXPECT_EQ(stopped.status.Describe(), "terminated by SIGTERM");
  EXPECT_EQ(supervisor_.FindProcess("p")->exit_status(), -1);
}

TEST_F(ProgramTest, StopFromBackoffIsImmediate) {
  Load("[program:false]\ncommand=/bin/false\n");
  supervisor_.StartAutostart();
  supervisor_.OnChildExited(spawner_.Last().id, ExitStatus::Exited(1));
  ASSERT_EQ(StateOf("false"), ProgramState::kBackoff);
  ASSERT_TRUE(supervisor_.Stop("false"));
  EXPECT_EQ(StateOf("false"), ProgramState::kStopped);
  EXPECT_TRUE(spawner_.signals().empty());
  EXPECT_EQ(supervisor_.NextDeadline(), std::nullopt);
}

// supervisord keeps the failure count across a stop from BACKOFF: after two failures, a stop
// and a start, one more failure and one retry are left (startretries=3).
TEST_F(ProgramTest, StopFromBackoffKeepsTheFailureCount) {
  Load("[program:false]\ncommand=/bin/false\n");
  supervisor_.StartAutostart();
  RunFor(1.5, Fails);
  ASSERT_EQ(spawner_.spawn_count(), 2);
  ASSERT_TRUE(supervisor_.Stop("false"));
  ASSERT_TRUE(supervisor_.Start("false"));
  RunFor(60, Fails);
  EXPECT_EQ(spawner_.spawn_count(), 4);
  EXPECT_EQ(StateOf("false"), ProgramState::kFatal);
}

TEST_F(ProgramTest, StopWhileStarting) {
  Load("[program:slow]\ncommand=/bin/slow\nstartsecs=10\n");
  supervisor_.StartAutostart();
  ASSERT_TRUE(supervisor_.Stop("slow"));
  EXPECT_EQ(StateOf("slow"), ProgramState::kStopping);
  supervisor_.OnChildExited(spawner_.Last().id, ExitStatus::Killed(SIGTERM));
  EXPECT_EQ(StateOf("slow"), ProgramState::kStopped);
}

TEST_F(ProgramTest, FatalCanBeStartedAgainByHand) {
  Load("[program:false]\ncommand=/bin/false\nstartretries=0\n");
  supervisor_.StartAutostart();
  RunFor(1, Fails);
  ASSERT_EQ(StateOf("false"), ProgramState::kFatal);
  ASSERT_TRUE(supervisor_.Start("false"));
  EXPECT_EQ(StateOf("false"), ProgramState::kStarting);
}

TEST_F(ProgramTest, SignalFailureMakesTheProgramUnknown) {
  Load("[program:p]\ncommand=/bin/p\n");
  supervisor_.StartAutostart();
  spawner_.FailSignals("Operation not permitted");
  Result<void> sent = supervisor_.Signal("p", SIGHUP);
  ASSERT_FALSE(sent);
  EXPECT_EQ(StateOf("p"), ProgramState::kUnknown);
  EXPECT_EQ(supervisor_.Start("p").error().code, ErrorCode::kFailedPrecondition);
  // When the child finally exits, the program leaves UNKNOWN.
  supervisor_.OnChildExited(spawner_.Last().id, ExitStatus::Exited(0));
  EXPECT_EQ(StateOf("p"), ProgramState::kExited);
}

TEST_F(ProgramTest, TimesAreRecorded) {
  Load("[program:p]\ncommand=/bin/p\nautorestart=false\n");
  const Program* p = supervisor_.FindProcess("p");
  EXPECT_FALSE(p->last_start());
  supervisor_.StartAutostart();
  RunFor(3);
  supervisor_.OnChildExited(spawner_.Last().id, ExitStatus::Exited(0));
  ASSERT_TRUE(p->last_start());
  ASSERT_TRUE(p->last_stop());
  EXPECT_EQ(*p->last_stop() - *p->last_start(), Duration(seconds(3)));
}

}  // namespace
}  // namespace vigil::core
