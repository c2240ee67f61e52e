// XmlRpcValue and the integer range helpers. The parser is in xml_rpc_parser.cc and the
// serializers in xml_rpc_writer.cc.

#include "protocol/xml_rpc.h"

#include <algorithm>

namespace vigil::protocol {

bool FitsXmlRpcInt(int64_t value) { return value >= kXmlRpcMinInt && value <= kXmlRpcMaxInt; }

int64_t CappedXmlRpcInt(int64_t value) { return std::clamp(value, kXmlRpcMinInt, kXmlRpcMaxInt); }

namespace {

std::string FromCString(const char* value) {
  Check(value != nullptr, "XmlRpcValue from a null string");
  return value;
}

}  // namespace

XmlRpcValue::XmlRpcValue(bool value) : data_(value) {}

XmlRpcValue::XmlRpcValue(double value) : data_(value) {}

XmlRpcValue::XmlRpcValue(const char* value) : data_(FromCString(value)) {}

XmlRpcValue::XmlRpcValue(std::string value) : data_(std::move(value)) {}

XmlRpcValue::XmlRpcValue(std::string_view value) : data_(std::string(value)) {}

XmlRpcValue::XmlRpcValue(XmlRpcArray value) : data_(std::move(value)) {}

XmlRpcValue::XmlRpcValue(XmlRpcStruct value) : data_(std::move(value)) {}

XmlRpcValue XmlRpcValue::Nil() { return {}; }

XmlRpcValue XmlRpcValue::DateTime(std::string iso8601) {
  XmlRpcValue v;
  v.data_ = DateTimeText{std::move(iso8601)};
  return v;
}

XmlRpcValue XmlRpcValue::Base64(std::string bytes) {
  XmlRpcValue v;
  v.data_ = Bytes{std::move(bytes)};
  return v;
}

std::optional<int64_t> XmlRpcValue::AsInt() const {
  if (const auto* v = std::get_if<int64_t>(&data_)) return *v;
  return std::nullopt;
}

std::optional<bool> XmlRpcValue::AsBool() const {
  if (const auto* v = std::get_if<bool>(&data_)) return *v;
  return std::nullopt;
}

std::optional<double> XmlRpcValue::AsDouble() const {
  if (const auto* v = std::get_if<double>(&data_)) return *v;
  return std::nullopt;
}

const std::string* XmlRpcValue::AsString() const { return std::get_if<std::string>(&data_); }

const std::string* XmlRpcValue::AsDateTime() const {
  const auto* v = std::get_if<DateTimeText>(&data_);
  return v != nullptr ? &v->text : nullptr;
}

const std::string* XmlRpcValue::AsBase64() const {
  const auto* v = std::get_if<Bytes>(&data_);
  return v != nullptr ? &v->bytes : nullptr;
}

const std::string* XmlRpcValue::AsText() const {
  const std::string* s = AsString();
  return s != nullptr ? s : AsBase64();
}

const XmlRpcArray* XmlRpcValue::AsArray() const { return std::get_if<XmlRpcArray>(&data_); }

XmlRpcArray* XmlRpcValue::AsArray() { return std::get_if<XmlRpcArray>(&data_); }

const XmlRpcStruct* XmlRpcValue::AsStruct() const { return std::get_if<XmlRpcStruct>(&data_); }

XmlRpcStruct* XmlRpcValue::AsStruct() { return std::get_if<XmlRpcStruct>(&data_); }

const XmlRpcValue* XmlRpcValue::Find(std::string_view name) const {
  const XmlRpcStruct* members = AsStruct();
  if (members == nullptr) return nullptr;
  for (const XmlRpcMember& m : *members) {
    if (m.name == name) return &m.value;
  }
  return nullptr;
}

bool operator==(const XmlRpcValue& a, const XmlRpcValue& b) { return a.data_ == b.data_; }

}  // namespace vigil::protocol
