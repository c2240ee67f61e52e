// Fuzzes the value parsers on arbitrary text: Python %-formatting, both shlex lexers, and every
// supervisord datatype.

#include <cstddef>
#include <cstdint>
#include <string>

#include "config/py_format.h"
#include "config/py_text.h"
#include "config/shlex.h"
#include "config/supervisord_types.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil::config;
  std::string text(reinterpret_cast<const char*>(data), size);
  const Expansions expansions = {{"here", std::string("/etc")},
                                 {"process_num", int64_t{7}},
                                 {"program_name", std::string("web")}};
  static_cast<void>(PyPercentFormat(text, expansions, "fuzz"));
  static_cast<void>(ShlexSplit(text));
  static_cast<void>(ShlexLegacyTokens(text));
  static_cast<void>(ParseKeyValuePairs(text));
  static_cast<void>(ParseInteger(text));
  static_cast<void>(ParseBoolean(text));
  static_cast<void>(ParseByteSize(text));
  static_cast<void>(ParseSignal(text));
  static_cast<void>(ParseExitCodes(text));
  static_cast<void>(ParseOctal(text));
  static_cast<void>(ParseAutoRestart(text));
  static_cast<void>(ParseLogLevel(text));
  static_cast<void>(ParseProcessOrGroupName(text));
  static_cast<void>(ParseInetAddress(text));
  static_cast<void>(ParseUrl(text));
  static_cast<void>(PyStrip(text));
  static_cast<void>(PyUpper(text));
  return 0;
}
