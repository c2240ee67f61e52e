#include "config/supervisord_builder.h"

#include <gtest/gtest.h>

#include "config/loader.h"
#include "tests/fakes/fake_host.h"

namespace vigil::config {
namespace {

using std::chrono::seconds;

class SupervisordBuilderTest : public ::testing::Test {
 protected:
  SupervisordBuilderTest() {
    host_.AddDirectory("/etc/supervisor/conf.d");
    host_.AddDirectory("/var/log/app");
    host_.AddUser("doris", 1000, 1000, "/home/doris");
    host_.AddGroup("doris", 1000);
    host_.SetEnv("APP_HOME", "/opt/app");
  }

  SupervisordConfig Load(const std::string& text) {
    host_.AddFile("/etc/supervisor/supervisord.conf", text);
    Result<SupervisordConfig> config =
        LoadSupervisordConfig("/etc/supervisor/supervisord.conf", host_);
    EXPECT_TRUE(config) << config.error().message;
    return config ? std::move(*config) : SupervisordConfig{};
  }

  static const ProgramSpec& Only(const SupervisordConfig& config) {
    EXPECT_EQ(config.groups.size(), 1u);
    EXPECT_EQ(config.groups.at(0).processes.size(), 1u);
    return config.groups.at(0).processes.at(0);
  }

  testing::FakeHost host_;
};

TEST_F(SupervisordBuilderTest, ProgramDefaultsAreSupervisords) {
  SupervisordConfig config = Load("[supervisord]\n[program:web]\ncommand=/bin/web --port 80\n");
  const ProgramSpec& p = Only(config);
  EXPECT_EQ(p.name, "web");
  EXPECT_EQ(p.group, "web");
  EXPECT_EQ(Namespec(p), "web");
  EXPECT_EQ(p.argv, (std::vector<std::string>{"/bin/web", "--port", "80"}));
  EXPECT_EQ(p.priority, 999);
  EXPECT_TRUE(p.autostart);
  EXPECT_EQ(p.restart.autorestart, AutoRestart::kUnexpected);
  EXPECT_EQ(p.restart.startsecs, seconds(1));
  EXPECT_EQ(p.restart.startretries, 3);
  EXPECT_EQ(p.restart.exitcodes, std::vector<int>{0});
  EXPECT_EQ(p.stop.signal, 15);
  EXPECT_EQ(p.stop.timeout, seconds(10));
  EXPECT_FALSE(p.stop.signal_group);
  EXPECT_FALSE(p.stop.kill_group);
  EXPECT_FALSE(p.redirect_stderr);
  EXPECT_EQ(p.stdout_log.target, LogTarget::kAuto);
  EXPECT_EQ(p.stdout_log.maxbytes, 50 * 1024 * 1024);
  EXPECT_EQ(p.stdout_log.backups, 10);
  EXPECT_EQ(p.stderr_log.target, LogTarget::kAuto);
  EXPECT_FALSE(p.directory);
  EXPECT_FALSE(p.umask);
  EXPECT_FALSE(p.user);
  EXPECT_FALSE(p.serverurl);
  EXPECT_TRUE(p.environment.empty());
  EXPECT_EQ(p.where.line, 2);
}

TEST_F(SupervisordBuilderTest, SupervisordSectionDefaults) {
  host_.SetCurrentDirectory("/var/log/app");
  SupervisordConfig config = Load("[supervisord]\n");
  const SupervisordSection& s = config.supervisord;
  EXPECT_EQ(s.logfile, "/var/log/app/supervisord.log");
  EXPECT_EQ(s.pidfile, "/var/log/app/supervisord.pid");
  EXPECT_EQ(s.logfile_maxbytes, 50 * 1024 * 1024);
  EXPECT_EQ(s.logfile_backups, 10);
  EXPECT_EQ(s.loglevel, LogLevel::kInfo);
  EXPECT_EQ(s.umask, 022u);
  EXPECT_FALSE(s.nodaemon);
  EXPECT_EQ(s.minfds, 1024);
  EXPECT_EQ(s.minprocs, 200);
  EXPECT_EQ(s.childlogdir, "/tmp");
  EXPECT_EQ(s.identifier, "supervisor");
  EXPECT_TRUE(config.groups.empty());
  EXPECT_FALSE(config.serverurl);
}

TEST_F(SupervisordBuilderTest, EveryOptionIsRead) {
  SupervisordConfig config = Load(
      "[supervisord]\n"
      "[program:api]\n"
      "command=/bin/api\n"
      "priority=5\nautostart=false\nautorestart=true\nstartsecs=0\nstartretries=7\n"
      "stopsignal=INT\nstopwaitsecs=30\nstopasgroup=true\nexitcodes=0,2\n"
      "user=doris\numask=027\ndirectory=/opt\nredirect_stderr=true\n"
      "stdout_logfile=/var/log/app/api.log\nstdout_logfile_maxbytes=1KB\n"
      "stdout_logfile_backups=2\nstdout_capture_maxbytes=1MB\nstdout_events_enabled=1\n"
      "stdout_syslog=yes\nserverurl=http://example:1\n");
  const ProgramSpec& p = Only(config);
  EXPECT_EQ(p.priority, 5);
  EXPECT_FALSE(p.autostart);
  EXPECT_EQ(p.restart.autorestart, AutoRestart::kAlways);
  EXPECT_EQ(p.restart.startsecs, seconds(0));
  EXPECT_EQ(p.restart.startretries, 7);
  EXPECT_EQ(p.stop.signal, 2);
  EXPECT_EQ(p.stop.timeout, seconds(30));
  EXPECT_TRUE(p.stop.signal_group);
  EXPECT_TRUE(p.stop.kill_group);  // killasgroup defaults to stopasgroup
  EXPECT_EQ(p.restart.exitcodes, (std::vector<int>{0, 2}));
  ASSERT_TRUE(p.user);
  EXPECT_EQ(p.user->uid, 1000u);
  EXPECT_EQ(p.user->gid, 1000u);
  EXPECT_EQ(p.umask, 027u);
  EXPECT_EQ(p.directory, "/opt");
  EXPECT_TRUE(p.redirect_stderr);
  EXPECT_EQ(p.stdout_log.target, LogTarget::kFile);
  EXPECT_EQ(p.stdout_log.path, "/var/log/app/api.log");
  EXPECT_EQ(p.stdout_log.maxbytes, 1024);
  EXPECT_EQ(p.stdout_log.backups, 2);
  EXPECT_EQ(p.stdout_log.capture_maxbytes, 1024 * 1024);
  EXPECT_TRUE(p.stdout_log.events_enabled);
  EXPECT_TRUE(p.stdout_log.syslog);
  EXPECT_EQ(p.stderr_log.target, LogTarget::kNone);  // redirected
  EXPECT_EQ(p.serverurl, "http://example:1");
}

TEST_F(SupervisordBuilderTest, NumprocsExpandsPerProcess) {
  SupervisordConfig config = Load(
      "[supervisord]\n"
      "[program:w]\n"
      "command=/bin/w --id %(process_num)d of %(numprocs)d\n"
      "process_name=%(program_name)s_%(process_num)02d\n"
      "numprocs=3\nnumprocs_start=8\n"
      "environment=SLOT=%(process_num)d\n"
      "stdout_logfile=/var/log/app/%(program_name)s-%(process_num)s.log\n");
  ASSERT_EQ(config.groups.size(), 1u);
  const std::vector<ProgramSpec>& ps = config.groups[0].processes;
  ASSERT_EQ(ps.size(), 3u);
  EXPECT_EQ(ps[0].name, "w_08");
  EXPECT_EQ(ps[1].name, "w_09");
  EXPECT_EQ(ps[2].name, "w_10");
  EXPECT_EQ(Namespec(ps[2]), "w:w_10");
  EXPECT_EQ(ps[1].command, "/bin/w --id 9 of 3");
  EXPECT_EQ(ps[2].environment, (std::vector<std::pair<std::string, std::string>>{{"SLOT", "10"}}));
  EXPECT_EQ(ps[0].stdout_log.path, "/var/log/app/w-8.log");
}

TEST_F(SupervisordBuilderTest, NumprocsZeroGivesAnEmptyGroup) {
  SupervisordConfig config = Load("[supervisord]\n[program:w]\ncommand=/bin/w\nnumprocs=0\n");
  ASSERT_EQ(config.groups.size(), 1u);
  EXPECT_TRUE(config.groups[0].processes.empty());
}

TEST_F(SupervisordBuilderTest, Expansions) {
  SupervisordConfig config = Load(
      "[supervisord]\nenvironment=GLOBAL=g,SHARED=s\n"
      "[program:x]\n"
      "command=%(here)s/run %(ENV_APP_HOME)s %(host_node_name)s %(group_name)s %(ENV_GLOBAL)s "
      "%(ENV_MINE)s 100%%\n"
      "environment=MINE=m,SHARED=own\n");
  const ProgramSpec& p = Only(config);
  EXPECT_EQ(p.command, "/etc/supervisor/run /opt/app testhost x g m 100%");
  // [supervisord] environment first, the program's own keys win.
  EXPECT_EQ(p.environment, (std::vector<std::pair<std::string, std::string>>{
                               {"GLOBAL", "g"}, {"SHARED", "own"}, {"MINE", "m"}}));
}

TEST_F(SupervisordBuilderTest, HeterogeneousGroupTakesOverItsPrograms) {
  SupervisordConfig config = Load(
      "[supervisord]\n"
      "[program:b]\ncommand=/bin/b\npriority=2\n"
      "[program:a]\ncommand=/bin/a\npriority=1\n"
      "[program:solo]\ncommand=/bin/solo\npriority=501\n"
      "[group:g]\nprograms=b,a\npriority=500\n");
  ASSERT_EQ(config.groups.size(), 2u);
  EXPECT_EQ(config.groups[0].name, "g");
  EXPECT_EQ(config.groups[0].priority, 500);
  ASSERT_EQ(config.groups[0].processes.size(), 2u);
  EXPECT_EQ(Namespec(config.groups[0].processes[0]), "g:b");
  EXPECT_EQ(config.groups[0].processes[1].group, "g");
  EXPECT_EQ(config.groups[1].name, "solo");
}

TEST_F(SupervisordBuilderTest, GroupsSortByPriorityThenName) {
  SupervisordConfig config = Load(
      "[supervisord]\n"
      "[program:c]\ncommand=/bin/c\n"
      "[program:b]\ncommand=/bin/b\npriority=10\n"
      "[program:a]\ncommand=/bin/a\n"
      "[eventlistener:l]\ncommand=/bin/l\nevents=PROCESS_STATE\n");
  std::vector<std::string> order;
  for (const GroupSpec& g : config.groups) order.push_back(g.name);
  EXPECT_EQ(order, (std::vector<std::string>{"l", "b", "a", "c"}));
  EXPECT_EQ(config.groups[0].kind, GroupSpec::Kind::kEventListenerPool);
  EXPECT_EQ(config.groups[0].priority, -1);
  EXPECT_EQ(config.groups[0].buffer_size, 10);
  EXPECT_EQ(config.groups[0].events, std::vector<std::string>{"PROCESS_STATE"});
}

TEST_F(SupervisordBuilderTest, DefaultSectionIsInherited) {
  SupervisordConfig config =
      Load("[DEFAULT]\nstartsecs=7\n[supervisord]\n[program:x]\ncommand=/bin/x\n");
  EXPECT_EQ(Only(config).restart.startsecs, seconds(7));
}

TEST_F(SupervisordBuilderTest, Servers) {
  host_.SetCurrentDirectory("/etc/supervisor");
  SupervisordConfig config = Load(
      "[supervisord]\n"
      "[unix_http_server]\nfile=%(here)s/../run/sup.sock\nchown=doris:doris\n"
      "[inet_http_server]\nport=127.0.0.1:9001\nusername=u\npassword={SHA}abc\n");
  ASSERT_EQ(config.servers.size(), 2u);
  const HttpServerSpec& inet = config.servers[0];
  EXPECT_EQ(inet.family, HttpServerSpec::Family::kInet);
  EXPECT_EQ(inet.host, "127.0.0.1");
  EXPECT_EQ(inet.port, 9001);
  EXPECT_EQ(inet.username, "u");
  EXPECT_EQ(inet.password, "{SHA}abc");
  const HttpServerSpec& unix_server = config.servers[1];
  EXPECT_EQ(unix_server.file, "/etc/run/sup.sock");
  EXPECT_EQ(unix_server.chmod, 0700u);
  EXPECT_EQ(unix_server.chown_uid, 1000u);
  EXPECT_EQ(unix_server.chown_gid, 1000u);
  EXPECT_EQ(config.serverurl, "unix:///etc/run/sup.sock");
}

TEST_F(SupervisordBuilderTest, InetServerUrlFallback) {
  SupervisordConfig config = Load("[supervisord]\n[inet_http_server]\nport=:9001\n");
  EXPECT_EQ(config.serverurl, "http://localhost:9001");
}

TEST_F(SupervisordBuilderTest, Warnings) {
  SupervisordConfig config = Load(
      "[supervisord]\n"
      "[program:x]\ncommand=/bin/x\nstdout_logfile_maxbytes=0\nredirect_stderr=true\n"
      "stderr_logfile=/var/log/app/err.log\nenvironment=A=hello world\n"
      "[program:y]\ncommand=/bin/y \"unclosed\nstdout_logfile=syslog\n");
  EXPECT_EQ(config.warnings,
            (std::vector<std::string>{
                "/etc/supervisor/supervisord.conf:7: [program:x] environment: supervisord reads "
                "'A=hello world' as {A='hello'}; text outside KEY=value pairs separated by commas "
                "is dropped, so quote values that hold spaces or other punctuation (KEY=\"a b\")",
                "For [program:x], AUTO logging used for stdout_logfile without rollover, set "
                "maxbytes > 0 to avoid filling up filesystem unintentionally",
                "For [program:x], redirect_stderr=true but stderr_logfile has also been set to a "
                "filename, the filename has been ignored",
                "For [program:y], stdout_logfile=syslog but this is deprecated and will be "
                "removed.  Use stdout_syslog=true to enable syslog instead.",
                "/etc/supervisor/supervisord.conf:9: [program:y] command: can't parse command "
                "'/bin/y \"unclosed': No closing quotation; supervisord accepts the file and then "
                "fails every start"}));
  const ProgramSpec& y = config.groups[1].processes[0];
  EXPECT_EQ(y.argv_error, "can't parse command '/bin/y \"unclosed': No closing quotation");
  EXPECT_TRUE(y.stdout_log.syslog);
  EXPECT_EQ(y.stdout_log.target, LogTarget::kNone);
}

TEST_F(SupervisordBuilderTest, IncludesResolveRelativeToMainFileInSortedOrder) {
  host_.AddFile("/etc/supervisor/conf.d/b.ini",
                "[program:b]\ncommand=%(here)s/b\n[program:shared]\ncommand=/from/b\n");
  host_.AddFile("/etc/supervisor/conf.d/a.ini",
                "[program:a]\ncommand=%(here)s/a\n[program:shared]\ncommand=/from/a\n");
  host_.AddFile("/etc/supervisor/conf.d/ignored.txt", "[program:z]\ncommand=/z\n");
  host_.SetCurrentDirectory("/");
  SupervisordConfig config = Load(
      "[supervisord]\n[include]\nfiles = conf.d/*.ini %(here)s/missing/*.conf\n"
      "[program:main]\ncommand=%(here)s/main\n");
  std::vector<std::string> commands;
  for (const GroupSpec& g : config.groups) commands.push_back(g.processes.at(0).command);
  EXPECT_EQ(commands,
            (std::vector<std::string>{"/etc/supervisor/conf.d/a", "/etc/supervisor/conf.d/b",
                                      "/etc/supervisor/main", "/from/b"}));
  EXPECT_EQ(config.infos,
            (std::vector<std::string>{
                "Included extra file \"/etc/supervisor/conf.d/a.ini\" during parsing",
                "Included extra file \"/etc/supervisor/conf.d/b.ini\" during parsing"}));
  EXPECT_EQ(config.warnings.at(0),
            "No file matches via include \"/etc/supervisor/missing/*.conf\"");
}

TEST_F(SupervisordBuilderTest, IncludesInsideIncludedFilesAreNotFollowed) {
  host_.AddFile("/etc/supervisor/conf.d/a.ini",
                "[include]\nfiles=/etc/supervisor/more/*.ini\n[program:a]\ncommand=/a\n");
  host_.AddFile("/etc/supervisor/more/b.ini", "[program:b]\ncommand=/b\n");
  SupervisordConfig config = Load("[supervisord]\n[include]\nfiles=conf.d/*.ini\n");
  ASSERT_EQ(config.groups.size(), 1u);
  EXPECT_EQ(config.groups[0].name, "a");
}

}  // namespace
}  // namespace vigil::config
