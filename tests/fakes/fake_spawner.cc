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

core::CommandSpawn FakeSpawner::SpawnCommand(const config::ProgramSpec& spec,
                                             const core::CommandRequest& request) {
  const std::string& path = request.command->path;
  core::CommandSpawn result;
  if (auto it = command_failures_.find(path); it != command_failures_.end()) {
    result.failure_code = it->second;
    result.failure = "couldn't exec " + path;
    return result;
  }
  core::SpawnedChild child{core::ChildId{next_id_++}, next_pid_++};
  processes_[child.pid] = core::ProcessOwner::kService;
  commands_.push_back(CommandRecord{config::Namespec(spec), child.id, child.pid, path, request.role,
                                    request.environment, request.notify_socket, clock_.Seconds()});
  result.child = child;
  return result;
}

int FakeSpawner::SignalService(const config::ProgramSpec& spec, int signo,
                               const std::vector<pid_t>& spared) {
  service_signals_.push_back(ServiceSignalRecord{spec.name, signo, spared});
  auto it = service_others_.find(spec.name);
  return it == service_others_.end() ? 0 : it->second;
}

std::optional<bool> FakeSpawner::ServicePopulated(const config::ProgramSpec& spec) {
  auto it = populated_.find(spec.name);
  return it == populated_.end() ? std::nullopt : it->second;
}

Result<core::PidFileContents> FakeSpawner::ReadPidFile(const std::string& path) {
  auto it = pid_files_.find(path);
  if (it == pid_files_.end()) return Error::NotFound("No such file or directory");
  return it->second;
}

core::ProcessOwner FakeSpawner::OwnerOf(const config::ProgramSpec&, pid_t pid) {
  auto it = processes_.find(pid);
  return it == processes_.end() ? core::ProcessOwner::kGone : it->second;
}

std::optional<pid_t> FakeSpawner::GuessMainPid(const config::ProgramSpec& spec) {
  auto it = guesses_.find(spec.name);
  return it == guesses_.end() ? std::nullopt : it->second;
}

Result<core::SpawnedChild> FakeSpawner::Adopt(const config::ProgramSpec&, pid_t pid) {
  if (OwnerOf(config::ProgramSpec{}, pid) == core::ProcessOwner::kGone) {
    return Error::NotFound("no such process");
  }
  core::ChildId id{next_id_++};
  adopted_[pid] = id;
  return core::SpawnedChild{id, pid};
}

std::optional<core::ChildId> FakeSpawner::AdoptedId(pid_t pid) const {
  auto it = adopted_.find(pid);
  if (it == adopted_.end()) return std::nullopt;
  return it->second;
}

void FakeSpawner::WatchPidFile(const config::ProgramSpec& spec, const std::string&, bool on) {
  if (on) {
    pid_file_watches_.insert(spec.name);
  } else {
    pid_file_watches_.erase(spec.name);
  }
}

std::vector<std::string> FakeSpawner::CommandPaths() const {
  std::vector<std::string> paths;
  for (const CommandRecord& c : commands_) paths.push_back(c.path);
  return paths;
}

std::vector<double> FakeSpawner::SpawnTimes() const {
  std::vector<double> times;
  for (const SpawnRecord& s : spawns_) times.push_back(s.at);
  return times;
}

}  // namespace vigil::testing
