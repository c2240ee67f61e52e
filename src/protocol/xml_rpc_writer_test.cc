#include <gtest/gtest.h>

#include <cmath>

#include "protocol/xml_rpc.h"
#include "protocol/xml_rpc_test_printers.h"

// Every golden body below is what Python 3.11's xmlrpc.client.dumps() (Debian's python3 3.11.2,
// the one supervisor 4.2.5 runs on here) wrote for the Python value in the comment or row,
// pasted unchanged. supervisord sends exactly that (xmlrpc_marshal() in supervisor/xmlrpc.py).

namespace vigil::protocol {
namespace {

constexpr std::string_view kResponseHead =
    "<?xml version='1.0'?>\n"
    "<methodResponse>\n"
    "<params>\n"
    "<param>\n";
constexpr std::string_view kResponseTail =
    "</param>\n"
    "</params>\n"
    "</methodResponse>\n";

std::string Serialized(const XmlRpcValue& v) {
  Result<std::string> body = SerializeXmlRpcResponse(v);
  return body ? *body : "error: " + body.error().message;
}

// ---------------------------------------------------------------------------------------------
// Writing: dumps((value,), methodresponse=True).

TEST(XmlRpcWriterTest, ScalarsAsPythonWritesThem) {
  struct Case {
    XmlRpcValue value;
    std::string_view xml;  // between <param>\n and </param>
  };
  const Case cases[] = {
      {0, "<value><int>0</int></value>\n"},
      {42, "<value><int>42</int></value>\n"},
      {int64_t{-2147483648}, "<value><int>-2147483648</int></value>\n"},
      {2147483647, "<value><int>2147483647</int></value>\n"},
      {true, "<value><boolean>1</boolean></value>\n"},
      {false, "<value><boolean>0</boolean></value>\n"},
      {"hello", "<value><string>hello</string></value>\n"},
      {"", "<value><string></string></value>\n"},
      {0.1, "<value><double>0.1</double></value>\n"},
      {1e16, "<value><double>1e+16</double></value>\n"},
      {1234567890123456.0, "<value><double>1234567890123456.0</double></value>\n"},
      {-0.0, "<value><double>-0.0</double></value>\n"},
      {1.5e-7, "<value><double>1.5e-07</double></value>\n"},
      {0.0001, "<value><double>0.0001</double></value>\n"},
      {1e-5, "<value><double>1e-05</double></value>\n"},
      {3.141592653589793, "<value><double>3.141592653589793</double></value>\n"},
      {5e-324, "<value><double>5e-324</double></value>\n"},
      {1.7976931348623157e308, "<value><double>1.7976931348623157e+308</double></value>\n"},
      {HUGE_VAL, "<value><double>inf</double></value>\n"},
      {-HUGE_VAL, "<value><double>-inf</double></value>\n"},
      {std::nan(""), "<value><double>nan</double></value>\n"},
      {100.0, "<value><double>100.0</double></value>\n"},
      {1e22, "<value><double>1e+22</double></value>\n"},
      {123.456, "<value><double>123.456</double></value>\n"},
      {XmlRpcValue::DateTime("20240102T03:04:05"),
       "<value><dateTime.iso8601>20240102T03:04:05</dateTime.iso8601></value>\n"},
      {XmlRpcValue::Base64(""), "<value><base64>\n</base64></value>\n"},
      {XmlRpcValue::Base64(std::string("\x00\xffhello", 7)),
       "<value><base64>\nAP9oZWxsbw==\n</base64></value>\n"},
      {XmlRpcValue::Base64("012345678901234567890123456789012345678901234567890123456789"),
       "<value><base64>\n"
       "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2\n"
       "Nzg5\n"
       "</base64></value>\n"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Serialized(c.value),
              std::string(kResponseHead) + std::string(c.xml) + std::string(kResponseTail))
        << c.xml;
  }
}

TEST(XmlRpcWriterTest, ProcessInfoStructKeepsMemberOrder) {
  // getProcessInfo's 14 keys, in the order rpcinterface.py builds its dict.
  const XmlRpcValue info = XmlRpcStruct{
      {"name", "web"},
      {"group", "web"},
      {"start", 1700000000},
      {"stop", 0},
      {"now", 1700000005},
      {"state", 20},
      {"statename", "RUNNING"},
      {"spawnerr", ""},
      {"exitstatus", 0},
      {"logfile", "/var/log/web.log"},
      {"stdout_logfile", "/var/log/web.log"},
      {"stderr_logfile", ""},
      {"pid", 4242},
      {"description", "pid 4242, uptime 0:00:05"},
  };
  EXPECT_EQ(Serialized(info),
            "<?xml version='1.0'?>\n"
            "<methodResponse>\n"
            "<params>\n"
            "<param>\n"
            "<value><struct>\n"
            "<member>\n"
            "<name>name</name>\n"
            "<value><string>web</string></value>\n"
            "</member>\n"
            "<member>\n"
            "<name>group</name>\n"
            "<value><string>web</string></value>\n"
            "</member>\n"
            "<member>\n"
            "<name>start</name>\n"
            "<value><int>1700000000</int></value>\n"
            "</member>\n"
            "<member>\n"
            "<name>stop</name>\n"
            "<value><int>0</int></value>\n"
            "</member>\n"
            "<member>\n"
            "<name>now</name>\n"
            "<value><int>1700000005</int></value>\n"
            "</member>\n"
            "<member>\n"
            "<name>state</name>\n"
            "<value><int>20</int></value>\n"
            "</member>\n"
            "<member>\n"
            "<name>statename</name>\n"
            "<value><string>RUNNING</string></value>\n"
            "</member>\n"
            "<member>\n"
            "<name>spawnerr</name>\n"
            "<value><string></string></value>\n"
            "</member>\n"
            "<member>\n"
            "<name>exitstatus</name>\n"
            "<value><int>0</int></value>\n"
            "</member>\n"
            "<member>\n"
            "<name>logfile</name>\n"
            "<value><string>/var/log/web.log</string></value>\n"
            "</member>\n"
            "<member>\n"
            "<name>stdout_logfile</name>\n"
            "<value><string>/var/log/web.log</string></value>\n"
            "</member>\n"
            "<member>\n"
            "<name>stderr_logfile</name>\n"
            "<value><string></string></value>\n"
            "</member>\n"
            "<member>\n"
            "<name>pid</name>\n"
            "<value><int>4242</int></value>\n"
            "</member>\n"
            "<member>\n"
            "<name>description</name>\n"
            "<value><string>pid 4242, uptime 0:00:05</string></value>\n"
            "</member>\n"
            "</struct></value>\n"
            "</param>\n"
            "</params>\n"
            "</methodResponse>\n");
}

TEST(XmlRpcWriterTest, NestedAndEmptyContainers) {
  // dumps(([[], {}, '', [1, [True, False]], {'a': {'b': []}}],), methodresponse=True)
  const XmlRpcValue v =
      XmlRpcArray{XmlRpcArray{}, XmlRpcStruct{}, "", XmlRpcArray{1, XmlRpcArray{true, false}},
                  XmlRpcStruct{{"a", XmlRpcStruct{{"b", XmlRpcArray{}}}}}};
  EXPECT_EQ(Serialized(v),
            "<?xml version='1.0'?>\n"
            "<methodResponse>\n"
            "<params>\n"
            "<param>\n"
            "<value><array><data>\n"
            "<value><array><data>\n"
            "</data></array></value>\n"
            "<value><struct>\n"
            "</struct></value>\n"
            "<value><string></string></value>\n"
            "<value><array><data>\n"
            "<value><int>1</int></value>\n"
            "<value><array><data>\n"
            "<value><boolean>1</boolean></value>\n"
            "<value><boolean>0</boolean></value>\n"
            "</data></array></value>\n"
            "</data></array></value>\n"
            "<value><struct>\n"
            "<member>\n"
            "<name>a</name>\n"
            "<value><struct>\n"
            "<member>\n"
            "<name>b</name>\n"
            "<value><array><data>\n"
            "</data></array></value>\n"
            "</member>\n"
            "</struct></value>\n"
            "</member>\n"
            "</struct></value>\n"
            "</data></array></value>\n"
            "</param>\n"
            "</params>\n"
            "</methodResponse>\n");
}

TEST(XmlRpcWriterTest, TailResultAndReloadConfigResult) {
  // tailProcessStdoutLog's ['ed\n', 8, True] and reloadConfig's [[['new'], ['changed'], []]].
  EXPECT_EQ(Serialized(XmlRpcArray{"ed\n", 8, true}), std::string(kResponseHead) +
                                                          "<value><array><data>\n"
                                                          "<value><string>ed\n"
                                                          "</string></value>\n"
                                                          "<value><int>8</int></value>\n"
                                                          "<value><boolean>1</boolean></value>\n"
                                                          "</data></array></value>\n" +
                                                          std::string(kResponseTail));
  EXPECT_EQ(Serialized(XmlRpcArray{XmlRpcValue(
                XmlRpcArray{XmlRpcArray{"new"}, XmlRpcArray{"changed"}, XmlRpcArray{}})}),
            std::string(kResponseHead) +
                "<value><array><data>\n"
                "<value><array><data>\n"
                "<value><array><data>\n"
                "<value><string>new</string></value>\n"
                "</data></array></value>\n"
                "<value><array><data>\n"
                "<value><string>changed</string></value>\n"
                "</data></array></value>\n"
                "<value><array><data>\n"
                "</data></array></value>\n"
                "</data></array></value>\n"
                "</data></array></value>\n" +
                std::string(kResponseTail));
}

TEST(XmlRpcWriterTest, EscapesLikePython) {
  // dumps(({'<&>': 'a<b>&c"\' é😀\r\n\t'},), methodresponse=True): only & < > are escaped;
  // quotes, control characters and UTF-8 go out as they are.
  EXPECT_EQ(Serialized(XmlRpcStruct{{"<&>", "a<b>&c\"' é😀\r\n\t"}}),
            std::string(kResponseHead) +
                "<value><struct>\n"
                "<member>\n"
                "<name>&lt;&amp;&gt;</name>\n"
                "<value><string>a&lt;b&gt;&amp;c\"' é😀\r\n\t</string></value>\n"
                "</member>\n"
                "</struct></value>\n" +
                std::string(kResponseTail));
}

TEST(XmlRpcWriterTest, Fault) {
  // dumps(Fault(10, 'BAD_NAME: <foo> & bar'))
  EXPECT_EQ(SerializeXmlRpcFault(10, "BAD_NAME: <foo> & bar"),
            "<?xml version='1.0'?>\n"
            "<methodResponse>\n"
            "<fault>\n"
            "<value><struct>\n"
            "<member>\n"
            "<name>faultCode</name>\n"
            "<value><int>10</int></value>\n"
            "</member>\n"
            "<member>\n"
            "<name>faultString</name>\n"
            "<value><string>BAD_NAME: &lt;foo&gt; &amp; bar</string></value>\n"
            "</member>\n"
            "</struct></value>\n"
            "</fault>\n"
            "</methodResponse>\n");
  // Invalid UTF-8 becomes U+FFFD, as bytes.decode('utf-8', 'replace') would make it.
  EXPECT_NE(SerializeXmlRpcFault(10, "BAD_NAME: \xff").find("BAD_NAME: \xef\xbf\xbd</string>"),
            std::string::npos);
}

TEST(XmlRpcWriterTest, Calls) {
  // dumps((), 'supervisor.getVersion'): supervisorctl's upcheck.
  EXPECT_EQ(*SerializeXmlRpcCall({"supervisor.getVersion", {}}),
            "<?xml version='1.0'?>\n"
            "<methodCall>\n"
            "<methodName>supervisor.getVersion</methodName>\n"
            "<params>\n"
            "</params>\n"
            "</methodCall>\n");
  // dumps(('web', True), 'supervisor.startProcess')
  EXPECT_EQ(*SerializeXmlRpcCall({"supervisor.startProcess", {"web", true}}),
            "<?xml version='1.0'?>\n"
            "<methodCall>\n"
            "<methodName>supervisor.startProcess</methodName>\n"
            "<params>\n"
            "<param>\n"
            "<value><string>web</string></value>\n"
            "</param>\n"
            "<param>\n"
            "<value><boolean>1</boolean></value>\n"
            "</param>\n"
            "</params>\n"
            "</methodCall>\n");
}

// dumps(([{'methodName': 'supervisor.getProcessInfo', 'params': ['web']},
//         {'methodName': 'supervisor.readLog', 'params': [-1600, 0]}],), 'system.multicall')
constexpr std::string_view kMulticall =
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
    "<value><string>supervisor.readLog</string></value>\n"
    "</member>\n"
    "<member>\n"
    "<name>params</name>\n"
    "<value><array><data>\n"
    "<value><int>-1600</int></value>\n"
    "<value><int>0</int></value>\n"
    "</data></array></value>\n"
    "</member>\n"
    "</struct></value>\n"
    "</data></array></value>\n"
    "</param>\n"
    "</params>\n"
    "</methodCall>\n";

const XmlRpcCall& MulticallCall() {
  static const XmlRpcCall call = {
      "system.multicall",
      {XmlRpcValue(XmlRpcArray{
          XmlRpcStruct{{"methodName", "supervisor.getProcessInfo"}, {"params", XmlRpcArray{"web"}}},
          XmlRpcStruct{{"methodName", "supervisor.readLog"}, {"params", XmlRpcArray{-1600, 0}}},
      })}};
  return call;
}

TEST(XmlRpcWriterTest, MulticallRequest) {
  EXPECT_EQ(*SerializeXmlRpcCall(MulticallCall()), kMulticall);
}

TEST(XmlRpcWriterTest, RefusesWhatPythonRefuses) {
  const XmlRpcValue too_big =
      XmlRpcArray{XmlRpcStruct{{"name", "web"}, {"start", int64_t{4294967296}}}};
  EXPECT_EQ(SerializeXmlRpcResponse(too_big).error().message,
            "cannot serialize value[0]['start']: 4294967296 does not fit XML-RPC's 32-bit <int> "
            "(Python raises OverflowError; cap it as capped_int() does)");
  EXPECT_EQ(SerializeXmlRpcResponse(too_big).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(SerializeXmlRpcResponse(int64_t{-2147483649}).error().message,
            "cannot serialize value: -2147483649 does not fit XML-RPC's 32-bit <int> (Python "
            "raises OverflowError; cap it as capped_int() does)");
  EXPECT_EQ(SerializeXmlRpcResponse(XmlRpcArray{1, XmlRpcValue()}).error().message,
            "cannot serialize value[1]: nil cannot be sent (Python refuses None without "
            "allow_none)");
  EXPECT_EQ(SerializeXmlRpcResponse(XmlRpcArray{"ok", "log \xff\xfe"}).error().message,
            "cannot serialize value[1]: the string is not UTF-8");
  EXPECT_EQ(SerializeXmlRpcResponse(XmlRpcStruct{{"\xc0\xaf", 1}}).error().message,
            "cannot serialize value: a member name is not UTF-8");
  EXPECT_EQ(SerializeXmlRpcCall({"m", {1, XmlRpcArray{int64_t{1} << 40}}}).error().message,
            "cannot serialize params[1][0]: 1099511627776 does not fit XML-RPC's 32-bit <int> "
            "(Python raises OverflowError; cap it as capped_int() does)");
  EXPECT_EQ(SerializeXmlRpcCall({"", {}}).error().message,
            "cannot serialize a call without a method name");
}

TEST(XmlRpcWriterTest, IntRangeHelpers) {
  EXPECT_TRUE(FitsXmlRpcInt(2147483647));
  EXPECT_FALSE(FitsXmlRpcInt(2147483648));
  EXPECT_TRUE(FitsXmlRpcInt(-2147483648));
  EXPECT_FALSE(FitsXmlRpcInt(-2147483649));
  EXPECT_EQ(CappedXmlRpcInt(int64_t{1} << 40), 2147483647);
  EXPECT_EQ(CappedXmlRpcInt(-(int64_t{1} << 40)), -2147483648);
  EXPECT_EQ(CappedXmlRpcInt(17), 17);
}

}  // namespace
}  // namespace vigil::protocol
