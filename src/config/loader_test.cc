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

class LoaderUnitsTest : public ::testing::Test {
 protected:
  LoaderUnitsTest() {
    host_.AddExecutable("/bin/true");
    host_.AddExecutable("/bin/sleep");
  }

  Result<SupervisordConfig> Load() { return LoadSupervisordConfig("/etc/vigil/vigil.conf", host_); }

  testing::FakeHost host_;
};

TEST_F(LoaderUnitsTest, UnitsSectionLoadsEveryUnitOfItsDirectories) {
  host_.AddFile("/etc/vigil/vigil.conf",
                "[supervisord]\n[units]\ndirectories = units %(here)s/../vigil-lib\n"
                "[program:zz]\ncommand=/bin/sleep 1\npriority=1000\n"
                "[program:aa]\ncommand=/bin/sleep 1\n");
  host_.AddFile("/etc/vigil/units/web.service",
                "[Service]\nExecStart=/bin/true\nKillMode=none\n[Install]\n"
                "WantedBy=multi-user.target\n");
  host_.AddSymlink("/etc/vigil/units/multi-user.target.wants/web.service", "../web.service");
  host_.AddFile("/etc/vigil-lib/web.service", "[Service]\nExecStart=/bin/sleep 9\n");
  host_.AddFile("/etc/vigil-lib/db.service", "[Service]\nExecStart=/bin/sleep 9\n");
  host_.AddSymlink("/etc/vigil/units/masked.service", "/dev/null");
  host_.AddFile("/etc/vigil-lib/masked.service", "[Service]\nExecStart=/bin/true\n");
  Result<SupervisordConfig> config = Load();
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->unit_directories,
            (std::vector<std::string>{"/etc/vigil/units", "/etc/vigil-lib"}));
  std::vector<std::string> names;
  for (const GroupSpec& group : config->groups) names.push_back(group.name);
  EXPECT_EQ(names, (std::vector<std::string>{"aa", "db.service", "web.service", "zz"}));
  const ProgramSpec& web = config->groups[2].processes.at(0);
  EXPECT_EQ(web.dialect, Dialect::kSystemd);
  EXPECT_EQ(web.group, "web.service");
  EXPECT_EQ(web.argv, (std::vector<std::string>{"/bin/true"}));  // the higher directory's file
  EXPECT_TRUE(web.autostart);                                    // enabled for multi-user.target
  EXPECT_FALSE(config->groups[1].processes.at(0).autostart);     // db.service is not enabled
  EXPECT_EQ(config->groups[1].priority, 999);
  EXPECT_TRUE(web.environment.empty());  // [supervisord] environment= is not a unit's
  ASSERT_EQ(config->warnings.size(), 1u);
  EXPECT_TRUE(
      config->warnings[0].starts_with("/etc/vigil/units/web.service:3: Unit uses "
                                      "KillMode=none."));
}

TEST_F(LoaderUnitsTest, IncludedServiceFilesAreUnits) {
  host_.AddFile("/etc/vigil/vigil.conf",
                "[supervisord]\n[include]\nfiles = conf.d/*.ini units/*.service\n");
  host_.AddFile("/etc/vigil/conf.d/a.ini", "[program:a]\ncommand=/bin/sleep 1\n");
  host_.AddFile("/etc/vigil/units/doris-fe.service",
                "[Service]\nType=forking\nExecStart=/bin/sleep 5\n");
  host_.AddFile("/etc/vigil/units/doris-fe.service.d/env.conf",
                "[Service]\nEnvironment=JAVA_OPTS=-Xmx1g\n");
  host_.AddSymlink("/etc/vigil/units/empty.service", "/dev/null");
  Result<SupervisordConfig> config = Load();
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->groups.size(), 2u);
  const ProgramSpec& fe = config->groups[1].processes.at(0);
  EXPECT_EQ(fe.name, "doris-fe.service");
  EXPECT_TRUE(fe.autostart);  // named in [include], like a [program]
  EXPECT_EQ(fe.environment, (Environment{{"JAVA_OPTS", "-Xmx1g"}}));
  EXPECT_EQ(config->unit_files, (std::vector<std::string>{"/etc/vigil/units/doris-fe.service",
                                                          "/etc/vigil/units/empty.service"}));
  EXPECT_EQ(config->warnings,
            (std::vector<std::string>{"Included unit file \"/etc/vigil/units/empty.service\" is "
                                      "masked and is not loaded: Unit empty.service is "
                                      "masked."}));
  EXPECT_EQ(config->infos.back(), "Included unit file \"/etc/vigil/units/empty.service\"");
}

TEST_F(LoaderUnitsTest, ABrokenUnitFailsTheWholeConfiguration) {
  host_.AddFile("/etc/vigil/vigil.conf", "[supervisord]\n[units]\ndirectories=units\n");
  host_.AddFile("/etc/vigil/units/bad.service",
                "[Service]\nType=oneshot\nRestart=always\n"
                "ExecStart=/bin/true\n");
  Result<SupervisordConfig> config = Load();
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message,
            "/etc/vigil/units/bad.service:3: Service has Restart= set to either always or "
            "on-success, which isn't allowed for Type=oneshot services. Refusing. (use "
            "Restart=on-failure, or another Type=)");
}

TEST_F(LoaderUnitsTest, NamesMustBeUnique) {
  host_.AddFile("/etc/vigil/vigil.conf",
                "[supervisord]\n[units]\ndirectories=units\n[include]\nfiles=more/*.service\n"
                "[program:x.service]\ncommand=/bin/true\n");
  host_.AddFile("/etc/vigil/units/web.service", "[Service]\nExecStart=/bin/true\n");
  host_.AddFile("/etc/vigil/more/web.service", "[Service]\nExecStart=/bin/true\n");
  Result<SupervisordConfig> config = Load();
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message,
            "/etc/vigil/more/web.service:1: unit web.service is already defined at "
            "/etc/vigil/units/web.service:1 (every unit, group and program needs a name of its "
            "own; remove or rename one of them)");
  host_.AddFile("/etc/vigil/more/web.service", "");  // masked now
  host_.AddFile("/etc/vigil/units/x.service", "[Service]\nExecStart=/bin/true\n");
  config = Load();
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message,
            "/etc/vigil/units/x.service:1: unit x.service is already defined at "
            "/etc/vigil/vigil.conf:6 (every unit, group and program needs a name of its own; "
            "remove or rename one of them)");
}

TEST_F(LoaderUnitsTest, UnitsSectionNeedsDirectories) {
  host_.AddFile("/etc/vigil/vigil.conf", "[supervisord]\n[units]\n");
  EXPECT_EQ(Load().error().message,
            "/etc/vigil/vigil.conf:2: [units] section has no directories setting (add "
            "directories=/path/to/units, several separated by spaces, highest precedence first)");
  host_.AddFile("/etc/vigil/vigil.conf", "[supervisord]\n[units]\ndirectories=%(ENV_NOPE)s\n");
  EXPECT_FALSE(Load());
  host_.SetEnv("UNITS", "/srv/units");
  host_.AddFile("/etc/vigil/vigil.conf", "[supervisord]\n[units]\ndirectories=%(ENV_UNITS)s\n");
  Result<SupervisordConfig> config = Load();
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->unit_directories, (std::vector<std::string>{"/srv/units"}));
  EXPECT_TRUE(config->groups.empty());
  EXPECT_EQ(config->warnings, (std::vector<std::string>{"[units] directory /srv/units does not "
                                                        "exist; no units are loaded from it"}));
}

TEST_F(LoaderUnitsTest, UnitsSectionOfAnIncludedFileIsRelativeToThatFile) {
  host_.AddFile("/etc/vigil/vigil.conf", "[supervisord]\n[include]\nfiles=conf.d/*.ini\n");
  host_.AddFile("/etc/vigil/conf.d/units.ini", "[units]\ndirectories=system %(here)s/more\n");
  Result<SupervisordConfig> config = Load();
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->unit_directories,
            (std::vector<std::string>{"/etc/vigil/conf.d/system", "/etc/vigil/conf.d/more"}));
}

TEST_F(LoaderUnitsTest, AUnitMetTwiceIsLoadedOnce) {
  host_.AddFile("/etc/vigil/vigil.conf",
                "[supervisord]\n[units]\ndirectories=units\n[include]\nfiles=units/*.service\n");
  host_.AddFile("/etc/vigil/units/web.service", "[Service]\nExecStart=/bin/true\n");
  host_.AddSymlink("/etc/vigil/units/www.service", "web.service");
  Result<SupervisordConfig> config = Load();
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->groups.size(), 1u);
  EXPECT_EQ(config->groups[0].processes.at(0).service->aliases,
            (std::vector<std::string>{"www.service"}));
}

}  // namespace
}  // namespace vigil::config
