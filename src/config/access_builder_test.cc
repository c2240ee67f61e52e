#include <gtest/gtest.h>

#include "config/loader.h"
#include "tests/fakes/fake_host.h"

namespace vigil::config {
namespace {

class AccessBuilderTest : public ::testing::Test {
 protected:
  AccessBuilderTest() {
    host_.AddUser("doris", 1000, 1000, "/home/doris");
    host_.AddGroup("ops", 2000);
  }
  Result<SupervisordConfig> Load(const std::string& text) {
    host_.AddFile("/etc/s.conf", "[supervisord]\n" + text);
    return LoadSupervisordConfig("/etc/s.conf", host_);
  }
  testing::FakeHost host_;
};

TEST_F(AccessBuilderTest, ReadsRules) {
  Result<SupervisordConfig> config = Load(
      "[access:doris]\nusers = doris, 0\ngroups = ops\nverbs = read, START stop\n"
      "programs = doris-fe, doris-be doris:*\n");
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->access.size(), 1u);
  const AccessRule& rule = config->access[0];
  EXPECT_EQ(rule.name, "doris");
  EXPECT_EQ(rule.uids, (std::vector<uid_t>{1000, 0}));
  EXPECT_EQ(rule.gids, std::vector<gid_t>{2000});
  EXPECT_EQ(rule.verbs, (std::vector<std::string>{"read", "start", "stop"}));
  EXPECT_EQ(rule.programs, (std::vector<std::string>{"doris-fe", "doris-be", "doris:*"}));
}

TEST_F(AccessBuilderTest, ProgramsDefaultToEverything) {
  Result<SupervisordConfig> config = Load("[access:all]\ngroups=ops\nverbs=read\n");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->access[0].programs, std::vector<std::string>{"*"});
}

TEST_F(AccessBuilderTest, Errors) {
  EXPECT_EQ(Load("[access:x]\nusers=ghost\nverbs=read\n").error().message,
            "/etc/s.conf:3: [access:x] users: Invalid user name ghost (no such user in the "
            "password database)");
  EXPECT_EQ(Load("[access:x]\ngroups=nogroup\nverbs=read\n").error().message,
            "/etc/s.conf:3: [access:x] groups: no such group nogroup (expected group names or "
            "gids from the group database)");
  EXPECT_EQ(Load("[access:x]\nusers=doris\nverbs=read,strat\n").error().message,
            "/etc/s.conf:4: [access:x] verbs: unknown verb 'strat' (expected read, start, stop, "
            "restart, signal, tail, reload or admin)");
  EXPECT_EQ(Load("[access:x]\nverbs=read\n").error().message,
            "/etc/s.conf:2: [access:x]: names nobody: add users= and/or groups= (names or ids)");
  EXPECT_EQ(Load("[access:x]\nusers=doris\n").error().message,
            "/etc/s.conf:2: [access:x]: grants nothing: add verbs= (read, start, stop, restart, "
            "signal, tail, reload, admin)");
}

}  // namespace
}  // namespace vigil::config
