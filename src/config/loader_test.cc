#include "config/loader.h"

#include <gtest/gtest.h>

#include "tests/fakes/fake_host.h"

namespace vigil::config {
namespace {

TEST(LoaderTest, IncludedErrorsNameTheIncludedFile) {
  testing::FakeHost host;
  host.AddFile("/etc/s/main.conf", "[supervisord]\n[include]\nfiles=conf.d/*.ini\n");
  host.AddFile("/etc/s/conf.d/bad.ini", "[program:x]\ncommand=/x\nautostart=sometimes\n");
  Result<SupervisordConfig> config = LoadSupervisordConfig("/etc/s/main.conf", host);
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message,
            "/etc/s/conf.d/bad.ini:3: [program:x] autostart: not a valid boolean value: "
            "'sometimes' (expected true/false, yes/no, on/off or 1/0)");
}

TEST(LoaderTest, RelativeMainPathUsesCurrentDirectory) {
  testing::FakeHost host;
  host.SetCurrentDirectory("/srv");
  host.AddFile("/srv/cfg/sup.conf", "[supervisord]\n[program:x]\ncommand=%(here)s/x\n");
  Result<SupervisordConfig> config = LoadSupervisordConfig("cfg/sup.conf", host);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->path, "/srv/cfg/sup.conf");
  EXPECT_EQ(config->groups.at(0).processes.at(0).command, "/srv/cfg/x");
}

TEST(LoaderTest, DefaultConfigSearch) {
  testing::FakeHost host;
  host.SetCurrentDirectory("/work");
  host.AddFile("/etc/supervisor/supervisord.conf", "[supervisord]\n");
  EXPECT_EQ(*FindDefaultConfigFile(host, "/usr/bin/vigild"), "/etc/supervisor/supervisord.conf");
  host.AddFile("/work/supervisord.conf", "[supervisord]\n");
  EXPECT_EQ(*FindDefaultConfigFile(host, "/usr/bin/vigild"), "supervisord.conf");
  host.AddFile("/usr/etc/supervisord.conf", "[supervisord]\n");
  EXPECT_EQ(*FindDefaultConfigFile(host, "/usr/bin/vigild"), "/usr/etc/supervisord.conf");
}

}  // namespace
}  // namespace vigil::config
