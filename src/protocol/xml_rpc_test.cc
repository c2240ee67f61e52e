#include "protocol/xml_rpc.h"

#include <gtest/gtest.h>

#include <cmath>

#include "protocol/xml_rpc_test_printers.h"

// Requests as supervisorctl sends them come from Python 3.11's xmlrpc.client.dumps() (Debian's
// python3 3.11.2), pasted unchanged. Each accepted value below was checked against what
// supervisord 4.2.5's loads() (supervisor/xmlrpc.py) makes of the same bytes; the comments mark
// where vigil deliberately differs.

namespace vigil::protocol {
namespace {

// A request for method "m" with one parameter, <value>inner</value>, laid out as Python does.
std::string OneParam(std::string_view inner) {
  return "<?xml version='1.0'?>\n<methodCall>\n<methodName>m</methodName>\n<params>\n<param>\n"
         "<value>" +
         std::string(inner) + "</value>\n</param>\n</params>\n</methodCall>\n";
}

std::string ParseError(std::string_view body) {
  Result<XmlRpcCall> call = ParseXmlRpcCall(body);
  if (call) return "parsed";
  EXPECT_EQ(call.error().code, ErrorCode::kProtocol);
  return call.error().message;
}

TEST(XmlRpcParserTest, Values) {
  struct Case {
    std::string_view xml;  // inside <value>
    XmlRpcValue expected;
  };
  const Case cases[] = {
      {"<int>42</int>", 42},
      {"<i4>-7</i4>", -7},
      {"<int> +1_000 </int>", 1000},  // Python's int() strips and takes underscores
      {"<int>9223372036854775807</int>", INT64_MAX},
      {"<int>-9223372036854775808</int>", INT64_MIN},
      {"<i8>5000000000</i8>", int64_t{5000000000}},  // supervisord: the string '5000000000'
      {"<boolean>1</boolean>", true},
      {"<boolean>0</boolean>", false},
      // supervisord compares the text with "1": anything else, "true" too, is false.
      {"<boolean>true</boolean>", false},
      {"<boolean> 1 </boolean>", false},
      {"<boolean/>", false},
      {"<string>a &lt;b&gt; &amp; &#233;&#x1F600;</string>", "a <b> & é😀"},
      {"<string/>", ""},
      {"<string><![CDATA[<raw> & ]]></string>", "<raw> & "},
      {"<string>é😀\r\n</string>", "é😀\n"},  // XML turns CR LF into LF
      {"plain text", "plain text"},         // no type element: a string
      {"  spaced  ", "  spaced  "},
      {"", ""},
      {"\n  <int>1</int>\n", 1},
      {"<double>1.5</double>", 1.5},
      {"<double> -1_0.5e-1_0 </double>", -1.05e-09},
      {"<double>inf</double>", HUGE_VAL},
      {"<double>-Infinity</double>", -HUGE_VAL},
      {"<double>1e999</double>", HUGE_VAL},
      {"<double>-1e-999</double>", -0.0},
      {"<double>.5</double>", 0.5},
      {"<double>5.</double>", 5.0},
      {"<dateTime.iso8601>20240102T03:04:05</dateTime.iso8601>",
       XmlRpcValue::DateTime("20240102T03:04:05")},
      {"<dateTime.iso8601>2024012t3:4:5</dateTime.iso8601>",  // strptime takes short fields
       XmlRpcValue::DateTime("2024012t3:4:5")},
      {"<base64>aGVsbG8=</base64>", XmlRpcValue::Base64("hello")},
      {"<base64>\naGVs\nbG8=\n</base64>", XmlRpcValue::Base64("hello")},
      {"<base64>a*GVs bG8=junk</base64>", XmlRpcValue::Base64("hello")},  // lenient, as Python
      {"<base64/>", XmlRpcValue::Base64("")},
      {"<nil/>", XmlRpcValue()},  // supervisord passes None
      {"<array><data/></array>", XmlRpcArray{}},
      {"<struct/>", XmlRpcStruct{}},
      // A repeated name keeps its first place and its last value, as in a Python dict.
      {"<struct><member><name>a</name><value><int>1</int></value></member><member><name>b</name>"
       "<value>2</value></member><member><name>a</name><value><int>3</int></value></member>"
       "</struct>",
       XmlRpcStruct{{"a", 3}, {"b", "2"}}},
      {"<struct><member><name/><value>x</value></member></struct>", XmlRpcStruct{{"", "x"}}},
      {"<array><data><value><array><data><value>1</value></data></array></value><value><struct>"
       "<member><name>k</name><value><boolean>0</boolean></value></member></struct></value>"
       "</data></array>",
       XmlRpcArray{XmlRpcArray{"1"}, XmlRpcStruct{{"k", false}}}},
  };
  for (const Case& c : cases) {
    Result<XmlRpcCall> call = ParseXmlRpcCall(OneParam(c.xml));
    ASSERT_TRUE(call) << c.xml << ": " << call.error().message;
    ASSERT_EQ(call->params.size(), 1u) << c.xml;
    EXPECT_EQ(call->params[0], c.expected) << c.xml;
    if (const std::optional<double> d = call->params[0].AsDouble()) {
      EXPECT_EQ(std::signbit(*d), std::signbit(*c.expected.AsDouble())) << c.xml;
    }
  }
  Result<XmlRpcCall> nan = ParseXmlRpcCall(OneParam("<double>nan</double>"));
  EXPECT_TRUE(std::isnan(*nan->params[0].AsDouble()));
}

TEST(XmlRpcParserTest, RequestsAsSupervisorctlSendsThem) {
  // dumps((), 'supervisor.getVersion'): supervisorctl's upcheck.
  Result<XmlRpcCall> upcheck = ParseXmlRpcCall(
      "<?xml version='1.0'?>\n"
      "<methodCall>\n"
      "<methodName>supervisor.getVersion</methodName>\n"
      "<params>\n"
      "</params>\n"
      "</methodCall>\n");
  EXPECT_EQ(*upcheck, (XmlRpcCall{"supervisor.getVersion", {}}));

  // dumps(('web', -1600, 0), 'supervisor.readProcessStdoutLog')
  Result<XmlRpcCall> read = ParseXmlRpcCall(
      "<?xml version='1.0'?>\n"
      "<methodCall>\n"
      "<methodName>supervisor.readProcessStdoutLog</methodName>\n"
      "<params>\n"
      "<param>\n"
      "<value><string>web</string></value>\n"
      "</param>\n"
      "<param>\n"
      "<value><int>-1600</int></value>\n"
      "</param>\n"
      "<param>\n"
      "<value><int>0</int></value>\n"
      "</param>\n"
      "</params>\n"
      "</methodCall>\n");
  EXPECT_EQ(*read, (XmlRpcCall{"supervisor.readProcessStdoutLog", {"web", -1600, 0}}));

  // dumps(([{'methodName': 'supervisor.getProcessInfo', 'params': ['web']},
  //         {'methodName': 'supervisor.stopProcess', 'params': ['db', False]},
  //         {'methodName': 'supervisor.getState', 'params': []}],), 'system.multicall')
  Result<XmlRpcCall> multicall = ParseXmlRpcCall(
      "<?xml version='1.0'?>\n"
      "<methodCall>\n"
      "<methodName>system.multicall</methodName>\n"
      "<params>\n"
      "<param>\n"
      "<value><array><data>\n"
      "<value><struct>\n"
      "<member>\n"
      "<name>methodName</name>\n"
      "<value><string>supervisor.getProcessInfo</string></value>\n"
      "</member>\n"
      "<member>\n"
      "<name>params</name>\n"
      "<value><array><data>\n"
      "<value><string>web</string></value>\n"
      "</data></array></value>\n"
      "</member>\n"
      "</struct></value>\n"
      "<value><struct>\n"
      "<member>\n"
      "<name>methodName</name>\n"
      "<value><string>supervisor.stopProcess</string></value>\n"
      "</member>\n"
      "<member>\n"
      "<name>params</name>\n"
      "<value><array><data>\n"
      "<value><string>db</string></value>\n"
      "<value><boolean>0</boolean></value>\n"
      "</data></array></value>\n"
      "</member>\n"
      "</struct></value>\n"
      "<value><struct>\n"
      "<member>\n"
      "<name>methodName</name>\n"
      "<value><string>supervisor.getState</string></value>\n"
      "</member>\n"
      "<member>\n"
      "<name>params</name>\n"
      "<value><array><data>\n"
      "</data></array></value>\n"
      "</member>\n"
      "</struct></value>\n"
      "</data></array></value>\n"
      "</param>\n"
      "</params>\n"
      "</methodCall>\n");
  ASSERT_TRUE(multicall) << multicall.error().message;
  EXPECT_EQ(multicall->method, "system.multicall");
  ASSERT_EQ(multicall->params.size(), 1u);
  const XmlRpcArray& calls = *multicall->params[0].AsArray();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(*calls[1].Find("methodName")->AsString(), "supervisor.stopProcess");
  EXPECT_EQ(*calls[1].Find("params"), (XmlRpcArray{"db", false}));
  EXPECT_EQ(*calls[2].Find("params"), XmlRpcArray{});
  EXPECT_EQ(calls[2].Find("nosuch"), nullptr);
}

TEST(XmlRpcParserTest, LaxnessSupervisordShares) {
  struct Case {
    std::string_view body;
    XmlRpcCall expected;
  };
  const Case cases[] = {
      // No <params> at all, or an empty one.
      {"<methodCall><methodName>supervisor.getState</methodName></methodCall>",
       {"supervisor.getState", {}}},
      {"<methodCall><methodName>m</methodName><params/></methodCall>", {"m", {}}},
      // The body is UTF-8 whatever the declaration says; a BOM is fine.
      {"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><methodCall><methodName>é</methodName>"
       "</methodCall>",
       {"é", {}}},
      {"\xef\xbb\xbf<methodCall><methodName>m</methodName></methodCall>", {"m", {}}},
      // Comments, processing instructions and attributes are ignored; the name is not trimmed.
      {"<!-- c --><?pi x?><methodCall a=\"1\"><methodName b=\"2\"> a.b </methodName><!-- c -->"
       "</methodCall>\n\n",
       {" a.b ", {}}},
  };
  for (const Case& c : cases) {
    Result<XmlRpcCall> call = ParseXmlRpcCall(c.body);
    ASSERT_TRUE(call) << c.body << ": " << call.error().message;
    EXPECT_EQ(*call, c.expected) << c.body;
  }
}

TEST(XmlRpcParserTest, Errors) {
  struct Case {
    std::string body;
    std::string_view message;
  };
  const Case cases[] = {
      // Not XML-RPC, or not XML at all.
      {"", "the request body is empty"},
      {" \n", "line 2, column 1: no element found"},
      {"<methodCall><methodName>m</methodName>", "line 1, column 39: no element found"},
      {"<methodCall><methodName>m</methodName><params><param><value><int>1</int>",
       "line 1, column 73: no element found"},
      {"<methodCall><methodName>m</methodName></methodcall>", "line 1, column 41: mismatched tag"},
      {"<methodCall><methodName>\xff</methodName></methodCall>",
       "line 1, column 25: not well-formed (invalid token)"},
      {"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><methodCall><methodName>\xe9"
       "</methodName></methodCall>",
       "line 1, column 68: not well-formed (invalid token)"},
      {"<methodCall><methodName>a &foo; b</methodName></methodCall>",
       "line 1, column 27: undefined entity"},
      {"<methodCall><methodName>a</methodName></methodCall><x/>",
       "line 1, column 52: junk after document element"},
      {"<methodResponse><params/></methodResponse>",
       "line 1, column 1: the root element is <methodResponse>, expected <methodCall>"},
      // The <methodCall> frame.
      {"<methodCall/>", "line 1, column 1: <methodCall> has no <methodName>"},
      {"<methodCall><params/></methodCall>",
       "line 1, column 13: unexpected <params> inside <methodCall>, expected <methodName>"},
      {"<methodCall><methodName></methodName></methodCall>",
       "line 1, column 13: <methodName> is empty"},
      {"<methodCall><methodName>a</methodName><methodName>b</methodName></methodCall>",
       "line 1, column 39: unexpected <methodName> inside <methodCall>, expected <params> or "
       "the end"},
      {"<methodCall><methodName>a</methodName><params>x</params></methodCall>",
       "line 1, column 47: unexpected text 'x' inside <params>"},
      {"<methodCall><methodName>a</methodName><params><param/></params></methodCall>",
       "line 1, column 47: <param> has no <value>"},
      {"<methodCall><methodName>a</methodName><params><value>1</value></params></methodCall>",
       "line 1, column 47: unexpected <value> inside <params>, expected <param> or the end"},
      // Values: unknown types, misplaced elements, bad literals. OneParam's <value> starts at
      // line 6, column 1, and its content at column 8.
      {OneParam("<i16>1</i16>"), "line 6, column 8: unknown element <i16>"},
      {OneParam("<" + std::string(100, 'y') + "/>"),
       "line 6, column 8: unknown element <yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy...>"},
      {OneParam("<int>1</int><int>2</int>"),
       "line 6, column 20: unexpected <int> inside <value>, expected the end"},
      {OneParam("abc<int>1</int>"),
       "line 6, column 1: <value> holds text 'abc' beside its type element"},
      {OneParam("<string>a<int>1</int></string>"),
       "line 6, column 17: unexpected <int> inside <string>, expected text only"},
      {OneParam("<int>ten</int>"), "line 6, column 8: <int> value 'ten' is not a decimal integer"},
      {OneParam("<int></int>"), "line 6, column 8: <int> value '' is not a decimal integer"},
      {OneParam("<i4>1__0</i4>"), "line 6, column 8: <i4> value '1__0' is not a decimal integer"},
      {OneParam("<int>99999999999999999999</int>"),
       "line 6, column 8: <int> value '99999999999999999999' is out of the 64-bit range"},
      {OneParam("<double>1.2.3</double>"),
       "line 6, column 8: <double> value '1.2.3' is not a number"},
      {OneParam("<double>0x10</double>"),
       "line 6, column 8: <double> value '0x10' is not a number"},
      {OneParam("<dateTime.iso8601>2024-01-02T03:04:05</dateTime.iso8601>"),
       "line 6, column 8: <dateTime.iso8601> value '2024-01-02T03:04:05' is not a date and time "
       "such as 20240102T03:04:05"},
      {OneParam("<dateTime.iso8601>20230229T00:00:00</dateTime.iso8601>"),
       "line 6, column 8: <dateTime.iso8601> value '20230229T00:00:00' is not a date and time "
       "such as 20240102T03:04:05"},
      {OneParam("<base64>abcde</base64>"),
       "line 6, column 8: <base64> value 'abcde' is not base64 (Invalid base64-encoded string: "
       "number of data characters (5) cannot be 1 more than a multiple of 4)"},
      {OneParam("<base64>abc</base64>"),
       "line 6, column 8: <base64> value 'abc' is not base64 (Incorrect padding)"},
      {OneParam("<base64>/w==</base64>"),
       "line 6, column 8: <base64> value '/w==' does not decode to UTF-8 text"},
      {OneParam("<nil>x</nil>"), "line 6, column 8: <nil> value 'x' is not empty"},
      {OneParam("<array/>"), "line 6, column 8: <array> has no <data>"},
      {OneParam("<array><value>1</value></array>"),
       "line 6, column 15: unexpected <value> inside <array>, expected <data>"},
      {OneParam("<struct><member><name>a</name></member></struct>"),
       "line 6, column 16: <member> has no <value>"},
      {OneParam("<struct><member><value>1</value></member></struct>"),
       "line 6, column 24: unexpected <value> inside <member>, expected <name>"},
      {OneParam("<struct><name>a</name></struct>"),
       "line 6, column 16: unexpected <name> inside <struct>, expected <member> or the end"},
      {OneParam("<string>" + std::string(50, 'x') + "<b/></string>"),
       "line 6, column 66: unknown element <b>"},
      {OneParam("<int>" + std::string(50, 'x') + "</int>"),
       "line 6, column 8: <int> value 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... is not a "
       "decimal integer"},
  };
  for (const Case& c : cases) EXPECT_EQ(ParseError(c.body), c.message) << c.body;
}

TEST(XmlRpcParserTest, RefusesEveryDoctype) {
  // Billion laughs: ten levels of ten references would expand to 10^9 "lol"s.
  std::string laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    std::string refs;
    for (int k = 0; k < 10; ++k)
      refs += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    laughs += "<!ENTITY lol" + std::to_string(i) + " \"" + refs + "\">\n";
  }
  laughs += "]>\n<methodCall><methodName>&lol9;</methodName></methodCall>";
  // expat reports the DOCTYPE once it has read its name, hence the columns.
  EXPECT_EQ(ParseError(laughs), "line 2, column 16: a DOCTYPE is not allowed in XML-RPC");
  // An external entity (XXE) and a bare DOCTYPE.
  EXPECT_EQ(ParseError("<!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><methodCall>"
                       "<methodName>&x;</methodName></methodCall>"),
            "line 1, column 13: a DOCTYPE is not allowed in XML-RPC");
  EXPECT_EQ(ParseError("<!DOCTYPE methodCall><methodCall><methodName>m</methodName></methodCall>"),
            "line 1, column 21: a DOCTYPE is not allowed in XML-RPC");
}

TEST(XmlRpcParserTest, Limits) {
  // methodCall, params, param and value take four levels, each array three more (array, data,
  // value) and the <int> one: 19 nested arrays fit in 64 levels, 20 do not.
  const auto nested = [](int levels) {
    std::string inner = "<int>1</int>";
    for (int i = 0; i < levels; ++i)
      inner = "<array><data><value>" + inner + "</value></data></array>";
    return OneParam(inner);
  };
  EXPECT_TRUE(ParseXmlRpcCall(nested(19)));
  EXPECT_EQ(ParseError(nested(20)), "line 6, column 408: elements are nested more than 64 deep");

  const auto values = [](int n) {
    std::string items;
    for (int i = 1; i < n; ++i) items += "<value/>";
    return OneParam("<array><data>" + items + "</data></array>");
  };
  Result<XmlRpcCall> most = ParseXmlRpcCall(values(kXmlRpcMaxValues));
  ASSERT_TRUE(most);
  EXPECT_EQ(most->params[0].AsArray()->size(), size_t{kXmlRpcMaxValues - 1});
  EXPECT_EQ(ParseError(values(kXmlRpcMaxValues + 1)),
            "line 6, column 800013: the request holds more than 100000 values");

  // A large string crosses the 1 MiB feeding chunks intact.
  const std::string big(3 << 20, 'x');
  Result<XmlRpcCall> call = ParseXmlRpcCall(OneParam("<string>" + big + "</string>"));
  ASSERT_TRUE(call);
  EXPECT_EQ(*call->params[0].AsString(), big);
}

TEST(XmlRpcParserTest, RoundTripsThroughTheWriter) {
  const XmlRpcCall call = {
      "supervisor.sendProcessStdin",
      {"web", "é😀 <&> \"'\n", XmlRpcStruct{{"b", XmlRpcArray{}}, {"a", XmlRpcStruct{}}},
       XmlRpcArray{1, -2, true, 0.1, 1e300, XmlRpcValue::DateTime("20240102T03:04:05"),
                   XmlRpcValue::Base64("bytes")}}};
  Result<std::string> body = SerializeXmlRpcCall(call);
  ASSERT_TRUE(body);
  Result<XmlRpcCall> parsed = ParseXmlRpcCall(*body);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, call);
  EXPECT_EQ(*SerializeXmlRpcCall(*parsed), *body);
}

}  // namespace
}  // namespace vigil::protocol
