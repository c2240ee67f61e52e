#include "config/py_format.h"

#include <gtest/gtest.h>

#include "tests/fakes/print_case.h"

namespace vigil::config {
namespace {

const Expansions kValues = {{"a", std::string("xy")}, {"n", int64_t{3}}, {"e", std::string("é")}};

struct FormatCase {
  const char* text;
  const char* expected;
};

void PrintTo(const FormatCase& c, std::ostream* os) { testing::PrintCaseText(c.text, os); }

class PyFormatTest : public ::testing::TestWithParam<FormatCase> {};

// Expectations from Python 3.11: text % {'a': 'xy', 'n': 3, 'e': 'é'}.
TEST_P(PyFormatTest, MatchesPython) {
  Result<std::string> out = PyPercentFormat(GetParam().text, kValues, "program:x.command");
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(*out, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PyFormatTest,
    ::testing::Values(
        FormatCase{"plain", "plain"}, FormatCase{"%%", "%"}, FormatCase{"100%% %(a)s", "100% xy"},
        FormatCase{"%(n)05d", "00003"}, FormatCase{"%(n)-5d|", "3    |"},
        FormatCase{"%(a)5s|", "   xy|"}, FormatCase{"%(a).1s", "x"}, FormatCase{"%(n)#x", "0x3"},
        FormatCase{"%(n)#o", "0o3"}, FormatCase{"%(n)+d", "+3"}, FormatCase{"%(n).2f", "3.00"},
        FormatCase{"%(n)e", "3.000000e+00"}, FormatCase{"%(n)g", "3"}, FormatCase{"%(n)r", "3"},
        FormatCase{"%(a)r", "'xy'"}, FormatCase{"%(n)ld", "3"}, FormatCase{"%(n)5.3d", "  003"},
        FormatCase{"%(n) d", " 3"}, FormatCase{"%(a)-5r|", "'xy' |"}, FormatCase{"%(n)i", "3"},
        FormatCase{"%(n)00010d", "0000000003"}, FormatCase{"%(n)0-5d|", "3    |"},
        FormatCase{"%(n)#.0f", "3."}, FormatCase{"%(n)#g", "3.00000"}, FormatCase{"%(n)s", "3"},
        FormatCase{"%(e)3s", "  é"}, FormatCase{"%(n)c", "\x03"}));

struct FormatErrorCase {
  const char* text;
  const char* expected;
};

void PrintTo(const FormatErrorCase& c, std::ostream* os) { testing::PrintCaseText(c.text, os); }

class PyFormatErrorTest : public ::testing::TestWithParam<FormatErrorCase> {};

TEST_P(PyFormatErrorTest, MatchesSupervisordMessage) {
  Result<std::string> out = PyPercentFormat(GetParam().text, kValues, "program:x.command");
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().message, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PyFormatErrorTest,
    ::testing::Values(
        FormatErrorCase{"x %(foo)s",
                        "Format string 'x %(foo)s' for 'program:x.command' contains names "
                        "('foo') which cannot be expanded. Available names: a, e, n"},
        FormatErrorCase{"%",
                        "Format string '%' for 'program:x.command' is badly formatted: "
                        "incomplete format"},
        FormatErrorCase{"%(a",
                        "Format string '%(a' for 'program:x.command' is badly "
                        "formatted: incomplete format key"},
        FormatErrorCase{"%(a)q",
                        "Format string '%(a)q' for 'program:x.command' is badly "
                        "formatted: unsupported format character 'q' (0x71) at index "
                        "4"},
        FormatErrorCase{"%(a)%",
                        "Format string '%(a)%' for 'program:x.command' is badly "
                        "formatted: unsupported format character '%' (0x25) at index "
                        "4"},
        FormatErrorCase{"%(a)d",
                        "Format string '%(a)d' for 'program:x.command' is badly "
                        "formatted: %d format: a real number is required, not str"},
        FormatErrorCase{"%(a)x",
                        "Format string '%(a)x' for 'program:x.command' is badly "
                        "formatted: %x format: an integer is required, not str"},
        FormatErrorCase{"%(a)c",
                        "Format string '%(a)c' for 'program:x.command' is badly "
                        "formatted: %c requires int or char"},
        FormatErrorCase{"date +%s",
                        "Format string 'date +%s' for 'program:x.command' is badly formatted: a "
                        "conversion without a name; write %%s for a literal percent sign, or "
                        "name an expansion such as %(program_name)s"}));

TEST(PyFormatLimitTest, RefusesHugeExpansions) {
  std::string text;
  for (int i = 0; i < 10; ++i) text += "%(n)999999d";
  Result<std::string> out = PyPercentFormat(text, kValues, "program:x.command");
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().message,
            "Format string for 'program:x.command' expands to more than 4194304 bytes; vigil "
            "refuses values that large");
}

}  // namespace
}  // namespace vigil::config
