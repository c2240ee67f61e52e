// Daemon's side of api::Control: what the XML-RPC and JSON APIs may ask of vigild.

#include <fmt/format.h>
#include <unistd.h>

#include "config/loader.h"
#include "daemon/daemon.h"

namespace vigil::daemon {

api::DaemonState Daemon::state() const {
  switch (mood_) {
    case Mood::kRunning:
      return api::DaemonState::kRunning;
    case Mood::kReloading:
      return api::DaemonState::kRestarting;
    case Mood::kShuttingDown:
      return api::DaemonState::kShutdown;
  }
  return api::DaemonState::kRunning;
}

pid_t Daemon::pid() const { return ::getpid(); }

std::string Daemon::MainLogPath() const { return log_ ? log_->path() : std::string(); }

Result<void> Daemon::ClearMainLog() {
  Result<void> cleared = log_->Clear();
  if (cleared) log_->Info("reopening log file");
  return cleared;
}

void Daemon::RequestShutdown() { BeginShutdown("received a shutdown request over the API"); }

void Daemon::RequestRestart() {
  log_->Warn("received a restart request over the API");
  RequestReload();
}

Result<config::SupervisordConfig> Daemon::ReadConfiguration() const {
  Result<config::SupervisordConfig> loaded = config::LoadSupervisordConfig(config_path_, host_);
  if (!loaded) return loaded.error();
  return ApplyOverrides(options_, std::move(*loaded), host_);
}

Result<core::ConfigDiff> Daemon::Reread() {
  Result<config::SupervisordConfig> loaded = ReadConfiguration();
  if (!loaded) return loaded.error();
  configured_groups_ = loaded->groups;
  realized_auto_logs_.clear();
  // Against what runs now, which add/remove may have changed since the last read.
  std::vector<config::GroupSpec> running;
  for (const core::Group& group : supervisor_->groups()) {
    config::GroupSpec spec;
    spec.kind = group.kind;
    spec.name = group.name;
    spec.priority = group.priority;
    for (const auto& program : group.programs) spec.processes.push_back(program->spec());
    for (const config::GroupSpec& configured : config_.groups) {
      if (configured.name == group.name) {
        spec.buffer_size = configured.buffer_size;
        spec.events = configured.events;
        spec.socket = configured.socket;
      }
    }
    running.push_back(std::move(spec));
  }
  return core::DiffGroups(running, configured_groups_);
}

Result<void> Daemon::AddGroup(std::string_view name) {
  for (const config::GroupSpec& group : configured_groups_) {
    if (group.name != name) continue;
    if (supervisor_->FindGroup(name) != nullptr) {
      return Error::AlreadyExists(std::string(name));
    }
    if (Result<void> added = AddGroupFromSpec(group); !added) return added;
    // The running configuration now has this group as it was read.
    std::erase_if(config_.groups, [&](const config::GroupSpec& g) { return g.name == name; });
    config_.groups.push_back(group);
    log_->Info(fmt::format("added process group {}", name));
    supervisor_->StartAutostart();
    return Ok();
  }
  return Error::NotFound(std::string(name));
}

Result<void> Daemon::RemoveGroup(std::string_view name) {
  const core::Group* group = supervisor_->FindGroup(name);
  if (group == nullptr) return Error::NotFound(std::string(name));
  std::vector<std::string> namespecs;
  for (const auto& program : group->programs) namespecs.push_back(program->namespec());
  if (Result<void> removed = supervisor_->RemoveGroup(name); !removed) return removed;
  for (const std::string& namespec : namespecs) outputs_.erase(namespec);
  std::erase_if(config_.groups, [&](const config::GroupSpec& g) { return g.name == name; });
  spawner_->RemoveCgroups(namespecs);
  log_->Info(fmt::format("removed process group {}", name));
  events_->OnGroupRemoved(std::string(name));
  return Ok();
}

Result<void> Daemon::RemoveProcess(const std::string& namespec) {
  if (Result<void> removed = supervisor_->RemoveProcess(namespec); !removed) return removed;
  outputs_.erase(namespec);
  events_->OnProcessRemoved(namespec);
  spawner_->RemoveCgroups({namespec});
  for (config::GroupSpec& group : config_.groups) {
    std::erase_if(group.processes,
                  [&](const config::ProgramSpec& p) { return config::Namespec(p) == namespec; });
  }
  log_->Info(fmt::format("removed process {}", namespec));
  return Ok();
}

Result<void> Daemon::AddProcess(const config::ProgramSpec& spec) {
  const core::Group* group = supervisor_->FindGroup(spec.group);
  if (group == nullptr) return Error::NotFound(spec.group);
  const bool listener = group->kind == config::GroupSpec::Kind::kEventListenerPool;
  if (Result<void> created = CreateOutput(spec, listener); !created) return created;
  if (Result<void> added = supervisor_->AddProcess(spec); !added) {
    outputs_.erase(config::Namespec(spec));
    return added;
  }
  events_->OnProcessAdded(spec);
  for (config::GroupSpec& configured : config_.groups) {
    if (configured.name == spec.group) configured.processes.push_back(spec);
  }
  log_->Info(fmt::format("added process {}", config::Namespec(spec)));
  supervisor_->StartAutostart();
  return Ok();
}

std::string Daemon::RealizedAutoLog(const std::string& namespec, bool stderr_log) const {
  auto it = realized_auto_logs_.find(namespec);
  if (it == realized_auto_logs_.end()) return "";
  return stderr_log ? it->second.second : it->second.first;
}

std::string Daemon::TrackingMode() const {
  if (cgroups_) return "cgroup " + cgroups_->root();
  return "process group";
}

std::string Daemon::StdoutLogPath(const std::string& namespec) const {
  auto it = outputs_.find(namespec);
  return it == outputs_.end() ? std::string() : it->second->stdout_path();
}

std::string Daemon::StderrLogPath(const std::string& namespec) const {
  auto it = outputs_.find(namespec);
  return it == outputs_.end() ? std::string() : it->second->stderr_path();
}

Result<void> Daemon::ClearProcessLogs(const std::string& namespec) {
  auto it = outputs_.find(namespec);
  if (it == outputs_.end()) return Error::NotFound(namespec);
  // supervisord clears the logs of a running process only (through its output dispatchers);
  // for any other it answers success and leaves the files as they are.
  const core::Program* program = supervisor_->FindProcess(namespec);
  if (program == nullptr || !program->main_child()) return Ok();
  return it->second->Clear();
}

Result<void> Daemon::SendStdin(const std::string& namespec, std::string_view data) {
  const core::Program* program = supervisor_->FindProcess(namespec);
  if (program == nullptr || !program->main_child()) {
    return Error::FailedPrecondition(namespec + " is not running");
  }
  return spawner_->WriteStdin(*program->main_child(), data);
}

void Daemon::SendRemoteCommEvent(std::string_view type, std::string_view data) {
  events_->OnRemoteCommunication(type, data);
}

std::unique_ptr<api::Subscription> Daemon::ObserveLog(const std::string& path,
                                                      api::LogObserver& observer) {
  log_observers_[path].push_back(&observer);
  return std::make_unique<api::Subscription>([this, path, &observer] {
    auto it = log_observers_.find(path);
    if (it == log_observers_.end()) return;
    std::erase(it->second, &observer);
    if (it->second.empty()) log_observers_.erase(it);
  });
}

void Daemon::NotifyLog(const std::string& path) {
  auto it = log_observers_.find(path);
  if (it == log_observers_.end()) return;
  // A copy: an observer may end its subscription while being notified.
  std::vector<api::LogObserver*> observers = it->second;
  for (api::LogObserver* observer : observers) observer->OnLogChanged();
}

}  // namespace vigil::daemon
