// Every configuration error of supervisord.md §1.7 (and the other rejections of options.py),
// with vigil's whole message: the place, supervisord's wording, and what would be valid; and
// with supervisord's own message, which the XML-RPC API answers with.

#include <gtest/gtest.h>

#include "config/loader.h"
#include "tests/fakes/fake_host.h"
#include "tests/fakes/print_case.h"

namespace vigil::config {
namespace {

struct ErrorCase {
  const char* name;
  const char* text;
  const char* expected;
  // What supervisord 4.2.5 says (its ValueError, as reloadConfig's CANT_REREAD fault carries
  // it; checked with tests/compat/supervisord_oracle.py); "" where vigil does not know it.
  const char* supervisord;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { testing::PrintCaseText(c.name, os); }

class SupervisordErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(SupervisordErrorTest, RejectsWithFullMessage) {
  testing::FakeHost host;
  host.AddFile("/etc/s.conf", GetParam().text);
  Result<SupervisordConfig> config = LoadSupervisordConfig("/etc/s.conf", host);
  ASSERT_FALSE(config) << "accepted:\n" << GetParam().text;
  EXPECT_EQ(config.error().message, GetParam().expected);
  EXPECT_EQ(config.error().compat_message, GetParam().supervisord);
}

#define P "[supervisord]\n[program:a]\ncommand=/bin/a\n"

INSTANTIATE_TEST_SUITE_P(
    Reference, SupervisordErrorTest,
    ::testing::Values(
        ErrorCase{"NoSupervisordSection", "[program:a]\ncommand=/bin/a\n",
                  "/etc/s.conf: .ini file does not include supervisord section (add a "
                  "[supervisord] section; program files such as /etc/supervisord.d/*.ini are "
                  "read through [include] files= of the main configuration)",
                  ".ini file does not include supervisord section"},
        ErrorCase{"NumprocsWithoutProcessNum", P "numprocs=2\n",
                  "/etc/s.conf:2: [program:a] process_name: %(process_num) must be present "
                  "within process_name when numprocs > 1 (for example "
                  "process_name=%(program_name)s_%(process_num)02d)",
                  "%(process_num) must be present within process_name when numprocs > 1 in section "
                  "'program:a' (file: '/etc/s.conf')"},
        ErrorCase{"NoCommand", "[supervisord]\n[program:a]\nautostart=true\n",
                  "/etc/s.conf:2: [program:a]: program section program:a does not specify a "
                  "command (add command=/path/to/program args)",
                  "program section program:a does not specify a command in section 'program:a' "
                  "(file: '/etc/s.conf')"},
        ErrorCase{
            "BadAutorestart", P "autorestart=maybe\n",
            "/etc/s.conf:4: [program:a] autorestart: invalid 'autorestart' value 'maybe' "
            "(expected true, false or unexpected)",
            "invalid 'autorestart' value 'maybe' in section 'program:a' (file: '/etc/s.conf')"},
        ErrorCase{
            "BadExitcodes", P "exitcodes=0,256\n",
            "/etc/s.conf:4: [program:a] exitcodes: not a valid list of exit codes: "
            "'0,256' (expected numbers from 0 to 255 separated by commas, such as 0,2)",
            "not a valid list of exit codes: '0,256' in section 'program:a' (file: '/etc/s.conf')"},
        ErrorCase{
            "BadStopsignal", P "stopsignal=FOO\n",
            "/etc/s.conf:4: [program:a] stopsignal: value 'FOO' is not a valid signal "
            "name (expected a name such as TERM, HUP, INT, QUIT, KILL, USR1 or USR2, or a "
            "signal number)",
            "value 'FOO' is not a valid signal name in section 'program:a' (file: '/etc/s.conf')"},
        ErrorCase{"BadBoolean", P "autostart=yup\n",
                  "/etc/s.conf:4: [program:a] autostart: not a valid boolean value: 'yup' "
                  "(expected true/false, yes/no, on/off or 1/0)",
                  "not a valid boolean value: 'yup' in section 'program:a' (file: '/etc/s.conf')"},
        ErrorCase{"BadByteSize", P "stdout_logfile_maxbytes=10M\n",
                  "/etc/s.conf:4: [program:a] stdout_logfile_maxbytes: invalid literal for "
                  "int() with base 10: '10m' (expected a number of bytes with an optional KB, MB "
                  "or GB suffix, such as 50MB)",
                  "invalid literal for int() with base 10: '10m' in section 'program:a' (file: "
                  "'/etc/s.conf')"},
        ErrorCase{"ColonInName", "[supervisord]\n[program:a:b]\ncommand=/bin/a\n",
                  "/etc/s.conf:2: [program:a:b]: Invalid name: 'a:b' because of character: ':' "
                  "(names may not contain spaces, ':' or '/')",
                  "Invalid name: 'a:b' because of character: ':'"},
        ErrorCase{"GroupNamesUnknownProgram", P "[group:g]\nprograms=nope\n",
                  "/etc/s.conf:5: [group:g] programs: [group:g] names unknown program or "
                  "fcgi-program nope (each name must have a [program:name] section)",
                  "[group:g] names unknown program or fcgi-program nope"},
        ErrorCase{"IncludeWithoutFiles", "[supervisord]\n[include]\n",
                  "/etc/s.conf:2: .ini file has [include] section, but no files setting (add "
                  "files=relative/dir/*.ini)",
                  ".ini file has [include] section, but no files setting"},
        ErrorCase{"ListenerWithoutEvents", "[supervisord]\n[eventlistener:e]\ncommand=/bin/e\n",
                  "/etc/s.conf:2: [eventlistener:e]: [eventlistener:e] section requires an "
                  "\"events\" line (for example events=PROCESS_STATE)",
                  "[eventlistener:e] section requires an \"events\" line"},
        ErrorCase{"ListenerUnknownEvent",
                  "[supervisord]\n[eventlistener:e]\ncommand=/bin/e\nevents=FOO\n",
                  "/etc/s.conf:4: [eventlistener:e] events: Unknown event type FOO in "
                  "[eventlistener:e] events (known types: EVENT, PROCESS_COMMUNICATION, "
                  "PROCESS_COMMUNICATION_STDERR, PROCESS_COMMUNICATION_STDOUT, PROCESS_GROUP, "
                  "PROCESS_GROUP_ADDED, PROCESS_GROUP_REMOVED, PROCESS_LOG, PROCESS_LOG_STDERR, "
                  "PROCESS_LOG_STDOUT, PROCESS_STATE, PROCESS_STATE_BACKOFF, "
                  "PROCESS_STATE_EXITED, PROCESS_STATE_FATAL, PROCESS_STATE_RUNNING, "
                  "PROCESS_STATE_STARTING, PROCESS_STATE_STOPPED, PROCESS_STATE_STOPPING, "
                  "PROCESS_STATE_UNKNOWN, REMOTE_COMMUNICATION, SUPERVISOR_STATE_CHANGE, "
                  "SUPERVISOR_STATE_CHANGE_RUNNING, SUPERVISOR_STATE_CHANGE_STOPPING, TICK, "
                  "TICK_3600, TICK_5, TICK_60)",
                  "Unknown event type FOO in [eventlistener:e] events"},
        ErrorCase{"ListenerRedirectStderr",
                  "[supervisord]\n[eventlistener:e]\ncommand=/bin/e\nevents=TICK_5\n"
                  "redirect_stderr=true\n",
                  "/etc/s.conf:5: [eventlistener:e] redirect_stderr: [eventlistener:e] section "
                  "sets redirect_stderr=true but this is not allowed because it will interfere "
                  "with the eventlistener protocol",
                  "[eventlistener:e] section sets redirect_stderr=true but this is not allowed "
                  "because it will interfere with the eventlistener protocol"},
        ErrorCase{"ListenerBufferSize",
                  "[supervisord]\n[eventlistener:e]\ncommand=/bin/e\nevents=TICK_5\n"
                  "buffer_size=0\n",
                  "/etc/s.conf:5: [eventlistener:e] buffer_size: [eventlistener:e] section sets "
                  "invalid buffer_size (0) (expected 1 or more)",
                  "[eventlistener:e] section sets invalid buffer_size (0)"},
        ErrorCase{"EnvironmentUnexpectedEnd", P "environment=A=1,B\n",
                  "/etc/s.conf:4: [program:a] environment: Unexpected end of key/value pairs in "
                  "value 'A=1,B' (expected KEY=value pairs separated by commas; quote values "
                  "that hold commas or spaces: KEY=\"a, b\")",
                  "Unexpected end of key/value pairs in value 'A=1,B' in section 'program:a' "
                  "(file: '/etc/s.conf')"},
        ErrorCase{"UnknownUser", P "user=nosuchuser\n",
                  "/etc/s.conf:4: [program:a] user: Invalid user name nosuchuser (no such user "
                  "in the password database)",
                  "Invalid user name nosuchuser in section 'program:a' (file: '/etc/s.conf')"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

INSTANTIATE_TEST_SUITE_P(
    More, SupervisordErrorTest,
    ::testing::Values(
        ErrorCase{"UnknownExpansion", P "directory=%(nope)s\n",
                  "/etc/s.conf:4: [program:a] directory: Format string '%(nope)s' for "
                  "'program:a.directory' contains names ('nope') which cannot be expanded. "
                  "Available names: ENV_HOME, ENV_PATH, group_name, here, host_node_name, "
                  "numprocs, process_num, program_name",
                  "Format string '%(nope)s' for 'program:a.directory' contains names ('nope') "
                  "which cannot be expanded. Available names: ENV_HOME, ENV_PATH, group_name, "
                  "here, host_node_name, numprocs, process_num, program_name in section "
                  "'program:a' (file: '/etc/s.conf')"},
        ErrorCase{
            "ProcessNumNotAvailableBeforeTheLoop", P "priority=%(process_num)s\n",
            "/etc/s.conf:4: [program:a] priority: Format string '%(process_num)s' for "
            "'program:a.priority' contains names ('process_num') which cannot be "
            "expanded. Available names: ENV_HOME, ENV_PATH, here",
            "Format string '%(process_num)s' for 'program:a.priority' contains names "
            "('process_num') which cannot be expanded. Available names: ENV_HOME, ENV_PATH, here"},
        ErrorCase{"StopasgroupWithoutKillasgroup", P "stopasgroup=true\nkillasgroup=false\n",
                  "/etc/s.conf:5: [program:a] killasgroup: Cannot set stopasgroup=true and "
                  "killasgroup=false (stopasgroup implies killasgroup; remove "
                  "killasgroup=false)",
                  "Cannot set stopasgroup=true and killasgroup=false in section 'program:a' (file: "
                  "'/etc/s.conf')"},
        ErrorCase{"LogfileDirectoryMissing", P "stdout_logfile=/nope/a.log\n",
                  "/etc/s.conf:4: [program:a] stdout_logfile: The directory named as part of "
                  "the path /nope/a.log does not exist (create it, or choose a path in an "
                  "existing directory)",
                  "The directory named as part of the path /nope/a.log does not exist in section "
                  "'program:a' (file: '/etc/s.conf')"},
        ErrorCase{"UnixServerWithoutFile", "[supervisord]\n[unix_http_server]\nchmod=0700\n",
                  "/etc/s.conf:2: [unix_http_server]: section [unix_http_server] has no file "
                  "value (add file=/run/supervisor.sock)",
                  "section [unix_http_server] has no file value"},
        ErrorCase{"InetServerWithoutPort", "[supervisord]\n[inet_http_server]\n",
                  "/etc/s.conf:2: [inet_http_server]: section [inet_http_server] has no port "
                  "value (add port=127.0.0.1:9001)",
                  "section [inet_http_server] has no port value"},
        ErrorCase{"IncompleteAuthentication",
                  "[supervisord]\n[inet_http_server]\nport=9001\nusername=u\n",
                  "/etc/s.conf:2: [inet_http_server]: Section [inet_http_server] contains "
                  "incomplete authentication: If a username or a password is specified, both "
                  "the username and password must be specified",
                  "Section [inet_http_server] contains incomplete authentication: If a username or "
                  "a password is specified, both the username and password must be specified"},
        ErrorCase{"BadChmod", "[supervisord]\n[unix_http_server]\nfile=/tmp/s.sock\nchmod=9\n",
                  "/etc/s.conf:4: [unix_http_server] chmod: Invalid chmod value 9 (expected "
                  "octal such as 0700)",
                  "Invalid chmod value 9"},
        ErrorCase{"BadChown",
                  "[supervisord]\n[unix_http_server]\nfile=/tmp/s.sock\nchown=root:nogroup\n",
                  "/etc/s.conf:4: [unix_http_server] chown: Invalid sockchown value "
                  "root:nogroup (expected user or user:group that exist)",
                  ""},
        ErrorCase{
            "RpcInterfaceWithoutFactory", "[supervisord]\n[rpcinterface:supervisor]\n",
            "/etc/s.conf:2: [rpcinterface:supervisor]: section [rpcinterface:supervisor] "
            "does not specify a supervisor.rpcinterface_factory (the stock value is "
            "supervisor.rpcinterface:make_main_rpcinterface)",
            "section [rpcinterface:supervisor] does not specify a supervisor.rpcinterface_factory"},
        ErrorCase{"DaemonUserUnknown", "[supervisord]\nuser=ghost\n",
                  "/etc/s.conf:2: [supervisord] user: Invalid user name ghost (no such user in "
                  "the password database)",
                  "Invalid user name ghost"},
        ErrorCase{"BadLoglevel", "[supervisord]\nloglevel=warning\n",
                  "/etc/s.conf:2: [supervisord] loglevel: bad logging level name 'warning' "
                  "(expected critical, error, warn, info, debug, trace or blather)",
                  "bad logging level name 'warning'"},
        ErrorCase{"ChildlogdirMissing", "[supervisord]\nchildlogdir=/nope\n",
                  "/etc/s.conf:2: [supervisord] childlogdir: /nope is not an existing directory "
                  "(create it first)",
                  "/nope is not an existing directory"},
        ErrorCase{"PercentInSupervisordEnvironment", "[supervisord]\nenvironment=A=100%%\n",
                  "/etc/s.conf:2: [supervisord] environment: Format string 'A=100%' for "
                  "'environment' is badly formatted: incomplete format",
                  "Format string 'A=100%' for 'environment' is badly formatted: incomplete format"},
        ErrorCase{"ParseErrorFromIni", "[supervisord]\nthis is not ini\n",
                  "/etc/s.conf:2: cannot parse 'this is not ini': expected 'key = value', 'key: "
                  "value', a [section] header, a comment, or an indented continuation of the "
                  "previous value",
                  ""}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

#undef P

TEST(SupervisordLoaderTest, MissingFile) {
  testing::FakeHost host;
  Result<SupervisordConfig> config = LoadSupervisordConfig("/etc/none.conf", host);
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message,
            "could not read config file /etc/none.conf: No such file or directory");
}

}  // namespace
}  // namespace vigil::config
