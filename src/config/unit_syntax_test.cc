#include "config/unit_syntax.h"

#include <gtest/gtest.h>

namespace vigil::config {
namespace {

constexpr std::string_view kSections[] = {"Unit", "Service", "Install"};

// One line per event: "Section.Key=Value@line", or the message of a warning/fatal event.
std::vector<std::string> Events(std::string_view text) {
  std::vector<std::string> out;
  for (const UnitLine& line : ParseUnitText(text, "u.service", kSections)) {
    switch (line.kind) {
      case UnitLine::Kind::kAssignment:
        out.push_back(line.section + "." + line.key + "=" + line.value + "@" +
                      std::to_string(line.where.line));
        break;
      case UnitLine::Kind::kWarning:
        out.push_back("warning " + line.message);
        break;
      case UnitLine::Kind::kFatal:
        out.push_back("fatal " + line.message);
        break;
    }
  }
  return out;
}

using Lines = std::vector<std::string>;

TEST(UnitSyntaxTest, KeysValuesAndWhitespace) {
  EXPECT_EQ(Events("[Service]\n  ExecStart  =  /bin/echo a  \nType=simple\n"),
            (Lines{"Service.ExecStart=/bin/echo a@2", "Service.Type=simple@3"}));
  // Keys and values are case-sensitive; '=' in the value stays.
  EXPECT_EQ(Events("[Service]\nEnvironment=A=b=c\n"), (Lines{"Service.Environment=A=b=c@2"}));
  EXPECT_EQ(Events("[Service]\nExecStart=\n"), (Lines{"Service.ExecStart=@2"}));
}

TEST(UnitSyntaxTest, CommentsOnlyAtLineStart) {
  EXPECT_EQ(Events("# c\n; c\n[Unit]\n  # indented comment\nDescription=a # b ; c\n"),
            (Lines{"Unit.Description=a # b ; c@5"}));
}

TEST(UnitSyntaxTest, ContinuationsJoinWithASpaceAndSkipComments) {
  // systemd 252 reports a continued line at its last physical line.
  EXPECT_EQ(Events("[Unit]\nDescription=a \\\n# c\n b \\\n\nAfter=x.service\n"),
            (Lines{"Unit.Description=a   b@5", "Unit.After=x.service@6"}));
  // An escaped backslash does not continue the line.
  EXPECT_EQ(Events("[Service]\nExecStart=/bin/echo \\\\\nType=simple\n"),
            (Lines{"Service.ExecStart=/bin/echo \\\\@2", "Service.Type=simple@3"}));
  // A continuation still open at the end of the file is parsed one line past the end.
  EXPECT_EQ(Events("[Unit]\nDescription=a \\"), (Lines{"Unit.Description=a@3"}));
  EXPECT_EQ(Events("[Service]\nBar=2 \\\n  # x\n"), (Lines{"Service.Bar=2@4"}));
}

TEST(UnitSyntaxTest, LineEndings) {
  EXPECT_EQ(Events("[Service]\r\nType=simple\r\n"), (Lines{"Service.Type=simple@2"}));
  EXPECT_EQ(Events("[Service]\rType=simple\rFoo=1"),
            (Lines{"Service.Type=simple@2", "Service.Foo=1@3"}));
  EXPECT_EQ(Events(std::string_view("[Service]\nType=a\0Foo=1\n", 22)),
            (Lines{"Service.Type=a@2", "Service.Foo=1@3"}));
}

TEST(UnitSyntaxTest, ByteOrderMarkIsSkipped) {
  EXPECT_EQ(Events("\xef\xbb\xbf[Service]\nType=simple\n"), (Lines{"Service.Type=simple@2"}));
}

TEST(UnitSyntaxTest, SystemdsWarnings) {
  EXPECT_EQ(Events("Type=x\n[Service]\ngarbage\n=x\n[Bogus]\nA=b\n[X-Mine]\nA=b\n[]\n"),
            (Lines{"warning u.service:1: Assignment outside of section. Ignoring.",
                   "warning u.service:3: Missing '=', ignoring line.",
                   "warning u.service:4: Missing key name before '=', ignoring line.",
                   "warning u.service:5: Unknown section 'Bogus'. Ignoring.", "X-Mine.A=b@8",
                   "warning u.service:9: Unknown section ''. Ignoring."}));
  // Section names are case-sensitive and not stripped inside the brackets.
  EXPECT_EQ(Events("[service]\nA=b\n[ Unit ]\n"),
            (Lines{"warning u.service:1: Unknown section 'service'. Ignoring.",
                   "warning u.service:3: Unknown section ' Unit '. Ignoring."}));
}

TEST(UnitSyntaxTest, FatalErrorsEndTheFile) {
  EXPECT_EQ(Events("[Service]\nType=a\n[Service\nType=b\n"),
            (Lines{"Service.Type=a@2",
                   "fatal u.service:3: Invalid section header '[Service' (a header is [Name] alone "
                   "on its line)"}));
  EXPECT_EQ(Events("[Un\"it]\n")[0],
            "fatal u.service:1: Bad characters in section header '[Un\"it]' (no quotes, "
            "backslashes or control characters)");
  EXPECT_EQ(Events("[Unit]\nDescription=\xff\xfe\n")[0],
            "fatal u.service:2: String is not UTF-8 clean, ignoring assignment: "
            "Description=\xef\xbf\xbd\xef\xbf\xbd (systemd refuses to load such a unit; save the "
            "file as UTF-8)");
  std::string long_line = "[Service]\nExecStart=/bin/echo " + std::string(kMaxUnitLineLength, 'a');
  EXPECT_EQ(Events(long_line),
            (Lines{"fatal u.service:2: Line too long (systemd refuses lines longer than 1 MiB)"}));
}

TEST(UnitSyntaxTest, EscapeInvalidUtf8) {
  EXPECT_EQ(EscapeInvalidUtf8("a\xffz"), "a\xef\xbf\xbdz");
  EXPECT_EQ(EscapeInvalidUtf8("\xc3\xa9"), "\xc3\xa9");
}

}  // namespace
}  // namespace vigil::config
