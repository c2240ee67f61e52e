#include "core/listener_protocol.h"

#include <gtest/gtest.h>

namespace vigil::core {
namespace {

using Kind = ListenerOutcome::Kind;

std::vector<Kind> Kinds(const std::vector<ListenerOutcome>& outcomes) {
  std::vector<Kind> kinds;
  for (const ListenerOutcome& o : outcomes) kinds.push_back(o.kind);
  return kinds;
}

TEST(ListenerProtocolTest, ReadyThenResultOk) {
  ListenerProtocol p;
  EXPECT_EQ(p.state(), ListenerState::kAcknowledged);
  EXPECT_TRUE(p.Feed("REA").empty());
  EXPECT_EQ(Kinds(p.Feed("DY\n")), std::vector<Kind>{Kind::kReady});
  EXPECT_EQ(p.state(), ListenerState::kReady);
  p.OnSent();
  EXPECT_EQ(p.state(), ListenerState::kBusy);
  EXPECT_TRUE(p.Feed("RESULT 2").empty());
  EXPECT_TRUE(p.Feed("\nO").empty());
  EXPECT_EQ(Kinds(p.Feed("K")), std::vector<Kind>{Kind::kAccepted});
  EXPECT_EQ(p.state(), ListenerState::kAcknowledged);
}

TEST(ListenerProtocolTest, ResultAndNextReadyInOneRead) {
  ListenerProtocol p;
  static_cast<void>(p.Feed("READY\n"));
  p.OnSent();
  EXPECT_EQ(Kinds(p.Feed("RESULT 2\nOKREADY\n")),
            (std::vector<Kind>{Kind::kAccepted, Kind::kReady}));
  EXPECT_EQ(p.state(), ListenerState::kReady);
}

TEST(ListenerProtocolTest, AnythingButOkRejects) {
  struct Case {
    std::string_view output;
    std::string_view result;
  };
  const Case cases[] = {
      {"RESULT 4\nFAIL", "FAIL"}, {"RESULT 3\nok!", "ok!"}, {"RESULT 0\n", ""},
      {"RESULT 3\nOK\n", "OK\n"}, {"RESULT  2 \nOk", "Ok"},  // int() takes surrounding blanks
  };
  for (const Case& c : cases) {
    ListenerProtocol p;
    static_cast<void>(p.Feed("READY\n"));
    p.OnSent();
    const std::vector<ListenerOutcome> outcomes = p.Feed(c.output);
    ASSERT_EQ(outcomes.size(), 1U) << c.output;
    EXPECT_EQ(outcomes[0].kind, Kind::kRejected) << c.output;
    EXPECT_EQ(outcomes[0].text, c.result);
    EXPECT_EQ(p.state(), ListenerState::kAcknowledged);
  }
}

TEST(ListenerProtocolTest, MalformedResultLineGivesUnknown) {
  for (std::string_view line :
       {"RESULT x\n", "RESULT\n", "RESULT -1\n", "garbage\n", "RESULT 1_\n"}) {
    ListenerProtocol p;
    static_cast<void>(p.Feed("READY\n"));
    p.OnSent();
    const std::vector<ListenerOutcome> outcomes = p.Feed(line);
    ASSERT_EQ(Kinds(outcomes), std::vector<Kind>{Kind::kBadResult}) << line;
    EXPECT_EQ(outcomes[0].text + "\n", line);
    EXPECT_EQ(p.state(), ListenerState::kUnknown);
    EXPECT_TRUE(p.Feed("READY\n").empty()) << "UNKNOWN is final";
  }
}

TEST(ListenerProtocolTest, SupervisordSkipsSevenCharactersUnread) {
  ListenerProtocol p;
  static_cast<void>(p.Feed("READY\n"));
  p.OnSent();
  EXPECT_EQ(Kinds(p.Feed("XXXXXXX2\nOK")), std::vector<Kind>{Kind::kAccepted});
}

TEST(ListenerProtocolTest, ProtocolViolations) {
  {
    ListenerProtocol p;  // six bytes that are not READY
    EXPECT_TRUE(p.Feed("hello").empty());
    EXPECT_EQ(Kinds(p.Feed("!")), std::vector<Kind>{Kind::kViolation});
    EXPECT_EQ(p.state(), ListenerState::kUnknown);
  }
  {
    ListenerProtocol p;  // output while READY
    EXPECT_EQ(Kinds(p.Feed("READY\nx")), (std::vector<Kind>{Kind::kReady, Kind::kViolation}));
    EXPECT_EQ(p.state(), ListenerState::kUnknown);
  }
  {
    ListenerProtocol p;  // a second READY without an event in between
    EXPECT_EQ(Kinds(p.Feed("READY\nREADY\n")), (std::vector<Kind>{Kind::kReady, Kind::kViolation}));
  }
}

TEST(ListenerProtocolTest, ResetStartsOver) {
  ListenerProtocol p;
  static_cast<void>(p.Feed("garbage"));
  ASSERT_EQ(p.state(), ListenerState::kUnknown);
  p.Reset();
  EXPECT_EQ(p.state(), ListenerState::kAcknowledged);
  EXPECT_EQ(Kinds(p.Feed("READY\n")), std::vector<Kind>{Kind::kReady});
}

}  // namespace
}  // namespace vigil::core
