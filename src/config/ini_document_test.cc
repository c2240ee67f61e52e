#include "config/ini_document.h"

#include <gtest/gtest.h>

#include "tests/fakes/print_case.h"

namespace vigil::config {
namespace {

// Renders a document as "[section] key=value" lines (values with \n shown as \\n) so that each
// case states its whole expected result. Every expectation below was checked against Python
// 3.11's configparser with supervisord's settings.
std::string Render(const IniDocument& doc) {
  std::string out;
  for (const std::string& name : doc.SectionNames()) {
    out += "[" + name + "]";
    for (const IniEntry& entry : doc.Items(name)) {
      std::string value;
      for (char c : entry.value) value += c == '\n' ? std::string("\\n") : std::string(1, c);
      out += " " + entry.key + "=" + value;
    }
    out += "\n";
  }
  return out;
}

struct ParseCase {
  const char* name;
  const char* text;
  const char* expected;
};

void PrintTo(const ParseCase& c, std::ostream* os) { testing::PrintCaseText(c.name, os); }

class IniParseTest : public ::testing::TestWithParam<ParseCase> {};

TEST_P(IniParseTest, MatchesConfigparser) {
  IniDocument doc;
  Result<void> read = doc.Read(GetParam().text, "/etc/test.conf");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(Render(doc), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, IniParseTest,
    ::testing::Values(
        ParseCase{"FullLineComments", "#c\n;c\n[a]\n  # c\nk=v\n", "[a] k=v\n"},
        ParseCase{"InlineCommentNeedsWhitespace", "[a]\nk = v ; c\nq=a;b\nr=v#x\ns=v\t#x\n",
                  "[a] k=v q=a;b r=v#x s=v\n"},
        ParseCase{"InlineCommentSearchOrder", "[a]\nk=a;b ;c #d\nj=a#b #c ;d\n",
                  "[a] k=a;b ;c j=a#b #c\n"},
        ParseCase{"NoQuoteAwareness", "[a]\nk=\"a ; b\"\n", "[a] k=\"a\n"},
        ParseCase{"ColonDelimiter", "[a]\nk: v=3\nj = x:y\n", "[a] k=v=3 j=x:y\n"},
        ParseCase{"KeyStripAndLowerCase", "[a]\n  KEY  =  V  \n", "[a] key=V\n"},
        ParseCase{"KelvinSignLowersToK", "[a]\nK\u212aY=1\n", "[a] kky=1\n"},
        ParseCase{"EmptyValue", "[a]\nk=\nj:\n", "[a] k= j=\n"},
        ParseCase{"Continuation", "[a]\nk=l1\n  l2\n\tl3\n", "[a] k=l1\\nl2\\nl3\n"},
        ParseCase{"BlankLinesKeptInsideValue", "[a]\nk = l1\n\n  l2\n", "[a] k=l1\\n\\nl2\n"},
        ParseCase{"TrailingBlankLinesDropped", "[a]\nk=v\n  \n\n", "[a] k=v\n"},
        ParseCase{"CommentLineInsideContinuation", "[a]\nk=v\n;\n  x\n  #y\n  z\n",
                  "[a] k=v\\nx\\nz\n"},
        ParseCase{"ContinuationOfEmptyValue", "[a]\nk=\n  y\n", "[a] k=\\ny\n"},
        ParseCase{"IndentedKeysAreNotContinuations", "[a]\n  k=x\n  j=y\n    z\n",
                  "[a] k=x j=y\\nz\n"},
        ParseCase{"IndentedHeaderAfterHeader", "[a]\n  [b]\nk=1\n", "[a]\n[b] k=1\n"},
        ParseCase{"IndentedHeaderInsideValueIsText", "[a]\nk=v\n  [b]\n", "[a] k=v\\n[b]\n"},
        ParseCase{"SectionNamesAreCaseSensitive", "[A]\nk=1\n[a]\nk=2\n", "[A] k=1\n[a] k=2\n"},
        ParseCase{"SectionNameToLastBracket", "[a]b]\nk=v\n[c] junk\nj=1\n",
                  "[a]b] k=v\n[c] j=1\n"},
        ParseCase{"SectionNameKeepsSpaces", "[ a ]\nk=1\n", "[ a ] k=1\n"},
        ParseCase{"DuplicateSectionsMerge", "[a]\nk=1\nj=1\n[b]\n[a]\nk=2\n", "[a] k=2 j=1\n[b]\n"},
        ParseCase{"DefaultInherited", "[DEFAULT]\nd=1\n[a]\nk=%(d)s\n[b]\nd=2\n",
                  "[a] d=1 k=%(d)s\n[b] d=2\n"},
        ParseCase{"CarriageReturnsEndLines", "[a]\r\nk=v\rj=3\r\n", "[a] k=v j=3\n"},
        ParseCase{"UnicodeWhitespaceStripped", "[a]\nk=\u00a0v\u3000\n", "[a] k=v\n"},
        ParseCase{"FormFeedIndentContinues", "[a]\nk=v\n\x0c x\n", "[a] k=v\\nx\n"},
        ParseCase{"NoTrailingNewline", "[a]\nk=v", "[a] k=v\n"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(IniDocumentTest, LinesAndFilesAreRecorded) {
  IniDocument doc;
  ASSERT_TRUE(doc.Read("[a]\n\nk=1\n", "/etc/one.conf"));
  ASSERT_TRUE(doc.Read("[a]\nj=2\n[b]\n", "/etc/two.conf"));
  const IniSection* a = doc.FindSection("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->where.file, "/etc/one.conf");
  EXPECT_EQ(a->where.line, 1);
  EXPECT_EQ(a->Find("k")->where.line, 3);
  EXPECT_EQ(a->Find("j")->where.file, "/etc/two.conf");
  EXPECT_EQ(a->Find("j")->where.line, 2);
}

TEST(IniDocumentTest, LaterFileOverridesKey) {
  IniDocument doc;
  ASSERT_TRUE(doc.Read("[a]\nk=1\n  more\n", "/one"));
  ASSERT_TRUE(doc.Read("[a]\nk=2\n", "/two"));
  EXPECT_EQ(doc.Get("a", "k")->value, "2");
}

TEST(IniDocumentTest, ExpandHereReplacesLiteralOnly) {
  IniDocument doc;
  ASSERT_TRUE(doc.Read("[DEFAULT]\nd=%(here)s/x\n[a]\nk=%(here)s/log %(here)10s\n", "/one"));
  doc.ExpandHere("/etc/sup");
  EXPECT_EQ(doc.Get("a", "k")->value, "/etc/sup/log %(here)10s");
  EXPECT_EQ(doc.Get("a", "d")->value, "/etc/sup/x");
  // [DEFAULT] itself keeps the placeholder, so a later file's sections see their own here.
  EXPECT_EQ(doc.Defaults().Find("d")->value, "%(here)s/x");
  ASSERT_TRUE(doc.Read("[b]\n", "/two"));
  doc.ExpandHere("/etc/sup/conf.d");
  EXPECT_EQ(doc.Get("b", "d")->value, "/etc/sup/conf.d/x");
  EXPECT_EQ(doc.Get("a", "d")->value, "/etc/sup/x");
}

struct ErrorCase {
  const char* name;
  const char* text;
  const char* expected;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { testing::PrintCaseText(c.name, os); }

class IniErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(IniErrorTest, GivesLocatedMessage) {
  IniDocument doc;
  Result<void> read = doc.Read(GetParam().text, "/etc/bad.conf");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().message, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Errors, IniErrorTest,
    ::testing::Values(
        ErrorCase{"KeyBeforeSection", "k=v\n[a]\n",
                  "/etc/bad.conf:1: 'k=v' comes before any [section] header; supervisord files "
                  "start with a header such as [program:name]"},
        ErrorCase{"EmptyBracketsAreNotAHeader", "[]\nk=1\n",
                  "/etc/bad.conf:1: '[]' comes before any [section] header; supervisord files "
                  "start with a header such as [program:name]"},
        ErrorCase{"EmptyKey", "[a]\n=v\n",
                  "/etc/bad.conf:2: cannot parse '=v': expected 'key = value', 'key: value', a "
                  "[section] header, a comment, or an indented continuation of the previous "
                  "value"},
        ErrorCase{"EveryBadLineIsReported", "[a]\nk\n[b]\n#c\n  x\n",
                  "/etc/bad.conf:2: cannot parse 'k': expected 'key = value', 'key: value', a "
                  "[section] header, a comment, or an indented continuation of the previous "
                  "value\n"
                  "/etc/bad.conf:5: cannot parse '  x': expected 'key = value', 'key: value', a "
                  "[section] header, a comment, or an indented continuation of the previous "
                  "value"},
        ErrorCase{"ContinuationAfterHeader", "[a]\nk=x\n[b]\n  y\n",
                  "/etc/bad.conf:4: cannot parse '  y': expected 'key = value', 'key: value', a "
                  "[section] header, a comment, or an indented continuation of the previous "
                  "value"},
        ErrorCase{"InvalidUtf8", "[a]\nk=\xff\n",
                  "/etc/bad.conf:2: the file is not valid UTF-8 text"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace
}  // namespace vigil::config
