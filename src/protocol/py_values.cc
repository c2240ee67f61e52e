#include "protocol/py_values.h"

#include <fmt/format.h>

#include <cmath>

#include "base/strings.h"
#include "protocol/py_codecs.h"

namespace vigil::protocol {
namespace {

std::string Repr(const XmlRpcValue& value);

// str() and repr() differ only for strings and dates, which repr() spells as literals.
std::string Str(const XmlRpcValue& value, bool repr) {
  switch (value.kind()) {
    case XmlRpcValue::Kind::kNil:
      return "None";
    case XmlRpcValue::Kind::kInteger:
      return std::to_string(*value.AsInt());
    case XmlRpcValue::Kind::kBoolean:
      return *value.AsBool() ? "True" : "False";
    case XmlRpcValue::Kind::kString:
    case XmlRpcValue::Kind::kBase64:
      return repr ? PyRepr(*value.AsText()) : *value.AsText();
    case XmlRpcValue::Kind::kDouble:
      return PyFloatRepr(*value.AsDouble());
    case XmlRpcValue::Kind::kDateTime: {
      std::optional<PyDateTime> t = ParsePyDateTime(*value.AsDateTime());
      if (!t) return *value.AsDateTime();  // never parsed that way; shown as it came
      if (!repr) {
        return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", t->year, t->month, t->day,
                           t->hour, t->minute, t->second);
      }
      // datetime.__repr__ leaves out a zero second (and the microseconds, always zero here).
      return t->second == 0 ? fmt::format("datetime.datetime({}, {}, {}, {}, {})", t->year,
                                          t->month, t->day, t->hour, t->minute)
                            : fmt::format("datetime.datetime({}, {}, {}, {}, {}, {})", t->year,
                                          t->month, t->day, t->hour, t->minute, t->second);
    }
    case XmlRpcValue::Kind::kArray: {
      std::string out = "[";
      for (const XmlRpcValue& item : *value.AsArray()) {
        if (out.size() > 1) out += ", ";
        out += Repr(item);
      }
      return out + "]";
    }
    case XmlRpcValue::Kind::kStruct: {
      std::string out = "{";
      for (const XmlRpcMember& member : *value.AsStruct()) {
        if (out.size() > 1) out += ", ";
        out += PyRepr(member.name) + ": " + Repr(member.value);
      }
      return out + "}";
    }
  }
  return "None";
}

std::string Repr(const XmlRpcValue& value) { return Str(value, true); }

}  // namespace

std::string PyStr(const XmlRpcValue& value) { return Str(value, false); }

bool PyTruth(const XmlRpcValue& value) {
  switch (value.kind()) {
    case XmlRpcValue::Kind::kNil:
      return false;
    case XmlRpcValue::Kind::kInteger:
      return *value.AsInt() != 0;
    case XmlRpcValue::Kind::kBoolean:
      return *value.AsBool();
    case XmlRpcValue::Kind::kString:
    case XmlRpcValue::Kind::kBase64:
      return !value.AsText()->empty();
    case XmlRpcValue::Kind::kDouble:
      return *value.AsDouble() != 0.0;  // NaN is true, as in Python
    case XmlRpcValue::Kind::kDateTime:
      return true;
    case XmlRpcValue::Kind::kArray:
      return !value.AsArray()->empty();
    case XmlRpcValue::Kind::kStruct:
      return !value.AsStruct()->empty();
  }
  return false;
}

std::optional<int64_t> PyInt(const XmlRpcValue& value) {
  switch (value.kind()) {
    case XmlRpcValue::Kind::kInteger:
      return *value.AsInt();
    case XmlRpcValue::Kind::kBoolean:
      return *value.AsBool() ? 1 : 0;
    case XmlRpcValue::Kind::kString:
    case XmlRpcValue::Kind::kBase64: {
      Result<int64_t> n = ParsePyInt(*value.AsText());
      if (!n) return std::nullopt;
      return *n;
    }
    case XmlRpcValue::Kind::kDouble: {
      const double truncated = std::trunc(*value.AsDouble());
      // [-2**63, 2**63): both bounds are exact doubles. NaN fails both comparisons.
      if (!(truncated >= -9223372036854775808.0 && truncated < 9223372036854775808.0)) {
        return std::nullopt;
      }
      return static_cast<int64_t>(truncated);
    }
    case XmlRpcValue::Kind::kNil:
    case XmlRpcValue::Kind::kDateTime:
    case XmlRpcValue::Kind::kArray:
    case XmlRpcValue::Kind::kStruct:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace vigil::protocol
