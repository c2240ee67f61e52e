// The daemon's side of the systemd-unit verbs: enablement (install symlinks), daemon-reload,
// and what `vigilctl status` shows about a unit's processes and recent messages.

#include <errno.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "config/config_units.h"
#include "config/unit_loader.h"
#include "config/unit_name.h"
#include "daemon/daemon.h"
#include "os/small_file.h"

namespace vigil::daemon {
namespace {

constexpr size_t kRecentMessages = 10;

bool IsUnitGroup(const config::GroupSpec& group) {
  return group.processes.size() == 1 &&
         group.processes.front().dialect == config::Dialect::kSystemd;
}

// /proc/PID/cmdline with NULs as spaces; the comm in brackets for kernel threads and zombies.
std::string CommandLine(pid_t pid) {
  Result<std::string> text = os::ReadSmallFile(fmt::format("/proc/{}/cmdline", pid));
  if (text && !text->empty()) {
    std::string line = *text;
    while (!line.empty() && line.back() == '\0') line.pop_back();
    std::replace(line.begin(), line.end(), '\0', ' ');
    return line;
  }
  Result<std::string> comm = os::ReadSmallFile(fmt::format("/proc/{}/comm", pid));
  if (!comm) return "";
  std::string name = *comm;
  while (!name.empty() && name.back() == '\n') name.pop_back();
  return "[" + name + "]";
}

}  // namespace

config::UnitPaths Daemon::UnitPathsFor(const std::string& unit) const {
  config::UnitPaths paths{config_.unit_directories};
  // A unit named by path in [include] files= has its own directory as a place to look too.
  if (const core::Service* service = supervisor_ ? supervisor_->FindService(unit) : nullptr) {
    const std::string& fragment = service->service_spec().fragment_path;
    const std::string directory = fragment.substr(0, fragment.rfind('/'));
    if (!fragment.empty() && std::find(paths.directories.begin(), paths.directories.end(),
                                       directory) == paths.directories.end()) {
      paths.directories.push_back(directory);
    }
  }
  return paths;
}

std::string Daemon::UnitFileState(const std::string& unit) const {
  Result<std::string> name = config::NormalizeServiceName(unit);
  if (!name) return "not-found";
  return std::string(
      config::UnitFileStateName(config::GetUnitFileState(*name, UnitPathsFor(*name), host_)));
}

Result<std::vector<std::string>> Daemon::SetUnitEnabled(const std::string& unit, bool enabled) {
  Result<std::string> name = config::NormalizeServiceName(unit);
  if (!name) return name.error();
  const config::UnitPaths paths = UnitPathsFor(*name);
  Result<config::InstallPlan> plan =
      enabled ? config::PlanEnable(*name, paths, host_) : config::PlanDisable(*name, paths, host_);
  if (!plan) return plan.error();
  std::vector<std::string> done;
  for (const config::InstallChange& change : plan->changes) {
    if (change.kind == config::InstallChange::Kind::kUnlink) {
      if (::unlink(change.path.c_str()) != 0 && errno != ENOENT) {
        return Error::Io(errno,
                         fmt::format("cannot remove {}: {}", change.path, std::strerror(errno)));
      }
      done.push_back(fmt::format("Removed \"{}\".", change.path));
      continue;
    }
    std::error_code error;
    std::filesystem::create_directories(std::filesystem::path(change.path).parent_path(), error);
    if (error) {
      return Error::Io(error.value(), fmt::format("cannot create the directory of {}: {}",
                                                  change.path, error.message()));
    }
    ::unlink(change.path.c_str());  // a link to something else is replaced, as systemctl does
    if (::symlink(change.target.c_str(), change.path.c_str()) != 0) {
      return Error::Io(
          errno, fmt::format("cannot create symlink {}: {}", change.path, std::strerror(errno)));
    }
    done.push_back(fmt::format("Created symlink {} → {}.", change.path, change.target));
  }
  for (const std::string& warning : plan->warnings) done.push_back(warning);
  log_->Info(fmt::format("{} {}: {}", enabled ? "enabled" : "disabled", *name,
                         done.empty() ? "nothing to change" : done.front()));
  return done;
}

Result<std::vector<std::string>> Daemon::DaemonReload() {
  Result<config::SupervisordConfig> fresh = ReadConfiguration();
  if (!fresh) return fresh.error();
  for (const std::string& warning : fresh->warnings) log_->Warn(warning);
  std::vector<std::string> changes;
  std::set<std::string> present;
  for (const config::GroupSpec& group : fresh->groups) {
    if (!IsUnitGroup(group)) continue;
    const config::ProgramSpec& spec = group.processes.front();
    present.insert(spec.name);
    const core::Service* running = supervisor_->FindService(spec.name);
    if (running == nullptr) {
      if (Result<void> added = AddGroupFromSpec(group); !added) return added.error();
      changes.push_back(fmt::format("{}: added", spec.name));
      continue;
    }
    if (config::SameSettings(running->spec(), spec)) continue;
    if (Result<void> replaced = supervisor_->ReplaceServiceSpec(spec); !replaced) {
      return replaced.error();
    }
    changes.push_back(fmt::format("{}: changed, in effect from its next start", spec.name));
  }
  for (const core::Program* program : supervisor_->Processes()) {
    const core::Service* service = program->AsService();
    if (service == nullptr || present.count(service->spec().name)) continue;
    const std::string name = service->spec().name;
    // A unit loaded on demand (an instance of a template) stays while its file can still be
    // loaded, taking the file's current definition.
    Result<config::GroupSpec> reloaded = ReadUnitGroup(name, fresh->unit_directories);
    if (reloaded) {
      config::GroupSpec& group = *reloaded;
      if (!config::SameSettings(service->spec(), group.processes.front())) {
        if (Result<void> replaced = supervisor_->ReplaceServiceSpec(group.processes.front());
            !replaced) {
          return replaced.error();
        }
        changes.push_back(fmt::format("{}: changed, in effect from its next start", name));
      }
      fresh->groups.push_back(std::move(group));
      continue;
    }
    if (!IsStoppedState(service->state())) {
      changes.push_back(fmt::format("{}: its unit file is gone; it stays until it stops", name));
      continue;
    }
    if (Result<void> removed = supervisor_->RemoveGroup(name); !removed) return removed.error();
    outputs_.erase(name);
    spawner_->RemoveCgroups({name});
    changes.push_back(fmt::format("{}: removed", name));
  }
  // The unit part of the configuration is now the fresh one; supervisord programs wait for
  // reread/update as before.
  std::erase_if(configured_groups_, IsUnitGroup);
  for (const config::GroupSpec& group : fresh->groups) {
    if (IsUnitGroup(group)) configured_groups_.push_back(group);
  }
  config_.unit_directories = fresh->unit_directories;
  config_.unit_files = fresh->unit_files;
  log_->Info(fmt::format("daemon-reload: {}", changes.empty()
                                                  ? std::string("no unit changed")
                                                  : fmt::format("{} change(s)", changes.size())));
  for (const std::string& change : changes) log_->Info(change);
  return changes;
}

Result<std::string> Daemon::LoadUnit(const std::string& name) {
  Result<std::string> unit = config::NormalizeServiceName(name);
  if (!unit) return unit.error();
  if (supervisor_->FindService(*unit) != nullptr) return *unit;
  if (supervisor_->FindGroup(*unit) != nullptr) {
    return Error::AlreadyExists(fmt::format("{} is a program, not a unit", *unit));
  }
  Result<config::GroupSpec> group = ReadUnitGroup(*unit, config_.unit_directories);
  if (!group) return group.error();
  if (Result<void> added = AddGroupFromSpec(*group); !added) return added.error();
  configured_groups_.push_back(*group);
  log_->Info(fmt::format("{}: loaded on demand", group->name));
  return group->name;
}

Result<config::GroupSpec> Daemon::ReadUnitGroup(const std::string& unit,
                                                const std::vector<std::string>& directories) {
  Result<config::LoadedUnit> loaded =
      config::LoadServiceUnit(unit, config::UnitPaths{directories}, host_);
  if (!loaded) return loaded.error();
  for (const std::string& warning : loaded->warnings) log_->Warn(warning);
  return UnitGroup(std::move(loaded->spec));
}

std::vector<api::Control::ProcessSummary> Daemon::ServiceProcesses(const std::string& unit) const {
  std::vector<ProcessSummary> processes;
  for (pid_t pid : spawner_->ServicePids(unit)) {
    processes.push_back(ProcessSummary{pid, CommandLine(pid)});
  }
  std::sort(processes.begin(), processes.end(),
            [](const ProcessSummary& a, const ProcessSummary& b) { return a.pid < b.pid; });
  return processes;
}

std::string Daemon::ServiceCgroup(const std::string& unit) const {
  const os::Cgroup* cgroup = spawner_->CgroupOf(unit);
  if (cgroup == nullptr) return "";
  return cgroup->RelativePath();  // as /proc/PID/cgroup and systemctl show it
}

std::vector<api::Control::UnitMessage> Daemon::RecentMessages(const std::string& unit) const {
  auto it = unit_messages_.find(unit);
  if (it == unit_messages_.end()) return {};
  return std::vector<UnitMessage>(it->second.begin(), it->second.end());
}

void Daemon::RememberUnitMessage(const core::ProgramEvent& event) {
  std::deque<UnitMessage>& messages = unit_messages_[event.name];
  messages.push_back(UnitMessage{clock_.WallNow(), event.message});
  while (messages.size() > kRecentMessages) messages.pop_front();
}

}  // namespace vigil::daemon
