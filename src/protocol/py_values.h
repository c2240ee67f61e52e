#pragma once

// What supervisord's methods do with a parameter. They receive the Python object its
// unmarshallers (xmlrpc.py) make of each value: int, bool, str (also for base64), float,
// datetime, list, dict, or None for <nil/>. These give the same results as Python's str(),
// bool() and int() of that object, for the places where supervisord applies them to a
// parameter: a fault text that quotes it (INCORRECT_PARAMETERS: 5), `if wait:`, and
// int(offset) in the log reads.

#include <cstdint>
#include <optional>
#include <string>

#include "protocol/xml_rpc.h"

namespace vigil::protocol {

// str(value): 5, True, 1.5, None, abc, 2024-01-02 03:04:05, [1, 'a'], {'k': 'v'}.
std::string PyStr(const XmlRpcValue& value);

// bool(value): false for None, 0, 0.0, False and empty strings, arrays and structs.
bool PyTruth(const XmlRpcValue& value);

// int(value): integers, booleans (0 or 1), doubles truncated toward zero, and strings as int()
// reads them (" +3 ", "1_000"). nullopt where Python raises (a string that is no integer, NaN,
// infinity, a date, an array, a struct, None) and where the result would not fit int64_t.
std::optional<int64_t> PyInt(const XmlRpcValue& value);

}  // namespace vigil::protocol
