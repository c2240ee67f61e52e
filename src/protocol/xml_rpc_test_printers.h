#pragma once

// gtest printers for XML-RPC values (test-only), so that a failing EXPECT_EQ shows the values
// in Python's notation.

#include <ostream>

#include "base/strings.h"
#include "protocol/xml_rpc.h"

namespace vigil::protocol {

inline void PrintTo(const XmlRpcValue& v, std::ostream* os) {
  switch (v.kind()) {
    case XmlRpcValue::Kind::kNil:
      *os << "nil";
      return;
    case XmlRpcValue::Kind::kInteger:
      *os << *v.AsInt();
      return;
    case XmlRpcValue::Kind::kBoolean:
      *os << (*v.AsBool() ? "True" : "False");
      return;
    case XmlRpcValue::Kind::kString:
      *os << PyRepr(*v.AsString());
      return;
    case XmlRpcValue::Kind::kDouble:
      *os << *v.AsDouble();
      return;
    case XmlRpcValue::Kind::kDateTime:
      *os << "DateTime(" << *v.AsDateTime() << ")";
      return;
    case XmlRpcValue::Kind::kBase64:
      *os << "b" << PyRepr(*v.AsBase64());
      return;
    case XmlRpcValue::Kind::kArray:
      *os << "[";
      for (const XmlRpcValue& item : *v.AsArray()) {
        PrintTo(item, os);
        *os << ", ";
      }
      *os << "]";
      return;
    case XmlRpcValue::Kind::kStruct:
      *os << "{";
      for (const XmlRpcMember& m : *v.AsStruct()) {
        *os << PyRepr(m.name) << ": ";
        PrintTo(m.value, os);
        *os << ", ";
      }
      *os << "}";
      return;
  }
}

inline void PrintTo(const XmlRpcCall& call, std::ostream* os) {
  *os << call.method;
  PrintTo(XmlRpcValue(call.params), os);
}

}  // namespace vigil::protocol
