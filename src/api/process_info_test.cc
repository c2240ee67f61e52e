#include "api/process_info.h"

#include <gtest/gtest.h>

namespace vigil::api {
namespace {

TEST(ProcessInfoTest, TimedeltaLikePython) {
  EXPECT_EQ(TimedeltaString(5), "0:00:05");
  EXPECT_EQ(TimedeltaString(3600 * 2 + 61), "2:01:01");
  EXPECT_EQ(TimedeltaString(86400 + 2 * 3600 + 11 * 60 + 57), "1 day, 2:11:57");
  EXPECT_EQ(TimedeltaString(3 * 86400), "3 days, 0:00:00");
  EXPECT_EQ(TimedeltaString(-4), "0:00:00");
}

TEST(ProcessInfoTest, DescriptionsLikeSupervisord) {
  ProcessInfo info;
  info.name = "web";
  info.state = static_cast<int>(core::ProgramState::kRunning);
  info.pid = 42;
  info.start = 1000;
  info.now = 1011;
  EXPECT_EQ(ProcessDescription(info), "pid 42, uptime 0:00:11");
  info.state = static_cast<int>(core::ProgramState::kFatal);
  EXPECT_EQ(ProcessDescription(info), "unknown error (try \"tail web\")");
  info.spawnerr = "Exited too quickly (process log may have details)";
  EXPECT_EQ(ProcessDescription(info), info.spawnerr);
  info.state = static_cast<int>(core::ProgramState::kStopped);
  info.start = 0;
  EXPECT_EQ(ProcessDescription(info), "Not started");
  info.start = 1000;
  info.stop = 0;
  EXPECT_EQ(ProcessDescription(info).size(), std::string("Jan 01 12:00 AM").size());
  info.state = static_cast<int>(core::ProgramState::kStarting);
  EXPECT_EQ(ProcessDescription(info), "");
}

TEST(ProcessInfoTest, StructHasSupervisordsFourteenKeysInOrder) {
  ProcessInfo info;
  info.name = "web";
  protocol::XmlRpcValue value = ProcessInfoValue(info);
  std::vector<std::string> keys;
  for (const auto& member : *value.AsStruct()) keys.push_back(member.name);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"name", "group", "start", "stop", "now", "state", "statename",
                                      "spawnerr", "exitstatus", "logfile", "stdout_logfile",
                                      "stderr_logfile", "pid", "description"}));
}

}  // namespace
}  // namespace vigil::api
