#include "config/service_builder.h"

#include <gtest/gtest.h>

#include "tests/fakes/fake_host.h"

namespace vigil::config {
namespace {

using Strings = std::vector<std::string>;

class ServiceBuilderTest : public ::testing::Test {
 protected:
  ServiceBuilderTest() {
    for (const char* exe : {"/bin/true", "/bin/false", "/bin/sleep", "/usr/bin/env",
                            "/home/doris/fe/bin/start_fe.sh", "/home/doris/fe/bin/stop_fe.sh",
                            "/home/doris/be/bin/start_be.sh", "/home/doris/be/bin/stop_be.sh"}) {
      host_.AddExecutable(exe);
    }
    host_.AddUser("doris", 1000, 1000, "/home/doris");
    host_.AddGroup("doris", 1000);
    host_.AddGroup("adm", 4);
  }

  Result<BuiltService> Build(std::string_view text, Strings dropins = {},
                             std::string_view name = "u.service") {
    ServiceUnitSources sources;
    sources.name = *ParseUnitName(name);
    sources.fragment =
        UnitSourceFile{"/etc/systemd/system/" + std::string(name), std::string(text)};
    for (size_t i = 0; i < dropins.size(); ++i) {
      sources.dropins.push_back(UnitSourceFile{
          "/etc/systemd/system/u.service.d/" + std::to_string(i) + ".conf", dropins[i]});
    }
    SpecifierContext specifiers = MakeSpecifierContext(host_, sources.name, sources.fragment->path);
    return BuildServiceUnit(sources, specifiers, host_);
  }

  // The unit's ServiceSpec, failing the test if it does not load.
  ServiceSpec Spec(std::string_view text, Strings dropins = {}) {
    Result<BuiltService> built = Build(text, std::move(dropins));
    EXPECT_TRUE(built) << built.error().message;
    if (!built) return {};
    warnings_ = built->warnings;
    return *built->program.service;
  }

  ProgramSpec Program(std::string_view text) {
    Result<BuiltService> built = Build(text);
    EXPECT_TRUE(built) << built.error().message;
    if (!built) return {};
    warnings_ = built->warnings;
    return built->program;
  }

  std::string Error(std::string_view text, Strings dropins = {}) {
    Result<BuiltService> built = Build(text, std::move(dropins));
    if (built) return "(loaded)";
    return built.error().message;
  }

  testing::FakeHost host_;
  Strings warnings_;
};

constexpr std::string_view kSimple = "[Service]\nExecStart=/bin/true\n";

// The seed's units, byte for byte (reference/seed-files/doris-fe.service has a trailing space).
constexpr std::string_view kDorisFe =
    "[Unit]\nDescription=Doris FE\nAfter=network-online.target\nWants=network-online.target\n\n"
    "[Service]\nType=forking\nUser=root\nGroup=root\nLimitCORE=infinity\nLimitNOFILE=200000\n"
    "Restart=on-failure\nRestartSec=30\nStartLimitInterval=120\nStartLimitBurst=3\n"
    "KillMode=none\nExecStart=/home/doris/fe/bin/start_fe.sh --daemon \n"
    "ExecStop=/home/doris/fe/bin/stop_fe.sh\n\n[Install]\nWantedBy=multi-user.target\n";

TEST_F(ServiceBuilderTest, SeedUnitLoadsAsItsAuthorsMeantIt) {
  Result<BuiltService> built = Build(kDorisFe, {}, "doris-fe.service");
  ASSERT_TRUE(built) << built.error().message;
  const ProgramSpec& p = built->program;
  EXPECT_EQ(built->warnings,
            (Strings{"/etc/systemd/system/doris-fe.service:16: Unit uses KillMode=none. This is "
                     "unsafe, as it disables systemd's process lifecycle management for the "
                     "service. Please update the service to use a safer KillMode=, such as "
                     "'mixed' or 'control-group'. Support for KillMode=none is deprecated and "
                     "will eventually be removed."}));
  EXPECT_EQ(p.dialect, Dialect::kSystemd);
  EXPECT_EQ(p.name, "doris-fe.service");
  EXPECT_EQ(p.group, "doris-fe.service");
  EXPECT_EQ(p.program, "doris-fe.service");
  EXPECT_EQ(p.priority, 999);
  EXPECT_EQ(p.argv, (Strings{"/home/doris/fe/bin/start_fe.sh", "--daemon"}));
  EXPECT_EQ(p.command, "/home/doris/fe/bin/start_fe.sh --daemon");
  ASSERT_TRUE(p.user);
  EXPECT_EQ(p.user->uid, 0u);
  EXPECT_EQ(p.umask, 022u);
  EXPECT_EQ(p.where, (SourceLocation{"/etc/systemd/system/doris-fe.service", 1}));
  EXPECT_EQ(p.stop.signal, SIGTERM);
  EXPECT_EQ(p.stop.timeout, std::chrono::seconds(90));
  EXPECT_EQ(p.stdout_log.target, LogTarget::kAuto);
  EXPECT_TRUE(p.redirect_stderr);
  EXPECT_TRUE(p.argv_error.empty());
  const ServiceSpec& s = *p.service;
  EXPECT_EQ(s.unit_name, "doris-fe.service");
  EXPECT_EQ(s.description, "Doris FE");
  EXPECT_EQ(s.type, ServiceType::kForking);
  EXPECT_EQ(s.restart, RestartSetting::kOnFailure);
  EXPECT_EQ(s.restart_sec, std::chrono::seconds(30));
  EXPECT_EQ(s.start_limit_interval, std::chrono::seconds(120));  // the legacy [Service] key
  EXPECT_EQ(s.start_limit_burst, 3);
  EXPECT_EQ(s.kill_mode, KillMode::kNone);
  EXPECT_EQ(s.group, 0u);
  EXPECT_EQ(s.dependencies.after, (Strings{"network-online.target"}));
  EXPECT_EQ(s.dependencies.wants, (Strings{"network-online.target"}));
  EXPECT_EQ(s.install.wanted_by, (Strings{"multi-user.target"}));
  EXPECT_EQ(s.limits, (std::vector<ResourceLimit>{{RLIMIT_CORE, RLIM_INFINITY, RLIM_INFINITY},
                                                  {RLIMIT_NOFILE, 200000, 200000}}));
  ASSERT_EQ(s.exec_stop.size(), 1u);
  EXPECT_EQ(s.exec_stop[0].path, "/home/doris/fe/bin/stop_fe.sh");
  EXPECT_EQ(s.notify_access, NotifyAccess::kUnset);  // resolved by the core
}

TEST_F(ServiceBuilderTest, Defaults) {
  ServiceSpec s = Spec(kSimple);
  EXPECT_TRUE(warnings_.empty());
  EXPECT_EQ(s.type, ServiceType::kSimple);
  EXPECT_EQ(s.restart, RestartSetting::kNo);
  EXPECT_EQ(s.restart_sec, std::chrono::milliseconds(100));
  EXPECT_EQ(s.timeout_start, std::chrono::seconds(90));
  EXPECT_EQ(s.timeout_stop, std::chrono::seconds(90));
  EXPECT_EQ(s.start_limit_interval, std::chrono::seconds(10));
  EXPECT_EQ(s.start_limit_burst, 5);
  EXPECT_TRUE(s.ignore_sigpipe);
  EXPECT_TRUE(s.guess_main_pid);
  EXPECT_EQ(s.kill_signal, SIGTERM);
  EXPECT_EQ(s.final_kill_signal, SIGKILL);
  EXPECT_EQ(s.watchdog_signal, SIGABRT);
}

TEST_F(ServiceBuilderTest, ListsAccumulateAndTheEmptyAssignmentResets) {
  ServiceSpec s = Spec(
      "[Service]\nExecStart=/bin/true\nExecStartPre=/bin/true a\nExecStartPre=/bin/true b\n"
      "Environment=A=1 B=2\nEnvironment=A=3\nSuccessExitStatus=1 TEMPFAIL SIGUSR1\n"
      "SuccessExitStatus=2\nEnvironmentFile=-/etc/default/u\nPassEnvironment=PATH\n",
      {"[Service]\nExecStartPre=\nExecStartPre=/bin/true c\nSuccessExitStatus=\n"
       "SuccessExitStatus=3\nEnvironmentFile=\n"});
  ASSERT_EQ(s.exec_start_pre.size(), 1u);
  EXPECT_EQ(s.exec_start_pre[0].argv, (Strings{"/bin/true", "c"}));
  EXPECT_EQ(s.success_exit_status.codes, (std::vector<int>{3}));
  EXPECT_TRUE(s.success_exit_status.signals.empty());
  EXPECT_TRUE(s.environment_files.empty());
  EXPECT_EQ(s.pass_environment, (Strings{"PATH"}));
  EXPECT_EQ(s.dropin_paths, (Strings{"/etc/systemd/system/u.service.d/0.conf"}));

  Result<BuiltService> built =
      Build("[Service]\nExecStart=/bin/true\nEnvironment=A=1 B=2\nEnvironment=A=3\n", {});
  ASSERT_TRUE(built);
  EXPECT_EQ(built->program.environment, (Environment{{"A", "3"}, {"B", "2"}}));
  built = Build("[Service]\nExecStart=/bin/true\nEnvironment=A=1\nEnvironment=\nEnvironment=C=4\n");
  EXPECT_EQ(built->program.environment, (Environment{{"C", "4"}}));
}

TEST_F(ServiceBuilderTest, DropInReplacesExecStart) {
  ServiceSpec s = Spec(kSimple, {"[Service]\nExecStart=\nExecStart=/bin/sleep 5\n"});
  ASSERT_EQ(s.exec_start.size(), 1u);
  EXPECT_EQ(s.exec_start[0].argv, (Strings{"/bin/sleep", "5"}));
  EXPECT_EQ(s.exec_start[0].where, (SourceLocation{"/etc/systemd/system/u.service.d/0.conf", 3}));
}

TEST_F(ServiceBuilderTest, DependenciesCannotBeReset) {
  ServiceSpec s = Spec(
      "[Unit]\nAfter=a.service b.service\nAfter=\nAfter=a.service c.target\n"
      "Requires=x.service\nBindTo=y.service\nOnFailure=z@%n.service\n"
      "Before=foo\n[Service]\nExecStart=/bin/true\n");
  EXPECT_EQ(s.dependencies.after, (Strings{"a.service", "b.service", "c.target"}));
  EXPECT_EQ(s.dependencies.requires_units, (Strings{"x.service"}));
  EXPECT_EQ(s.dependencies.binds_to, (Strings{"y.service"}));
  EXPECT_EQ(s.dependencies.on_failure, (Strings{"z@u.service.service"}));
  EXPECT_TRUE(s.dependencies.before.empty());
  EXPECT_EQ(warnings_, (Strings{"/etc/systemd/system/u.service:8: 'foo' in Before= is not a valid "
                                "unit name; vigil ignores it (a unit name is NAME.TYPE, such as "
                                "network-online.target)"}));
}

TEST_F(ServiceBuilderTest, ScalarsKeepTheLastValue) {
  ServiceSpec s = Spec(
      "[Service]\nExecStart=/bin/true\nRestart=always\nRestart=on-abort\n"
      "KillSignal=SIGINT\nKillSignal=bogus\nUser=root\nUser=\n",
      {"[Service]\nRestartSec=5min 20s\n"});
  EXPECT_EQ(s.restart, RestartSetting::kOnAbort);
  EXPECT_EQ(s.kill_signal, SIGINT);  // a bad value leaves the previous one
  EXPECT_EQ(s.restart_sec, std::chrono::seconds(320));
  EXPECT_EQ(warnings_, (Strings{"/etc/systemd/system/u.service:6: Failed to parse signal name, "
                                "ignoring: bogus"}));
}

TEST_F(ServiceBuilderTest, SystemdsParseWarnings) {
  Spec(
      "[Unit]\nStartLimitIntervalSec=abc\nStartLimitBurst=-1\nDocumentation=ftp://x man:a(1)\n"
      "Foo=bar\nX-Mine=1\n[Service]\nExecStart=/bin/true\nType=Simple\nRestart=\n"
      "TimeoutStartSec=x\nTimeoutStopSec=-1\nTimeoutAbortSec=x\nWatchdogSec=x\nUMask=999\n"
      "Nice=30\nNice=abc\nOOMScoreAdjust=2000\nLimitNOFILE=2048:1024\nLimitCORE=1KB\n"
      "SuccessExitStatus=300 usage\nEnvironment=1BAD=x GOOD=1\nStandardOutput=console\n"
      "NotifyAccess=some\nSendSIGKILL=maybe\n");
  EXPECT_EQ(
      warnings_,
      (Strings{"/etc/systemd/system/u.service:2: Failed to parse sec value, ignoring: abc",
               "/etc/systemd/system/u.service:3: Failed to parse unsigned value, ignoring: -1",
               "/etc/systemd/system/u.service:4: Invalid URL, ignoring: ftp://x",
               "/etc/systemd/system/u.service:5: Unknown key 'Foo' in section [Unit], ignoring.",
               "/etc/systemd/system/u.service:9: Failed to parse service type, ignoring: Simple",
               "/etc/systemd/system/u.service:10: Failed to parse service restart specifier, "
               "ignoring: ",
               "/etc/systemd/system/u.service:11: Failed to parse TimeoutStartSec= parameter, "
               "ignoring: x",
               "/etc/systemd/system/u.service:12: Failed to parse time value, ignoring: -1",
               "/etc/systemd/system/u.service:13: Failed to parse TimeoutAbortSec= setting, "
               "ignoring: x",
               "/etc/systemd/system/u.service:14: Failed to parse sec value, ignoring: x",
               "/etc/systemd/system/u.service:15: Failed to parse mode value, ignoring: 999",
               "/etc/systemd/system/u.service:16: Nice priority out of range, ignoring: 30",
               "/etc/systemd/system/u.service:17: Failed to parse nice priority 'abc', "
               "ignoring: Invalid argument",
               "/etc/systemd/system/u.service:18: OOM score adjust value out of range, "
               "ignoring: 2000",
               "/etc/systemd/system/u.service:19: Soft resource limit chosen higher than hard "
               "limit, ignoring: 2048:1024",
               "/etc/systemd/system/u.service:20: Failed to parse resource value, ignoring: 1KB",
               "/etc/systemd/system/u.service:21: Failed to parse value, ignoring: 300",
               "/etc/systemd/system/u.service:21: Failed to parse value, ignoring: usage",
               "/etc/systemd/system/u.service:22: Invalid environment assignment, ignoring: "
               "1BAD=x",
               "/etc/systemd/system/u.service:23: Failed to parse output specifier, ignoring: "
               "console",
               "/etc/systemd/system/u.service:24: Failed to parse notify access specifier, "
               "ignoring: some",
               "/etc/systemd/system/u.service:25: Failed to parse boolean value, ignoring: "
               "maybe"}));
}

TEST_F(ServiceBuilderTest, Timeouts) {
  ServiceSpec s = Spec("[Service]\nExecStart=/bin/true\nTimeoutSec=5\n");
  EXPECT_EQ(s.timeout_start, std::chrono::seconds(5));
  EXPECT_EQ(s.timeout_stop, std::chrono::seconds(5));
  s = Spec(
      "[Service]\nExecStart=/bin/true\nTimeoutStartSec=0\nTimeoutStopSec=infinity\n"
      "TimeoutAbortSec=infinity\nRuntimeMaxSec=1h\nWatchdogSec=infinity\n"
      "TimeoutStopFailureMode=kill\n");
  EXPECT_EQ(s.timeout_start, std::nullopt);  // 0 means no timeout
  EXPECT_EQ(s.timeout_stop, std::nullopt);
  EXPECT_EQ(s.timeout_abort, Duration::max());
  EXPECT_EQ(s.runtime_max, std::chrono::hours(1));
  EXPECT_EQ(s.watchdog, Duration::zero());
  EXPECT_EQ(s.timeout_stop_failure_mode, TimeoutFailureMode::kKill);
  // Oneshot services have no start timeout unless one is set.
  EXPECT_EQ(Spec("[Service]\nType=oneshot\nExecStart=/bin/true\n").timeout_start, std::nullopt);
  EXPECT_EQ(Spec("[Service]\nType=oneshot\nExecStart=/bin/true\nTimeoutStartSec=7\n").timeout_start,
            std::chrono::seconds(7));
  // infinity in StartLimitIntervalSec= disables the limit, like 0.
  EXPECT_EQ(Spec("[Unit]\nStartLimitIntervalSec=infinity\n[Service]\nExecStart=/bin/true\n")
                .start_limit_interval,
            Duration::zero());
}

TEST_F(ServiceBuilderTest, RestartBackoffKeys) {
  ServiceSpec s = Spec(
      "[Service]\nExecStart=/bin/true\nRestartSec=1\nRestartSteps=5\n"
      "RestartMaxDelaySec=60\n");
  EXPECT_EQ(s.restart_steps, 5);
  EXPECT_EQ(s.restart_max_delay, std::chrono::seconds(60));
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(ServiceBuilderTest, TypeDefaults) {
  EXPECT_EQ(Spec("[Service]\nExecStart=/bin/true\n").type, ServiceType::kSimple);
  EXPECT_EQ(Spec("[Service]\nExecStop=/bin/true\nRemainAfterExit=yes\n").type,
            ServiceType::kOneshot);
  // Type=dbus (or BusName= without Type=) runs as simple, with a warning.
  EXPECT_EQ(Spec("[Service]\nExecStart=/bin/true\nBusName=org.example.X\n").type,
            ServiceType::kSimple);
  EXPECT_EQ(warnings_, (Strings{"/etc/systemd/system/u.service:1: Type=dbus: vigil has no D-Bus "
                                "and cannot see the bus name being taken; the service is run as "
                                "Type=simple"}));
}

struct VerifyCase {
  const char* text;
  const char* error;  // after "file:line: "
};

// service_verify()'s refusals, in systemd's words (checked with systemd-analyze verify 252).
const VerifyCase kVerifyCases[] = {
    {"[Service]\nType=simple\n",
     "1: Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing. (add "
     "ExecStart=/path/to/program in [Service])"},
    {"[Service]\nExecStart=/bin/true\nExecStart=\n",
     "1: Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing. (add "
     "ExecStart=/path/to/program in [Service])"},
    {"[Service]\nType=simple\nExecStop=/bin/true\n",
     "2: Service has no ExecStart= setting, which is only allowed for Type=oneshot services. "
     "Refusing. (add ExecStart=, or set Type=oneshot)"},
    {"[Service]\nExecStop=/bin/true\n",
     "1: Service has no ExecStart= and no SuccessAction= settings and does not have "
     "RemainAfterExit=yes set. Refusing. (add ExecStart=, or RemainAfterExit=yes)"},
    {"[Service]\nExecStart=/bin/true\nExecStart=/bin/false\n",
     "3: Service has more than one ExecStart= setting, which is only allowed for Type=oneshot "
     "services. Refusing. (keep one ExecStart=, move the others to ExecStartPre=/ExecStartPost=, "
     "or set Type=oneshot)"},
    {"[Service]\nExecStart=/bin/true ; /bin/false\n",
     "2: Service has more than one ExecStart= setting, which is only allowed for Type=oneshot "
     "services. Refusing. (keep one ExecStart=, move the others to ExecStartPre=/ExecStartPost=, "
     "or set Type=oneshot)"},
    {"[Service]\nType=oneshot\nRestart=always\nExecStart=/bin/true\n",
     "3: Service has Restart= set to either always or on-success, which isn't allowed for "
     "Type=oneshot services. Refusing. (use Restart=on-failure, or another Type=)"},
    {"[Service]\nType=oneshot\nRestartForceExitStatus=1\nExecStart=/bin/true\n",
     "2: Service has RestartForceExitStatus= set, which isn't allowed for Type=oneshot services. "
     "Refusing. (remove RestartForceExitStatus=)"},
    {"[Service]\nType=oneshot\nExitType=cgroup\nExecStart=/bin/true\n",
     "2: Service has ExitType=cgroup set, which isn't allowed for Type=oneshot services. "
     "Refusing. (remove ExitType=cgroup)"},
    {"[Service]\nType=dbus\nExecStart=/bin/true\n",
     "2: Service is of type D-Bus but no D-Bus service name has been specified. Refusing. "
     "(vigil has no D-Bus anyway: use Type=simple)"},
    {"[Service]\nPAMName=login\nKillMode=process\nExecStart=/bin/true\n",
     "1: Service has PAM enabled. Kill mode must be set to 'control-group' or 'mixed'. "
     "Refusing."},
    {"[Service]\nExecStart=./true\n",
     "2: Neither a valid executable name nor an absolute path: ./true (name the program by its "
     "absolute path, or by a bare name found in /usr/local/sbin, /usr/local/bin, /usr/sbin, "
     "/usr/bin, /sbin or /bin)"},
    {"[Service]\nExecStart=/bin/true\nUser=a:b\n",
     "3: Invalid user/group name or numeric ID: a:b (use a name from the password or group "
     "database, or a number)"},
    {"[Service]\nExecStart=/bin/true\nUser=%Z\n",
     "3: Failed to resolve unit specifiers in %Z: Invalid slot"},
    {"[Service]\nExecStart=/bin/true\nWorkingDirectory=relative\n",
     "3: WorkingDirectory= path is not absolute: relative (use an absolute path, or ~ for the "
     "home of User=)"},
    {"[Service]\nExecStart=/bin/true\nWorkingDirectory=/tmp/../tmp\n",
     "3: WorkingDirectory= path is not normalized: /tmp/../tmp (use an absolute path, or ~ for "
     "the home of User=)"},
    {"[Service]\nExecStart=/bin/true\nPIDFile=a/../b.pid\n",
     "3: PIDFile= path is not normalized, ignoring: /run/a/../b.pid (systemd 252 refuses to load "
     "the unit; remove the '..')"},
    {"[Service]\nExecStart=/bin/true\nDynamicUser=maybe\n",
     "3: Failed to parse boolean value: maybe"},
    {"[Service]\nExecStart=/bin/true\nRootDirectory=relative\n",
     "3: RootDirectory= path is not absolute: relative"},
};

TEST_F(ServiceBuilderTest, RefusesWhatSystemdRefuses) {
  for (const VerifyCase& c : kVerifyCases) {
    EXPECT_EQ(Error(c.text), std::string("/etc/systemd/system/u.service:") + c.error) << c.text;
  }
  // What systemd accepts around those rules.
  for (const char* ok :
       {"[Service]\nType=oneshot\nExecStart=/bin/true\nExecStart=/bin/false\n",
        "[Service]\nType=oneshot\nRestart=on-failure\nExecStart=/bin/true\n",
        "[Service]\nExecStop=/bin/true\nRemainAfterExit=yes\n", "[Unit]\nSuccessAction=exit\n",
        "[Service]\nExecStart=-./true\nExecStart=/bin/true\n",
        "[Service]\nExecStart=/bin/true\nWorkingDirectory=-relative\n"}) {
    EXPECT_EQ(Error(ok), "(loaded)") << ok;
  }
}

TEST_F(ServiceBuilderTest, ExecutablesAreResolvedAndChecked) {
  host_.AddExecutable("/usr/bin/env");
  ServiceSpec s = Spec(
      "[Service]\nExecStart=env FOO=1 /bin/true\nExecStartPre=/bin/true\n"
      "ExecStartPre=/nonexistent\nExecStop=nosuchprogram\n"
      "ExecStopPost=-/also/missing\nExecReload=@/missing argv0\n");
  EXPECT_EQ(s.exec_start[0].path, "/usr/bin/env");
  EXPECT_EQ(s.exec_start[0].argv[0], "env");
  EXPECT_EQ(s.exec_stop[0].path, "nosuchprogram");  // exec fails with 203/EXEC
  EXPECT_EQ(warnings_,
            (Strings{"/etc/systemd/system/u.service:4: Command /nonexistent is not executable: "
                     "No such file or directory (systemd-analyze verify checks only the first; "
                     "vigil checks all)",
                     "/etc/systemd/system/u.service:7: Command /missing is not executable: No "
                     "such file or directory",
                     "/etc/systemd/system/u.service:5: Command nosuchprogram is not executable: "
                     "No such file or directory"}));
  Spec("[Service]\nExecStart=$PROGRAM --flag\n");
  EXPECT_EQ(warnings_, (Strings{"/etc/systemd/system/u.service:2: Command $PROGRAM is not "
                                "executable: No such file or directory (the executable itself is "
                                "never taken from a variable; vigil, like systemd, runs it "
                                "literally)"}));
  host_.AddFile("/etc/passwd-like", "");
  Spec("[Service]\nExecStart=/etc/passwd-like\n");
  EXPECT_EQ(warnings_, (Strings{"/etc/systemd/system/u.service:2: Command /etc/passwd-like is not "
                                "executable: Permission denied"}));
}

TEST_F(ServiceBuilderTest, Credentials) {
  ProgramSpec p = Program(
      "[Service]\nExecStart=/bin/true\nUser=doris\nGroup=adm\n"
      "SupplementaryGroups=adm doris\nSupplementaryGroups=4\n");
  ASSERT_TRUE(p.user);
  EXPECT_EQ(p.user->name, "doris");
  EXPECT_EQ(p.user->uid, 1000u);
  EXPECT_EQ(p.user->gid, 1000u);
  EXPECT_EQ(p.service->group, 4u);
  EXPECT_EQ(p.service->group_name, "adm");
  EXPECT_EQ(p.service->supplementary_groups, (std::vector<gid_t>{4, 1000}));
  EXPECT_TRUE(warnings_.empty());

  p = Program("[Service]\nExecStart=/bin/true\nUser=1000\n");
  EXPECT_EQ(p.user->login, "doris");

  // A user that does not exist: systemd loads the unit and fails each start with 217/USER.
  p = Program("[Service]\nExecStart=/bin/true\nUser=nosuch\nGroup=nogroup\n");
  EXPECT_FALSE(p.user);
  EXPECT_EQ(p.argv_error,
            "User=nosuch does not exist (status 217/USER, as with systemd); Group=nogroup does "
            "not exist (status 216/GROUP, as with systemd)");
  EXPECT_EQ(warnings_.size(), 2u);

  Program("[Service]\nExecStart=/bin/true\nUser=a.b\n");
  EXPECT_EQ(warnings_[0],
            "/etc/systemd/system/u.service:3: Accepting user/group name 'a.b', which does not "
            "match strict user/group name rules.");
  host_.AddUser("nobody", 65534, 65534, "/nonexistent");
  Program("[Service]\nExecStart=/bin/true\nUser=nobody\n");
  EXPECT_EQ(warnings_, (Strings{"/etc/systemd/system/u.service:3: Special user nobody configured, "
                                "this is not safe!"}));
}

TEST_F(ServiceBuilderTest, WorkingDirectory) {
  EXPECT_EQ(Program("[Service]\nExecStart=/bin/true\nWorkingDirectory=/srv/x\n").directory,
            "/srv/x");
  ProgramSpec home = Program("[Service]\nExecStart=/bin/true\nUser=doris\nWorkingDirectory=~\n");
  EXPECT_EQ(home.directory, "/home/doris");
  EXPECT_TRUE(home.service->working_directory_home);
  EXPECT_EQ(Program("[Service]\nExecStart=/bin/true\nWorkingDirectory=~\n").directory, "/root");
  ProgramSpec optional = Program("[Service]\nExecStart=/bin/true\nWorkingDirectory=-/srv/maybe\n");
  EXPECT_EQ(optional.directory, "/srv/maybe");
  EXPECT_TRUE(optional.service->working_directory_optional);
  EXPECT_EQ(Program(kSimple).directory, std::nullopt);
}

TEST_F(ServiceBuilderTest, Output) {
  ProgramSpec p = Program(
      "[Service]\nExecStart=/bin/true\nStandardOutput=append:/var/log/u.log\n"
      "StandardError=null\n");
  EXPECT_EQ(p.stdout_log.target, LogTarget::kFile);
  EXPECT_EQ(p.stdout_log.path, "/var/log/u.log");
  EXPECT_EQ(p.stdout_log.maxbytes, 0);
  EXPECT_EQ(p.service->stdout_file_mode, OutputFileMode::kAppend);
  EXPECT_FALSE(p.redirect_stderr);
  EXPECT_EQ(p.stderr_log.target, LogTarget::kNone);

  p = Program("[Service]\nExecStart=/bin/true\nStandardOutput=syslog\nStandardError=syslog\n");
  EXPECT_EQ(p.stdout_log.target, LogTarget::kAuto);
  EXPECT_EQ(p.stderr_log.target, LogTarget::kAuto);
  EXPECT_EQ(warnings_[0],
            "/etc/systemd/system/u.service:3: Standard output type syslog is obsolete, "
            "automatically updating to journal. Please update your unit file, and consider "
            "removing the setting altogether.");

  p = Program(
      "[Service]\nExecStart=/bin/true\nStandardOutput=inherit\n"
      "StandardError=truncate:/tmp/err\n");
  EXPECT_EQ(p.stdout_log.target, LogTarget::kNone);  // stdin's /dev/null
  EXPECT_EQ(p.stderr_log.path, "/tmp/err");
  EXPECT_EQ(p.service->stderr_file_mode, OutputFileMode::kTruncate);

  Program("[Service]\nExecStart=/bin/true\nStandardOutput=tty\nStandardError=fd:x\n");
  EXPECT_EQ(warnings_,
            (Strings{"/etc/systemd/system/u.service:3: StandardOutput= of this kind is not "
                     "supported by vigil, ignoring: the output goes to vigil's log of the unit, "
                     "as for journal",
                     "/etc/systemd/system/u.service:4: StandardError= of this kind is not "
                     "supported by vigil, ignoring: the output goes to vigil's log of the unit, "
                     "as for journal"}));
  Program("[Service]\nExecStart=/bin/true\nStandardOutput=file:relative\n");
  EXPECT_EQ(warnings_, (Strings{"/etc/systemd/system/u.service:3: StandardOutput= path is not "
                                "absolute: relative"}));
}

TEST_F(ServiceBuilderTest, EnvironmentSettings) {
  Result<BuiltService> built = Build(
      "[Service]\nExecStart=/bin/true\nEnvironment=\"VAR1=word1 word2\" VAR2=word3 "
      "\"VAR3=$word 5 6\"\nEnvironment=UNIT=%n PCT=100%%\n"
      "UnsetEnvironment=VAR2 X=1 1bad\nPassEnvironment=HOME 1bad\n"
      "EnvironmentFile=/etc/a.env\nEnvironmentFile=-/etc/b.env\nEnvironmentFile=relative\n");
  ASSERT_TRUE(built) << built.error().message;
  EXPECT_EQ(built->program.environment, (Environment{{"VAR1", "word1 word2"},
                                                     {"VAR2", "word3"},
                                                     {"VAR3", "$word 5 6"},
                                                     {"UNIT", "u.service"},
                                                     {"PCT", "100%"}}));
  const ServiceSpec& s = *built->program.service;
  EXPECT_EQ(s.unset_environment, (Strings{"VAR2", "X=1"}));
  EXPECT_EQ(s.pass_environment, (Strings{"HOME"}));
  EXPECT_EQ(s.environment_files,
            (std::vector<EnvironmentFile>{{"/etc/a.env", false}, {"/etc/b.env", true}}));
  EXPECT_EQ(built->warnings,
            (Strings{"/etc/systemd/system/u.service:5: Invalid environment name or assignment "
                     "UnsetEnvironment, ignoring: 1bad",
                     "/etc/systemd/system/u.service:6: Invalid environment name for "
                     "PassEnvironment, ignoring: 1bad",
                     "/etc/systemd/system/u.service:9: EnvironmentFile= path is not absolute, "
                     "ignoring: relative"}));
}

TEST_F(ServiceBuilderTest, UnsupportedKeysWarnHonestly) {
  Spec(
      "[Unit]\nConditionPathExists=/x\nDefaultDependencies=no\n[Service]\nExecStart=/bin/true\n"
      "ProtectSystem=strict\nPrivateTmp=no\nPrivateTmp=yes\nMemoryMax=1G\nDynamicUser=yes\n"
      "CPUShares=100\nCapabilities=x\nSyslogLevel=info\nX-Custom=1\n[X-Vigil]\nBogus=1\n"
      "[X-Other]\nAnything=1\n");
  EXPECT_EQ(warnings_,
            (Strings{"/etc/systemd/system/u.service:2: ConditionPathExists= is not supported by "
                     "vigil, ignoring (the unit starts without this check).",
                     "/etc/systemd/system/u.service:6: ProtectSystem= is not supported by vigil, "
                     "ignoring (the service runs without this sandboxing).",
                     "/etc/systemd/system/u.service:8: PrivateTmp= is not supported by vigil, "
                     "ignoring (the service runs without this sandboxing).",
                     "/etc/systemd/system/u.service:9: MemoryMax= is not supported by vigil, "
                     "ignoring (no cgroup resource control).",
                     "/etc/systemd/system/u.service:10: DynamicUser= is not supported by vigil, "
                     "ignoring (the service runs as User=, or as vigild's user).",
                     "/etc/systemd/system/u.service:11: Unit uses CPUShares=; please use "
                     "CPUWeight= instead. Support for CPUShares= will be removed soon.",
                     "/etc/systemd/system/u.service:11: CPUShares= is not supported by vigil, "
                     "ignoring (no cgroup resource control).",
                     "/etc/systemd/system/u.service:12: Support for option Capabilities= has "
                     "been removed and it is ignored",
                     "/etc/systemd/system/u.service:13: SyslogLevel= is not supported by vigil, "
                     "ignoring.",
                     "/etc/systemd/system/u.service:16: Unknown key 'Bogus' in section [X-Vigil] "
                     "(vigil has no such setting), ignoring."}));
}

TEST_F(ServiceBuilderTest, Specifiers) {
  ServiceSpec s = Spec(
      "[Unit]\nDescription=%n on %H\n[Service]\nExecStart=/bin/true %i\n"
      "SyslogIdentifier=%p\nPIDFile=%N.pid\n");
  EXPECT_EQ(s.description, "u.service on testhost");
  EXPECT_EQ(s.syslog_identifier, "u");
  EXPECT_EQ(s.pid_file, "/run/u.pid");
  EXPECT_EQ(s.exec_start[0].argv, (Strings{"/bin/true", ""}));
  // systemd words the same failure three ways, by the parser of the setting.
  Spec(
      "[Unit]\nDescription=%Z\n[Service]\nExecStart=/bin/true\nEnvironment=A=%Z B=2\n"
      "StandardOutput=file:/tmp/%Z\n");
  EXPECT_EQ(warnings_, (Strings{"/etc/systemd/system/u.service:2: Failed to resolve unit "
                                "specifiers in '%Z', ignoring: Invalid slot",
                                "/etc/systemd/system/u.service:5: Failed to resolve specifiers "
                                "in A=%Z, ignoring: Invalid slot",
                                "/etc/systemd/system/u.service:6: Failed to resolve unit "
                                "specifiers in /tmp/%Z, ignoring: Invalid slot"}));
}

TEST_F(ServiceBuilderTest, Install) {
  ServiceSpec s = Spec(
      "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n"
      "WantedBy=\nWantedBy=default.target\nRequiredBy=x.target\n"
      "Alias=other.service bad.target\nAlso=helper.service\n"
      "DefaultInstance=i\n");
  EXPECT_EQ(s.install.wanted_by, (Strings{"default.target"}));
  EXPECT_EQ(s.install.required_by, (Strings{"x.target"}));
  EXPECT_EQ(s.install.alias, (Strings{"other.service"}));
  EXPECT_EQ(s.install.also, (Strings{"helper.service"}));
  EXPECT_EQ(s.install.default_instance, "i");
  EXPECT_EQ(warnings_, (Strings{"/etc/systemd/system/u.service:8: Alias=bad.target does not have "
                                "the .service suffix of the unit (systemctl enable would refuse "
                                "it; vigil ignores it)"}));
}

TEST_F(ServiceBuilderTest, KillSettingsMapOntoStopSpec) {
  ProgramSpec p = Program(
      "[Service]\nExecStart=/bin/true\nKillMode=mixed\nKillSignal=SIGINT\n"
      "TimeoutStopSec=7\nFinalKillSignal=SIGQUIT\nRestartKillSignal=HUP\n"
      "SendSIGHUP=yes\nSendSIGKILL=no\n");
  EXPECT_EQ(p.stop.signal, SIGINT);
  EXPECT_EQ(p.stop.timeout, std::chrono::seconds(7));
  EXPECT_FALSE(p.stop.signal_group);
  EXPECT_TRUE(p.stop.kill_group);
  EXPECT_EQ(p.service->final_kill_signal, SIGQUIT);
  EXPECT_EQ(p.service->restart_kill_signal, SIGHUP);
  EXPECT_TRUE(p.service->send_sighup);
  EXPECT_FALSE(p.service->send_sigkill);
  EXPECT_EQ(Program("[Service]\nExecStart=/bin/true\nTimeoutStopSec=0\n").stop.timeout,
            Duration::max());
}

}  // namespace
}  // namespace vigil::config
