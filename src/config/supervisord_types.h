#pragma once

// supervisord's value types (datatypes.py), each accepting exactly what supervisord accepts.
// Error messages start with supervisord's own wording and then say what would be valid, e.g.
//   not a valid boolean value: 'yup' (expected true/false, yes/no, on/off or 1/0)
// and carry supervisord's wording alone as their compat_message. Callers prefix the file, line,
// section and key.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace vigil::config {

// An error that supervisord reports as `text`: vigil's message is `text` followed by `advice`
// in parentheses (when there is advice), and the compat_message is `text`.
Error SupervisordError(std::string text, std::string_view advice = {});

Result<int64_t> ParseInteger(std::string_view text);
Result<bool> ParseBoolean(std::string_view text);
// Bytes, with an optional KB/MB/GB suffix (powers of 1024), case-insensitive.
Result<int64_t> ParseByteSize(std::string_view text);
// A signal name (with or without SIG, any case) or number; 0 is accepted as supervisord does.
Result<int> ParseSignal(std::string_view text);
// "SIGTERM" for 15; "signal 40" for numbers without a name.
std::string SignalName(int signo);
Result<std::vector<int>> ParseExitCodes(std::string_view text);
Result<uint32_t> ParseOctal(std::string_view text);

enum class AutoRestart { kNever, kUnexpected, kAlways };
Result<AutoRestart> ParseAutoRestart(std::string_view text);
std::string_view AutoRestartName(AutoRestart value);

// supervisord's log levels; the numbers are supervisord's.
enum class LogLevel : int {
  kCritical = 50,
  kError = 40,
  kWarn = 30,
  kInfo = 20,
  kDebug = 10,
  kTrace = 5,
  kBlather = 3,
};
Result<LogLevel> ParseLogLevel(std::string_view text);
std::string_view LogLevelName(LogLevel level);  // "info"
std::string_view LogLevelTag(LogLevel level);   // "INFO", as in the main log

// A process or group name: stripped; must not contain ' ', ':' or '/'.
Result<std::string> ParseProcessOrGroupName(std::string_view text);

// `KEY=val,KEY2="v,2"` with supervisord's legacy shlex lexing. Keys keep their order.
// Where shlex silently drops or mangles part of the text ("A=hello world" keeps "hello"), the
// result is what supervisord produces and `mangled` says so, for a warning.
struct KeyValuePairs {
  std::vector<std::pair<std::string, std::string>> pairs;
  bool mangled = false;
};
Result<KeyValuePairs> ParseKeyValuePairs(std::string_view text);

// "port", ":port", "*:port" or "host:port" (rsplit on the last ':'); host lower-cased; "" and
// "*" mean every interface.
struct InetAddress {
  std::string host;
  int port = 0;
};
Result<InetAddress> ParseInetAddress(std::string_view text);

// A comma-separated list of stripped strings; "" gives an empty list.
std::vector<std::string> ParseListOfStrings(std::string_view text);

// A URL with a scheme and a netloc or path, as urlparse judges it.
Result<std::string> ParseUrl(std::string_view text);

}  // namespace vigil::config
