#include "config/unit_loader.h"

#include <gtest/gtest.h>

#include "tests/fakes/fake_host.h"

namespace vigil::config {
namespace {

using Strings = std::vector<std::string>;

constexpr const char* kEtc = "/etc/systemd/system";
constexpr const char* kRun = "/run/systemd/system";
constexpr const char* kLib = "/lib/systemd/system";

class UnitLoaderTest : public ::testing::Test {
 protected:
  UnitLoaderTest() {
    for (const char* exe : {"/bin/true", "/bin/sleep", "/bin/echo"}) host_.AddExecutable(exe);
    for (const char* dir : {kEtc, kRun, kLib}) host_.AddDirectory(dir);
  }

  void Unit(const std::string& path, std::string text) { host_.AddFile(path, std::move(text)); }

  Result<LoadedUnit> Load(std::string_view name) { return LoadServiceUnit(name, paths_, host_); }

  ServiceSpec Spec(std::string_view name) {
    Result<LoadedUnit> unit = Load(name);
    EXPECT_TRUE(unit) << unit.error().message;
    if (!unit) return {};
    warnings_ = unit->warnings;
    return *unit->spec.service;
  }

  testing::FakeHost host_;
  UnitPaths paths_{{kEtc, kRun, kLib}};
  Strings warnings_;
};

constexpr std::string_view kEcho = "[Service]\nExecStart=/bin/echo %n %i\n";

TEST_F(UnitLoaderTest, HighestPrecedenceDirectoryWins) {
  Unit("/lib/systemd/system/web.service",
       "[Unit]\nDescription=lib\n[Service]\nExecStart=/bin/true\n");
  EXPECT_EQ(Spec("web").description, "lib");
  Unit("/etc/systemd/system/web.service",
       "[Unit]\nDescription=etc\n[Service]\nExecStart=/bin/true\n");
  ServiceSpec s = Spec("web.service");
  EXPECT_EQ(s.description, "etc");
  EXPECT_EQ(s.fragment_path, "/etc/systemd/system/web.service");
}

TEST_F(UnitLoaderTest, NotFoundAndBadNames) {
  Result<LoadedUnit> missing = Load("nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message,
            "Unit nope.service not found in /etc/systemd/system, /run/systemd/system, "
            "/lib/systemd/system");
  EXPECT_EQ(Load("bad name").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Load("x@.service").error().code, ErrorCode::kInvalidArgument);
}

TEST_F(UnitLoaderTest, Masked) {
  Unit("/lib/systemd/system/web.service", std::string(kEcho));
  host_.AddSymlink("/etc/systemd/system/web.service", "/dev/null");
  Result<LoadedUnit> masked = Load("web");
  ASSERT_FALSE(masked);
  EXPECT_EQ(masked.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(masked.error().message, "Unit web.service is masked.");
  EXPECT_EQ(GetUnitFileState("web", paths_, host_), UnitFileState::kMasked);
  Unit("/lib/systemd/system/empty.service", "");
  EXPECT_EQ(Load("empty").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(ListServiceUnits(paths_, host_), Strings{});
}

TEST_F(UnitLoaderTest, AliasesAndLinkedFiles) {
  Unit("/lib/systemd/system/real.service", std::string(kEcho));
  host_.AddSymlink("/etc/systemd/system/other.service", "/lib/systemd/system/real.service");
  host_.AddSymlink("/lib/systemd/system/nick.service", "real.service");
  Result<LoadedUnit> unit = Load("other");
  ASSERT_TRUE(unit) << unit.error().message;
  EXPECT_EQ(unit->spec.name, "real.service");
  EXPECT_EQ(unit->spec.service->aliases, (Strings{"nick.service", "other.service"}));
  EXPECT_EQ(unit->spec.service->exec_start[0].argv, (Strings{"/bin/echo", "real.service", ""}));
  EXPECT_EQ(GetUnitFileState("other", paths_, host_), UnitFileState::kAlias);
  EXPECT_EQ(ListServiceUnits(paths_, host_), Strings{"real.service"});

  // A symlink to a file outside the directories is a linked unit under its own name.
  Unit("/opt/app/app.service", std::string(kEcho));
  host_.AddSymlink("/etc/systemd/system/app.service", "/opt/app/app.service");
  unit = Load("app");
  ASSERT_TRUE(unit);
  EXPECT_EQ(unit->spec.name, "app.service");
  EXPECT_EQ(unit->spec.service->fragment_path, "/opt/app/app.service");
}

TEST_F(UnitLoaderTest, AliasDropInsApply) {
  Unit("/lib/systemd/system/real.service", std::string(kEcho));
  host_.AddSymlink("/etc/systemd/system/nick.service", "/lib/systemd/system/real.service");
  Unit("/etc/systemd/system/nick.service.d/x.conf", "[Unit]\nDescription=via alias\n");
  EXPECT_EQ(Spec("real").description, "via alias");
}

TEST_F(UnitLoaderTest, Templates) {
  Unit("/lib/systemd/system/getty@.service",
       "[Unit]\nDescription=Getty on %I\n[Service]\nExecStart=/bin/echo %i\n");
  ServiceSpec s = Spec("getty@tty1");
  EXPECT_EQ(s.unit_name, "getty@tty1.service");
  EXPECT_EQ(s.description, "Getty on tty1");
  EXPECT_EQ(s.exec_start[0].argv, (Strings{"/bin/echo", "tty1"}));
  EXPECT_EQ(s.fragment_path, "/lib/systemd/system/getty@.service");
  // A literal instance file beats the template.
  Unit("/lib/systemd/system/getty@tty2.service", "[Service]\nExecStart=/bin/true\n");
  EXPECT_EQ(Spec("getty@tty2").fragment_path, "/lib/systemd/system/getty@tty2.service");
}

TEST_F(UnitLoaderTest, DropInsMergeAcrossDirectoriesInFileNameOrder) {
  Unit("/lib/systemd/system/web.service", "[Service]\nExecStart=/bin/true\nEnvironment=ORDER=\n");
  Unit("/lib/systemd/system/web.service.d/10-lib.conf", "[Service]\nEnvironment=A=lib\n");
  Unit("/etc/systemd/system/web.service.d/20-etc.conf", "[Service]\nEnvironment=B=etc\n");
  // The same file name in a lower directory is shadowed.
  Unit("/lib/systemd/system/web.service.d/20-etc.conf", "[Service]\nEnvironment=B=shadowed\n");
  Unit("/run/systemd/system/web.service.d/05-run.conf", "[Service]\nEnvironment=C=run\n");
  // service.d applies to every service, merged by file name like the others.
  Unit("/lib/systemd/system/service.d/99-all.conf", "[Service]\nEnvironment=D=all\n");
  Unit("/etc/systemd/system/web.service.d/notconf.txt", "[Service]\nEnvironment=E=no\n");
  // A higher directory masks a drop-in of a lower one with a link to /dev/null.
  Unit("/run/systemd/system/web.service.d/30-masked.conf", "[Service]\nEnvironment=F=no\n");
  host_.AddSymlink("/etc/systemd/system/web.service.d/30-masked.conf", "/dev/null");
  Result<LoadedUnit> unit = Load("web");
  ASSERT_TRUE(unit) << unit.error().message;
  EXPECT_EQ(unit->spec.environment,
            (Environment{{"ORDER", ""}, {"C", "run"}, {"A", "lib"}, {"B", "etc"}, {"D", "all"}}));
  EXPECT_EQ(unit->spec.service->dropin_paths,
            (Strings{"/run/systemd/system/web.service.d/05-run.conf",
                     "/lib/systemd/system/web.service.d/10-lib.conf",
                     "/etc/systemd/system/web.service.d/20-etc.conf",
                     "/lib/systemd/system/service.d/99-all.conf"}));
}

TEST_F(UnitLoaderTest, TemplateAndPrefixDropIns) {
  Unit("/lib/systemd/system/foo-bar@.service", "[Service]\nExecStart=/bin/true\n");
  for (const char* dir :
       {"foo-bar@x.service.d", "foo-bar@.service.d", "foo-.service.d", "foo-@x.service.d",
        "foo-@.service.d", "foo.service.d", "foo-bar-.service.d", "service.d"}) {
    Unit(std::string(kLib) + "/" + dir + "/" + dir + ".conf",
         std::string("[Unit]\nDocumentation=man:") + dir + "\n");
    Unit(std::string(kLib) + "/" + dir + "/same.conf",
         std::string("[Unit]\nDescription=") + dir + "\n");
  }
  ServiceSpec s = Spec("foo-bar@x");
  EXPECT_EQ(s.documentation,
            (Strings{"man:foo-.service.d", "man:foo-@.service.d", "man:foo-@x.service.d",
                     "man:foo-bar@.service.d", "man:foo-bar@x.service.d", "man:service.d"}));
  EXPECT_EQ(s.description, "foo-bar@x.service.d");  // the most specific same.conf wins
}

TEST_F(UnitLoaderTest, DropInsNeedSectionHeaders) {
  Unit("/lib/systemd/system/web.service", "[Service]\nExecStart=/bin/true\n");
  Unit("/etc/systemd/system/web.service.d/a.conf", "Environment=A=1\n");
  Result<LoadedUnit> unit = Load("web");
  ASSERT_TRUE(unit);
  EXPECT_TRUE(unit->spec.environment.empty());
  EXPECT_EQ(unit->warnings, (Strings{"/etc/systemd/system/web.service.d/a.conf:1: Assignment "
                                     "outside of section. Ignoring."}));
}

TEST_F(UnitLoaderTest, UnitFileNamedByPath) {
  Unit("/opt/units/doris-fe.service", "[Service]\nExecStart=/bin/true\n");
  Unit("/opt/units/doris-fe.service.d/override.conf", "[Service]\nEnvironment=X=1\n");
  Result<LoadedUnit> unit = LoadServiceUnitFile("/opt/units/doris-fe.service", {}, host_);
  ASSERT_TRUE(unit) << unit.error().message;
  EXPECT_EQ(unit->spec.name, "doris-fe.service");
  EXPECT_EQ(unit->spec.environment, (Environment{{"X", "1"}}));
  EXPECT_FALSE(unit->spec.autostart);
  EXPECT_EQ(LoadServiceUnitFile("/opt/units/none.service", {}, host_).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(LoadServiceUnitFile("/opt/units/x.conf", {}, host_).error().code,
            ErrorCode::kInvalidArgument);
  Unit("/opt/units/t@.service", "[Service]\nExecStart=/bin/echo %i\n");
  EXPECT_FALSE(LoadServiceUnitFile("/opt/units/t@.service", {}, host_));
  Result<LoadedUnit> instance =
      LoadServiceUnitFile("/opt/units/t@.service", {}, host_, "test_instance");
  ASSERT_TRUE(instance);
  EXPECT_EQ(instance->spec.name, "t@test_instance.service");
}

TEST_F(UnitLoaderTest, AnErrorInADropInOnlyEndsThatDropIn) {
  // systemd 252 refuses a unit for errors in its file, but not for errors in drop-ins.
  Unit("/lib/systemd/system/web.service", "[Service]\nExecStart=/bin/true\n");
  Unit("/etc/systemd/system/web.service.d/a.conf",
       "[Service]\nExecStart=./relative\nEnvironment=SKIPPED=1\n");
  Unit("/etc/systemd/system/web.service.d/b.conf", "[Service]\nEnvironment=B=1\n");
  Result<LoadedUnit> unit = Load("web");
  ASSERT_TRUE(unit) << unit.error().message;
  EXPECT_EQ(unit->spec.argv, (Strings{"/bin/true"}));
  EXPECT_EQ(unit->spec.environment, (Environment{{"B", "1"}}));
  EXPECT_EQ(unit->warnings,
            (Strings{"/etc/systemd/system/web.service.d/a.conf:2: Neither a valid executable name "
                     "nor an absolute path: ./relative (name the program by its absolute path, or "
                     "by a bare name found in /usr/local/sbin, /usr/local/bin, /usr/sbin, "
                     "/usr/bin, /sbin or /bin); systemd skips the rest of this drop-in and so "
                     "does vigil"}));
  // In the unit's own file the same line is fatal.
  Unit("/lib/systemd/system/bad.service", "[Service]\nExecStart=./relative\n");
  EXPECT_EQ(Load("bad").error().message,
            "/lib/systemd/system/bad.service:2: Neither a valid executable name nor an absolute "
            "path: ./relative (name the program by its absolute path, or by a bare name found in "
            "/usr/local/sbin, /usr/local/bin, /usr/sbin, /usr/bin, /sbin or /bin)");
}

TEST_F(UnitLoaderTest, EnablementStates) {
  Unit("/lib/systemd/system/on.service",
       "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n");
  Unit("/lib/systemd/system/off.service",
       "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n");
  Unit("/lib/systemd/system/static.service", "[Service]\nExecStart=/bin/true\n");
  Unit("/lib/systemd/system/indirect.service",
       "[Service]\nExecStart=/bin/true\n[Install]\nAlso=on.service\n");
  Unit("/lib/systemd/system/cleared.service",
       "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\nWantedBy=\n");
  Unit("/lib/systemd/system/tpl@.service",
       "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n");
  host_.AddSymlink("/etc/systemd/system/multi-user.target.wants/on.service",
                   "/lib/systemd/system/on.service");
  host_.AddSymlink("/etc/systemd/system/multi-user.target.wants/tpl@a.service",
                   "/lib/systemd/system/tpl@.service");
  EXPECT_EQ(GetUnitFileState("on", paths_, host_), UnitFileState::kEnabled);
  EXPECT_EQ(GetUnitFileState("off", paths_, host_), UnitFileState::kDisabled);
  EXPECT_EQ(GetUnitFileState("static", paths_, host_), UnitFileState::kStatic);
  EXPECT_EQ(GetUnitFileState("indirect", paths_, host_), UnitFileState::kIndirect);
  EXPECT_EQ(GetUnitFileState("cleared", paths_, host_), UnitFileState::kStatic);
  EXPECT_EQ(GetUnitFileState("tpl@a", paths_, host_), UnitFileState::kEnabled);
  EXPECT_EQ(GetUnitFileState("tpl@b", paths_, host_), UnitFileState::kDisabled);
  EXPECT_EQ(GetUnitFileState("tpl@.service", paths_, host_), UnitFileState::kIndirect);
  EXPECT_EQ(GetUnitFileState("missing", paths_, host_), UnitFileState::kNotFound);
  EXPECT_EQ(UnitFileStateName(UnitFileState::kIndirect), "indirect");

  EXPECT_TRUE(Load("on")->spec.autostart);
  EXPECT_FALSE(Load("off")->spec.autostart);
  EXPECT_TRUE(Load("tpl@a")->spec.autostart);
  EXPECT_EQ(ListServiceUnits(paths_, host_),
            (Strings{"cleared.service", "indirect.service", "off.service", "on.service",
                     "static.service", "tpl@a.service"}));
}

TEST_F(UnitLoaderTest, BootEnablementFollowsTargets) {
  Unit("/lib/systemd/system/app.service", "[Service]\nExecStart=/bin/true\n");
  host_.AddSymlink("/etc/systemd/system/app.target.wants/app.service",
                   "/lib/systemd/system/app.service");
  EXPECT_EQ(GetUnitFileState("app", paths_, host_), UnitFileState::kEnabled);
  EXPECT_FALSE(IsEnabledAtBoot("app.service", paths_, host_));  // app.target is not wanted
  host_.AddSymlink("/etc/systemd/system/multi-user.target.wants/app.target",
                   "/lib/systemd/system/app.target");
  EXPECT_TRUE(IsEnabledAtBoot("app.service", paths_, host_));
  host_.AddSymlink("/etc/systemd/system/graphical.target.requires/gui.service", "/x");
  EXPECT_TRUE(IsEnabledAtBoot("gui.service", paths_, host_));
}

TEST_F(UnitLoaderTest, PlanEnableAndDisable) {
  Unit("/lib/systemd/system/web.service",
       "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n"
       "RequiredBy=app.target\nAlias=www.service\nAlso=helper.service\n");
  Unit("/lib/systemd/system/helper.service",
       "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=web.service\n");
  Result<InstallPlan> plan = PlanEnable("web", paths_, host_);
  ASSERT_TRUE(plan) << plan.error().message;
  using Kind = InstallChange::Kind;
  EXPECT_EQ(
      plan->changes,
      (std::vector<InstallChange>{
          {Kind::kSymlink, "/etc/systemd/system/multi-user.target.wants/web.service",
           "/lib/systemd/system/web.service"},
          {Kind::kSymlink, "/etc/systemd/system/app.target.requires/web.service",
           "/lib/systemd/system/web.service"},
          {Kind::kSymlink, "/etc/systemd/system/www.service", "/lib/systemd/system/web.service"},
          {Kind::kSymlink, "/etc/systemd/system/web.service.wants/helper.service",
           "/lib/systemd/system/helper.service"}}));

  // Apply it and plan the disable.
  for (const InstallChange& change : plan->changes) host_.AddSymlink(change.path, change.target);
  EXPECT_EQ(GetUnitFileState("web", paths_, host_), UnitFileState::kEnabled);
  EXPECT_TRUE(PlanEnable("web", paths_, host_)->changes.empty());  // nothing left to do
  host_.AddSymlink("/lib/systemd/system/multi-user.target.wants/web.service",
                   "/lib/systemd/system/web.service");
  Result<InstallPlan> disable = PlanDisable("web", paths_, host_);
  ASSERT_TRUE(disable) << disable.error().message;
  EXPECT_EQ(disable->changes,
            (std::vector<InstallChange>{
                {Kind::kUnlink, "/etc/systemd/system/app.target.requires/web.service", ""},
                {Kind::kUnlink, "/etc/systemd/system/multi-user.target.wants/web.service", ""},
                {Kind::kUnlink, "/lib/systemd/system/multi-user.target.wants/web.service", ""},
                {Kind::kUnlink, "/etc/systemd/system/www.service", ""},
                {Kind::kUnlink, "/etc/systemd/system/web.service.wants/helper.service", ""}}));
}

TEST_F(UnitLoaderTest, PlanEnableSpecialCases) {
  Unit("/lib/systemd/system/static.service", "[Service]\nExecStart=/bin/true\n");
  Result<InstallPlan> plan = PlanEnable("static", paths_, host_);
  ASSERT_TRUE(plan);
  EXPECT_TRUE(plan->changes.empty());
  ASSERT_EQ(plan->warnings.size(), 1u);
  EXPECT_TRUE(
      plan->warnings[0].starts_with("static.service: The unit files have no installation "
                                    "config"));

  Unit("/lib/systemd/system/tpl@.service",
       "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target "
       "container@.target\nDefaultInstance=main\n");
  plan = PlanEnable("tpl@.service", paths_, host_);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->changes.size(), 2u);
  EXPECT_EQ(plan->changes[0].path, "/etc/systemd/system/multi-user.target.wants/tpl@main.service");
  EXPECT_EQ(plan->changes[0].target, "/lib/systemd/system/tpl@.service");
  EXPECT_EQ(plan->changes[1].path,
            "/etc/systemd/system/container@main.target.wants/tpl@main.service");
  EXPECT_EQ(PlanEnable("tpl@x", paths_, host_)->changes[0].path,
            "/etc/systemd/system/multi-user.target.wants/tpl@x.service");

  host_.AddSymlink("/etc/systemd/system/static.service", "/dev/null");
  EXPECT_EQ(PlanEnable("static", paths_, host_).error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(PlanEnable("none", paths_, host_).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace vigil::config
