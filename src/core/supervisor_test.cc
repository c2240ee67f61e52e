// Many programs together: priority order, commands and their errors, groups, and shutdown
// (supervisord.md §2.8, §2.9, §3.3).

#include "core/supervisor.h"

#include <gtest/gtest.h>
#include <signal.h>

#include "tests/fakes/supervisor_fixture.h"

namespace vigil::core {
namespace {

class SupervisorTest : public testing::SupervisorFixture {
 protected:
  std::vector<std::string> SpawnOrder() const {
    std::vector<std::string> order;
    for (const auto& s : spawner_.spawns()) order.push_back(s.name);
    return order;
  }
};

TEST_F(SupervisorTest, AutostartSpawnsInPriorityOrderAllAtOnce) {
  Load(
      "[program:z]\ncommand=/z\npriority=1\n"
      "[program:late]\ncommand=/late\npriority=900\n"
      "[program:manual]\ncommand=/m\nautostart=false\n"
      "[program:b]\ncommand=/b\n"
      "[program:a]\ncommand=/a\n"
      "[group:g]\nprograms=g2,g1\npriority=100\n"
      "[program:g1]\ncommand=/g1\npriority=2\n"
      "[program:g2]\ncommand=/g2\npriority=1\n");
  supervisor_.StartAutostart();
  EXPECT_EQ(SpawnOrder(), (std::vector<std::string>{"z", "g:g2", "g:g1", "late", "a", "b"}));
  for (const auto& s : spawner_.spawns()) EXPECT_EQ(s.at, 0);
  // Autostart happens once: a later pass does not start what was stopped by hand.
  ASSERT_TRUE(supervisor_.Stop("a"));
  supervisor_.OnChildExited(spawner_.spawns()[4].id, ExitStatus::Killed(SIGTERM));
  supervisor_.StartAutostart();
  EXPECT_EQ(spawner_.spawn_count(), 6);
  EXPECT_EQ(StateOf("manual"), ProgramState::kStopped);
}

TEST_F(SupervisorTest, CommandErrors) {
  Load("[program:a]\ncommand=/a\n[program:b]\ncommand=/b\nautostart=false\n");
  supervisor_.StartAutostart();
  EXPECT_EQ(supervisor_.Start("nosuch").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(supervisor_.Start("a:nosuch").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(supervisor_.Start("a").error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(supervisor_.Stop("b").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(supervisor_.Signal("b", SIGHUP).error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(supervisor_.Signal("a:a", SIGHUP));
  EXPECT_EQ(spawner_.signals().back().signo, SIGHUP);
  EXPECT_FALSE(spawner_.signals().back().to_group);
  EXPECT_EQ(StateOf("a"), ProgramState::kStarting);  // a signal is not a stop
}

TEST_F(SupervisorTest, ProcessesAreListedByGroupThenName) {
  Load(
      "[program:w]\ncommand=/w\nnumprocs=2\nprocess_name=w%(process_num)d\npriority=1\n"
      "[program:a]\ncommand=/a\n");
  std::vector<std::string> names;
  for (const Program* p : supervisor_.Processes()) names.push_back(p->namespec());
  EXPECT_EQ(names, (std::vector<std::string>{"a", "w:w0", "w:w1"}));
}

TEST_F(SupervisorTest, AddAndRemoveGroups) {
  Load("[program:a]\ncommand=/a\n");
  config::GroupSpec again;
  again.name = "a";
  EXPECT_EQ(supervisor_.AddGroup(again).error().code, ErrorCode::kAlreadyExists);
  supervisor_.StartAutostart();
  EXPECT_EQ(supervisor_.RemoveGroup("a").error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(supervisor_.Stop("a"));
  supervisor_.OnChildExited(spawner_.Last().id, ExitStatus::Killed(SIGTERM));
  EXPECT_TRUE(supervisor_.RemoveGroup("a"));
  EXPECT_EQ(supervisor_.FindGroup("a"), nullptr);
  EXPECT_EQ(supervisor_.RemoveGroup("a").error().code, ErrorCode::kNotFound);
}

TEST_F(SupervisorTest, ProcessesCanBeReplacedInsideAGroup) {
  Load("[program:w]\ncommand=/w\nnumprocs=2\nprocess_name=w%(process_num)d\n");
  supervisor_.StartAutostart();
  EXPECT_EQ(supervisor_.RemoveProcess("w:w1").error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(supervisor_.Stop("w:w1"));
  supervisor_.OnChildExited(supervisor_.FindProcess("w:w1")->main_child().value(),
                            ExitStatus::Killed(SIGTERM));
  ASSERT_TRUE(supervisor_.RemoveProcess("w:w1"));
  EXPECT_EQ(supervisor_.FindProcess("w:w1"), nullptr);
  config::ProgramSpec spec = supervisor_.FindProcess("w:w0")->spec();
  EXPECT_EQ(supervisor_.AddProcess(spec).error().code, ErrorCode::kAlreadyExists);
  spec.name = "w2";
  spec.command = "/w --new";
  ASSERT_TRUE(supervisor_.AddProcess(spec));
  supervisor_.StartAutostart();  // the new process has never started: autostart applies
  EXPECT_EQ(StateOf("w:w2"), ProgramState::kStarting);
  EXPECT_EQ(StateOf("w:w0"), ProgramState::kStarting);  // untouched
  EXPECT_EQ(spawner_.spawn_count(), 3);
  spec.group = "nogroup";
  EXPECT_EQ(supervisor_.AddProcess(spec).error().code, ErrorCode::kNotFound);
}

TEST_F(SupervisorTest, OrphansAreNotOurs) {
  Load("[program:a]\ncommand=/a\n");
  supervisor_.StartAutostart();
  EXPECT_FALSE(supervisor_.OnChildExited(ChildId{999}, ExitStatus::Exited(0)));
}

// supervisord.md §2.8: groups stop one at a time, highest priority first; the processes of a
// group get their stop signal together; the next group waits until this one is stopped.
TEST_F(SupervisorTest, ShutdownStopsGroupsInReversePriorityOrder) {
  Load(
      "[program:db]\ncommand=/db\npriority=10\n"
      "[program:web]\ncommand=/web\npriority=50\nnumprocs=2\nprocess_name=web%(process_num)d\n"
      "[program:cache]\ncommand=/cache\npriority=20\n");
  supervisor_.StartAutostart();
  RunFor(2);
  supervisor_.BeginShutdown();
  auto signalled = [&] {
    std::vector<uint64_t> ids;
    for (const auto& s : spawner_.signals()) ids.push_back(s.id.value);
    return ids;
  };
  auto id_of = [&](const std::string& namespec) {
    return supervisor_.FindProcess(namespec)->main_child()->value;
  };
  const uint64_t web0 = id_of("web:web0"), web1 = id_of("web:web1");
  const uint64_t cache = id_of("cache"), db = id_of("db");
  EXPECT_EQ(signalled(), (std::vector<uint64_t>{web1, web0}));
  supervisor_.OnChildExited(ChildId{web1}, ExitStatus::Killed(SIGTERM));
  EXPECT_EQ(signalled().size(), 2u);  // web0 still stopping: cache waits
  supervisor_.OnChildExited(ChildId{web0}, ExitStatus::Killed(SIGTERM));
  EXPECT_EQ(signalled(), (std::vector<uint64_t>{web1, web0, cache}));
  supervisor_.OnChildExited(ChildId{cache}, ExitStatus::Exited(0));
  EXPECT_EQ(signalled().back(), db);
  EXPECT_FALSE(supervisor_.IsShutDown());
  supervisor_.OnChildExited(ChildId{db}, ExitStatus::Exited(0));
  EXPECT_TRUE(supervisor_.IsShutDown());
  EXPECT_EQ(spawner_.spawn_count(), 4);
}

TEST_F(SupervisorTest, ShutdownMakesBackoffFatalAndNeverRestarts) {
  Load(
      "[program:crashy]\ncommand=/c\nautorestart=true\n"
      "[program:flappy]\ncommand=/f\npriority=1\n"
      "[program:slow]\ncommand=/s\npriority=2000\nstopwaitsecs=5\n");
  supervisor_.StartAutostart();
  supervisor_.OnChildExited(supervisor_.FindProcess("flappy")->main_child().value(),
                            ExitStatus::Exited(1));
  ASSERT_EQ(StateOf("flappy"), ProgramState::kBackoff);
  RunFor(0.5);
  supervisor_.BeginShutdown();  // "slow" is stopped first; the others wait for it
  // A crash during shutdown is not restarted, even with autorestart=true.
  RunFor(2);
  supervisor_.OnChildExited(supervisor_.FindProcess("crashy")->main_child().value(),
                            ExitStatus::Exited(1));
  EXPECT_EQ(StateOf("crashy"), ProgramState::kExited);
  EXPECT_EQ(StateOf("flappy"), ProgramState::kBackoff);  // no retry while shutting down
  const int spawns = spawner_.spawn_count();
  RunFor(10);  // "slow" ignores TERM: SIGKILL after stopwaitsecs
  EXPECT_EQ(spawner_.signals().back().signo, SIGKILL);
  supervisor_.OnChildExited(supervisor_.FindProcess("slow")->main_child().value(),
                            ExitStatus::Killed(SIGKILL));
  EXPECT_EQ(StateOf("flappy"), ProgramState::kFatal);
  EXPECT_TRUE(supervisor_.IsShutDown());
  EXPECT_EQ(spawner_.spawn_count(), spawns);
  EXPECT_EQ(supervisor_.Start("crashy").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(supervisor_.NextDeadline(), std::nullopt);
}

TEST_F(SupervisorTest, ShutdownWithNothingRunningIsImmediate) {
  Load("[program:a]\ncommand=/a\nautostart=false\n");
  supervisor_.BeginShutdown();
  EXPECT_TRUE(supervisor_.IsShutDown());
}

// A sink may call back into the supervisor; the events it causes come after the current ones.
TEST_F(SupervisorTest, SinkMayCallBackIntoTheSupervisor) {
  class StoppingSink : public EventSink {
   public:
    Supervisor* supervisor = nullptr;
    std::vector<std::string> seen;
    void OnProgramEvent(const ProgramEvent& e) override {
      if (e.kind != ProgramEvent::Kind::kStateChanged) return;
      seen.push_back(std::string(StateName(e.to)));
      if (e.to == ProgramState::kRunning) static_cast<void>(supervisor->Stop(e.namespec));
    }
  };
  StoppingSink sink;
  Supervisor supervisor(clock_, spawner_, sink);
  sink.supervisor = &supervisor;
  config::ProgramSpec spec;
  spec.name = spec.group = "p";
  spec.argv = {"/p"};
  spec.restart.startsecs = Duration::zero();
  config::GroupSpec group;
  group.name = "p";
  group.processes = {spec};
  ASSERT_TRUE(supervisor.AddGroup(group));
  supervisor.StartAutostart();
  EXPECT_EQ(sink.seen, (std::vector<std::string>{"STARTING", "RUNNING", "STOPPING"}));
}

}  // namespace
}  // namespace vigil::core
