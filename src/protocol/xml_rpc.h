#pragma once

// XML-RPC as supervisord speaks it. ParseXmlRpcCall() accepts the requests that supervisord
// 4.2.5's loads() (supervisor/xmlrpc.py) accepts from a conforming client, and the Serialize*
// functions produce byte for byte what Python 3.11's xmlrpc.client.dumps() produces: that is
// what supervisord answers and what supervisorctl sends. expat stays inside the .cc files.
//
// supervisord parses with ElementTree and silently ignores what it does not recognise (an
// unknown element, text beside a typed value, a root other than <methodCall>). vigil refuses
// those with an error instead, and is stricter in a few more places, each a request that
// supervisord would misread rather than reject:
//   - any DOCTYPE is refused (no DTD, no entities, so no billion laughs or external entities);
//   - nesting is capped at kXmlRpcMaxDepth elements and a request at kXmlRpcMaxValues values;
//   - integers must fit int64_t (Python's int() has no limit);
//   - int() and float() literals may use ASCII digits and whitespace only (Python also takes
//     other Unicode digits and spaces), and dateTime.iso8601 the same ASCII digits.
// A <boolean> is read as supervisord reads it: "1" is true and anything else, even "true", is
// false (clients that send "true" get supervisord's answer, not a refusal).
// One extension: <i8> is read as an integer, as Python's own xmlrpc.client reads it
// (supervisord hands the method its text as a string, which no method can use as a number).

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"

namespace vigil::protocol {

class XmlRpcValue;
struct XmlRpcMember;
// Beware a lone array inside braces: XmlRpcArray{inner} nests `inner` with GCC, as the standard
// says, but clang 14 copies it instead. Write XmlRpcArray{XmlRpcValue(inner)}; the same goes
// for XmlRpcCall::params.
using XmlRpcArray = std::vector<XmlRpcValue>;
// A struct keeps its members in order, because the order is visible in the serialized bytes.
// Member names are unique in a parsed struct (a repeated name keeps its first position and its
// last value, as a Python dict does); Serialize* writes whatever it is given.
using XmlRpcStruct = std::vector<XmlRpcMember>;

// Limits on a parsed request. Each <value> counts once; depth counts XML elements, so an array
// nested in an array costs three (<value><array><data>).
inline constexpr int kXmlRpcMaxDepth = 64;
inline constexpr int kXmlRpcMaxValues = 100000;

// XML-RPC's <int> is a signed 32-bit integer. Python refuses to serialize anything wider
// (OverflowError, which supervisord turns into HTTP 500), and so do the Serialize* functions
// below. Callers that report counters or timestamps cap them first, as supervisord's
// capped_int() does.
inline constexpr int64_t kXmlRpcMinInt = -2147483648LL;
inline constexpr int64_t kXmlRpcMaxInt = 2147483647LL;
bool FitsXmlRpcInt(int64_t value);
int64_t CappedXmlRpcInt(int64_t value);

// The C++ integer types that always fit int64_t (bool is not one of them).
template <typename T>
concept XmlRpcInteger = std::integral<T> && !std::same_as<T, bool> &&
                        (std::signed_integral<T> || sizeof(T) < sizeof(int64_t));

// One XML-RPC value. Strings are UTF-8. A default-constructed value is nil: the parser produces
// it for <nil/> (supervisord passes None to the method), but it cannot be serialized, as Python
// refuses None without allow_none.
class XmlRpcValue {
 public:
  // In the order of the alternatives of data_.
  enum class Kind {
    kNil,
    kInteger,   // written as <int>; read from <int>, <i4> or <i8>
    kBoolean,   // <boolean>1</boolean> or 0
    kString,    // <string>, or a <value> with text and no type element
    kDouble,    // written as Python's repr(): 0.1, 1e+16, inf, nan
    kDateTime,  // <dateTime.iso8601>, kept as its text, e.g. 20240102T03:04:05
    kBase64,    // the decoded bytes; supervisord hands them to methods as a str, so a parsed
                // one is UTF-8 (as supervisord requires); see AsText()
    kArray,
    kStruct,
  };

  XmlRpcValue() = default;
  // Implicit, so that replies read naturally: XmlRpcStruct{{"name", "web"}, {"pid", 42}}.
  // Defined below XmlRpcMember, which must be complete first.
  template <XmlRpcInteger T>
  XmlRpcValue(T value);                 // NOLINT(google-explicit-constructor)
  XmlRpcValue(bool value);              // NOLINT(google-explicit-constructor)
  XmlRpcValue(double value);            // NOLINT(google-explicit-constructor)
  XmlRpcValue(const char* value);       // NOLINT(google-explicit-constructor)
  XmlRpcValue(std::string value);       // NOLINT(google-explicit-constructor)
  XmlRpcValue(std::string_view value);  // NOLINT(google-explicit-constructor)
  XmlRpcValue(XmlRpcArray value);       // NOLINT(google-explicit-constructor)
  XmlRpcValue(XmlRpcStruct value);      // NOLINT(google-explicit-constructor)

  static XmlRpcValue Nil();
  // `iso8601` is written as it is, so it should look like 20240102T03:04:05.
  static XmlRpcValue DateTime(std::string iso8601);
  static XmlRpcValue Base64(std::string bytes);

  Kind kind() const { return static_cast<Kind>(data_.index()); }
  bool IsNil() const { return kind() == Kind::kNil; }

  // Each accessor answers only for its own kind: AsInt() of a string or a boolean is nullopt.
  std::optional<int64_t> AsInt() const;
  std::optional<bool> AsBool() const;
  std::optional<double> AsDouble() const;
  const std::string* AsString() const;
  const std::string* AsDateTime() const;
  const std::string* AsBase64() const;
  // A string or the bytes of a base64 value: what a supervisord method receives as a str.
  const std::string* AsText() const;
  const XmlRpcArray* AsArray() const;
  XmlRpcArray* AsArray();
  const XmlRpcStruct* AsStruct() const;
  XmlRpcStruct* AsStruct();
  // The first member called `name` of a struct; nullptr if there is none or this is no struct.
  const XmlRpcValue* Find(std::string_view name) const;

  friend bool operator==(const XmlRpcValue& a, const XmlRpcValue& b);

 private:
  struct DateTimeText {
    std::string text;
    bool operator==(const DateTimeText&) const = default;
  };
  struct Bytes {
    std::string bytes;
    bool operator==(const Bytes&) const = default;
  };

  std::variant<std::monostate, int64_t, bool, std::string, double, DateTimeText, Bytes, XmlRpcArray,
               XmlRpcStruct>
      data_;
};

struct XmlRpcMember {
  std::string name;
  XmlRpcValue value;

  friend bool operator==(const XmlRpcMember&, const XmlRpcMember&) = default;
};

template <XmlRpcInteger T>
XmlRpcValue::XmlRpcValue(T value) : data_(static_cast<int64_t>(value)) {}

struct XmlRpcCall {
  std::string method;  // never empty in a parsed call; not checked against any method table
  std::vector<XmlRpcValue> params;

  friend bool operator==(const XmlRpcCall&, const XmlRpcCall&) = default;
};

// Parses a request body (the bytes after the HTTP headers). The body is read as UTF-8 whatever
// its XML declaration says, as supervisord decodes it before parsing; XML turns a raw CR into
// LF, as it does for supervisord. Errors are ErrorCode::kProtocol, with the position, e.g.
//   line 6, column 8: <int> value 'ten' is not a decimal integer
// supervisord answers HTTP 400 to all of these (it drops the connection when the body is not
// UTF-8). Never throws; time and memory grow linearly with the body, which the caller caps.
Result<XmlRpcCall> ParseXmlRpcCall(std::string_view body);

// The body of a successful reply holding `value`. Fails with kInvalidArgument, naming the place
// in the value, where Python would raise: an integer outside kXmlRpcMinInt..kXmlRpcMaxInt, a nil,
// or a string, member name or date that is not valid UTF-8 (supervisord answers HTTP 500).
Result<std::string> SerializeXmlRpcResponse(const XmlRpcValue& value);

// The body of a fault reply, e.g. (10, "BAD_NAME: foo"). Invalid UTF-8 in `message` is replaced
// by U+FFFD so the reply is always well-formed.
std::string SerializeXmlRpcFault(int code, std::string_view message);

// A request as xmlrpc.client.dumps(params, method) writes it, for vigil's own clients and for
// tests. Fails as SerializeXmlRpcResponse() does, and for an empty method name. Unlike Python,
// the method name is escaped (Python writes '<' or '&' in a method name raw, producing XML that
// no server can parse).
Result<std::string> SerializeXmlRpcCall(const XmlRpcCall& call);

}  // namespace vigil::protocol
