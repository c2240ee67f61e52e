// The seed document's doris-fe.service and doris-be.service (tests/compat/seed, verbatim but for
// /home/doris) running the Doris stand-ins (examples/doris) under vigild: Type=forking with a
// pid file the daemon writes late, KillMode=none with ExecStop= scripts, Restart=on-failure
// with RestartSec=, and the legacy [Service] StartLimitInterval=/StartLimitBurst=.
//
// This host cannot raise RLIMIT_NOFILE above 20000 (no CAP_SYS_RESOURCE), so the seed's
// LimitNOFILE=200000 fails the start as systemd would (205/LIMITS); the other tests add a
// drop-in, as an operator would, with a limit the host allows, SKIP_CHECK_ULIMIT for the BE
// stand-in's own check, and a shorter RestartSec= to keep them quick.

#include <signal.h>

#include <filesystem>

#include "tests/integration/units_fixture.h"

namespace vigil::testing {
namespace {

class SeedUnitsTest : public UnitsTest {
 protected:
  void SetUp() override {
    UnitsTest::SetUp();
    std::filesystem::copy(std::string(VIGIL_SOURCE_DIR) + "/examples/doris", dir_ / "doris",
                          std::filesystem::copy_options::recursive);
    for (const char* component : {"fe", "be"}) {
      std::filesystem::remove_all(dir_ / (std::string("doris/") + component + "/log"));
      for (const auto& entry : std::filesystem::directory_iterator(
               dir_ / (std::string("doris/") + component + "/bin"))) {
        if (entry.path().extension() == ".pid") std::filesystem::remove(entry.path());
      }
    }
    for (const char* unit : {"doris-fe.service", "doris-be.service"}) {
      std::string text = ReadFile(std::string(VIGIL_SOURCE_DIR) + "/tests/compat/seed/" + unit);
      ASSERT_NE(text.find("/home/doris/"), std::string::npos);
      for (size_t at; (at = text.find("/home/doris/")) != std::string::npos;) {
        text.replace(at, 12, dir_ / "doris/");
      }
      WriteUnit(unit, text);
    }
  }

  // The operator's drop-in for this host.
  void AddHostDropIn(const std::string& unit, const std::string& extra = "") {
    WriteDropIn(unit, "10-this-host.conf",
                "[Service]\nLimitNOFILE=15000\n"
                "Environment=SKIP_CHECK_ULIMIT=true DORIS_STANDIN_CRASH_AFTER=0\n"
                "RestartSec=2\n" +
                    extra);
  }

  std::string BePidFile() const { return dir_ / "doris/be/bin/be.pid"; }
};

TEST_F(SeedUnitsTest, SeedLimitNofileAboveTheHostMaximumFailsCleanly) {
  StartVigild();
  CommandResult started = Ctl({"start", "doris-be"});
  EXPECT_EQ(started.exit_code, 1) << started.out;
  EXPECT_NE(started.err.find("Job for doris-be.service failed because the control process "
                             "exited with error code."),
            std::string::npos)
      << started.err;
  EXPECT_EQ(Property("doris-be.service", "Result"), "exit-code");
  EXPECT_TRUE(vigild_.WaitForLog(
      "couldn't set LimitNOFILE=200000:200000: EPERM (the hard limit here is 20000"))
      << vigild_.Log();
  EXPECT_TRUE(
      vigild_.WaitForLog("doris-be.service: Control process exited, code=exited, "
                         "status=205/LIMITS"));
  // Restart=on-failure applies to a failed start too: the next attempt waits RestartSec=30.
  EXPECT_EQ(Property("doris-be.service", "SubState"), "auto-restart");
  ASSERT_EQ(Ctl({"stop", "doris-be"}).exit_code, 0);
  EXPECT_EQ(Property("doris-be.service", "ActiveState"), "inactive");
}

TEST_F(SeedUnitsTest, BeIsTrackedAfterItsStartScriptExitsAndComesBackAfterKill9) {
  AddHostDropIn("doris-be.service");
  StartVigild();
  CommandResult started = Ctl({"start", "doris-be"});
  ASSERT_EQ(started.exit_code, 0) << started.err << Explain("doris-be.service");
  EXPECT_EQ(Property("doris-be.service", "ActiveState"), "active");
  EXPECT_EQ(Property("doris-be.service", "Type"), "forking");
  const pid_t be = MainPid("doris-be.service");
  ASSERT_GT(be, 0) << Explain("doris-be.service");
  // The main pid is the one doris_be wrote, and start_be.sh itself is gone.
  EXPECT_EQ(std::stol(ReadFile(BePidFile())), be);
  EXPECT_EQ(ReadFile("/proc/" + std::to_string(be) + "/comm"), "doris_be\n");
  EXPECT_EQ(Property("doris-be.service", "ControlPID"), "0");
  const std::string limits = ReadFile("/proc/" + std::to_string(be) + "/limits");
  EXPECT_NE(limits.find("Max open files            15000                15000"), std::string::npos)
      << limits;
  EXPECT_NE(limits.find("Max core file size        unlimited            unlimited"),
            std::string::npos)
      << limits;

  ::kill(be, SIGKILL);
  ASSERT_TRUE(WaitForProperty("doris-be.service", "NRestarts", "1")) << Explain("doris-be.service");
  ASSERT_TRUE(WaitUntil(
      [&] { return MainPid("doris-be.service") > 0 && MainPid("doris-be.service") != be; },
      seconds(60)))
      << Explain("doris-be.service");
  EXPECT_TRUE(
      vigild_.WaitForLog("doris-be.service: Main process exited, code=killed, status=9/KILL"));
  EXPECT_EQ(Property("doris-be.service", "ActiveState"), "active");
}

TEST_F(SeedUnitsTest, ExecStopRunsTheStopScriptOnStop) {
  AddHostDropIn("doris-be.service");
  StartVigild();
  ASSERT_EQ(Ctl({"start", "doris-be"}).exit_code, 0) << Explain("doris-be.service");
  const pid_t be = MainPid("doris-be.service");
  CommandResult stopped = Ctl({"stop", "doris-be"});
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_FALSE(ProcessExists(be));
  EXPECT_FALSE(FileExists(BePidFile())) << "stop_be.sh removes the pid file";
  // stop_be.sh's output is in the unit's log; it SIGKILLed the BE, so, as with systemd, the
  // unit is failed with result 'signal' (KillMode=none: vigild itself sent nothing).
  CommandResult tail = Ctl({"tail", "doris-be.service"});
  EXPECT_NE(tail.out.find("stop doris_be, and remove pid file."), std::string::npos) << tail.out;
  EXPECT_EQ(Property("doris-be.service", "Result"), "signal");
  EXPECT_EQ(Property("doris-be.service", "NRestarts"), "0") << "a stop is never restarted";
  ASSERT_EQ(Ctl({"start", "doris-be"}).exit_code, 0) << Explain("doris-be.service");
  EXPECT_EQ(Property("doris-be.service", "ActiveState"), "active");
}

TEST_F(SeedUnitsTest, ThreeCrashesWithinTheStartLimitLeaveItFailedUntilResetFailed) {
  AddHostDropIn("doris-be.service");
  StartVigild();
  ASSERT_EQ(Ctl({"start", "doris-be"}).exit_code, 0) << Explain("doris-be.service");
  for (int crash = 1; crash <= 3; ++crash) {
    pid_t be = 0;
    ASSERT_TRUE(WaitUntil(
        [&] {
          be = MainPid("doris-be.service");
          return be > 0 && Property("doris-be.service", "ActiveState") == "active";
        },
        seconds(60)))
        << "crash " << crash << "\n"
        << Explain("doris-be.service");
    ::kill(be, SIGKILL);
    ASSERT_TRUE(WaitUntil([&] { return MainPid("doris-be.service") != be; }, seconds(30)));
  }
  ASSERT_TRUE(WaitForProperty("doris-be.service", "Result", "start-limit-hit", seconds(60)))
      << Explain("doris-be.service");
  EXPECT_EQ(Property("doris-be.service", "ActiveState"), "failed");
  EXPECT_EQ(Ctl({"is-failed", "doris-be"}).exit_code, 0);
  EXPECT_TRUE(vigild_.WaitForLog("doris-be.service: Start request repeated too quickly."));
  // Within the interval a manual start is refused too...
  CommandResult refused = Ctl({"start", "doris-be"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("start of the service was attempted too often"), std::string::npos)
      << refused.err;
  // ... until reset-failed.
  ASSERT_EQ(Ctl({"reset-failed", "doris-be"}).exit_code, 0);
  ASSERT_EQ(Ctl({"start", "doris-be"}).exit_code, 0) << Explain("doris-be.service");
  EXPECT_EQ(Property("doris-be.service", "ActiveState"), "active");
}

TEST_F(SeedUnitsTest, FeRunsAndStopsThroughItsScripts) {
  AddHostDropIn("doris-fe.service");
  StartVigild();
  ASSERT_EQ(Ctl({"start", "doris-fe"}).exit_code, 0) << Explain("doris-fe.service");
  const pid_t fe = MainPid("doris-fe.service");
  ASSERT_GT(fe, 0) << Explain("doris-fe.service");
  EXPECT_EQ(std::stol(ReadFile(dir_ / "doris/fe/bin/fe.pid")), fe);
  ASSERT_EQ(Ctl({"stop", "doris-fe"}).exit_code, 0);
  EXPECT_FALSE(ProcessExists(fe));
}

}  // namespace
}  // namespace vigil::testing
