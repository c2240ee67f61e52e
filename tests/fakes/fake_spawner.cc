#include "tests/fakes/fake_spawner.h"

namespace vigil::testing {

Result<core::SpawnedChild> FakeSpawner::Spawn(const config::ProgramSpec& spec) {
  const std::string namespec = config::Namespec(spec);
  if (auto it = failures_.find(namespec); it != failures_.end() && !it->second.empty()) {
    return Error::Spawn(2, it->second);
  }
  core::SpawnedChild child{core::ChildId{next_id_++}, next_pid_++};
  spawns_.push_back(SpawnRecord{namespec, child.id, child.pid, clock_.Seconds()});
  return child;
}

Result<void> FakeSpawner::CheckCommand(const config::ProgramSpec& spec) {
  if (auto it = failures_.find(config::Namespec(spec));
      it != failures_.end() && !it->second.empty()) {
    return Error::NotFound(it->second);
  }
  return Ok();
}

Result<void> FakeSpawner::Signal(core::ChildId child, int signo, bool to_group) {
  if (!signal_failure_.empty()) return Error::Io(1, signal_failure_);
  signals_.push_back(SignalRecord{child, signo, to_group, clock_.Seconds()});
  return Ok();
}

bool FakeSpawner::HasLeftovers(const config::ProgramSpec& spec) {
  auto it = leftovers_.find(config::Namespec(spec));
  return it != leftovers_.end() && it->second;
}

Result<void> FakeSpawner::SignalLeftovers(const config::ProgramSpec& spec, int signo) {
  leftover_signals_.push_back(config::Namespec(spec) + ":" + std::to_string(signo));
  return Ok();
}

std::vector<double> FakeSpawner::SpawnTimes() const {
  std::vector<double> times;
  for (const SpawnRecord& s : spawns_) times.push_back(s.at);
  return times;
}

}  // namespace vigil::testing
