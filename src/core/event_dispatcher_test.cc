#include "core/event_dispatcher.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace vigil::core {
namespace {

class RecordingHost : public EventListenerHost {
 public:
  bool WriteEvent(const std::string& namespec, std::string_view envelope) override {
    if (closed.contains(namespec)) return false;
    written[namespec].emplace_back(envelope);
    return true;
  }
  void Notice(config::LogLevel level, std::string message) override {
    if (level >= config::LogLevel::kWarn) notices.push_back(std::move(message));
  }

  std::map<std::string, std::vector<std::string>> written;
  std::set<std::string> closed;
  std::vector<std::string> notices;
};

config::GroupSpec Pool(std::string name, std::vector<std::string> events,
                       std::vector<std::string> processes, int64_t buffer_size = 10) {
  config::GroupSpec spec;
  spec.kind = config::GroupSpec::Kind::kEventListenerPool;
  spec.name = name;
  spec.events = std::move(events);
  spec.buffer_size = buffer_size;
  for (const std::string& process : processes) {
    config::ProgramSpec p;
    p.group = name;
    p.name = process;
    spec.processes.push_back(p);
  }
  return spec;
}

class EventDispatcherTest : public ::testing::Test {
 protected:
  // Starts listener `namespec` and makes it RUNNING and READY.
  void Ready(const std::string& namespec) {
    dispatcher_.OnProcessState(namespec, ProgramState::kStarting);
    dispatcher_.OnProcessState(namespec, ProgramState::kRunning);
    dispatcher_.OnListenerOutput(namespec, "READY\n");
  }
  std::vector<std::string>& Written(const std::string& namespec) { return host_.written[namespec]; }

  RecordingHost host_;
  EventDispatcher dispatcher_{"supervisor", host_};
};

TEST_F(EventDispatcherTest, EventsWaitForARunningReadyListener) {
  dispatcher_.AddPool(Pool("mon", {"PROCESS_GROUP"}, {"mon"}));
  dispatcher_.Publish(ProcessGroupEvent(true, "a"));
  dispatcher_.OnProcessState("mon", ProgramState::kStarting);
  dispatcher_.OnListenerOutput("mon", "READY\n");  // READY but still STARTING
  EXPECT_TRUE(Written("mon").empty());
  EXPECT_EQ(dispatcher_.BufferedEvents("mon"), 1U);
  dispatcher_.OnProcessState("mon", ProgramState::kRunning);
  ASSERT_EQ(Written("mon").size(), 1U);
  EXPECT_EQ(Written("mon")[0],
            "ver:3.0 server:supervisor serial:0 pool:mon poolserial:0 "
            "eventname:PROCESS_GROUP_ADDED len:12\ngroupname:a\n");
  EXPECT_EQ(dispatcher_.ListenerStateOf("mon"), ListenerState::kBusy);
  // One event in flight: the next waits for the result and a new READY.
  dispatcher_.Publish(ProcessGroupEvent(true, "b"));
  EXPECT_EQ(Written("mon").size(), 1U);
  dispatcher_.OnListenerOutput("mon", "RESULT 2\nOK");
  EXPECT_EQ(Written("mon").size(), 1U);
  dispatcher_.OnListenerOutput("mon", "READY\n");
  ASSERT_EQ(Written("mon").size(), 2U);
  EXPECT_TRUE(
      Written("mon")[1].starts_with("ver:3.0 server:supervisor serial:1 pool:mon "
                                    "poolserial:1 eventname:PROCESS_GROUP_ADDED"));
}

TEST_F(EventDispatcherTest, OnlySubscribedEventsAndTheirSubtypesAreBuffered) {
  dispatcher_.AddPool(Pool("crash", {"PROCESS_STATE_EXITED", "TICK"}, {"crash"}));
  EXPECT_TRUE(dispatcher_.IsSubscribed(EventType::kTick60));
  EXPECT_TRUE(dispatcher_.IsSubscribed(EventType::kProcessStateExited));
  EXPECT_FALSE(dispatcher_.IsSubscribed(EventType::kProcessStateRunning));
  dispatcher_.Publish(ProcessGroupEvent(true, "a"));
  dispatcher_.Publish(TickEvent(EventType::kTick5, 5));
  EXPECT_EQ(dispatcher_.BufferedEvents("crash"), 1U);
}

TEST_F(EventDispatcherTest, GlobalSerialIsSharedAndPoolSerialsArePerPool) {
  dispatcher_.AddPool(Pool("all", {"EVENT"}, {"l"}));
  dispatcher_.AddPool(Pool("ticks", {"TICK"}, {"t"}));
  dispatcher_.Publish(ProcessGroupEvent(true, "a"));     // serial 0, all:0
  dispatcher_.Publish(TickEvent(EventType::kTick5, 5));  // serial 1, all:1, ticks:0
  Ready("ticks:t");
  ASSERT_EQ(Written("ticks:t").size(), 1U);
  EXPECT_TRUE(
      Written("ticks:t")[0].starts_with("ver:3.0 server:supervisor serial:1 pool:ticks "
                                        "poolserial:0 eventname:TICK_5 len:6\n"));
}

TEST_F(EventDispatcherTest, RejectedEventIsRedeliveredFirst) {
  dispatcher_.AddPool(Pool("p", {"PROCESS_GROUP"}, {"l"}));
  dispatcher_.Publish(ProcessGroupEvent(true, "a"));
  dispatcher_.Publish(ProcessGroupEvent(true, "b"));
  Ready("p:l");
  dispatcher_.OnListenerOutput("p:l", "RESULT 4\nFAILREADY\n");
  ASSERT_EQ(Written("p:l").size(), 2U);
  EXPECT_EQ(Written("p:l")[1], Written("p:l")[0]) << "same serials, same payload";
  EXPECT_EQ(host_.notices, std::vector<std::string>{"l: event was rejected"});
  dispatcher_.OnListenerOutput("p:l", "RESULT 2\nOKREADY\n");
  ASSERT_EQ(Written("p:l").size(), 3U);
  EXPECT_TRUE(Written("p:l")[2].ends_with("groupname:b\n"));
}

TEST_F(EventDispatcherTest, BadResultMakesTheListenerUnknownAndRequeues) {
  dispatcher_.AddPool(Pool("p", {"PROCESS_GROUP"}, {"l1", "l2"}));
  dispatcher_.Publish(ProcessGroupEvent(true, "a"));
  Ready("p:l1");
  ASSERT_EQ(Written("p:l1").size(), 1U);
  dispatcher_.OnListenerOutput("p:l1", "RESULT what\n");
  EXPECT_EQ(dispatcher_.ListenerStateOf("p:l1"), ListenerState::kUnknown);
  EXPECT_EQ(host_.notices,
            (std::vector<std::string>{
                "l1: bad result line: 'RESULT what'",
                "l1: has entered the UNKNOWN state and will no longer receive events, this "
                "usually indicates the process violated the eventlistener protocol"}));
  EXPECT_EQ(dispatcher_.BufferedEvents("p"), 1U);
  Ready("p:l2");
  ASSERT_EQ(Written("p:l2").size(), 1U);
  EXPECT_EQ(Written("p:l2")[0], Written("p:l1")[0]);
  dispatcher_.OnListenerOutput("p:l1", "READY\n");  // UNKNOWN until restarted
  EXPECT_EQ(dispatcher_.ListenerStateOf("p:l1"), ListenerState::kUnknown);
}

TEST_F(EventDispatcherTest, ListenerDeathWhileBusyRequeuesAndRestartStartsAcknowledged) {
  dispatcher_.AddPool(Pool("p", {"EVENT"}, {"l"}));
  dispatcher_.Publish(RemoteCommunicationEvent("t", "x"));
  Ready("p:l");
  ASSERT_EQ(Written("p:l").size(), 1U);
  dispatcher_.OnProcessState("p:l", ProgramState::kExited);
  EXPECT_EQ(dispatcher_.BufferedEvents("p"), 1U);
  dispatcher_.OnProcessState("p:l", ProgramState::kStarting);
  EXPECT_EQ(dispatcher_.ListenerStateOf("p:l"), ListenerState::kAcknowledged);
  Ready("p:l");
  ASSERT_EQ(Written("p:l").size(), 2U);
  EXPECT_EQ(Written("p:l")[1], Written("p:l")[0]);
}

TEST_F(EventDispatcherTest, FirstReadyListenerInPoolOrderGetsTheEvent) {
  dispatcher_.AddPool(Pool("p", {"EVENT"}, {"a", "b"}));
  Ready("p:b");
  Ready("p:a");
  dispatcher_.Publish(RemoteCommunicationEvent("t", "1"));
  dispatcher_.Publish(RemoteCommunicationEvent("t", "2"));
  dispatcher_.Publish(RemoteCommunicationEvent("t", "3"));
  ASSERT_EQ(Written("p:a").size(), 1U);
  ASSERT_EQ(Written("p:b").size(), 1U);
  EXPECT_TRUE(Written("p:a")[0].ends_with("type:t\n1"));
  EXPECT_TRUE(Written("p:b")[0].ends_with("type:t\n2"));
  EXPECT_EQ(dispatcher_.BufferedEvents("p"), 1U);
}

TEST_F(EventDispatcherTest, ClosedStdinTriesTheNextListener) {
  dispatcher_.AddPool(Pool("p", {"EVENT"}, {"a", "b"}));
  Ready("p:a");
  Ready("p:b");
  host_.closed.insert("p:a");
  dispatcher_.Publish(RemoteCommunicationEvent("t", "1"));
  EXPECT_TRUE(Written("p:a").empty());
  EXPECT_EQ(Written("p:b").size(), 1U);
  EXPECT_EQ(dispatcher_.ListenerStateOf("p:a"), ListenerState::kReady);
}

TEST_F(EventDispatcherTest, FullBufferDropsTheOldestWithAnError) {
  dispatcher_.AddPool(Pool("p", {"REMOTE_COMMUNICATION"}, {"l"}, 2));
  for (const char* data : {"1", "2", "3"}) {
    dispatcher_.Publish(RemoteCommunicationEvent("t", data));
  }
  EXPECT_EQ(host_.notices,
            std::vector<std::string>{"pool p event buffer overflowed, discarding event 0"});
  EXPECT_EQ(dispatcher_.BufferedEvents("p"), 2U);
  Ready("p:l");
  ASSERT_EQ(Written("p:l").size(), 1U);
  EXPECT_TRUE(Written("p:l")[0].ends_with("type:t\n2"));
}

TEST_F(EventDispatcherTest, RemovedPoolForgetsItsListeners) {
  dispatcher_.AddPool(Pool("p", {"EVENT"}, {"l"}));
  EXPECT_TRUE(dispatcher_.IsListener("p:l"));
  dispatcher_.RemovePool("p");
  EXPECT_FALSE(dispatcher_.IsListener("p:l"));
  EXPECT_FALSE(dispatcher_.IsSubscribed(EventType::kEvent));
  dispatcher_.Publish(RemoteCommunicationEvent("t", "1"));  // nobody: no serial used
  dispatcher_.AddPool(Pool("q", {"EVENT"}, {"l"}));
  Ready("q:l");
  dispatcher_.Publish(RemoteCommunicationEvent("t", "2"));
  ASSERT_EQ(Written("q:l").size(), 1U);
  EXPECT_TRUE(Written("q:l")[0].starts_with("ver:3.0 server:supervisor serial:0 "));
}

TEST_F(EventDispatcherTest, ListenersAddedToAndRemovedFromAPool) {
  dispatcher_.AddPool(Pool("p", {"EVENT"}, {"a"}));
  config::ProgramSpec b;
  b.group = "p";
  b.name = "b";
  dispatcher_.AddListener(b);
  EXPECT_TRUE(dispatcher_.IsListener("p:b"));
  dispatcher_.Publish(RemoteCommunicationEvent("t", "1"));
  Ready("p:b");
  ASSERT_EQ(Written("p:b").size(), 1U);
  dispatcher_.RemoveListener("p:b");  // its event in flight goes back to the pool
  EXPECT_FALSE(dispatcher_.IsListener("p:b"));
  EXPECT_EQ(dispatcher_.BufferedEvents("p"), 1U);
  dispatcher_.Clear();
  EXPECT_FALSE(dispatcher_.IsListener("p:a"));
  EXPECT_EQ(dispatcher_.BufferedEvents("p"), 0U);
}

}  // namespace
}  // namespace vigil::core
