#include "core/unit_jobs.h"

#include <gtest/gtest.h>
#include <signal.h>

#include "tests/fakes/unit_fixture.h"

namespace vigil::core {
namespace {

using config::ServiceSpec;
using config::ServiceType;

class UnitJobsTest : public testing::UnitFixture {
 protected:
  // Paths of the commands started so far, as unit names.
  std::vector<std::string> Started() const {
    std::vector<std::string> names;
    for (const auto& command : spawner_.commands()) names.push_back(command.name);
    return names;
  }
};

TEST_F(UnitJobsTest, StartPullsInWantedUnitsInAfterOrder) {
  // app After=db Wants=db; db is a notify service that takes a while to be ready.
  AddUnit("db", [](ServiceSpec& s) { s.type = ServiceType::kNotify; });
  AddUnit("app", [](ServiceSpec& s) {
    s.dependencies.wants = {"db", "network-online.target"};
    s.dependencies.after = {"db", "network-online.target"};
  });
  ASSERT_TRUE(supervisor_.Start("app"));
  EXPECT_EQ(Started(), std::vector<std::string>{"db"}) << "app waits for db to be started";
  EXPECT_TRUE(supervisor_.HasJob("app"));
  supervisor_.OnNotify("db", Unit("db").pid(), 0, "READY=1");
  EXPECT_EQ(Started(), (std::vector<std::string>{"db", "app"}));
  EXPECT_EQ(Active("app"), "active");
  EXPECT_FALSE(supervisor_.HasJob("app"));
}

// A wanted unit that is still stopping is waited for; that is no ordering cycle (the dispatcher
// once took it for one and looped forever).
TEST_F(UnitJobsTest, AWantedUnitThatIsStoppingIsStartedOnceItHasStopped) {
  AddUnit("db");
  AddUnit("app", [](ServiceSpec& s) { s.dependencies.wants = {"db"}; });
  ASSERT_TRUE(supervisor_.Start("db"));
  ASSERT_TRUE(supervisor_.Stop("db"));
  ASSERT_EQ(Sub("db"), "stop-sigterm");
  ASSERT_TRUE(supervisor_.Start("app"));
  EXPECT_EQ(Active("app"), "active");
  EXPECT_FALSE(Logged("db", "Found ordering cycle"));
  EXPECT_TRUE(supervisor_.HasJob("db")) << "db's start waits for its stop";
  EndMain("db", ExitStatus::Killed(SIGTERM));
  EXPECT_EQ(Active("db"), "active");
  EXPECT_FALSE(supervisor_.HasJob("db"));
}

TEST_F(UnitJobsTest, WithoutOrderingWantedUnitsStartTogether) {
  AddUnit("db", [](ServiceSpec& s) { s.type = ServiceType::kNotify; });
  AddUnit("app", [](ServiceSpec& s) { s.dependencies.wants = {"db"}; });
  ASSERT_TRUE(supervisor_.Start("app"));
  EXPECT_EQ(Started().size(), 2u);
}

TEST_F(UnitJobsTest, ARequiredUnitThatFailsKeepsTheUnitFromStarting) {
  AddUnit("db", [](ServiceSpec& s) { s.type = ServiceType::kNotify; });
  AddUnit("app", [](ServiceSpec& s) {
    s.dependencies.requires_units = {"db"};
    s.dependencies.after = {"db"};
  });
  ASSERT_TRUE(supervisor_.Start("app"));
  EndMain("db", ExitStatus::Exited(1));  // before READY=1
  EXPECT_EQ(Active("db"), "failed");
  EXPECT_EQ(Started(), std::vector<std::string>{"db"});
  EXPECT_TRUE(Logged("app", "Dependency failed for app."));
  EXPECT_EQ(Active("app"), "inactive");
  EXPECT_EQ(supervisor_.LastStartSucceeded("app"), false);
}

TEST_F(UnitJobsTest, StoppingARequiredUnitStopsItsDependentsFirst) {
  AddUnit("db");
  AddUnit("app", [](ServiceSpec& s) {
    s.dependencies.requires_units = {"db"};
    s.dependencies.after = {"db"};
  });
  ASSERT_TRUE(supervisor_.Start("app"));
  ASSERT_EQ(Active("db"), "active");
  ASSERT_EQ(Active("app"), "active");
  ASSERT_TRUE(supervisor_.Stop("db"));
  // app (ordered after db) stops first; db waits for it.
  EXPECT_EQ(Sub("app"), "stop-sigterm");
  EXPECT_EQ(Sub("db"), "running");
  EndMain("app", ExitStatus::Killed(SIGTERM));
  EXPECT_EQ(Sub("db"), "stop-sigterm");
  EndMain("db", ExitStatus::Killed(SIGTERM));
  EXPECT_EQ(Active("db"), "inactive");
  EXPECT_EQ(Active("app"), "inactive");
}

TEST_F(UnitJobsTest, PartOfPropagatesStopsOneWay) {
  AddUnit("main");
  AddUnit("helper", [](ServiceSpec& s) { s.dependencies.part_of = {"main"}; });
  ASSERT_TRUE(supervisor_.Start("main"));
  ASSERT_TRUE(supervisor_.Start("helper"));
  ASSERT_TRUE(supervisor_.Stop("helper"));
  EXPECT_EQ(Active("main"), "active") << "stopping the part does not stop the whole";
  EndMain("helper", ExitStatus::Killed(SIGTERM));
  ASSERT_TRUE(supervisor_.Start("helper"));
  ASSERT_TRUE(supervisor_.Stop("main"));
  EXPECT_EQ(Sub("helper"), "stop-sigterm");
}

TEST_F(UnitJobsTest, ConflictingUnitsStopEachOther) {
  AddUnit("blue");
  AddUnit("green", [](ServiceSpec& s) { s.dependencies.conflicts = {"blue"}; });
  ASSERT_TRUE(supervisor_.Start("blue"));
  ASSERT_TRUE(supervisor_.Start("green"));
  EXPECT_EQ(Sub("blue"), "stop-sigterm");
  EndMain("blue", ExitStatus::Killed(SIGTERM));
  EXPECT_EQ(Active("green"), "active");
  // ... in either direction.
  ASSERT_TRUE(supervisor_.Start("blue"));
  EXPECT_EQ(Sub("green"), "stop-sigterm");
}

TEST_F(UnitJobsTest, BindsToStopsTheUnitWhenTheOtherDies) {
  AddUnit("device");
  AddUnit("user", [](ServiceSpec& s) { s.dependencies.binds_to = {"device"}; });
  ASSERT_TRUE(supervisor_.Start("user"));
  ASSERT_EQ(Active("device"), "active");
  EndMain("device", ExitStatus::Exited(1));
  EXPECT_TRUE(Logged("user", "Unit user is bound to inactive unit device. Stopping, too."));
  EXPECT_EQ(Sub("user"), "stop-sigterm");
}

TEST_F(UnitJobsTest, ShutdownStopsInReverseStartOrder) {
  AddUnit("db");
  AddUnit("app", [](ServiceSpec& s) { s.dependencies.after = {"db"}; });
  ASSERT_TRUE(supervisor_.Start("db"));
  ASSERT_TRUE(supervisor_.Start("app"));
  supervisor_.BeginShutdown();
  EXPECT_EQ(Sub("app"), "stop-sigterm");
  EXPECT_EQ(Sub("db"), "running");
  EndMain("app", ExitStatus::Killed(SIGTERM));
  EXPECT_EQ(Sub("db"), "stop-sigterm");
  EndMain("db", ExitStatus::Killed(SIGTERM));
  EXPECT_TRUE(supervisor_.IsShutDown());
}

TEST_F(UnitJobsTest, AnOrderingCycleDoesNotHang) {
  AddUnit("a", [](ServiceSpec& s) {
    s.dependencies.after = {"b"};
    s.dependencies.wants = {"b"};
  });
  AddUnit("b", [](ServiceSpec& s) { s.dependencies.after = {"a"}; });
  ASSERT_TRUE(supervisor_.Start("a"));
  EXPECT_EQ(Active("a"), "active");
  EXPECT_EQ(Active("b"), "active");
  EXPECT_TRUE(Logged("a", "ordering cycle") || Logged("b", "ordering cycle"));
}

TEST_F(UnitJobsTest, RestartStopsThenStarts) {
  AddUnit("web");
  ASSERT_TRUE(supervisor_.Start("web"));
  ASSERT_TRUE(supervisor_.RestartService("web"));
  EXPECT_EQ(Sub("web"), "stop-sigterm");
  EndMain("web", ExitStatus::Killed(SIGTERM));
  EXPECT_EQ(Sub("web"), "running");
  EXPECT_EQ(spawner_.commands().size(), 2u);
}

}  // namespace
}  // namespace vigil::core
