// systemd units under a real vigild, driven through the real vigilctl: Type= (forking with a
// double-forking daemon, notify with libsystemd's own sd_notify), the watchdog, KillMode=,
// limits, credentials, the order of Exec*= commands, enablement and daemon-reload.

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "tests/integration/units_fixture.h"

namespace vigil::testing {
namespace {

std::string Child() { return TestChildPath(); }

// The value of `key` in a --dump-ids line ("uid=0 euid=0 ...").
std::string IdField(const std::string& ids, const std::string& key) {
  std::istringstream in(ids);
  std::string field;
  while (in >> field) {
    if (field.rfind(key + "=", 0) == 0) return field.substr(key.size() + 1);
  }
  return "";
}

TEST_F(UnitsTest, ForkingServiceIsTrackedThroughItsPidFileAndRestartedAfterKill9) {
  WriteUnit("daemon.service",
            "[Unit]\nDescription=A daemon that forks\n"
            "[Service]\nType=forking\nPIDFile=" +
                dir_ / "daemon.pid" + "\n" + "ExecStart=" + Child() + " --daemonize=" +
                dir_ / "daemon.pid" + " --sleep=forever\nRestart=on-failure\nRestartSec=1\n");
  StartVigild();
  CommandResult started = Ctl({"start", "daemon"});
  ASSERT_EQ(started.exit_code, 0) << started.err << Explain("daemon.service");
  EXPECT_EQ(Property("daemon.service", "ActiveState"), "active");
  const pid_t daemon = MainPid("daemon.service");
  ASSERT_GT(daemon, 0) << Explain("daemon.service");
  EXPECT_EQ(std::to_string(daemon),
            ReadFile(dir_ / "daemon.pid").substr(0, std::to_string(daemon).size()));
  // The start command has exited; the daemon was re-parented to vigild (a subreaper).
  EXPECT_EQ(ChildrenOf(vigild_.pid()), std::vector<pid_t>{daemon});

  ::kill(daemon, SIGKILL);
  ASSERT_TRUE(WaitForProperty("daemon.service", "NRestarts", "1")) << Explain("daemon.service");
  ASSERT_TRUE(WaitUntil(
      [&] { return MainPid("daemon.service") > 0 && MainPid("daemon.service") != daemon; },
      seconds(30)))
      << Explain("daemon.service");
  EXPECT_TRUE(
      vigild_.WaitForLog("daemon.service: Main process exited, code=killed, status=9/KILL"));
  EXPECT_TRUE(
      vigild_.WaitForLog("daemon.service: Scheduled restart job, restart counter is at 1."));
  EXPECT_EQ(Ctl({"stop", "daemon"}).exit_code, 0);
  EXPECT_EQ(Property("daemon.service", "ActiveState"), "inactive");
  EXPECT_FALSE(ProcessExists(MainPid("daemon.service")));
}

TEST_F(UnitsTest, NotifyServiceBecomesActiveOnReadyFromSdNotify) {
  WriteUnit("ready.service", "[Service]\nType=notify\nExecStart=" + Child() +
                                 " --wait-file=" + dir_ / "go" +
                                 " --notify=STATUS=serving\\nREADY=1 --sleep=forever\n");
  StartVigild();
  CommandResult started = Ctl({"start", "--no-wait", "ready"});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  ASSERT_TRUE(WaitForProperty("ready.service", "SubState", "start")) << Explain("ready.service");
  EXPECT_EQ(Property("ready.service", "ActiveState"), "activating");
  WriteFile(dir_ / "go", "");
  ASSERT_TRUE(WaitForProperty("ready.service", "ActiveState", "active"))
      << Explain("ready.service");
  EXPECT_EQ(Property("ready.service", "StatusText"), "serving");
  EXPECT_NE(Ctl({"status", "ready"}).out.find("Status: \"serving\""), std::string::npos);
}

TEST_F(UnitsTest, WatchdogRestartsAServiceThatStopsPinging) {
  WriteUnit("dog.service",
            "[Service]\nType=notify\nWatchdogSec=1\nRestart=on-watchdog\n"
            "RestartSec=0\nExecStart=" +
                Child() + " --notify=READY=1 --watchdog=3 --sleep=forever\n");
  StartVigild();
  ASSERT_EQ(Ctl({"start", "dog"}).exit_code, 0) << Explain("dog.service");
  const pid_t first = MainPid("dog.service");
  ASSERT_TRUE(WaitForProperty("dog.service", "NRestarts", "1", seconds(60)))
      << Explain("dog.service");
  EXPECT_TRUE(vigild_.WaitForLog("dog.service: Watchdog timeout (limit 1s)!"));
  EXPECT_TRUE(vigild_.WaitForLog("dog.service: Failed with result 'watchdog'."));
  ASSERT_TRUE(WaitForProperty("dog.service", "ActiveState", "active")) << Explain("dog.service");
  EXPECT_NE(MainPid("dog.service"), first);
}

TEST_F(UnitsTest, KillModeControlGroupKillsASetsidGrandchild) {
  WriteUnit("tree.service",
            "[Service]\nExecStart=" + Child() + " --setsid-grandchild --sleep=forever\n");
  StartVigild();
  ASSERT_EQ(Ctl({"start", "tree"}).exit_code, 0);
  std::vector<pid_t> grandchildren;
  ASSERT_TRUE(WaitUntil(
      [&] { return !(grandchildren = ChildrenOf(MainPid("tree.service"))).empty(); }, seconds(20)));
  ASSERT_EQ(Property("tree.service", "TasksCurrent"), "2");
  ASSERT_EQ(Ctl({"stop", "tree"}).exit_code, 0);
  EXPECT_TRUE(WaitUntil([&] { return !ProcessExists(grandchildren[0]); }, seconds(20)));
}

TEST_F(UnitsTest, KillModeProcessLeavesTheGrandchild) {
  WriteUnit("tree.service", "[Service]\nKillMode=process\nExecStart=" + Child() +
                                " --setsid-grandchild --sleep=forever\n");
  StartVigild();
  ASSERT_EQ(Ctl({"start", "tree"}).exit_code, 0);
  std::vector<pid_t> grandchildren;
  const pid_t main = MainPid("tree.service");
  ASSERT_TRUE(WaitUntil([&] { return !(grandchildren = ChildrenOf(main)).empty(); }, seconds(20)));
  ASSERT_EQ(Ctl({"stop", "tree"}).exit_code, 0);
  EXPECT_FALSE(ProcessExists(main) && !IsZombie(main));
  EXPECT_TRUE(ProcessExists(grandchildren[0]));
  ::kill(grandchildren[0], SIGKILL);  // ours to clean up
  EXPECT_TRUE(WaitUntil([&] { return !ProcessExists(grandchildren[0]); }, seconds(20)));
}

TEST_F(UnitsTest, KillModeNoneLeavesEverythingAndWarns) {
  WriteUnit("stray.service", "[Service]\nKillMode=none\nExecStart=" + Child() +
                                 " --setsid-grandchild --sleep=forever\n");
  StartVigild();
  EXPECT_TRUE(vigild_.WaitForLog("Unit uses KillMode=none. This is unsafe")) << vigild_.Log();
  ASSERT_EQ(Ctl({"start", "stray"}).exit_code, 0);
  const pid_t main = MainPid("stray.service");
  std::vector<pid_t> grandchildren;
  ASSERT_TRUE(WaitUntil([&] { return !(grandchildren = ChildrenOf(main)).empty(); }, seconds(20)));
  // Nothing is signalled: the stop job ends with both still running.
  ASSERT_EQ(Ctl({"stop", "stray"}).exit_code, 0) << Explain("stray.service");
  EXPECT_EQ(Property("stray.service", "ActiveState"), "inactive");
  EXPECT_TRUE(ProcessExists(main));
  EXPECT_TRUE(ProcessExists(grandchildren[0]));
  ::kill(main, SIGKILL);
  ::kill(grandchildren[0], SIGKILL);
  EXPECT_TRUE(WaitUntil([&] { return !ProcessExists(main) && !ProcessExists(grandchildren[0]); },
                        seconds(20)));
}

TEST_F(UnitsTest, LimitsUserAndGroupTakeEffect) {
  const passwd* nobody = ::getpwnam("nobody");
  ASSERT_NE(nobody, nullptr);
  // (ASAN_OPTIONS: a sanitized test child would otherwise set its own core limit to 0.)
  WriteUnit("limited.service",
            "[Service]\nUser=nobody\nGroup=nogroup\nLimitNOFILE=15000\n"
            "LimitCORE=infinity\nLimitSIGPENDING=100\nUMask=0027\nWorkingDirectory=/tmp\n"
            "Environment=ASAN_OPTIONS=disable_coredump=0\n"
            "ExecStart=" +
                Child() + " --dump-ids=" + dir_ / "ids" + " --dump-limits=" + dir_ / "limits" +
                " --sleep=forever\n");
  std::filesystem::permissions(dir_.path(), std::filesystem::perms::all);
  StartVigild();
  ASSERT_EQ(Ctl({"start", "limited"}).exit_code, 0) << Explain("limited.service");
  ASSERT_TRUE(WaitUntil([&] { return FileExists(dir_ / "limits") && FileExists(dir_ / "ids"); },
                        seconds(20)))
      << Explain("limited.service");
  const std::string ids = ReadFile(dir_ / "ids");
  EXPECT_EQ(IdField(ids, "uid"), std::to_string(nobody->pw_uid)) << ids;
  EXPECT_EQ(IdField(ids, "gid"), "65534") << ids;
  EXPECT_EQ(IdField(ids, "umask"), "0027") << ids;
  EXPECT_EQ(IdField(ids, "cwd"), "/tmp") << ids;
  const std::string limits = ReadFile(dir_ / "limits");
  EXPECT_NE(limits.find("Max open files            15000                15000"), std::string::npos)
      << limits;
  EXPECT_NE(limits.find("Max core file size        unlimited            unlimited"),
            std::string::npos)
      << limits;
  // show names every limit set, as systemctl show does.
  EXPECT_EQ(Property("limited.service", "LimitNOFILE"), "15000");
  EXPECT_EQ(Property("limited.service", "LimitSIGPENDINGSoft"), "100");
}

TEST_F(UnitsTest, ALimitAboveTheHardMaximumFailsTheStartWithACleanError) {
  WriteUnit("greedy.service",
            "[Service]\nLimitNOFILE=200000\nExecStart=" + Child() + " --sleep=forever\n");
  StartVigild();
  CommandResult started = Ctl({"start", "greedy"});
  EXPECT_EQ(started.exit_code, 1);
  EXPECT_NE(started.err.find("Job for greedy.service failed because the control process exited "
                             "with error code."),
            std::string::npos)
      << started.err;
  EXPECT_EQ(Property("greedy.service", "ActiveState"), "failed");
  EXPECT_EQ(Property("greedy.service", "ExecMainStatus"), "205");
  EXPECT_TRUE(vigild_.WaitForLog("couldn't set LimitNOFILE=200000:200000: EPERM")) << vigild_.Log();
  EXPECT_TRUE(vigild_.WaitForLog("status=205/LIMITS")) << vigild_.Log();
}

TEST_F(UnitsTest, CommandsGetSystemdsEnvironmentWithFilesReadJustBeforeExec) {
  // vigild's own environment does not leak into units (systemd's manager passes almost none).
  ::setenv("VIGIL_TEST_LEAK", "from-vigild", 1);
  ::setenv("http_proxy", "http://proxy.invalid:3128", 1);
  const std::string env_file = dir_ / "generated.env";
  WriteUnit("env.service",
            "[Service]\nEnvironment=\"PLAIN=a b\" COUNT=1\nEnvironmentFile=-" + env_file + "\n" +
                "PassEnvironment=VIGIL_TEST_LEAK\nUnsetEnvironment=COUNT\n"
                "ExecStartPre=/bin/sh -c 'echo GREETING=hello > " +
                env_file + "'\n" + "ExecStart=" + Child() + " --dump-env=" + dir_ / "env" +
                " --print=${GREETING}-${PLAIN} --print=$$literal --sleep=forever\n");
  StartVigild();
  ::unsetenv("VIGIL_TEST_LEAK");
  ::unsetenv("http_proxy");
  ASSERT_EQ(Ctl({"start", "env"}).exit_code, 0) << Explain("env.service");
  ASSERT_TRUE(WaitUntil([&] { return FileExists(dir_ / "env"); }, seconds(20)));
  const std::string env = ReadFile(dir_ / "env");
  EXPECT_NE(env.find("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin\n"), std::string::npos)
      << env;
  EXPECT_NE(env.find("PLAIN=a b\n"), std::string::npos) << env;
  EXPECT_NE(env.find("GREETING=hello\n"), std::string::npos) << env;
  EXPECT_NE(env.find("VIGIL_TEST_LEAK=from-vigild\n"), std::string::npos) << env;
  EXPECT_EQ(env.find("COUNT="), std::string::npos) << env;
  EXPECT_EQ(env.find("http_proxy"), std::string::npos) << env;
  ASSERT_TRUE(WaitUntil(
      [&] {
        return Ctl({"tail", "env.service"}).out.find("$literal") != std::string::npos;
      },
      seconds(20)));
  EXPECT_NE(Ctl({"tail", "env.service"}).out.find("hello-a b\n$literal\n"), std::string::npos);
}

TEST_F(UnitsTest, AUserThatDoesNotExistFailsEachStartWith217) {
  WriteUnit("ghost.service",
            "[Service]\nUser=vigil-no-such-user\nExecStart=" + Child() + " --sleep=forever\n");
  StartVigild();
  CommandResult started = Ctl({"start", "ghost"});
  EXPECT_EQ(started.exit_code, 1);
  EXPECT_EQ(Property("ghost.service", "ExecMainStatus"), "217") << Explain("ghost.service");
  EXPECT_TRUE(
      vigild_.WaitForLog("ghost.service: Main process exited, code=exited, "
                         "status=217/USER"))
      << vigild_.Log();
}

TEST_F(UnitsTest, CommandsRunInSystemdsOrderWithMainpidAndResult) {
  const std::string trace = dir_ / "trace";
  auto step = [&](const std::string& name) {
    return "/bin/sh -c 'echo " + name + " $$MAINPID $$SERVICE_RESULT >> " + trace + "'";
  };
  WriteUnit("ordered.service", "[Service]\nExecStartPre=" + step("pre") + "\nExecStart=" + Child() +
                                   " --sleep=forever\nExecStartPost=" + step("post") +
                                   "\nExecStop=" + step("stop") +
                                   "\nExecStopPost=" + step("stoppost") + "\n");
  StartVigild();
  ASSERT_EQ(Ctl({"start", "ordered"}).exit_code, 0) << Explain("ordered.service");
  const pid_t main = MainPid("ordered.service");
  ASSERT_EQ(Ctl({"stop", "ordered"}).exit_code, 0) << Explain("ordered.service");
  const std::string m = std::to_string(main);
  EXPECT_EQ(ReadFile(trace), "pre\npost " + m + "\nstop " + m + " success\nstoppost success\n");
}

TEST_F(UnitsTest, EnabledUnitsStartWithVigildAndEnablementPersists) {
  WriteUnit("boot.service", "[Service]\nExecStart=" + Child() +
                                " --sleep=forever\n[Install]\nWantedBy=multi-user.target\n");
  StartVigild();
  EXPECT_EQ(Property("boot.service", "ActiveState"), "inactive");
  CommandResult is_enabled = Ctl({"is-enabled", "boot"});
  EXPECT_EQ(is_enabled.out, "disabled\n");
  EXPECT_EQ(is_enabled.exit_code, 1);
  CommandResult enabled = Ctl({"enable", "boot"});
  ASSERT_EQ(enabled.exit_code, 0) << enabled.err;
  EXPECT_NE(enabled.out.find("Created symlink " + units_ + "/multi-user.target.wants/boot.service"),
            std::string::npos)
      << enabled.out;
  EXPECT_EQ(Ctl({"is-enabled", "boot"}).out, "enabled\n");
  EXPECT_EQ(Property("boot.service", "ActiveState"), "inactive") << "enable does not start";

  ASSERT_EQ(vigild_.Stop(), 0);
  StartVigild();
  ASSERT_TRUE(WaitForProperty("boot.service", "ActiveState", "active")) << Explain("boot.service");

  ASSERT_EQ(Ctl({"disable", "--now", "boot"}).exit_code, 0);
  EXPECT_EQ(Ctl({"is-enabled", "boot"}).out, "disabled\n");
  EXPECT_EQ(Property("boot.service", "ActiveState"), "inactive");
  EXPECT_FALSE(FileExists(units_ + "/multi-user.target.wants/boot.service"));
}

TEST_F(UnitsTest, TemplateInstancesAreLoadedOnDemand) {
  WriteUnit("echo@.service", "[Unit]\nDescription=Echo %i\n[Service]\nExecStart=" + Child() +
                                 " --print=instance-%i --sleep=forever\n");
  StartVigild();
  CommandResult started = Ctl({"start", "echo@hello"});
  ASSERT_EQ(started.exit_code, 0) << started.err << vigild_.Log();
  EXPECT_EQ(Property("echo@hello.service", "Description"), "Echo hello");
  ASSERT_TRUE(WaitUntil(
      [&] {
        return Ctl({"tail", "echo@hello.service"}).out.find("instance-hello") != std::string::npos;
      },
      seconds(20)));
  EXPECT_EQ(Ctl({"status", "echo@"}).exit_code, 4) << "a template itself cannot run";

  // daemon-reload keeps the instance while its template is there, with the new definition.
  const pid_t before = MainPid("echo@hello.service");
  WriteUnit("echo@.service",
            "[Unit]\nDescription=Echo %i, reloaded\n[Service]\nBogus=1\n"
            "ExecStart=" +
                Child() + " --sleep=forever\n");
  ASSERT_EQ(Ctl({"daemon-reload"}).exit_code, 0) << vigild_.Log();
  EXPECT_EQ(Property("echo@hello.service", "Description"), "Echo hello, reloaded");
  EXPECT_TRUE(vigild_.WaitForLog("Unknown key 'Bogus' in section [Service], ignoring."))
      << vigild_.Log();
  EXPECT_EQ(MainPid("echo@hello.service"), before) << "daemon-reload restarts nothing";

  // Once the template is gone and the instance stopped, daemon-reload forgets it.
  ASSERT_EQ(Ctl({"stop", "echo@hello"}).exit_code, 0);
  ASSERT_EQ(::unlink((units_ + "/echo@.service").c_str()), 0);
  ASSERT_EQ(Ctl({"daemon-reload"}).exit_code, 0);
  EXPECT_EQ(Ctl({"status", "echo@hello"}).exit_code, 4) << vigild_.Log();
}

TEST_F(UnitsTest, DaemonReloadAppliesANewDefinitionAtTheNextStart) {
  WriteUnit("web.service", "[Service]\nExecStart=" + Child() + " --sleep=forever\n");
  StartVigild();
  ASSERT_EQ(Ctl({"start", "web"}).exit_code, 0);
  const pid_t before = MainPid("web.service");
  WriteUnit("web.service", "[Unit]\nDescription=Web, reloaded\n[Service]\nExecStart=" + Child() +
                               " --sleep=forever\n");
  WriteUnit("new.service", "[Service]\nExecStart=" + Child() + " --sleep=forever\n");
  ASSERT_EQ(Ctl({"daemon-reload"}).exit_code, 0);
  EXPECT_EQ(Property("web.service", "Description"), "Web, reloaded");
  EXPECT_EQ(MainPid("web.service"), before) << "daemon-reload restarts nothing";
  EXPECT_EQ(Property("new.service", "ActiveState"), "inactive");
  EXPECT_EQ(Ctl({"start", "new"}).exit_code, 0);
}

TEST_F(UnitsTest, IsActiveIsFailedAndStatusFollowSystemctl) {
  WriteUnit("ok.service", "[Service]\nExecStart=" + Child() + " --sleep=forever\n");
  WriteUnit("bad.service", "[Service]\nExecStart=" + Child() + " --exit=3\n");
  StartVigild();
  ASSERT_EQ(Ctl({"start", "ok"}).exit_code, 0);
  Ctl({"start", "bad"});
  ASSERT_TRUE(WaitForProperty("bad.service", "ActiveState", "failed")) << Explain("bad.service");

  CommandResult active = Ctl({"is-active", "ok"});
  EXPECT_EQ(active.out, "active\n");
  EXPECT_EQ(active.exit_code, 0);
  CommandResult inactive = Ctl({"is-active", "bad"});
  EXPECT_EQ(inactive.out, "failed\n");
  EXPECT_EQ(inactive.exit_code, 3);
  EXPECT_EQ(Ctl({"is-failed", "bad"}).exit_code, 0);
  EXPECT_EQ(Ctl({"is-failed", "ok"}).exit_code, 1);

  CommandResult status = Ctl({"status", "ok"});
  EXPECT_EQ(status.exit_code, 0);
  EXPECT_NE(status.out.find("ok.service - ok.service"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("Loaded: loaded (" + units_ + "/ok.service; static)"),
            std::string::npos)
      << status.out;
  EXPECT_NE(status.out.find("Active: active (running) since "), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("Main PID: " + std::to_string(MainPid("ok.service"))),
            std::string::npos)
      << status.out;
  EXPECT_NE(status.out.find("Started ok.service."), std::string::npos) << status.out;

  CommandResult failed = Ctl({"status", "bad"});
  EXPECT_EQ(failed.exit_code, 3);
  EXPECT_NE(failed.out.find("Active: failed (failed) (Result: exit-code)"), std::string::npos)
      << failed.out;
  EXPECT_NE(failed.out.find("code=exited, status=3"), std::string::npos) << failed.out;
  EXPECT_EQ(Ctl({"status", "nosuch"}).exit_code, 4);
}

}  // namespace
}  // namespace vigil::testing
