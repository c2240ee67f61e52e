#include "core/event_payloads.h"

#include <gtest/gtest.h>

namespace vigil::core {
namespace {

ProgramEvent StateChange(ProgramState from, ProgramState to) {
  ProgramEvent event;
  event.kind = ProgramEvent::Kind::kStateChanged;
  event.group = "grp";
  event.name = "cat";
  event.namespec = "grp:cat";
  event.from = from;
  event.to = to;
  event.pid = 4242;
  event.tries = 2;
  event.expected = false;
  return event;
}

TEST(EventPayloadsTest, ProcessStatePayloadsCarrySupervisordsExtraValues) {
  using S = ProgramState;
  struct Case {
    S from, to;
    std::string_view name;
    std::string_view payload;
  };
  const Case cases[] = {
      {S::kStopped, S::kStarting, "PROCESS_STATE_STARTING",
       "processname:cat groupname:grp from_state:STOPPED tries:2"},
      {S::kStarting, S::kBackoff, "PROCESS_STATE_BACKOFF",
       "processname:cat groupname:grp from_state:STARTING tries:2"},
      {S::kStarting, S::kRunning, "PROCESS_STATE_RUNNING",
       "processname:cat groupname:grp from_state:STARTING pid:4242"},
      {S::kRunning, S::kStopping, "PROCESS_STATE_STOPPING",
       "processname:cat groupname:grp from_state:RUNNING pid:4242"},
      {S::kStopping, S::kStopped, "PROCESS_STATE_STOPPED",
       "processname:cat groupname:grp from_state:STOPPING pid:4242"},
      {S::kRunning, S::kExited, "PROCESS_STATE_EXITED",
       "processname:cat groupname:grp from_state:RUNNING expected:0 pid:4242"},
      {S::kBackoff, S::kFatal, "PROCESS_STATE_FATAL",
       "processname:cat groupname:grp from_state:BACKOFF"},
      {S::kRunning, S::kUnknown, "PROCESS_STATE_UNKNOWN",
       "processname:cat groupname:grp from_state:RUNNING"},
  };
  for (const Case& c : cases) {
    std::optional<Event> event = ProcessStateEvent(StateChange(c.from, c.to));
    ASSERT_TRUE(event.has_value()) << c.name;
    EXPECT_EQ(EventTypeName(event->type), c.name);
    EXPECT_EQ(event->payload, c.payload);
  }
}

TEST(EventPayloadsTest, ExpectedExitIsOne) {
  ProgramEvent change = StateChange(ProgramState::kRunning, ProgramState::kExited);
  change.expected = true;
  EXPECT_EQ(ProcessStateEvent(change)->payload,
            "processname:cat groupname:grp from_state:RUNNING expected:1 pid:4242");
}

TEST(EventPayloadsTest, OnlyStateChangesAreProcessStateEvents) {
  ProgramEvent spawned = StateChange(ProgramState::kStopped, ProgramState::kStarting);
  spawned.kind = ProgramEvent::Kind::kSpawned;
  EXPECT_EQ(ProcessStateEvent(spawned), std::nullopt);
}

TEST(EventPayloadsTest, OtherPayloads) {
  EXPECT_EQ(ProcessGroupEvent(true, "web").payload, "groupname:web\n");
  EXPECT_EQ(ProcessGroupEvent(false, "web").type, EventType::kProcessGroupRemoved);
  EXPECT_EQ(SupervisorStateEvent(true).type, EventType::kSupervisorStateChangeRunning);
  EXPECT_EQ(SupervisorStateEvent(false).payload, "");
  EXPECT_EQ(RemoteCommunicationEvent("deploy", "v2\nnow").payload, "type:deploy\nv2\nnow");
  EXPECT_EQ(ProcessLogEvent(false, "cat", "grp", 7, "hello\n").payload,
            "processname:cat groupname:grp pid:7 channel:stdout\nhello\n");
  const Event err = ProcessLogEvent(true, "cat", "grp", 7, "oops");
  EXPECT_EQ(err.type, EventType::kProcessLogStderr);
  EXPECT_EQ(err.payload, "processname:cat groupname:grp pid:7 channel:stderr\noops");
  EXPECT_EQ(TickEvent(EventType::kTick60, 1700000040).payload, "when:1700000040");
}

TEST(EventPayloadsTest, EnvelopeHeaderAsSupervisordWritesIt) {
  const Event event = ProcessGroupEvent(true, "web");
  EXPECT_EQ(Envelope(EnvelopeFields{"supervisor", 3, "listener", 1}, event),
            "ver:3.0 server:supervisor serial:3 pool:listener poolserial:1 "
            "eventname:PROCESS_GROUP_ADDED len:14\ngroupname:web\n");
  EXPECT_EQ(Envelope(EnvelopeFields{"id", 0, "p", 0}, SupervisorStateEvent(false)),
            "ver:3.0 server:id serial:0 pool:p poolserial:0 "
            "eventname:SUPERVISOR_STATE_CHANGE_STOPPING len:0\n");
}

TEST(EventPayloadsTest, LengthCountsCharactersOfValidUtf8AndBytesOtherwise) {
  struct Case {
    std::string_view text;
    size_t length;
  };
  const Case cases[] = {
      {"", 0},
      {"abc", 3},
      {"h\xc3\xa9llo", 5},       // é
      {"\xe2\x82\xac", 1},       // €
      {"\xf0\x9f\x98\x80!", 2},  // emoji
      {"\xff"
       "abc",
       4},            // invalid lead byte: bytes
      {"ab\xc3", 3},  // truncated sequence: bytes
      {"\xc3(", 2},   // bad continuation: bytes
  };
  for (const Case& c : cases) EXPECT_EQ(PayloadLength(c.text), c.length) << c.text;
}

}  // namespace
}  // namespace vigil::core
