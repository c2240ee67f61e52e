#include "config/py_text.h"

#include <gtest/gtest.h>

#include "tests/fakes/print_case.h"

namespace vigil::config {
namespace {

TEST(PyTextTest, StripUsesUnicodeWhitespace) {
  EXPECT_EQ(PyStrip(" \t\x1c x y \u00a0\u2028"), "x y");
  EXPECT_EQ(PyStrip("\u3000"), "");
  EXPECT_EQ(PyRstrip("  a  "), "  a");
  EXPECT_EQ(FindNonSpace("\u2003 x"), 4u);  // U+2003 is three bytes, then a space
}

TEST(PyTextTest, CaseMappingsIntoAscii) {
  EXPECT_EQ(PyLower("TRUE"), "true");
  EXPECT_EQ(PyLower("10\u212aB"), "10kb");
  EXPECT_EQ(PyUpper("\u017figterm"), "SIGTERM");
  EXPECT_EQ(PyUpper("\ufb06op"), "STOP");
  EXPECT_EQ(PyUpper("é"), "é");  // left alone: it never matches an ASCII keyword either way
}

struct IntCase {
  const char* text;
  std::optional<int64_t> expected;
};

void PrintTo(const IntCase& c, std::ostream* os) { testing::PrintCaseText(c.text, os); }

class PyIntTest : public ::testing::TestWithParam<IntCase> {};

TEST_P(PyIntTest, MatchesPythonInt) { EXPECT_EQ(PyInt(GetParam().text), GetParam().expected); }

INSTANTIATE_TEST_SUITE_P(
    Cases, PyIntTest,
    ::testing::Values(IntCase{"10", 10}, IntCase{" 10 ", 10}, IntCase{"+7", 7}, IntCase{"-3", -3},
                      IntCase{"007", 7}, IntCase{"1_000", 1000},
                      IntCase{"\u0663", 3},         // ARABIC-INDIC DIGIT THREE
                      IntCase{"\uff11\uff10", 10},  // fullwidth digits
                      IntCase{"", std::nullopt}, IntCase{"_1", std::nullopt},
                      IntCase{"1_", std::nullopt}, IntCase{"1__0", std::nullopt},
                      IntCase{"1.5", std::nullopt}, IntCase{"0x10", std::nullopt},
                      IntCase{"- 1", std::nullopt}, IntCase{"10M", std::nullopt},
                      IntCase{"9223372036854775807", INT64_MAX},
                      IntCase{"-9223372036854775808", INT64_MIN},
                      IntCase{"9223372036854775808", std::nullopt}));

TEST(PyTextTest, Octal) {
  EXPECT_EQ(PyOctal("022"), 022);
  EXPECT_EQ(PyOctal("0o777"), 0777);
  EXPECT_EQ(PyOctal(" 7 "), 7);
  EXPECT_EQ(PyOctal("8"), std::nullopt);
  EXPECT_EQ(PyOctal(""), std::nullopt);
}

TEST(PyTextTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("plain é \u3000 \U0001F600"));
  EXPECT_TRUE(IsValidUtf8("\xef\xbf\xbd"));  // a real U+FFFD
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xc0\x80"));      // overlong
  EXPECT_EQ(CodePointCount("aé\u3000"), 3u);
}

}  // namespace
}  // namespace vigil::config
