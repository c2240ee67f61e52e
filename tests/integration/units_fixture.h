#pragma once

// UnitsTest: a vigild whose [units] directory is <dir>/units, controlled through the real
// vigilctl, for the integration tests of systemd units.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/harness.h"

namespace vigil::testing {

class UnitsTest : public ::testing::Test {
 protected:
  void SetUp() override { std::filesystem::create_directories(units_); }

  void WriteUnit(const std::string& name, const std::string& text) {
    WriteFile(units_ + "/" + name, text);
  }
  void WriteDropIn(const std::string& unit, const std::string& file, const std::string& text) {
    std::filesystem::create_directories(units_ + "/" + unit + ".d");
    WriteFile(units_ + "/" + unit + ".d/" + file, text);
  }
  void StartVigild(const std::string& extra = "") {
    vigild_.Start(
        Vigild::Config("[unix_http_server]\nfile=%(here)s/vigil.sock\n"
                       "[units]\ndirectories=%(here)s/units\n" +
                       extra));
  }
  CommandResult Ctl(std::vector<std::string> args) const {
    args.insert(args.begin(), {VigilctlPath(), "-s", "unix://" + dir_ / "vigil.sock"});
    return RunCommand(args);
  }
  // `vigilctl show -p KEY --value UNIT`, without the newline.
  std::string Property(const std::string& unit, const std::string& key) const {
    std::string value = Ctl({"show", "-p", key, "--value", unit}).out;
    while (!value.empty() && value.back() == '\n') value.pop_back();
    return value;
  }
  bool WaitForProperty(const std::string& unit, const std::string& key, const std::string& value,
                       std::chrono::milliseconds timeout = std::chrono::seconds(30)) const {
    return WaitUntil([&] { return Property(unit, key) == value; }, timeout);
  }
  pid_t MainPid(const std::string& unit) const {
    const std::string pid = Property(unit, "MainPID");
    return pid.empty() ? 0 : static_cast<pid_t>(std::stol(pid));
  }
  // A diagnostic for failed assertions: the unit's status and vigild's log.
  std::string Explain(const std::string& unit) const {
    return Ctl({"status", unit}).out + "\n--- vigild log ---\n" + vigild_.Log();
  }

  TempDir dir_;
  Vigild vigild_{dir_};
  std::string units_ = dir_ / "units";
};

}  // namespace vigil::testing
