#include "core/config_diff.h"

#include <gtest/gtest.h>

#include "config/loader.h"
#include "tests/fakes/fake_host.h"

namespace vigil::core {
namespace {

std::vector<config::GroupSpec> Groups(const std::string& text) {
  testing::FakeHost host;
  host.AddFile("/etc/s.conf", "[supervisord]\n" + text);
  Result<config::SupervisordConfig> config = config::LoadSupervisordConfig("/etc/s.conf", host);
  EXPECT_TRUE(config) << config.error().message;
  return config ? config->groups : std::vector<config::GroupSpec>{};
}

TEST(ConfigDiffTest, AddedChangedRemoved) {
  const auto before = Groups(
      "[program:same]\ncommand=/bin/same\n"
      "[program:edited]\ncommand=/bin/old\n"
      "[program:gone]\ncommand=/bin/gone\n"
      "[program:w]\ncommand=/bin/w\nnumprocs=2\nprocess_name=w%(process_num)d\n");
  const auto after = Groups(
      "; a comment moves every line, which is not a change\n"
      "[program:same]\ncommand=/bin/same\n"
      "[program:edited]\ncommand=/bin/new\n"
      "[program:new]\ncommand=/bin/new\n"
      "[program:w]\ncommand=/bin/w\nnumprocs=3\nprocess_name=w%(process_num)d\n");
  ConfigDiff diff = DiffGroups(before, after);
  EXPECT_EQ(diff.added, std::vector<std::string>{"new"});
  EXPECT_EQ(diff.removed, std::vector<std::string>{"gone"});
  EXPECT_EQ(diff.ChangedGroups(), (std::vector<std::string>{"edited", "w"}));
  const GroupChange& w = diff.changed[1];
  EXPECT_EQ(w.added, std::vector<std::string>{"w2"});
  // numprocs is part of every process's settings, as in supervisord's ProcessConfig.
  EXPECT_EQ(w.changed, (std::vector<std::string>{"w0", "w1"}));
  EXPECT_TRUE(DiffGroups(before, before).empty());
}

TEST(ConfigDiffTest, GroupPriorityAloneIsAChange) {
  ConfigDiff diff = DiffGroups(Groups("[program:a]\ncommand=/a\n"),
                               Groups("[program:a]\ncommand=/a\npriority=5\n"));
  ASSERT_EQ(diff.changed.size(), 1u);
  EXPECT_TRUE(diff.changed[0].group_settings_changed);
}

}  // namespace
}  // namespace vigil::core
