#pragma once

// FakeSpawner: records every spawn and signal; the test decides which spawns fail and when
// children exit (through Supervisor::OnChildExited).

#include <map>
#include <string>
#include <vector>

#include "core/spawner.h"
#include "tests/fakes/fake_clock.h"

namespace vigil::testing {

class FakeSpawner : public core::Spawner {
 public:
  struct SpawnRecord {
    std::string name;  // namespec
    core::ChildId id;
    pid_t pid = 0;
    double at = 0;  // FakeClock seconds
  };
  struct SignalRecord {
    core::ChildId id;
    int signo = 0;
    bool to_group = false;
    double at = 0;
  };

  explicit FakeSpawner(const FakeClock& clock) : clock_(clock) {}

  Result<core::SpawnedChild> Spawn(const config::ProgramSpec& spec) override;
  Result<void> CheckCommand(const config::ProgramSpec& spec) override;
  Result<void> Signal(core::ChildId child, int signo, bool to_group) override;
  bool HasLeftovers(const config::ProgramSpec& spec) override;
  Result<void> SignalLeftovers(const config::ProgramSpec& spec, int signo) override;

  // Whether `namespec` has processes besides its main child (as a cgroup would tell).
  void SetLeftovers(const std::string& namespec, bool present) { leftovers_[namespec] = present; }
  // Signals sent to leftovers: "namespec:signo".
  const std::vector<std::string>& leftover_signals() const { return leftover_signals_; }

  // The next spawns of `namespec` fail with `message` (until cleared with an empty message).
  void FailSpawnsOf(const std::string& namespec, std::string message) {
    failures_[namespec] = std::move(message);
  }
  // The next signals fail with `message`.
  void FailSignals(std::string message) { signal_failure_ = std::move(message); }

  const std::vector<SpawnRecord>& spawns() const { return spawns_; }
  const std::vector<SignalRecord>& signals() const { return signals_; }
  int spawn_count() const { return static_cast<int>(spawns_.size()); }
  const SpawnRecord& Last() const { return spawns_.back(); }
  std::vector<double> SpawnTimes() const;

 private:
  const FakeClock& clock_;
  std::vector<SpawnRecord> spawns_;
  std::vector<SignalRecord> signals_;
  std::map<std::string, std::string> failures_;
  std::string signal_failure_;
  std::map<std::string, bool> leftovers_;
  std::vector<std::string> leftover_signals_;
  uint64_t next_id_ = 1;
  pid_t next_pid_ = 1000;
};

}  // namespace vigil::testing
