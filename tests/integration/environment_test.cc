// What a spawned program gets: supervisord's environment, its directory, umask and user, and
// nothing of vigild's descriptors.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/integration/harness.h"

namespace vigil::testing {
namespace {

std::string Child(const std::string& options) { return TestChildPath() + " " + options; }

TEST(EnvironmentTest, ProgramsGetSupervisordsEnvironmentAndTheirSettings) {
  TempDir dir;
  Vigild vigild(dir);
  vigild.Start(Vigild::Config(
      "[unix_http_server]\nfile=%(here)s/vigil.sock\n"
      "[program:env]\ncommand=" +
          Child("--dump-env=%(here)s/env --dump-ids=%(here)s/ids --dump-fds=%(here)s/fds "
                "--sleep=forever") +
          "\ndirectory=/tmp\numask=027\nenvironment=MINE=\"a b\",SHARED=program\nstartsecs=0\n",
      "environment=SHARED=global,GLOBAL=1"));
  ASSERT_TRUE(WaitUntil([&] { return FileExists(dir / "fds"); }, seconds(20))) << vigild.Log();
  const std::string env = ReadFile(dir / "env");
  for (const std::string& line : std::vector<std::string>{
           "SUPERVISOR_ENABLED=1", "SUPERVISOR_PROCESS_NAME=env", "SUPERVISOR_GROUP_NAME=env",
           "SUPERVISOR_SERVER_URL=unix://" + (dir / "vigil.sock"), "MINE=a b", "SHARED=program",
           "GLOBAL=1"}) {
    EXPECT_NE(env.find(line + "\n"), std::string::npos) << line << "\n" << env;
  }
  const std::string ids = ReadFile(dir / "ids");
  EXPECT_NE(ids.find("umask=0027"), std::string::npos) << ids;
  EXPECT_NE(ids.find("cwd=/tmp"), std::string::npos) << ids;
  // Its own session, so a stop signal to the group reaches what it starts.
  const pid_t pid = *vigild.LatestPidOf("env");
  EXPECT_NE(ids.find("pgid=" + std::to_string(pid) + " sid=" + std::to_string(pid)),
            std::string::npos)
      << ids;
  EXPECT_EQ(ReadFile(dir / "fds"), "0\n1\n2\n");
  EXPECT_EQ(vigild.Stop(), 0);
}

TEST(EnvironmentTest, UserSwitchesCredentialsLikeInitgroups) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  TempDir dir;
  const std::string shared = dir / "shared";  // where nobody may write
  ASSERT_EQ(::mkdir(shared.c_str(), 0777), 0);
  ASSERT_EQ(::chmod(shared.c_str(), 0777), 0);
  Vigild vigild(dir);
  vigild.Start(Vigild::Config(
      "[program:nobody]\ncommand=" + Child("--dump-ids=" + shared + "/ids --sleep=forever") +
      "\nuser=nobody\nstartsecs=0\n"));
  ASSERT_TRUE(WaitUntil([&] { return FileExists(shared + "/ids"); }, seconds(20))) << vigild.Log();
  const std::string ids = ReadFile(shared + "/ids");
  EXPECT_NE(ids.find("uid=65534 euid=65534 gid=65534 egid=65534 groups=65534 "), std::string::npos)
      << ids;
  EXPECT_EQ(vigild.Stop(), 0);
}

}  // namespace
}  // namespace vigil::testing
