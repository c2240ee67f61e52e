// Fuzzes the whole path from systemd unit text to a ProgramSpec: the unit-file syntax, every
// setting's parser (words, quotes, escapes, specifiers, time spans, limits, Exec*= lines), the
// load-time checks, drop-ins, templates and the enablement code. The input is the unit file, a
// drop-in of it, and a template; the same text also goes through each value parser on its own.
// Any crash, sanitizer report, or hang is a bug.

#include <sys/resource.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "config/unit_loader.h"
#include "config/unit_name.h"
#include "config/unit_signals.h"
#include "config/unit_specifiers.h"
#include "config/unit_values.h"
#include "config/unit_words.h"
#include "tests/fakes/fake_host.h"

namespace {

void ParseValues(const std::string& text, const vigil::config::SpecifierContext& specifiers) {
  using namespace vigil::config;
  std::string_view words = text;
  for (int i = 0; i < 64; ++i) {
    vigil::Result<std::optional<std::string>> word =
        ExtractFirstWord(words, kUnitWhitespace, kExtractUnquote | kExtractCUnescape);
    if (!word || !*word) break;
  }
  static_cast<void>(ParseSecUsec(text));
  static_cast<void>(ParseIecSize(text));
  static_cast<void>(ParseResourceLimit(RLIMIT_NOFILE, text));
  static_cast<void>(ParseResourceLimit(RLIMIT_CPU, text));
  static_cast<void>(ParseResourceLimit(RLIMIT_NICE, text));
  static_cast<void>(ParseUnitSignal(text));
  static_cast<void>(ParseExitStatus(text));
  static_cast<void>(ParseFileMode(text));
  static_cast<void>(ExpandSpecifiers(text, specifiers, SpecifierSet::kFull));
  static_cast<void>(NormalizeServiceName(text));
  static_cast<void>(UnescapeUnitPath(text));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil::config;
  std::string text(reinterpret_cast<const char*>(data), size);
  vigil::testing::FakeHost host;
  host.AddExecutable("/bin/true");
  host.AddUser("doris", 1000, 1000, "/home/doris");
  host.AddFile("/etc/systemd/system/fuzz.service", text);
  host.AddFile("/etc/systemd/system/fuzz.service.d/override.conf", text);
  host.AddFile("/lib/systemd/system/tpl@.service", text);
  host.AddSymlink("/etc/systemd/system/multi-user.target.wants/tpl@a.service",
                  "/lib/systemd/system/tpl@.service");
  const UnitPaths paths{{"/etc/systemd/system", "/lib/systemd/system"}};
  for (const char* name : {"fuzz", "tpl@a"}) {
    vigil::Result<LoadedUnit> unit = LoadServiceUnit(name, paths, host);
    if (unit && unit->spec.name.empty()) __builtin_trap();
    static_cast<void>(GetUnitFileState(name, paths, host));
    static_cast<void>(PlanEnable(name, paths, host));
    static_cast<void>(PlanDisable(name, paths, host));
  }
  static_cast<void>(ListServiceUnits(paths, host));
  ParseValues(text, MakeSpecifierContext(host, *ParseUnitName("a-b@c.service"), "/x"));
  return 0;
}
