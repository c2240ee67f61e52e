#include "config/exec_line.h"

#include <gtest/gtest.h>

#include "tests/fakes/fake_host.h"

namespace vigil::config {
namespace {

class ExecLineTest : public ::testing::Test {
 protected:
  ExecLineTest()
      : specifiers_(MakeSpecifierContext(host_, *ParseUnitName("web@blue.service"),
                                         "/etc/systemd/system/web@.service")) {}

  Result<std::vector<ExecCommand>> Parse(std::string_view value) {
    warnings_.clear();
    SettingContext context{SourceLocation{"u.service", 7}, "ExecStart", specifiers_, warnings_};
    return ParseExecLine(context, value);
  }

  // The argv of the only command `value` gives.
  std::vector<std::string> ArgvOf(std::string_view value) {
    Result<std::vector<ExecCommand>> commands = Parse(value);
    if (!commands || commands->size() != 1) return {"<no single command>"};
    return commands->front().argv;
  }

  testing::FakeHost host_;
  SpecifierContext specifiers_;
  std::vector<std::string> warnings_;
};

using Argv = std::vector<std::string>;

TEST_F(ExecLineTest, WordsQuotesAndEscapes) {
  EXPECT_EQ(ArgvOf("/bin/echo a  b"), (Argv{"/bin/echo", "a", "b"}));
  EXPECT_EQ(ArgvOf("/bin/echo \"a b\" 'c d' e\\tf"), (Argv{"/bin/echo", "a b", "c d", "e\tf"}));
  EXPECT_EQ(ArgvOf("\"/bin/echo\" x"), (Argv{"/bin/echo", "x"}));
  EXPECT_EQ(ArgvOf("/bin/tr\"ue\""), (Argv{"/bin/true"}));
  // $VAR and ${VAR} stay for exec time; specifiers are expanded now.
  EXPECT_EQ(ArgvOf("/bin/echo $FOO ${BAR} %i %I %p %%"),
            (Argv{"/bin/echo", "$FOO", "${BAR}", "blue", "blue", "web", "%"}));
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(ExecLineTest, UnknownEscapesAreKeptWithAWarning) {
  EXPECT_EQ(ArgvOf("/bin/echo \"a\\qb\""), (Argv{"/bin/echo", "a\\qb"}));
  EXPECT_EQ(
      warnings_,
      (std::vector<std::string>{"u.service:7: Ignoring unknown escape sequences: \"a\\qb\""}));
}

TEST_F(ExecLineTest, Prefixes) {
  Result<std::vector<ExecCommand>> c = Parse("@-:/bin/sh sh-argv0 -c true");
  ASSERT_TRUE(c);
  const ExecCommand& command = c->front();
  EXPECT_EQ(command.path, "/bin/sh");
  EXPECT_EQ(command.argv, (Argv{"sh-argv0", "-c", "true"}));
  EXPECT_TRUE(command.ignore_failure);
  EXPECT_TRUE(command.no_environment_expansion);
  EXPECT_FALSE(command.full_privileges);
  EXPECT_EQ(command.where, (SourceLocation{"u.service", 7}));

  EXPECT_TRUE(Parse("+/bin/true")->front().full_privileges);
  EXPECT_TRUE(Parse("!/bin/true")->front().keep_credentials);
  EXPECT_TRUE(Parse("!!/bin/true")->front().keep_credentials);
  EXPECT_TRUE(Parse("-!!/bin/true")->front().ignore_failure);
  EXPECT_TRUE(Parse("+-/bin/true")->front().full_privileges);
}

TEST_F(ExecLineTest, BadPrefixCombinationsBecomePartOfThePath) {
  // '+' with '!', a third '!', or a repeated prefix ends the prefixes (systemd 252).
  EXPECT_EQ(Parse("!+/bin/true").error().message,
            "u.service:7: Neither a valid executable name nor an absolute path: +/bin/true (name "
            "the program by its absolute path, or by a bare name found in /usr/local/sbin, "
            "/usr/local/bin, /usr/sbin, /usr/bin, /sbin or /bin)");
  EXPECT_FALSE(Parse("+!/bin/true"));
  EXPECT_FALSE(Parse("!!!/bin/true"));
  // With '-', the same problem is only logged and the command dropped.
  Result<std::vector<ExecCommand>> ignored = Parse("--/bin/true");
  ASSERT_TRUE(ignored);
  EXPECT_TRUE(ignored->empty());
  EXPECT_EQ(warnings_, (std::vector<std::string>{
                           "u.service:7: Neither a valid executable name nor an absolute path, "
                           "ignoring: -/bin/true (name the program by its absolute path, or by a "
                           "bare name found in /usr/local/sbin, /usr/local/bin, /usr/sbin, "
                           "/usr/bin, /sbin or /bin)"}));
}

TEST_F(ExecLineTest, Executables) {
  EXPECT_EQ(Parse("true")->front().path, "true");  // resolved later, in the fixed path
  EXPECT_EQ(Parse("//bin//./true")->front().path, "/bin/true");
  EXPECT_EQ(Parse("$FOO")->front().path, "$FOO");  // never expanded
  for (const char* bad : {"./true", "foo/bar", ".", "..", "!+/bin/true"}) {
    EXPECT_FALSE(Parse(bad)) << bad;
  }
  EXPECT_EQ(Parse("/bin/true/").error().message,
            "u.service:7: Executable path specifies a directory: /bin/true/");
  EXPECT_EQ(Parse("/bin/echo\\\\x").error().message,
            "u.service:7: Executable name contains special characters: /bin/echo\\x");
  EXPECT_EQ(Parse("@/bin/true").error().message,
            "u.service:7: Empty executable name or zeroeth argument: @/bin/true");
  EXPECT_EQ(Parse("-@").value().size(), 0u);
  EXPECT_EQ(warnings_,
            (std::vector<std::string>{"u.service:7: Empty path in command line, ignoring: '-@'"}));
  EXPECT_EQ(Parse("/bin/echo %Z").error().message,
            "u.service:7: Failed to resolve unit specifiers in %Z: Invalid slot");
  EXPECT_EQ(Parse("/bin/%Z").error().message,
            "u.service:7: Failed to resolve unit specifiers in '/bin/%Z': Invalid slot");
}

TEST_F(ExecLineTest, Semicolons) {
  Result<std::vector<ExecCommand>> two = Parse("/bin/true ; /bin/false x");
  ASSERT_TRUE(two);
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[1].argv, (Argv{"/bin/false", "x"}));
  EXPECT_EQ(ArgvOf("/bin/echo \\; x"), (Argv{"/bin/echo", ";", "x"}));
  EXPECT_EQ(ArgvOf("/bin/echo x; y"), (Argv{"/bin/echo", "x;", "y"}));
  EXPECT_EQ(ArgvOf("/bin/echo ;"), (Argv{"/bin/echo"}));
  // Only a bare "\;" word is a literal ';'; quoted, the escape is unknown and kept.
  EXPECT_EQ(ArgvOf("/bin/echo \"\\;\""), (Argv{"/bin/echo", "\\;"}));
  EXPECT_EQ(warnings_.size(), 1u);
}

TEST_F(ExecLineTest, UnbalancedQuotes) {
  EXPECT_EQ(Parse("/bin/true \"open").error().message,
            "u.service:7: Unbalanced quoting, ignoring: \"/bin/true \"open\" (close every quote; "
            "a literal quote is \\\" or \\')");
  // In the first word systemd only logs it, and the line adds nothing.
  Result<std::vector<ExecCommand>> first = Parse("\"/bin/true");
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->empty());
  EXPECT_EQ(
      warnings_,
      (std::vector<std::string>{"u.service:7: Unbalanced quoting, ignoring: \"\"/bin/true\""}));
}

}  // namespace
}  // namespace vigil::config
