// Fuzzes the whole path from supervisord config text to a validated SupervisordConfig: the ini
// reader, [include] handling (the input names itself and a second file), %-expansion, every
// datatype and the builder. Any crash, sanitizer report, or hang is a bug.

#include <cstddef>
#include <cstdint>
#include <string>

#include "config/loader.h"
#include "tests/fakes/fake_host.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  vigil::testing::FakeHost host;
  host.AddFile("/etc/supervisor/supervisord.conf", text);
  // The same text is also reachable as an include, so [include] paths are exercised.
  host.AddFile("/etc/supervisor/conf.d/a.ini", text);
  host.AddUser("doris", 1000, 1000, "/home/doris");
  auto config = vigil::config::LoadSupervisordConfig("/etc/supervisor/supervisord.conf", host);
  if (config) {
    // Touch the result so the optimizer keeps the work.
    size_t n = 0;
    for (const auto& group : config->groups) n += group.processes.size();
    if (n == static_cast<size_t>(-1)) __builtin_trap();
  }
  return 0;
}
