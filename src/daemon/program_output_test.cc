#include "daemon/program_output.h"

#include <gtest/gtest.h>

namespace vigil::daemon {
namespace {

TEST(AutoLogNameTest, MatchesSupervisordsCleanupPattern) {
  EXPECT_TRUE(IsAutoLogName("web-stdout---supervisor-a1B2c3.log", "supervisor"));
  EXPECT_TRUE(IsAutoLogName("web-stderr---supervisor-a1B2c3.log.3", "supervisor"));
  EXPECT_FALSE(IsAutoLogName("web-stdout---other-a1B2c3.log", "supervisor"));
  EXPECT_FALSE(IsAutoLogName("---supervisor-a1B2c3.log", "supervisor"));  // nothing before
  EXPECT_FALSE(IsAutoLogName("web.log", "supervisor"));
  EXPECT_FALSE(IsAutoLogName("web-stdout---supervisor-.log", "supervisor"));
  OutputSettings settings{"/tmp", "ident", false, nullptr};
  EXPECT_EQ(AutoLogTemplate(settings, "web", "stdout"), "/tmp/web-stdout---ident-XXXXXX.log");
}

TEST(StripAnsiTest, RemovesEscapeSequencesLikeSupervisord) {
  EXPECT_EQ(StripAnsi("\x1b[31mred\x1b[0m plain \x1b[2J"), "red plain ");
  EXPECT_EQ(StripAnsi("no escapes"), "no escapes");
  EXPECT_EQ(StripAnsi("\x1b[unterminated"), "nterminated");  // 'u' is a terminator
  EXPECT_EQ(StripAnsi("ok\x1b[123"), "ok");  // no terminator: the rest goes, as in supervisord
  EXPECT_EQ(StripAnsi("\x1bnot csi"), "\x1bnot csi");
}

}  // namespace
}  // namespace vigil::daemon
