#include "config/supervisord_types.h"

#include <gtest/gtest.h>

#include "tests/fakes/print_case.h"

namespace vigil::config {
namespace {

// Rows of supervisord.md §1.4, each checked against supervisord 4.2.5's datatypes.py.

TEST(SupervisordTypesTest, Boolean) {
  for (const char* yes : {"yes", "TRUE", "On", "1"}) EXPECT_TRUE(*ParseBoolean(yes)) << yes;
  for (const char* no : {"no", "False", "OFF", "0"}) EXPECT_FALSE(*ParseBoolean(no)) << no;
  EXPECT_EQ(ParseBoolean("yup").error().message,
            "not a valid boolean value: 'yup' (expected true/false, yes/no, on/off or 1/0)");
  EXPECT_FALSE(ParseBoolean(" true"));  // no stripping: Python compares the lowered text
}

TEST(SupervisordTypesTest, ByteSize) {
  EXPECT_EQ(*ParseByteSize("10"), 10);
  EXPECT_EQ(*ParseByteSize("10KB"), 10240);
  EXPECT_EQ(*ParseByteSize("1gb"), 1073741824);
  EXPECT_EQ(*ParseByteSize("10 MB"), 10485760);
  EXPECT_EQ(*ParseByteSize("0"), 0);
  EXPECT_EQ(ParseByteSize("10M").error().message,
            "invalid literal for int() with base 10: '10m' (expected a number of bytes with an "
            "optional KB, MB or GB suffix, such as 50MB)");
  EXPECT_FALSE(ParseByteSize("1.5MB"));
  EXPECT_FALSE(ParseByteSize("MB"));
}

TEST(SupervisordTypesTest, Signal) {
  EXPECT_EQ(*ParseSignal("term"), 15);
  EXPECT_EQ(*ParseSignal("SIGTERM"), 15);
  EXPECT_EQ(*ParseSignal("USR1"), 10);
  EXPECT_EQ(*ParseSignal(" kill "), 9);
  EXPECT_EQ(*ParseSignal("9"), 9);
  EXPECT_EQ(*ParseSignal("0"), 0);
  EXPECT_EQ(*ParseSignal("34"), 34);
  EXPECT_EQ(*ParseSignal("_dfl"), 0);  // Python's signal.SIG_DFL
  EXPECT_EQ(ParseSignal("99").error().message,
            "value '99' is not a valid signal number (expected 0-31, 34 or 64, or a signal name)");
  EXPECT_FALSE(ParseSignal("35"));
  EXPECT_EQ(ParseSignal("FOO").error().message,
            "value 'FOO' is not a valid signal name (expected a name such as TERM, HUP, INT, "
            "QUIT, KILL, USR1 or USR2, or a signal number)");
  EXPECT_EQ(SignalName(15), "SIGTERM");
  EXPECT_EQ(SignalName(17), "SIGCHLD");
  EXPECT_EQ(SignalName(40), "signal 40");
}

TEST(SupervisordTypesTest, ExitCodes) {
  EXPECT_EQ(*ParseExitCodes(""), std::vector<int>{});
  EXPECT_EQ(*ParseExitCodes(" 0 , 1 "), (std::vector<int>{0, 1}));
  EXPECT_EQ(*ParseExitCodes("255"), std::vector<int>{255});
  EXPECT_EQ(ParseExitCodes("0,256").error().message,
            "not a valid list of exit codes: '0,256' (expected numbers from 0 to 255 separated "
            "by commas, such as 0,2)");
  EXPECT_FALSE(ParseExitCodes("-1"));
  EXPECT_FALSE(ParseExitCodes("0,"));
}

TEST(SupervisordTypesTest, AutoRestart) {
  EXPECT_EQ(*ParseAutoRestart("unexpected"), AutoRestart::kUnexpected);
  EXPECT_EQ(*ParseAutoRestart("TRUE"), AutoRestart::kAlways);
  EXPECT_EQ(*ParseAutoRestart("off"), AutoRestart::kNever);
  EXPECT_EQ(ParseAutoRestart("Maybe").error().message,
            "invalid 'autorestart' value 'maybe' (expected true, false or unexpected)");
}

TEST(SupervisordTypesTest, Octal) {
  EXPECT_EQ(*ParseOctal("022"), 022u);
  EXPECT_EQ(*ParseOctal("0700"), 0700u);
  EXPECT_EQ(*ParseOctal("777"), 0777u);
  EXPECT_EQ(ParseOctal("9").error().message,
            "9 can not be converted to an octal type (expected octal digits such as 022 or "
            "0700)");
}

TEST(SupervisordTypesTest, LogLevel) {
  EXPECT_EQ(*ParseLogLevel("INFO"), LogLevel::kInfo);
  EXPECT_EQ(*ParseLogLevel("blather"), LogLevel::kBlather);
  EXPECT_EQ(ParseLogLevel("warning").error().message,
            "bad logging level name 'warning' (expected critical, error, warn, info, debug, "
            "trace or blather)");
  EXPECT_EQ(LogLevelTag(LogLevel::kDebug), "DEBG");
}

TEST(SupervisordTypesTest, Names) {
  EXPECT_EQ(*ParseProcessOrGroupName("  web  "), "web");
  EXPECT_EQ(*ParseProcessOrGroupName("日本"), "日本");
  EXPECT_EQ(ParseProcessOrGroupName("a:b").error().message,
            "Invalid name: 'a:b' because of character: ':' (names may not contain spaces, ':' "
            "or '/')");
  EXPECT_FALSE(ParseProcessOrGroupName("a b"));
  EXPECT_FALSE(ParseProcessOrGroupName("a/b"));
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct EnvCase {
  const char* text;
  Pairs expected;
  bool mangled;
};

void PrintTo(const EnvCase& c, std::ostream* os) { testing::PrintCaseText(c.text, os); }

class KeyValuePairsTest : public ::testing::TestWithParam<EnvCase> {};

// Expectations from supervisord 4.2.5's dict_of_key_value_pairs().
TEST_P(KeyValuePairsTest, MatchesSupervisord) {
  Result<KeyValuePairs> kv = ParseKeyValuePairs(GetParam().text);
  ASSERT_TRUE(kv) << kv.error().message;
  EXPECT_EQ(kv->pairs, GetParam().expected);
  EXPECT_EQ(kv->mangled, GetParam().mangled);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, KeyValuePairsTest,
    ::testing::Values(
        EnvCase{"", {}, false}, EnvCase{"A=1,B=2", {{"A", "1"}, {"B", "2"}}, false},
        EnvCase{"A=\"x,y\",B='q'", {{"A", "x,y"}, {"B", "q"}}, false},
        EnvCase{"JAVA_HOME=\"/usr/local/java\"", {{"JAVA_HOME", "/usr/local/java"}}, false},
        EnvCase{"A=\"with space\"", {{"A", "with space"}}, false},
        EnvCase{"A=-1.5:(x)", {{"A", "-1.5:(x)"}}, false}, EnvCase{"A=1,", {{"A", "1"}}, false},
        EnvCase{"A=hello world", {{"A", "hello"}}, true}, EnvCase{"A=$HOME", {{"A", "$"}}, true},
        EnvCase{"A=1;B=2", {{"A", "1"}, {"B", "2"}}, true}, EnvCase{"A=b#c", {{"A", "b"}}, true},
        EnvCase{"A='x'y'", {{"A", "x"}}, true}, EnvCase{"A=x\"y z\"", {{"A", "x\"y"}}, true},
        EnvCase{"A=%", {{"A", "%"}}, false}, EnvCase{"\"A\"=1", {{"\"A\"", "1"}}, false}));

TEST(KeyValuePairsErrorTest, UnexpectedEnd) {
  for (const char* text :
       {"A=x=y", "A=a@b", "A=", "A", "A=1 B=2", "A=héllo", "A=1,,B=2", "A=1\nB=2"}) {
    Result<KeyValuePairs> kv = ParseKeyValuePairs(text);
    ASSERT_FALSE(kv) << text;
    EXPECT_EQ(kv.error().message,
              std::string("Unexpected end of key/value pairs in value '") + text +
                  "' (expected KEY=value pairs separated by commas; quote values that hold "
                  "commas or spaces: KEY=\"a, b\")");
  }
  EXPECT_EQ(ParseKeyValuePairs("A=\"open").error().message,
            "No closing quotation in 'A=\"open' (expected KEY=value pairs; a quote opened in a "
            "value must be closed)");
}

TEST(SupervisordTypesTest, InetAddress) {
  EXPECT_EQ(ParseInetAddress("9001")->port, 9001);
  EXPECT_EQ(ParseInetAddress(":9001")->host, "");
  EXPECT_EQ(ParseInetAddress("*:9001")->host, "");
  EXPECT_EQ(ParseInetAddress("LocalHost:9001")->host, "localhost");
  EXPECT_EQ(ParseInetAddress("[::1]:9001")->host, "[::1]");
  EXPECT_EQ(ParseInetAddress("127.0.0.1:").error().message,
            "no port number specified in '' (expected host:port, such as 127.0.0.1:9001)");
  EXPECT_EQ(ParseInetAddress("host:0").error().message, "0 is below lower bound (1)");
  EXPECT_EQ(ParseInetAddress("host:70000").error().message, "70000 is above upper bound (65535)");
  EXPECT_FALSE(ParseInetAddress("nope"));
}

TEST(SupervisordTypesTest, ListsAndUrls) {
  EXPECT_EQ(ParseListOfStrings(" a , b,c "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(ParseListOfStrings("").empty());
  EXPECT_TRUE(ParseUrl("unix:///run/supervisor.sock"));
  EXPECT_TRUE(ParseUrl("http://localhost:9001"));
  EXPECT_FALSE(ParseUrl("nothing"));
}

}  // namespace
}  // namespace vigil::config
