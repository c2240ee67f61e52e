#include "core/event_types.h"

#include <gtest/gtest.h>

namespace vigil::core {
namespace {

TEST(EventTypesTest, NamesRoundTrip) {
  for (int i = 0; i <= static_cast<int>(EventType::kProcessGroupRemoved); ++i) {
    const auto type = static_cast<EventType>(i);
    EXPECT_EQ(ParseEventType(EventTypeName(type)), type) << EventTypeName(type);
  }
  EXPECT_EQ(ParseEventType("process_state"), std::nullopt);  // the config upper-cases
  EXPECT_EQ(ParseEventType("NO_SUCH_EVENT"), std::nullopt);
}

TEST(EventTypesTest, SubscriptionMatchesTheTypeAndItsAbstractAncestors) {
  struct Case {
    std::string_view event;
    std::string_view subscribed;
    bool matches;
  };
  const Case cases[] = {
      {"PROCESS_STATE_RUNNING", "PROCESS_STATE_RUNNING", true},
      {"PROCESS_STATE_RUNNING", "PROCESS_STATE", true},
      {"PROCESS_STATE_RUNNING", "EVENT", true},
      {"PROCESS_STATE_RUNNING", "PROCESS_STATE_EXITED", false},
      {"PROCESS_STATE", "PROCESS_STATE_RUNNING", false},
      {"PROCESS_LOG_STDERR", "PROCESS_LOG", true},
      {"PROCESS_LOG_STDERR", "PROCESS_COMMUNICATION", false},
      {"PROCESS_COMMUNICATION_STDOUT", "PROCESS_COMMUNICATION", true},
      {"REMOTE_COMMUNICATION", "EVENT", true},
      {"REMOTE_COMMUNICATION", "PROCESS_COMMUNICATION", false},
      {"SUPERVISOR_STATE_CHANGE_STOPPING", "SUPERVISOR_STATE_CHANGE", true},
      {"PROCESS_GROUP_ADDED", "PROCESS_GROUP", true},
      {"PROCESS_GROUP_REMOVED", "PROCESS_STATE", false},
      {"TICK_5", "TICK", true},
      {"TICK_3600", "TICK_60", false},
      {"TICK_60", "EVENT", true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsEventOfType(*ParseEventType(c.event), *ParseEventType(c.subscribed)), c.matches)
        << c.event << " as " << c.subscribed;
  }
}

}  // namespace
}  // namespace vigil::core
