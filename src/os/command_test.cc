#include "os/command.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

namespace vigil::os {
namespace {

class CommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/vigil-command-test-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
    Write("runnable", 0755);
    Write("plain", 0644);
    ::mkdir((dir_ + "/subdir").c_str(), 0755);
  }
  void TearDown() override {
    ::unlink((dir_ + "/runnable").c_str());
    ::unlink((dir_ + "/plain").c_str());
    ::rmdir((dir_ + "/subdir").c_str());
    ::rmdir(dir_.c_str());
  }
  void Write(const std::string& name, mode_t mode) {
    std::ofstream(dir_ + "/" + name) << "#!/bin/sh\n";
    ::chmod((dir_ + "/" + name).c_str(), mode);
  }
  std::string dir_;
};

TEST_F(CommandTest, SearchesThePath) {
  EXPECT_EQ(*ResolveCommand("runnable", {"/nonexistent", dir_}), dir_ + "/runnable");
  EXPECT_EQ(*ResolveCommand(dir_ + "/runnable", {}), dir_ + "/runnable");
}

TEST_F(CommandTest, SupervisordsSpawnErrors) {
  Result<std::string> missing = ResolveCommand("nosuchcommand", {dir_});
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, "can't find command 'nosuchcommand'");
  EXPECT_EQ(ResolveCommand(dir_ + "/subdir", {}).error().message,
            "command at '" + dir_ + "/subdir' is a directory");
  EXPECT_EQ(ResolveCommand(dir_ + "/plain", {}).error().message,
            "command at '" + dir_ + "/plain' is not executable");
  EXPECT_EQ(ResolveCommand("plain", {dir_}).error().code, ErrorCode::kFailedPrecondition);
}

TEST(SearchPathTest, DefaultsLikeSupervisord) {
  EXPECT_EQ(SearchPath(nullptr), (std::vector<std::string>{"/bin", "/usr/bin", "/usr/local/bin"}));
  std::string path = "/a:/b";
  EXPECT_EQ(SearchPath(&path), (std::vector<std::string>{"/a", "/b"}));
}

}  // namespace
}  // namespace vigil::os
