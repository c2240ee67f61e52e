// The serializers: a transcription of xmlrpc.client's Marshaller and dumps() (Python 3.11),
// which is how supervisord builds every reply (xmlrpc_marshal() in supervisor/xmlrpc.py). The
// layout is Python's to the byte: one element per line except scalars, which sit inside their
// <value> on one line; nothing is indented; the prolog has no encoding.

#include <fmt/format.h>

#include "base/strings.h"
#include "protocol/py_codecs.h"
#include "protocol/xml_rpc.h"

namespace vigil::protocol {
namespace {

constexpr std::string_view kProlog = "<?xml version='1.0'?>\n";

// What Python would have raised, and where in the value, as a subscript path: [2]['pid'].
struct WriteError {
  std::string path;
  std::string what;
};

std::optional<WriteError> AppendValue(std::string& out, const XmlRpcValue& value);

std::optional<WriteError> AppendScalar(std::string& out, const XmlRpcValue& value) {
  switch (value.kind()) {
    case XmlRpcValue::Kind::kNil:
      return WriteError{"", "nil cannot be sent (Python refuses None without allow_none)"};
    case XmlRpcValue::Kind::kInteger: {
      const int64_t n = *value.AsInt();
      if (!FitsXmlRpcInt(n)) {
        return WriteError{"", fmt::format("{} does not fit XML-RPC's 32-bit <int> (Python "
                                          "raises OverflowError; cap it as capped_int() does)",
                                          n)};
      }
      out += fmt::format("<value><int>{}</int></value>\n", n);
      return std::nullopt;
    }
    case XmlRpcValue::Kind::kBoolean:
      out += *value.AsBool() ? "<value><boolean>1</boolean></value>\n"
                             : "<value><boolean>0</boolean></value>\n";
      return std::nullopt;
    case XmlRpcValue::Kind::kDouble:
      out += "<value><double>" + PyFloatRepr(*value.AsDouble()) + "</double></value>\n";
      return std::nullopt;
    case XmlRpcValue::Kind::kString:
      // Python's str cannot hold such bytes; supervisord fails the same way (HTTP 500) when a
      // log it reads is not UTF-8.
      if (!IsValidUtf8(*value.AsString())) return WriteError{"", "the string is not UTF-8"};
      out += "<value><string>";
      AppendXmlEscaped(out, *value.AsString());
      out += "</string></value>\n";
      return std::nullopt;
    case XmlRpcValue::Kind::kDateTime:
      if (!IsValidUtf8(*value.AsDateTime())) return WriteError{"", "the date is not UTF-8"};
      out += "<value><dateTime.iso8601>";
      AppendXmlEscaped(out, *value.AsDateTime());
      out += "</dateTime.iso8601></value>\n";
      return std::nullopt;
    case XmlRpcValue::Kind::kBase64:
      out += "<value><base64>\n" + EncodePyBase64(*value.AsBase64()) + "</base64></value>\n";
      return std::nullopt;
    case XmlRpcValue::Kind::kArray:
    case XmlRpcValue::Kind::kStruct:
      break;
  }
  return WriteError{"", "not a scalar"};
}

std::optional<WriteError> AppendArray(std::string& out, const XmlRpcArray& items) {
  out += "<value><array><data>\n";
  for (size_t i = 0; i < items.size(); ++i) {
    if (std::optional<WriteError> err = AppendValue(out, items[i])) {
      err->path = fmt::format("[{}]{}", i, err->path);
      return err;
    }
  }
  out += "</data></array></value>\n";
  return std::nullopt;
}

std::optional<WriteError> AppendStruct(std::string& out, const XmlRpcStruct& members) {
  out += "<value><struct>\n";
  for (const XmlRpcMember& m : members) {
    if (!IsValidUtf8(m.name)) return WriteError{"", "a member name is not UTF-8"};
    out += "<member>\n<name>";
    AppendXmlEscaped(out, m.name);
    out += "</name>\n";
    if (std::optional<WriteError> err = AppendValue(out, m.value)) {
      err->path = fmt::format("[{}]{}", PyRepr(m.name), err->path);
      return err;
    }
    out += "</member>\n";
  }
  out += "</struct></value>\n";
  return std::nullopt;
}

std::optional<WriteError> AppendValue(std::string& out, const XmlRpcValue& value) {
  if (const XmlRpcArray* items = value.AsArray()) return AppendArray(out, *items);
  if (const XmlRpcStruct* members = value.AsStruct()) return AppendStruct(out, *members);
  return AppendScalar(out, value);
}

Error SerializeError(std::string_view root, const WriteError& err) {
  return Error::InvalidArgument(fmt::format("cannot serialize {}{}: {}", root, err.path, err.what));
}

}  // namespace

Result<std::string> SerializeXmlRpcResponse(const XmlRpcValue& value) {
  std::string out(kProlog);
  out += "<methodResponse>\n<params>\n<param>\n";
  if (std::optional<WriteError> err = AppendValue(out, value)) return SerializeError("value", *err);
  out += "</param>\n</params>\n</methodResponse>\n";
  return out;
}

std::string SerializeXmlRpcFault(int code, std::string_view message) {
  std::string out(kProlog);
  out += "<methodResponse>\n<fault>\n";
  const XmlRpcValue fault =
      XmlRpcStruct{{"faultCode", code}, {"faultString", ReplaceInvalidUtf8(message)}};
  const std::optional<WriteError> err = AppendValue(out, fault);
  Check(!err, "a fault struct always serializes");  // an int code and a UTF-8 string
  out += "</fault>\n</methodResponse>\n";
  return out;
}

Result<std::string> SerializeXmlRpcCall(const XmlRpcCall& call) {
  if (call.method.empty()) {
    return Error::InvalidArgument("cannot serialize a call without a method name");
  }
  if (!IsValidUtf8(call.method)) {
    return Error::InvalidArgument("cannot serialize a call: the method name is not UTF-8");
  }
  std::string out(kProlog);
  out += "<methodCall>\n<methodName>";
  AppendXmlEscaped(out, call.method);
  out += "</methodName>\n<params>\n";
  for (size_t i = 0; i < call.params.size(); ++i) {
    out += "<param>\n";
    if (std::optional<WriteError> err = AppendValue(out, call.params[i])) {
      return SerializeError(fmt::format("params[{}]", i), *err);
    }
    out += "</param>\n";
  }
  out += "</params>\n</methodCall>\n";
  return out;
}

}  // namespace vigil::protocol
