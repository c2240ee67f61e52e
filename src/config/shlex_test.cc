#include "config/shlex.h"

#include <gtest/gtest.h>

#include "tests/fakes/print_case.h"

namespace vigil::config {
namespace {

using Words = std::vector<std::string>;

struct SplitCase {
  const char* text;
  Words expected;
};

void PrintTo(const SplitCase& c, std::ostream* os) { testing::PrintCaseText(c.text, os); }

class ShlexSplitTest : public ::testing::TestWithParam<SplitCase> {};

// Expectations from Python 3.11's shlex.split().
TEST_P(ShlexSplitTest, MatchesPython) {
  Result<Words> words = ShlexSplit(GetParam().text);
  ASSERT_TRUE(words) << words.error().message;
  EXPECT_EQ(*words, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ShlexSplitTest,
    ::testing::Values(SplitCase{"a b  c", {"a", "b", "c"}}, SplitCase{"\"a b\" c", {"a b", "c"}},
                      SplitCase{"'a b'c", {"a bc"}}, SplitCase{"a\\ b", {"a b"}},
                      SplitCase{"\"a\\\"b\"", {"a\"b"}}, SplitCase{"\"a\\nb\"", {"a\\nb"}},
                      SplitCase{"'a\\b'", {"a\\b"}}, SplitCase{"\"\"", {""}},
                      SplitCase{"a ''", {"a", ""}}, SplitCase{"a\"b c\"d", {"ab cd"}},
                      SplitCase{"/bin/sh -c \"echo $HOME; exit 3\"",
                                {"/bin/sh", "-c", "echo $HOME; exit 3"}},
                      SplitCase{"é ü", {"é", "ü"}}, SplitCase{"a\tb\nc", {"a", "b", "c"}},
                      SplitCase{"x #y", {"x", "#y"}}, SplitCase{"", {}}, SplitCase{"  ", {}}));

TEST(ShlexSplitTest, Errors) {
  EXPECT_EQ(ShlexSplit("\"a").error().message, "No closing quotation");
  EXPECT_EQ(ShlexSplit("'a").error().message, "No closing quotation");
  EXPECT_EQ(ShlexSplit("a\\").error().message, "No escaped character");
}

TEST(ShlexQuoteTest, RoundTrips) {
  for (const char* arg : {"plain", "", "a b", "it's", "$HOME", "x\"y"}) {
    Result<Words> words = ShlexSplit(ShlexQuote(arg));
    ASSERT_TRUE(words);
    EXPECT_EQ(*words, Words{arg});
  }
}

// Python's non-POSIX shlex skips the rest of the line after '#' and then keeps building the
// same word, so "HOME#tail\nD" is one token "HOMED".
TEST(ShlexLegacyTest, TokensLikePythonNonPosix) {
  Result<LegacyTokens> t = ShlexLegacyTokens("A=\"x,y\",B='q' C=$HOME#tail\nD");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->tokens, (Words{"A", "=", "\"x,y\"", ",", "B", "=", "'q'", "C", "=", "$", "HOMED"}));
  EXPECT_TRUE(t->dropped_comment);
  EXPECT_EQ(ShlexLegacyTokens("A=\"open").error().message, "No closing quotation");
}

}  // namespace
}  // namespace vigil::config
