#include "ctl/commands.h"

#include <gtest/gtest.h>

namespace vigil::ctl {
namespace {

TEST(StatusTableTest, AlignsLikeSupervisorctl) {
  EXPECT_EQ(FormatStatusTable({{"web", "RUNNING", "pid 1, uptime 0:00:01"}, {"db", "STOPPED", ""}}),
            "web                              RUNNING   pid 1, uptime 0:00:01\n"
            "db                               STOPPED   \n");
  const std::string long_name(40, 'x');
  EXPECT_EQ(FormatStatusTable({{long_name, "FATAL", "boom"}}), long_name + "   FATAL     boom\n");
}

}  // namespace
}  // namespace vigil::ctl
