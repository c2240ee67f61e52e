// Expected values are Python 3.11's str(), bool() and int() of the objects supervisord's
// unmarshallers make.

#include "protocol/py_values.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace vigil::protocol {
namespace {

TEST(PyStrTest, Scalars) {
  EXPECT_EQ(PyStr(XmlRpcValue(5)), "5");
  EXPECT_EQ(PyStr(XmlRpcValue(-12)), "-12");
  EXPECT_EQ(PyStr(XmlRpcValue(true)), "True");
  EXPECT_EQ(PyStr(XmlRpcValue(false)), "False");
  EXPECT_EQ(PyStr(XmlRpcValue(1.5)), "1.5");
  EXPECT_EQ(PyStr(XmlRpcValue(1e16)), "1e+16");
  EXPECT_EQ(PyStr(XmlRpcValue::Nil()), "None");
  EXPECT_EQ(PyStr(XmlRpcValue("it's")), "it's");
  EXPECT_EQ(PyStr(XmlRpcValue::Base64("abc")), "abc");
  EXPECT_EQ(PyStr(XmlRpcValue::DateTime("20240102T03:04:05")), "2024-01-02 03:04:05");
  EXPECT_EQ(PyStr(XmlRpcValue::DateTime("00050102T3:4:5")), "0005-01-02 03:04:05");
}

TEST(PyStrTest, ContainersHoldReprs) {
  EXPECT_EQ(PyStr(XmlRpcValue(XmlRpcArray{})), "[]");
  EXPECT_EQ(PyStr(XmlRpcValue(XmlRpcStruct{})), "{}");
  EXPECT_EQ(
      PyStr(XmlRpcValue(XmlRpcArray{1, "a", true, XmlRpcValue::Nil(), 1.5, XmlRpcStruct{{"k", "v"}},
                                    XmlRpcArray{}, XmlRpcStruct{}})),
      "[1, 'a', True, None, 1.5, {'k': 'v'}, [], {}]");
  EXPECT_EQ(PyStr(XmlRpcValue(XmlRpcArray{"it's", "a\nb"})), "[\"it's\", 'a\\nb']");
  EXPECT_EQ(PyStr(XmlRpcValue(XmlRpcArray{XmlRpcValue::DateTime("20240102T03:04:00"),
                                          XmlRpcValue::DateTime("20240102T03:04:05")})),
            "[datetime.datetime(2024, 1, 2, 3, 4), datetime.datetime(2024, 1, 2, 3, 4, 5)]");
}

TEST(PyTruthTest, AsPythonJudgesIt) {
  for (const XmlRpcValue& v :
       {XmlRpcValue(1), XmlRpcValue(-1), XmlRpcValue(true), XmlRpcValue("yes"),
        XmlRpcValue("false"), XmlRpcValue("0"), XmlRpcValue(0.5), XmlRpcValue(std::nan("")),
        XmlRpcValue::DateTime("20240102T03:04:05"), XmlRpcValue(XmlRpcArray{0}),
        XmlRpcValue(XmlRpcStruct{{"a", 0}}), XmlRpcValue::Base64("x")}) {
    EXPECT_TRUE(PyTruth(v)) << PyStr(v);
  }
  for (const XmlRpcValue& v :
       {XmlRpcValue(0), XmlRpcValue(false), XmlRpcValue(""), XmlRpcValue(0.0), XmlRpcValue(-0.0),
        XmlRpcValue::Nil(), XmlRpcValue(XmlRpcArray{}), XmlRpcValue(XmlRpcStruct{}),
        XmlRpcValue::Base64("")}) {
    EXPECT_FALSE(PyTruth(v)) << PyStr(v);
  }
}

TEST(PyIntTest, AsPythonConvertsIt) {
  EXPECT_EQ(PyInt(XmlRpcValue(7)), 7);
  EXPECT_EQ(PyInt(XmlRpcValue(true)), 1);
  EXPECT_EQ(PyInt(XmlRpcValue(false)), 0);
  EXPECT_EQ(PyInt(XmlRpcValue(3.0)), 3);
  EXPECT_EQ(PyInt(XmlRpcValue(3.9)), 3);
  EXPECT_EQ(PyInt(XmlRpcValue(-3.9)), -3);
  EXPECT_EQ(PyInt(XmlRpcValue(-9223372036854775808.0)), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(PyInt(XmlRpcValue(" +3 ")), 3);
  EXPECT_EQ(PyInt(XmlRpcValue("1_000")), 1000);
  EXPECT_EQ(PyInt(XmlRpcValue::Base64("12")), 12);
  for (const XmlRpcValue& v :
       {XmlRpcValue("abc"), XmlRpcValue("3.0"), XmlRpcValue(""), XmlRpcValue(std::nan("")),
        XmlRpcValue(INFINITY), XmlRpcValue(9223372036854775808.0), XmlRpcValue(1e300),
        XmlRpcValue::Nil(), XmlRpcValue::DateTime("20240102T03:04:05"), XmlRpcValue(XmlRpcArray{1}),
        XmlRpcValue(XmlRpcStruct{})}) {
    EXPECT_EQ(PyInt(v), std::nullopt) << PyStr(v);
  }
}

}  // namespace
}  // namespace vigil::protocol
