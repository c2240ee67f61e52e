// The seed document's three supervisord files (examples/conf.d, paths changed) running the
// Doris stand-ins (examples/doris): they start, and each comes back after kill -9.

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>

#include "tests/integration/harness.h"

namespace vigil::testing {
namespace {

TEST(SeedTest, SeedProgramsRunAndComeBackAfterKill9) {
  TempDir dir;
  // A private copy of the example without what an earlier `make demo` left in it.
  std::filesystem::copy(std::string(VIGIL_SOURCE_DIR) + "/examples", dir.path(),
                        std::filesystem::copy_options::recursive);
  std::filesystem::remove_all(dir / "run");
  for (const char* component : {"fe", "be", "apache_hdfs_broker"}) {
    std::filesystem::remove_all(dir / (std::string("doris/") + component + "/log"));
    for (const auto& entry :
         std::filesystem::directory_iterator(dir / (std::string("doris/") + component + "/bin"))) {
      if (entry.path().extension() == ".pid") std::filesystem::remove(entry.path());
    }
  }
  std::filesystem::create_directories(dir / "run");
  // The demo's BE crashes every few seconds by design; here it should only die when killed.
  std::string config = ReadFile(dir / "supervisord.conf");
  const std::string skip = "environment=SKIP_CHECK_ULIMIT=\"true\"";
  ASSERT_NE(config.find(skip), std::string::npos);
  config.replace(config.find(skip), skip.size(), skip + ",DORIS_STANDIN_CRASH_AFTER=\"0\"");
  WriteFile(dir / "supervisord.conf", config);

  Vigild vigild(dir, "run/vigild.log");
  vigild.Start(ReadFile(dir / "supervisord.conf"));
  for (const char* name : {"doris_be", "PaloFe", "BrokerBootstrap"}) {
    ASSERT_TRUE(vigild.WaitForLog(std::string("success: ") + name, 1, seconds(60))) << name << "\n"
                                                                                    << vigild.Log();
  }
  // Each start script runs its service in the foreground without exec (as Doris's do): kill -9
  // hits the service process, the script then exits with its status, and vigild restarts it.
  for (const char* name : {"doris_be", "PaloFe", "BrokerBootstrap"}) {
    const pid_t script = *vigild.LatestPidOf(name);
    std::vector<pid_t> service;
    ASSERT_TRUE(WaitUntil([&] { return !(service = ChildrenOf(script)).empty(); }, seconds(20)))
        << name << " (script pid " << script << ")\n"
        << vigild.Log();
    ::kill(service.front(), SIGKILL);
    ASSERT_TRUE(vigild.WaitForLog(std::string("success: ") + name, 2, seconds(60))) << name << "\n"
                                                                                    << vigild.Log();
    EXPECT_NE(*vigild.LatestPidOf(name), script);
  }
  EXPECT_EQ(vigild.Stop(), 0);
}

}  // namespace
}  // namespace vigil::testing
