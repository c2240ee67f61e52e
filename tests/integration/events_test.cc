// supervisord's event listener protocol with a real listener (tests/integration/
// event_listener.py, written with supervisor.childutils): the startup sequence, a crash's state
// events, redelivery of rejected events and of the event a dying listener held, buffer
// overflow, REMOTE_COMMUNICATION over XML-RPC, PROCESS_LOG and TICK events, PROCESS_GROUP_REMOVED
// and the warning for capture mode, which vigild does not implement.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "tests/integration/harness.h"

namespace vigil::testing {
namespace {

struct Received {
  std::string name;
  std::string payload;
  nlohmann::json headers;
};

std::string ListenerScript() {
  return std::string(VIGIL_SOURCE_DIR) + "/tests/integration/event_listener.py";
}

class EventsTest : public ::testing::Test {
 protected:
  std::string Record() const { return dir_ / "events.jsonl"; }

  // [unix_http_server] and one [eventlistener:rec] pool subscribed to `events`, plus `body`.
  void Start(const std::string& events, const std::string& body,
             const std::string& pool_extra = "") {
    vigild_.Start(
        Vigild::Config("[unix_http_server]\nfile=%(here)s/vigil.sock\n"
                       "[eventlistener:rec]\ncommand=/usr/bin/python3 " +
                       ListenerScript() + " " + Record() + "\nevents=" + events +
                       "\nstdout_logfile=%(here)s/rec.out\n" + pool_extra + "\n" + body));
  }

  std::vector<Received> Events() const {
    std::vector<Received> events;
    std::istringstream lines(ReadFile(Record()));
    for (std::string line; std::getline(lines, line);) {
      nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded()) continue;  // a line being written
      events.push_back({j["headers"]["eventname"], j["payload"], j["headers"]});
    }
    return events;
  }

  // Waits until at least `count` events satisfy `match`.
  bool WaitForEvents(const std::function<bool(const Received&)>& match, size_t count = 1) {
    return WaitUntil(
        [&] {
          size_t n = 0;
          for (const Received& e : Events()) n += match(e) ? 1 : 0;
          return n >= count;
        },
        seconds(30));
  }

  // Runs `code` with `p`, an XML-RPC proxy on vigild's socket, and sys.argv[2:] = `args`.
  void Rpc(const std::string& code, const std::vector<std::string>& args = {}) {
    std::vector<std::string> argv = {
        "/usr/bin/python3", "-c",
        "import sys, xmlrpc.client\n"
        "from supervisor.xmlrpc import SupervisorTransport\n"
        "t = SupervisorTransport(None, None, 'unix://' + sys.argv[1])\n"
        "p = xmlrpc.client.ServerProxy('http://127.0.0.1', transport=t)\n" +
            code,
        dir_ / "vigil.sock"};
    argv.insert(argv.end(), args.begin(), args.end());
    const CommandResult r = RunCommand(argv);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }

  void SendRemoteComm(const std::string& type, const std::string& data) {
    Rpc("assert p.supervisor.sendRemoteCommEvent(sys.argv[2], sys.argv[3]) is True\n",
        {type, data});
  }

  static std::function<bool(const Received&)> Remote(const std::string& data) {
    return [data](const Received& e) {
      return e.name == "REMOTE_COMMUNICATION" && e.payload == "type:test\n" + data;
    };
  }

  TempDir dir_;
  Vigild vigild_{dir_};
};

TEST_F(EventsTest, StartupSequenceAndACrashsStateEvents) {
  const std::string crashy =
      "[program:crashy]\ncommand=/bin/sh -c \"test -e %(here)s/crashed && exec sleep 1000; " +
      TestChildPath() + " --wait-file=%(here)s/crash-now; touch %(here)s/crashed; exit 3\"\n" +
      "startsecs=1\n";
  Start("PROCESS_STATE,PROCESS_GROUP,SUPERVISOR_STATE_CHANGE", crashy);
  auto crashy_running = [](const Received& e) {
    return e.name == "PROCESS_STATE_RUNNING" && e.payload.starts_with("processname:crashy ");
  };
  ASSERT_TRUE(WaitForEvents(crashy_running)) << vigild_.Log();
  WriteFile(dir_ / "crash-now", "");
  ASSERT_TRUE(WaitForEvents(crashy_running, 2)) << vigild_.Log();

  const std::vector<Received> events = Events();
  ASSERT_GE(events.size(), 3U);
  // Groups in priority order (the pool's -1 first), then vigild is RUNNING, then the starts.
  EXPECT_EQ(events[0].name, "PROCESS_GROUP_ADDED");
  EXPECT_EQ(events[0].payload, "groupname:rec\n");
  EXPECT_EQ(events[1].name, "PROCESS_GROUP_ADDED");
  EXPECT_EQ(events[1].payload, "groupname:crashy\n");
  EXPECT_EQ(events[2].name, "SUPERVISOR_STATE_CHANGE_RUNNING");
  EXPECT_EQ(events[2].payload, "");
  for (size_t i = 0; i < events.size(); ++i) {
    const nlohmann::json& h = events[i].headers;
    EXPECT_EQ(h["ver"], "3.0");
    EXPECT_EQ(h["server"], "supervisor");
    EXPECT_EQ(h["pool"], "rec");
    EXPECT_EQ(h["serial"], std::to_string(i));
    EXPECT_EQ(h["poolserial"], std::to_string(i));
    EXPECT_EQ(h["len"], std::to_string(events[i].payload.size()));
  }

  std::vector<std::string> crashy_events;
  std::vector<std::string> listener_events;
  for (const Received& e : events) {
    // pids differ from run to run: compare them separately.
    const std::string payload = std::regex_replace(e.payload, std::regex("pid:[0-9]+"), "pid:N");
    if (e.payload.starts_with("processname:crashy ")) {
      crashy_events.push_back(e.name + " " + payload);
    }
    if (e.payload.starts_with("processname:rec "))
      listener_events.push_back(e.name + " " + payload);
  }
  const std::vector<std::string> expected = {
      "PROCESS_STATE_STARTING processname:crashy groupname:crashy from_state:STOPPED tries:0",
      "PROCESS_STATE_RUNNING processname:crashy groupname:crashy from_state:STARTING pid:N",
      "PROCESS_STATE_EXITED processname:crashy groupname:crashy from_state:RUNNING expected:0 "
      "pid:N",
      "PROCESS_STATE_STARTING processname:crashy groupname:crashy from_state:EXITED tries:0",
      "PROCESS_STATE_RUNNING processname:crashy groupname:crashy from_state:STARTING pid:N",
  };
  EXPECT_EQ(crashy_events, expected) << vigild_.Log();
  // The listener hears about itself too.
  EXPECT_EQ(listener_events,
            (std::vector<std::string>{
                "PROCESS_STATE_STARTING processname:rec groupname:rec from_state:STOPPED tries:0",
                "PROCESS_STATE_RUNNING processname:rec groupname:rec from_state:STARTING pid:N"}));
  // The EXITED event names the pid that ran, and the RUNNING before it the same one.
  const std::optional<pid_t> listener_pid = vigild_.LatestPidOf("rec");
  ASSERT_TRUE(listener_pid.has_value());
  std::string exited_pid, running_pid;
  for (const Received& e : events) {
    std::smatch m;
    if (!std::regex_search(e.payload, m, std::regex("^processname:crashy .*pid:([0-9]+)$"))) {
      continue;
    }
    if (e.name == "PROCESS_STATE_EXITED") exited_pid = m[1];
    if (e.name == "PROCESS_STATE_RUNNING" && exited_pid.empty()) running_pid = m[1];
  }
  EXPECT_FALSE(exited_pid.empty());
  EXPECT_EQ(exited_pid, running_pid);
  // The listener's stdout (the protocol) is still copied to its log.
  EXPECT_TRUE(ReadFile(dir_ / "rec.out").starts_with("READY\nRESULT 2\nOKREADY\n"))
      << ReadFile(dir_ / "rec.out");
  EXPECT_EQ(vigild_.Stop(), 0) << vigild_.Log();
}

TEST_F(EventsTest, RejectedEventIsRedeliveredFirst) {
  Start("REMOTE_COMMUNICATION", "");
  ASSERT_TRUE(vigild_.WaitForLog("success: rec entered RUNNING state")) << vigild_.Log();
  SendRemoteComm("test", "reject-once");
  SendRemoteComm("test", "after");
  ASSERT_TRUE(WaitForEvents(Remote("after"))) << vigild_.Log();
  const std::vector<Received> events = Events();
  ASSERT_EQ(events.size(), 3U);
  EXPECT_EQ(events[0].payload, "type:test\nreject-once");
  EXPECT_EQ(events[1].payload, "type:test\nreject-once");
  EXPECT_EQ(events[1].headers["serial"], events[0].headers["serial"]);
  EXPECT_EQ(events[1].headers["poolserial"], events[0].headers["poolserial"]);
  EXPECT_EQ(events[2].payload, "type:test\nafter");
  EXPECT_EQ(Count(vigild_.Log(), "rec: event was rejected"), 1) << vigild_.Log();
  EXPECT_EQ(vigild_.Stop(), 0) << vigild_.Log();
}

TEST_F(EventsTest, EventHeldByADyingListenerIsRedeliveredToItsSuccessor) {
  Start("REMOTE_COMMUNICATION", "", "startsecs=0\n");
  ASSERT_TRUE(vigild_.WaitForLog("success: rec entered RUNNING state")) << vigild_.Log();
  SendRemoteComm("test", "die-once");
  ASSERT_TRUE(WaitForEvents(Remote("die-once"), 2)) << vigild_.Log();
  EXPECT_EQ(Count(vigild_.Log(), "exited: rec (exit status 1; not expected)"), 1) << vigild_.Log();
  EXPECT_EQ(Events()[1].headers["serial"], Events()[0].headers["serial"]);
  EXPECT_EQ(vigild_.Stop(), 0) << vigild_.Log();
}

TEST_F(EventsTest, FullBufferDropsTheOldestEventWithAnError) {
  Start("REMOTE_COMMUNICATION", "", "buffer_size=2\n");
  ASSERT_TRUE(vigild_.WaitForLog("success: rec entered RUNNING state")) << vigild_.Log();
  const std::string release = dir_ / "release";
  SendRemoteComm("test", "hold:" + release);
  ASSERT_TRUE(WaitForEvents(Remote("hold:" + release))) << vigild_.Log();
  // The listener sends no READY now: these wait in the pool's buffer of two.
  for (const char* data : {"e1", "e2", "e3", "e4"}) SendRemoteComm("test", data);
  ASSERT_TRUE(vigild_.WaitForLog("pool rec event buffer overflowed, discarding event", 2))
      << vigild_.Log();
  WriteFile(release, "");
  ASSERT_TRUE(WaitForEvents(Remote("e4"))) << vigild_.Log();
  std::vector<std::string> payloads;
  for (const Received& e : Events()) payloads.push_back(e.payload);
  EXPECT_EQ(payloads, (std::vector<std::string>{"type:test\nhold:" + release, "type:test\ne3",
                                                "type:test\ne4"}));
  const std::string log = vigild_.Log();
  EXPECT_EQ(Count(log, "ERRO pool rec event buffer overflowed, discarding event 1"), 1) << log;
  EXPECT_EQ(Count(log, "ERRO pool rec event buffer overflowed, discarding event 2"), 1) << log;
  EXPECT_EQ(vigild_.Stop(), 0) << vigild_.Log();
}

TEST_F(EventsTest, ProcessLogAndTickEvents) {
  Start("PROCESS_LOG,TICK_5", "[program:talker]\ncommand=" + TestChildPath() +
                                  " --print=hello --eprint=oops --sleep=forever\nstartsecs=0\n"
                                  "stdout_events_enabled=true\nstderr_events_enabled=true\n");
  auto is_tick = [](const Received& e) { return e.name == "TICK_5"; };
  ASSERT_TRUE(WaitForEvents(is_tick)) << vigild_.Log();
  ASSERT_TRUE(WaitForEvents([](const Received& e) { return e.name == "PROCESS_LOG_STDERR"; }))
      << vigild_.Log();
  const std::string pid = std::to_string(*vigild_.LatestPidOf("talker"));
  bool saw_stdout = false;
  for (const Received& e : Events()) {
    if (e.name == "PROCESS_LOG_STDOUT") {
      EXPECT_EQ(e.payload,
                "processname:talker groupname:talker pid:" + pid + " channel:stdout\nhello\n");
      saw_stdout = true;
    } else if (e.name == "PROCESS_LOG_STDERR") {
      EXPECT_EQ(e.payload,
                "processname:talker groupname:talker pid:" + pid + " channel:stderr\noops\n");
    } else if (e.name == "TICK_5") {
      std::smatch m;
      ASSERT_TRUE(std::regex_match(e.payload, m, std::regex("when:([0-9]+)"))) << e.payload;
      EXPECT_EQ(std::stoll(m[1]) % 5, 0);
    } else {
      ADD_FAILURE() << "unexpected " << e.name;
    }
  }
  EXPECT_TRUE(saw_stdout);
  EXPECT_EQ(vigild_.Stop(), 0) << vigild_.Log();
}

TEST_F(EventsTest, GroupRemovedEventAndCaptureModeWarning) {
  Start("PROCESS_GROUP",
        "[program:gone]\ncommand=/bin/sleep 1000\nstartsecs=0\nstdout_capture_maxbytes=1MB\n");
  ASSERT_TRUE(WaitForEvents([](const Received& e) { return e.name == "PROCESS_GROUP_ADDED"; }, 2))
      << vigild_.Log();
  Rpc("p.supervisor.stopProcess('gone', True)\n"
      "assert p.supervisor.removeProcessGroup('gone') is True\n");
  ASSERT_TRUE(WaitForEvents([](const Received& e) {
    return e.name == "PROCESS_GROUP_REMOVED" && e.payload == "groupname:gone\n";
  })) << vigild_.Log();
  EXPECT_EQ(Count(vigild_.Log(),
                  "gone: stdout_capture_maxbytes is set, but vigild does not implement capture "
                  "mode (PROCESS_COMMUNICATION events), ignoring"),
            1)
      << vigild_.Log();
  EXPECT_EQ(vigild_.Stop(), 0) << vigild_.Log();
}

}  // namespace
}  // namespace vigil::testing
