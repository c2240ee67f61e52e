#include "protocol/py_codecs.h"

#include <gtest/gtest.h>

#include <cmath>

// Every expectation is what Python 3.11 (Debian's python3 3.11.2) answers for the same input:
// int(), float(), datetime(*time.strptime(s, "%Y%m%dT%H:%M:%S")[:6]), base64.decodebytes(),
// base64.encodebytes(), repr(float) and bytes.decode("utf-8", "replace").

namespace vigil::protocol {
namespace {

TEST(PyCodecsTest, Int) {
  const std::pair<std::string_view, int64_t> good[] = {
      {" 5 ", 5},
      {"+5", 5},
      {"-0", 0},
      {"1_0", 10},
      {"010", 10},
      {"\t-42\n", -42},
      {"9223372036854775807", INT64_MAX},
      {"-9223372036854775808", INT64_MIN},
  };
  for (const auto& [text, value] : good) {
    Result<int64_t> n = ParsePyInt(text);
    ASSERT_TRUE(n) << text;
    EXPECT_EQ(*n, value) << text;
  }
  for (std::string_view bad : {"_1", "1__0", "1_", "", "+", "0x10", "5 5", "1.0", "- 1"}) {
    EXPECT_EQ(ParsePyInt(bad).error().message, "is not a decimal integer") << bad;
  }
  // Python has no limit; vigil stops at int64.
  EXPECT_EQ(ParsePyInt("9223372036854775808").error().message, "is out of the 64-bit range");
  EXPECT_EQ(ParsePyInt("-9223372036854775809").error().message, "is out of the 64-bit range");
}

TEST(PyCodecsTest, Float) {
  const std::pair<std::string_view, double> good[] = {
      {"1_000.000_1e1_0", 10000001000000.0},
      {"1e1_0", 1e10},
      {"infinity", HUGE_VAL},
      {"-iNF", -HUGE_VAL},
      {" 1 ", 1.0},
      {"1.e1", 10.0},
      {".5e-3_0", 5e-31},
      {"00.5", 0.5},
      {"-.5E+3", -500.0},
      {"1e-400", 0.0},
      {"-1e400", -HUGE_VAL},
      {"2.5e-324", 5e-324},
      {"1e308", 1e308},
      {"1e309", HUGE_VAL},
      {"0.000000000000000000000000001e-300", 0.0},
  };
  for (const auto& [text, value] : good) {
    std::optional<double> d = ParsePyFloat(text);
    ASSERT_TRUE(d) << text;
    EXPECT_EQ(*d, value) << text;
  }
  EXPECT_EQ(*ParsePyFloat(std::string(450, '9')), HUGE_VAL);
  EXPECT_EQ(*ParsePyFloat("0." + std::string(400, '0') + "1"), 0.0);
  EXPECT_TRUE(std::isnan(*ParsePyFloat("+nan")));
  for (std::string_view bad :
       {"1_.5", "1._5", "1e", "e5", ".", "1.5d", "nan(1)", "0x10", "in_f", "1e+_5", "", "-"}) {
    EXPECT_FALSE(ParsePyFloat(bad)) << bad;
  }
}

TEST(PyCodecsTest, DateTime) {
  for (std::string_view ok :
       {"20240102T03:04:05", "2024012t3:4:5", "20240229T23:59:59",
        "2024131T00:00:00",  // January 31: the regex backtracks
        "202411 1T00:00:00", "20240102T3:4:5", "2024111T1:1:1", "2024101T1:1:1"}) {
    EXPECT_TRUE(IsPyDateTime(ok)) << ok;
  }
  for (std::string_view bad :
       {"20230229T00:00:00", "20240101T00:00:60", "20240101T24:00:00", "00000101T00:00:00",
        "20241301T00:00:00", "20240102T03:04:05 ", "20240102T03:04:123", "2024-01-02T03:04:05",
        "20240102 03:04:05", "20240931T00:00:00", "20240102T03:04", ""}) {
    EXPECT_FALSE(IsPyDateTime(bad)) << bad;
  }
}

TEST(PyCodecsTest, Base64Decode) {
  const std::pair<std::string_view, std::string_view> good[] = {
      {"aGVsbG8=", "hello"},
      {"aGVsbA==", "hell"},
      {"aGVsbA===x", "hell"},  // decoding stops at complete padding
      {"a*GVs bG8=junk", "hello"},
      {"=abcd", "i\xb7\x1d"},
      {"a=bcd", "i\xb7\x1d"},
      {"ab=cd", "i\xb7\x1d"},
      {"ab==cd==", "i"},
      {"", ""},
      {"====", ""},
      {"YQ==YQ==", "a"},
      {"AP9oZWxsbw==", std::string_view("\x00\xffhello", 7)},
  };
  for (const auto& [text, bytes] : good) {
    Result<std::string> out = DecodePyBase64(text);
    ASSERT_TRUE(out) << text << ": " << out.error().message;
    EXPECT_EQ(*out, bytes) << text;
  }
  for (std::string_view bad : {"aGVsbG8", "aGVsbA", "aGVsbA=", "abc", "YQ", "YQ="}) {
    EXPECT_EQ(DecodePyBase64(bad).error().message, "Incorrect padding") << bad;
  }
  EXPECT_EQ(DecodePyBase64("abcde").error().message,
            "Invalid base64-encoded string: number of data characters (5) cannot be 1 more "
            "than a multiple of 4");
}

TEST(PyCodecsTest, Base64Encode) {
  EXPECT_EQ(EncodePyBase64(""), "");
  EXPECT_EQ(EncodePyBase64("a"), "YQ==\n");
  EXPECT_EQ(EncodePyBase64("ab"), "YWI=\n");
  EXPECT_EQ(EncodePyBase64("abc"), "YWJj\n");
  std::string bytes;
  for (int i = 0; i < 40; ++i) bytes += std::string("\x00\xff", 2);
  EXPECT_EQ(EncodePyBase64(bytes),
            "AP8A/wD/AP8A/wD/AP8A/wD/AP8A/wD/AP8A/wD/AP8A/wD/AP8A/wD/AP8A/wD/AP8A/wD/AP8A\n"
            "/wD/AP8A/wD/AP8A/wD/AP8A/wD/AP8=\n");
}

TEST(PyCodecsTest, FloatRepr) {
  const std::pair<double, std::string_view> cases[] = {
      {0.0, "0.0"},
      {-0.0, "-0.0"},
      {1.0, "1.0"},
      {0.1, "0.1"},
      {0.3, "0.3"},
      {0.3333333333333333, "0.3333333333333333"},
      {0.6666666666666666, "0.6666666666666666"},
      {1e+16, "1e+16"},
      {9999999999999998.0, "9999999999999998.0"},
      {1000000000000000.0, "1000000000000000.0"},
      {1.2345678901234568e+17, "1.2345678901234568e+17"},
      {0.0001, "0.0001"},
      {0.00012345, "0.00012345"},
      {1e-05, "1e-05"},
      {1.2345e-05, "1.2345e-05"},
      {5e-324, "5e-324"},
      {2.2250738585072014e-308, "2.2250738585072014e-308"},
      {1.7976931348623157e+308, "1.7976931348623157e+308"},
      {1e+100, "1e+100"},
      {-1.5e-300, "-1.5e-300"},
      {42.0, "42.0"},
      {1e+21, "1e+21"},
      {1e+22, "1e+22"},
      {1e+23, "1e+23"},
      {0.30000000000000004, "0.30000000000000004"},
      {100.5, "100.5"},
      {-123.0, "-123.0"},
      {HUGE_VAL, "inf"},
      {-HUGE_VAL, "-inf"},
  };
  for (const auto& [value, repr] : cases) EXPECT_EQ(PyFloatRepr(value), repr) << repr;
  EXPECT_EQ(PyFloatRepr(std::nan("")), "nan");
  EXPECT_EQ(PyFloatRepr(-std::nan("")), "nan");
}

TEST(PyCodecsTest, Utf8) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"\xe2\x82", "\xef\xbf\xbd"},
      {"\xf0\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},  // overlong
      {"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},  // a surrogate
      {"a\xff"
       "b",
       "a\xef\xbf\xbd"
       "b"},
      {"\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd"},
      {"\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},  // > U+10FFFF
      {"\xe2\x82\xac", "\xe2\x82\xac"},
      {"\xf0\x9f\x98", "\xef\xbf\xbd"},
  };
  for (const auto& [bytes, replaced] : cases) {
    EXPECT_EQ(ReplaceInvalidUtf8(bytes), replaced);
    EXPECT_EQ(IsValidUtf8(bytes), bytes == replaced);
  }
  EXPECT_TRUE(IsValidUtf8("plain é😀"));
  EXPECT_TRUE(IsValidUtf8(std::string_view("\0", 1)));
}

TEST(PyCodecsTest, XmlEscape) {
  std::string out;
  AppendXmlEscaped(out, "a<b>&c\"'");
  EXPECT_EQ(out, "a&lt;b&gt;&amp;c\"'");
}

}  // namespace
}  // namespace vigil::protocol
