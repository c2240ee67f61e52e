#pragma once

// The Python 3.11 conversions behind XML-RPC's scalar types, on both sides of the wire:
// int() and float() for <int> and <double> (supervisord's unmarshallers), time.strptime() for
// <dateTime.iso8601>, binascii's lenient base64 decoder and base64.encodebytes(), and repr() of
// a float (xmlrpc.client's dump_double). The XML-RPC codec is built on them; other layers use
// them where they need the same rules (base64 for Basic auth, UTF-8 repair for log text).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace vigil::protocol {

// int(text) in base 10: surrounding whitespace, a sign, and single underscores between digits
// ("1_000"). Errors (kProtocol) are phrased to follow the literal: "is not a decimal integer",
// "is out of the 64-bit range". ASCII only: Python also takes other Unicode digits and spaces.
Result<int64_t> ParsePyInt(std::string_view text);

// float(text): whitespace, a sign, digits with single underscores, an optional fraction and
// exponent, or inf/infinity/nan in any case. Out-of-range literals give +-inf or +-0.0 as in
// Python. nullopt where Python raises ValueError. ASCII only, as ParsePyInt().
std::optional<double> ParsePyFloat(std::string_view text);

// supervisord's make_datetime(): time.strptime(text, "%Y%m%dT%H:%M:%S") with its single-digit
// fields and case-blind 'T', followed by datetime()'s range checks. nullopt where it raises.
struct PyDateTime {
  int year, month, day, hour, minute, second;
};
std::optional<PyDateTime> ParsePyDateTime(std::string_view text);
inline bool IsPyDateTime(std::string_view text) { return ParsePyDateTime(text).has_value(); }

// base64.decodebytes(): characters outside the alphabet are skipped and decoding stops at
// complete padding, as binascii.a2b_base64 does by default. Errors carry binascii's message,
// e.g. "Incorrect padding".
Result<std::string> DecodePyBase64(std::string_view text);
// base64.encodebytes(): lines of at most 76 characters, each ending in "\n"; "" for no bytes.
std::string EncodePyBase64(std::string_view bytes);

// repr(value): the shortest text that reads back as `value`, in exponent form below 1e-4 and
// from 1e16 ("1e-05", "1e+16"), with ".0" on whole numbers, and "inf", "-inf", "nan".
std::string PyFloatRepr(double value);

// Strict UTF-8 as Python's codec decodes it: no overlong forms, surrogates or values above
// U+10FFFF.
bool IsValidUtf8(std::string_view text);
// bytes.decode("utf-8", "replace"): each maximal invalid sequence becomes U+FFFD.
std::string ReplaceInvalidUtf8(std::string_view text);

// xml.sax.saxutils.escape() as xmlrpc.client uses it: & < > only, quotes stay.
void AppendXmlEscaped(std::string& out, std::string_view text);

}  // namespace vigil::protocol
