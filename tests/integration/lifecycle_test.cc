// vigild supervising real processes: restarts, backoff, spawn errors, stopping, group kills,
// what happens when vigild itself dies, reload and log reopening.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

#include "tests/integration/harness.h"

namespace vigil::testing {
namespace {

std::string Child(const std::string& options) { return TestChildPath() + " " + options; }

class LifecycleTest : public ::testing::Test {
 protected:
  TempDir dir_;
  Vigild vigild_{dir_};
};

TEST_F(LifecycleTest, CrashedProgramIsRestarted) {
  vigild_.Start(Vigild::Config(
      "[program:crashy]\ncommand=" + Child("--print=up --sleep=1.2 --crash") + "\nstartsecs=1\n"));
  ASSERT_TRUE(vigild_.WaitForLog("exited: crashy (terminated by SIGSEGV", 1)) << vigild_.Log();
  ASSERT_TRUE(vigild_.WaitForLog("spawned: 'crashy'", 2)) << vigild_.Log();
  ASSERT_TRUE(vigild_.WaitForLog("success: crashy entered RUNNING state", 2)) << vigild_.Log();
  EXPECT_EQ(vigild_.Stop(), 0);
}

// supervisord.md §2.3: a command that always fails is spawned startretries+1 times, then FATAL.
TEST_F(LifecycleTest, FailingProgramBacksOffThenIsFatalAfterTheSameSpawnsAsSupervisord) {
  vigild_.Start(Vigild::Config("[program:false]\ncommand=/bin/false\nstartretries=3\n"));
  ASSERT_TRUE(
      vigild_.WaitForLog("gave up: false entered FATAL state, too many start retries too quickly"))
      << vigild_.Log();
  const std::string log = vigild_.Log();
  EXPECT_EQ(Count(log, "spawned: 'false'"), 4) << log;
  EXPECT_EQ(Count(log, "exited: false (exit status 1; not expected)"), 4) << log;
  EXPECT_EQ(vigild_.Stop(), 0);
}

TEST_F(LifecycleTest, MissingCommandIsASpawnError) {
  vigild_.Start(Vigild::Config("[program:ghost]\ncommand=/nonexistent/ghost\nstartretries=1\n"));
  ASSERT_TRUE(vigild_.WaitForLog("gave up: ghost entered FATAL state")) << vigild_.Log();
  EXPECT_EQ(Count(vigild_.Log(), "spawnerr: can't find command '/nonexistent/ghost'"), 2);
  EXPECT_EQ(Count(vigild_.Log(), "spawned: 'ghost'"), 0);
}

// A failure after the pre-fork checks (here: exec of a script whose interpreter is missing, and
// a directory that does not exist) comes back as a spawn error with the real errno, not as a
// child that "exited too quickly" with status 127.
TEST_F(LifecycleTest, ExecAndChdirFailuresAreSpawnErrors) {
  const std::string script = dir_ / "broken.sh";
  WriteFile(script, "#!/nonexistent/interpreter\necho never\n");
  ::chmod(script.c_str(), 0755);
  vigild_.Start(Vigild::Config("[program:broken]\ncommand=" + script +
                               "\nstartretries=0\n[program:nodir]\ncommand=/bin/true\n"
                               "directory=/nonexistent-dir\nstartretries=0\n"));
  ASSERT_TRUE(vigild_.WaitForLog("gave up: broken entered FATAL state")) << vigild_.Log();
  ASSERT_TRUE(vigild_.WaitForLog("gave up: nodir entered FATAL state")) << vigild_.Log();
  const std::string log = vigild_.Log();
  EXPECT_EQ(Count(log, "spawnerr: couldn't exec " + script + ": ENOENT"), 1) << log;
  EXPECT_EQ(Count(log, "spawnerr: couldn't chdir to /nonexistent-dir: ENOENT"), 1) << log;
  EXPECT_EQ(Count(log, "exited: broken"), 0) << log;
}

// What vigild does not implement yet is said, not silently skipped.
TEST_F(LifecycleTest, FcgiProgramsRunWithAWarning) {
  vigild_.Start(Vigild::Config("[fcgi-program:fcgi]\ncommand=/bin/cat\nsocket=unix://" +
                               (dir_ / "fcgi.sock") + "\n"));
  ASSERT_TRUE(vigild_.WaitForLog("success: fcgi entered RUNNING state")) << vigild_.Log();
  const std::string log = vigild_.Log();
  EXPECT_EQ(Count(log,
                  "[fcgi-program:fcgi] runs as a plain program: vigild does not create its "
                  "socket yet"),
            1)
      << log;
}

TEST_F(LifecycleTest, StopEscalatesToSigkillForAChildThatIgnoresSigterm) {
  vigild_.Start(Vigild::Config(
      "[program:stubborn]\ncommand=" + Child("--ignore-term --print=ready --sleep=forever") +
      "\nstopwaitsecs=1\nstartsecs=0\nstdout_logfile=%(here)s/s.log\n"));
  // "ready" comes after SIGTERM is ignored (the options run in order).
  ASSERT_TRUE(WaitUntil([&] { return ReadFile(dir_ / "s.log") == "ready\n"; }, seconds(20)));
  const pid_t child = *vigild_.LatestPidOf("stubborn");
  EXPECT_EQ(vigild_.Stop(), 0) << vigild_.Log();
  const std::string log = vigild_.Log();
  EXPECT_EQ(Count(log, "killing 'stubborn' (" + std::to_string(child) + ") with SIGKILL"), 1)
      << log;
  EXPECT_EQ(Count(log, "stopped: stubborn (terminated by SIGKILL)"), 1) << log;
  EXPECT_FALSE(ProcessExists(child));
}

// stopasgroup reaches the whole process group: a grandchild in the same group dies with it.
TEST_F(LifecycleTest, StopasgroupReachesGrandchildren) {
  vigild_.Start(
      Vigild::Config("[program:family]\ncommand=" + Child("--fork-grandchild --sleep=forever") +
                     "\nstopasgroup=true\nstartsecs=0\nstdout_logfile=%(here)s/family.log\n"));
  std::smatch match;
  std::string out;
  ASSERT_TRUE(WaitUntil(
      [&] {
        out = ReadFile(dir_ / "family.log");
        return std::regex_search(out, match, std::regex("grandchild ([0-9]+)"));
      },
      seconds(20)));
  const pid_t grandchild = static_cast<pid_t>(std::stol(match[1]));
  ASSERT_TRUE(ProcessExists(grandchild));
  EXPECT_EQ(vigild_.Stop(), 0);
  EXPECT_TRUE(WaitUntil([&] { return !ProcessExists(grandchild); }, seconds(10)));
}

// In cgroup mode even a grandchild that left the session (setsid) is reached, and nothing of
// a stopped program is left running.
TEST_F(LifecycleTest, CgroupModeReachesASetsidGrandchild) {
  vigild_.Start(
      Vigild::Config("[program:escapee]\ncommand=" + Child("--setsid-grandchild --sleep=forever") +
                     "\nstopasgroup=true\nstartsecs=0\nstdout_logfile=%(here)s/e.log\n"));
  if (Count(vigild_.Log(), "in its own cgroup") == 0) {
    GTEST_SKIP() << "no writable cgroup v2 here: " << vigild_.Log();
  }
  std::smatch match;
  std::string out;
  ASSERT_TRUE(WaitUntil(
      [&] {
        out = ReadFile(dir_ / "e.log");
        return std::regex_search(out, match, std::regex("setsid-grandchild ([0-9]+)"));
      },
      seconds(20)));
  const pid_t grandchild = static_cast<pid_t>(std::stol(match[1]));
  ASSERT_TRUE(ProcessExists(grandchild));
  EXPECT_EQ(vigild_.Stop(), 0);
  EXPECT_TRUE(WaitUntil([&] { return !ProcessExists(grandchild); }, seconds(10)));
}

// Decision (docs/design.md): direct children get PR_SET_PDEATHSIG=SIGKILL, so a vigild that is
// killed outright does not leave its programs running unsupervised.
TEST_F(LifecycleTest, ChildrenDieWhenVigildIsKilled) {
  vigild_.Start(
      Vigild::Config("[program:orphan]\ncommand=" + Child("--sleep=forever") + "\nstartsecs=0\n"));
  ASSERT_TRUE(vigild_.WaitForLog("success: orphan entered RUNNING")) << vigild_.Log();
  const pid_t child = *vigild_.LatestPidOf("orphan");
  vigild_.Signal(SIGKILL);
  ASSERT_TRUE(vigild_.WaitExit(seconds(10)));
  EXPECT_TRUE(WaitUntil([&] { return !ProcessExists(child); }, seconds(10)));
}

// A program that daemonizes escapes PDEATHSIG; in cgroup mode the next vigild for the same
// configuration finds and kills what the killed one left behind.
TEST_F(LifecycleTest, NextVigildKillsWhatAKilledOneLeftInItsCgroups) {
  const std::string config = Vigild::Config(
      "[program:daemonizer]\ncommand=" + Child("--daemonize=%(here)s/daemon.pid --sleep=forever") +
      "\nstartsecs=0\nautorestart=false\n");
  vigild_.Start(config);
  if (Count(vigild_.Log(), "in its own cgroup") == 0) GTEST_SKIP() << "no writable cgroup v2";
  ASSERT_TRUE(WaitUntil([&] { return FileExists(dir_ / "daemon.pid"); }, seconds(20)));
  const pid_t daemon = std::stoi(ReadFile(dir_ / "daemon.pid"));
  ASSERT_TRUE(ProcessExists(daemon));
  vigild_.Signal(SIGKILL);
  ASSERT_TRUE(vigild_.WaitExit(seconds(10)));
  EXPECT_TRUE(ProcessExists(daemon));  // it left the session: PDEATHSIG does not reach it
  Vigild second(dir_);
  second.Start(config);
  EXPECT_TRUE(WaitUntil([&] { return !ProcessExists(daemon); }, seconds(10)));
  EXPECT_EQ(Count(second.Log(), "left in"), 1) << second.Log();
}

// In cgroup mode, what a stopped program left behind (a daemon it forked) does not outlive the
// programs: a reload kills it before starting them again, and so does vigild's exit.
TEST_F(LifecycleTest, WhatAProgramLeftBehindDiesAtReloadAndExit) {
  vigild_.Start(Vigild::Config(
      "[program:daemonizer]\ncommand=" + Child("--daemonize=%(here)s/daemon.pid --sleep=forever") +
      "\nstartsecs=0\nautorestart=false\n"));
  if (Count(vigild_.Log(), "in its own cgroup") == 0) GTEST_SKIP() << "no writable cgroup v2";
  ASSERT_TRUE(WaitUntil([&] { return FileExists(dir_ / "daemon.pid"); }, seconds(20)));
  const pid_t first = std::stoi(ReadFile(dir_ / "daemon.pid"));
  ASSERT_TRUE(vigild_.WaitForLog("exited: daemonizer (exit status 0; expected)")) << vigild_.Log();
  ASSERT_TRUE(ProcessExists(first));
  ::unlink((dir_ / "daemon.pid").c_str());

  vigild_.Signal(SIGHUP);
  EXPECT_TRUE(WaitUntil([&] { return !ProcessExists(first); }, seconds(20))) << vigild_.Log();
  ASSERT_TRUE(WaitUntil([&] { return FileExists(dir_ / "daemon.pid"); }, seconds(20)))
      << vigild_.Log();
  const pid_t second = std::stoi(ReadFile(dir_ / "daemon.pid"));
  ASSERT_TRUE(WaitUntil(
      [&] { return Count(vigild_.Log(), "exited: daemonizer (exit status 0; expected)") == 2; },
      seconds(20)))
      << vigild_.Log();
  ASSERT_TRUE(ProcessExists(second));

  EXPECT_EQ(vigild_.Stop(), 0);
  EXPECT_TRUE(WaitUntil([&] { return !ProcessExists(second); }, seconds(20)));
  EXPECT_EQ(Count(vigild_.Log(), "killing 1 process(es) left in"), 2) << vigild_.Log();
}

TEST_F(LifecycleTest, OrphansAreReapedAsSubreaper) {
  vigild_.Start(
      Vigild::Config("[program:parent]\ncommand=" + Child("--daemonize=%(here)s/d.pid --exit=0") +
                     "\nstartsecs=0\nautorestart=false\n"));
  ASSERT_TRUE(WaitUntil([&] { return FileExists(dir_ / "d.pid"); }, seconds(20)));
  // The daemon exits at once; it was re-parented to vigild, which must reap it.
  ASSERT_TRUE(vigild_.WaitForLog("reaped unknown pid")) << vigild_.Log();
  ASSERT_TRUE(vigild_.WaitForLog("exited: parent (exit status 0; expected)")) << vigild_.Log();
  // A zombie may exist for an instant between an exit and vigild's reaping; none may stay.
  EXPECT_TRUE(WaitUntil(
      [&] {
        for (pid_t child : ChildrenOf(vigild_.pid())) {
          if (IsZombie(child)) return false;
        }
        return true;
      },
      seconds(10)));
}

TEST_F(LifecycleTest, SighupReloadsAndRefusesABrokenConfiguration) {
  vigild_.Start(
      Vigild::Config("[program:a]\ncommand=" + Child("--sleep=forever") + "\nstartsecs=0\n"));
  ASSERT_TRUE(vigild_.WaitForLog("success: a entered RUNNING")) << vigild_.Log();
  WriteFile(dir_ / "supervisord.conf", Vigild::Config("[program:a]\ncommand=/bin/x\nbogus"));
  vigild_.Signal(SIGHUP);
  ASSERT_TRUE(vigild_.WaitForLog("reload refused")) << vigild_.Log();
  EXPECT_EQ(Count(vigild_.Log(), "stopped: a"), 0);
  WriteFile(dir_ / "supervisord.conf",
            Vigild::Config("[program:b]\ncommand=" + Child("--sleep=forever") + "\nstartsecs=0\n"));
  vigild_.Signal(SIGHUP);
  ASSERT_TRUE(vigild_.WaitForLog("success: b entered RUNNING")) << vigild_.Log();
  EXPECT_EQ(Count(vigild_.Log(), "stopped: a"), 1);
  EXPECT_EQ(vigild_.Stop(), 0);
}

TEST_F(LifecycleTest, Sigusr2ReopensLogs) {
  vigild_.Start(Vigild::Config("[program:talker]\ncommand=" +
                               Child("--print=first --wait-file=%(here)s/go --print=second "
                                     "--sleep=forever") +
                               "\nstdout_logfile=%(here)s/talker.log\nstartsecs=0\n"));
  ASSERT_TRUE(WaitUntil([&] { return ReadFile(dir_ / "talker.log") == "first\n"; }, seconds(20)));
  std::filesystem::rename(dir_ / "talker.log", dir_ / "talker.log.old");
  std::filesystem::rename(dir_ / "vigild.log", dir_ / "vigild.log.old");
  vigild_.Signal(SIGUSR2);
  ASSERT_TRUE(WaitUntil([&] { return FileExists(dir_ / "vigild.log"); }, seconds(20)));
  WriteFile(dir_ / "go", "");
  EXPECT_TRUE(WaitUntil([&] { return ReadFile(dir_ / "talker.log") == "second\n"; }, seconds(20)));
  EXPECT_EQ(ReadFile(dir_ / "talker.log.old"), "first\n");
  EXPECT_EQ(vigild_.Stop(), 0);
}

TEST_F(LifecycleTest, DaemonizesWritesAndRemovesThePidFile) {
  WriteFile(dir_ / "supervisord.conf",
            "[supervisord]\nlogfile=%(here)s/vigild.log\npidfile=%(here)s/vigild.pid\n"
            "childlogdir=%(here)s\n[program:a]\ncommand=" +
                Child("--sleep=forever") + "\nstartsecs=0\n");
  const std::string command = VigildPath() + " -c " + (dir_ / "supervisord.conf");
  ASSERT_EQ(std::system(command.c_str()), 0);  // the foreground process exits at once
  ASSERT_TRUE(WaitUntil([&] { return FileExists(dir_ / "vigild.pid"); }, seconds(20)));
  const pid_t daemon = std::stoi(ReadFile(dir_ / "vigild.pid"));
  ASSERT_TRUE(ProcessExists(daemon));
  ASSERT_TRUE(WaitUntil([&] { return Count(ReadFile(dir_ / "vigild.log"), "success: a") == 1; },
                        seconds(20)));
  ::kill(daemon, SIGTERM);
  EXPECT_TRUE(WaitUntil([&] { return !ProcessExists(daemon); }, seconds(20)));
  EXPECT_FALSE(FileExists(dir_ / "vigild.pid"));
}

TEST_F(LifecycleTest, SecondVigildOnTheSameConfigurationIsRefused) {
  const std::string config =
      Vigild::Config("[program:a]\ncommand=" + Child("--sleep=forever") + "\nstartsecs=0\n");
  vigild_.Start(config);
  const std::string command = VigildPath() + " -n -c " + (dir_ / "supervisord.conf") + " >" +
                              (dir_ / "second.out") + " 2>&1";
  EXPECT_NE(std::system(command.c_str()), 0);
  EXPECT_EQ(Count(ReadFile(dir_ / "second.out"),
                  "another vigild (pid " + std::to_string(vigild_.pid()) + ")"),
            1)
      << ReadFile(dir_ / "second.out");
}

}  // namespace
}  // namespace vigil::testing
