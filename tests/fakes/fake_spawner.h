#pragma once

// FakeSpawner: records every spawn and signal; the test decides which spawns fail and when
// children exit (through Supervisor::OnChildExited).

#include <map>
#include <optional>
#include <set>
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

  // A command of a systemd service that was started (SpawnCommand).
  struct CommandRecord {
    std::string name;  // namespec
    core::ChildId id;
    pid_t pid = 0;
    std::string path;  // the command's executable
    core::CommandRole role = core::CommandRole::kMain;
    config::Environment environment;
    bool notify_socket = false;
    double at = 0;
  };
  struct ServiceSignalRecord {
    std::string name;
    int signo = 0;
    std::vector<pid_t> spared;
  };

  explicit FakeSpawner(const FakeClock& clock) : clock_(clock) {}

  Result<core::SpawnedChild> Spawn(const config::ProgramSpec& spec) override;
  Result<void> CheckCommand(const config::ProgramSpec& spec) override;
  Result<void> Signal(core::ChildId child, int signo, bool to_group) override;
  bool HasLeftovers(const config::ProgramSpec& spec) override;
  Result<void> SignalLeftovers(const config::ProgramSpec& spec, int signo) override;

  core::CommandSpawn SpawnCommand(const config::ProgramSpec& spec,
                                  const core::CommandRequest& request) override;
  int SignalService(const config::ProgramSpec& spec, int signo,
                    const std::vector<pid_t>& spared) override;
  std::optional<bool> ServicePopulated(const config::ProgramSpec& spec) override;
  Result<core::PidFileContents> ReadPidFile(const std::string& path) override;
  core::ProcessOwner OwnerOf(const config::ProgramSpec& spec, pid_t pid) override;
  std::optional<pid_t> GuessMainPid(const config::ProgramSpec& spec) override;
  Result<core::SpawnedChild> Adopt(const config::ProgramSpec& spec, pid_t pid) override;
  void Forget(core::ChildId child) override { forgotten_.push_back(child); }
  void WatchPidFile(const config::ProgramSpec& spec, const std::string& path, bool on) override;

  // --- Services ---
  // Commands whose executable is `path` fail before exec with systemd's `code`.
  void FailCommand(const std::string& path, int code) { command_failures_[path] = code; }
  // What the service's cgroup holds besides its main and control processes: SignalService
  // reports this many, and ServicePopulated() answers `populated` (nullopt: cannot tell).
  void SetServiceProcesses(const std::string& name, int others, std::optional<bool> populated) {
    service_others_[name] = others;
    populated_[name] = populated;
  }
  // A pid file's contents (owner root unless given); RemovePidFile makes it missing.
  void WritePidFile(const std::string& path, pid_t pid, uid_t owner = 0) {
    pid_files_[path] = core::PidFileContents{pid, owner, false};
  }
  // A process that exists, and whose it is (used by OwnerOf and Adopt).
  void AddProcess(pid_t pid, core::ProcessOwner owner) { processes_[pid] = owner; }
  void SetGuess(const std::string& name, std::optional<pid_t> pid) { guesses_[name] = pid; }
  const std::vector<CommandRecord>& commands() const { return commands_; }
  const CommandRecord& LastCommand() const { return commands_.back(); }
  // The paths of every command started, in order.
  std::vector<std::string> CommandPaths() const;
  const std::vector<ServiceSignalRecord>& service_signals() const { return service_signals_; }
  const std::vector<core::ChildId>& forgotten() const { return forgotten_; }
  bool watching_pid_file(const std::string& name) const { return pid_file_watches_.count(name); }
  // The ChildId of an adopted pid.
  std::optional<core::ChildId> AdoptedId(pid_t pid) const;

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

  std::vector<CommandRecord> commands_;
  std::map<std::string, int> command_failures_;
  std::map<std::string, int> service_others_;
  std::map<std::string, std::optional<bool>> populated_;
  std::map<std::string, core::PidFileContents> pid_files_;
  std::map<pid_t, core::ProcessOwner> processes_;
  std::map<std::string, std::optional<pid_t>> guesses_;
  std::map<pid_t, core::ChildId> adopted_;
  std::vector<ServiceSignalRecord> service_signals_;
  std::vector<core::ChildId> forgotten_;
  std::set<std::string> pid_file_watches_;
};

}  // namespace vigil::testing
