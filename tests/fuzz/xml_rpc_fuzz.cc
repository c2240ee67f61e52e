// Fuzzes the XML-RPC request parser on arbitrary bytes. Whatever it accepts must serialize
// (unless Python would refuse it too: a nil, an integer beyond 32 bits), and the serialized
// call must parse back and serialize to the same bytes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/check.h"
#include "protocol/xml_rpc.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil::protocol;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  vigil::Result<XmlRpcCall> call = ParseXmlRpcCall(body);
  if (!call) return 0;
  for (const XmlRpcValue& param : call->params) {
    static_cast<void>(SerializeXmlRpcResponse(param));  // may refuse nil or a wide int
  }
  static_cast<void>(SerializeXmlRpcFault(2, call->method));
  vigil::Result<std::string> first = SerializeXmlRpcCall(*call);
  if (!first) return 0;
  vigil::Result<XmlRpcCall> reparsed = ParseXmlRpcCall(*first);
  vigil::Check(reparsed.has_value(), "a serialized call does not parse back");
  // A CR (from &#13;) is written raw, as Python writes it, and comes back as LF.
  if (first->find('\r') != std::string::npos) return 0;
  vigil::Result<std::string> second = SerializeXmlRpcCall(*reparsed);
  vigil::Check(second.has_value() && *second == *first, "serialization is not stable");
  return 0;
}
