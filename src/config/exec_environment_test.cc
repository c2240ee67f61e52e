#include "config/exec_environment.h"

#include <gtest/gtest.h>

namespace vigil::config {
namespace {

using Args = std::vector<std::string>;

TEST(ExpandExecArgumentsTest, StandaloneVariableSplitsAtWhitespace) {
  const Environment env = {{"OPTS", "-a  -b 'c d'"}, {"ONE", "x y"}};
  EXPECT_EQ(ExpandExecArguments({"/bin/x", "$OPTS", "end"}, env),
            (Args{"/bin/x", "-a", "-b", "c d", "end"}));
  EXPECT_EQ(ExpandExecArguments({"/bin/x", "${ONE}"}, env), (Args{"/bin/x", "x y"}));
}

TEST(ExpandExecArgumentsTest, BracedVariablesInsideWordsAndDollarDollar) {
  const Environment env = {{"HOME", "/home/doris"}, {"PID", "42"}};
  EXPECT_EQ(ExpandExecArguments({"--dir=${HOME}/be", "kill", "$$PID", "-${PID}-"}, env),
            (Args{"--dir=/home/doris/be", "kill", "$PID", "-42-"}));
}

TEST(ExpandExecArgumentsTest, UnknownVariablesAreEmptyAndBracelessInsideWordsStays) {
  const Environment env = {{"A", "1"}};
  EXPECT_EQ(ExpandExecArguments({"$NOPE", "${NOPE}", "x$A", "$"}, env), (Args{"", "x$A", "$"}));
}

TEST(ExpandExecArgumentsTest, LaterAssignmentsWin) {
  const Environment env = {{"A", "1"}, {"A", "2"}};
  EXPECT_EQ(ExpandExecArguments({"${A}"}, env), (Args{"2"}));
}

TEST(ParseEnvironmentFileTest, ReadsSystemdsFormat) {
  std::vector<std::string> warnings;
  const Environment env = ParseEnvironmentFile(
      "# comment\n"
      "; another\n"
      "\n"
      "PLAIN=  value with  spaces   \n"
      "SINGLE='no $escapes \\n here'\n"
      "DOUBLE=\"quote \\\" and \\$ and \\\\\"\n"
      "MULTI=\"line one\n"
      "line two\"\n"
      "CONT=first \\\n"
      "second\n"
      "ESC=a\\ b\n"
      "noequals\n"
      "1BAD=x\n"
      "  INDENTED = yes\n",
      "/etc/x.env", &warnings);
  const Environment expected = {{"PLAIN", "value with  spaces"},
                                {"SINGLE", "no $escapes \\n here"},
                                {"DOUBLE", "quote \" and $ and \\"},
                                {"MULTI", "line one\nline two"},
                                {"CONT", "first second"},
                                {"ESC", "a b"},
                                {"INDENTED", "yes"}};
  EXPECT_EQ(env, expected);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "/etc/x.env:13: invalid variable name \"1BAD\", ignoring");
}

TEST(ParseEnvironmentFileTest, ARepeatedNameKeepsItsPlaceWithTheLastValue) {
  const Environment env = ParseEnvironmentFile("A=1\nB=2\nA=3\n", "f", nullptr);
  EXPECT_EQ(env, (Environment{{"A", "3"}, {"B", "2"}}));
}

}  // namespace
}  // namespace vigil::config
