#include "base/strings.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(StringsTest, SplitKeepsEmptyPieces) {
  EXPECT_EQ(Split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(Split("", ','), (std::vector<std::string>{""}));
  EXPECT_EQ(Split("a,", ','), (std::vector<std::string>{"a", ""}));
}

TEST(StringsTest, SplitWhitespaceDropsEmptyPieces) {
  EXPECT_EQ(SplitWhitespace("  a \t b\n"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(SplitWhitespace(" \t ").empty());
}

TEST(StringsTest, TrimAndCase) {
  EXPECT_EQ(TrimAscii(" \tx y\r\n"), "x y");
  EXPECT_EQ(AsciiLower("AbC-É"), "abc-É");
  EXPECT_EQ(AsciiUpper("term"), "TERM");
  EXPECT_EQ(Join({"a", "b", "c"}, ", "), "a, b, c");
}

TEST(StringsTest, PyReprMatchesPython) {
  EXPECT_EQ(PyRepr("abc"), "'abc'");
  EXPECT_EQ(PyRepr("it's"), "\"it's\"");
  EXPECT_EQ(PyRepr("a'b\"c"), "'a\\'b\"c'");
  EXPECT_EQ(PyRepr("a\nb\\"), "'a\\nb\\\\'");
  EXPECT_EQ(PyRepr(std::string("\x01", 1)), "'\\x01'");
}

}  // namespace
}  // namespace vigil
