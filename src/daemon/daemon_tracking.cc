// Daemon: how it tracks its programs' processes: cgroups when a writable cgroup v2 exists, and
// what is left in them by a killed vigild or by stopped programs.

#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "daemon/daemon.h"

namespace vigil::daemon {
namespace {

// The cgroup directory name for this configuration: stable across restarts of vigild with the
// same file (so leftovers of a killed vigild are found), distinct between configurations.
std::string CgroupInstance(const config::SupervisordConfig& config) {
  std::string identifier = config.supervisord.identifier;
  for (char& c : identifier) {
    if (c == '/' || c == '\n') c = '_';
  }
  const size_t hash = std::hash<std::string>{}(config.path);
  return fmt::format("{}-{:08x}", identifier, hash & 0xffffffffU);
}

}  // namespace

Result<void> Daemon::SetUpTracking() {
  std::string why;
  cgroups_ = os::CgroupTree::Probe(CgroupInstance(config_), &why);
  if (!cgroups_) {
    log_->Info(
        fmt::format("tracking programs by process group ({}); a process that leaves "
                    "its session cannot be followed",
                    why));
    return Ok();
  }
  log_->Info(fmt::format("tracking every program in its own cgroup under {}", cgroups_->root()));
  // An earlier vigild for this configuration may have been killed: its programs' processes
  // must not run on unsupervised, nor clash with the ones started now.
  for (const os::Cgroup& leftover : cgroups_->Children()) {
    if (leftover.Populated()) {
      Result<std::vector<pid_t>> pids = leftover.Pids();
      log_->Warn(fmt::format("killing {} process(es) left in {} by an earlier vigild",
                             pids ? pids->size() : 0, leftover.path()));
      static_cast<void>(leftover.KillAll());  // failures show up as a cgroup that stays busy
      for (int i = 0; i < 200 && leftover.Populated(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    static_cast<void>(leftover.Remove());  // a busy cgroup is reused as it is
  }
  return Ok();
}

void Daemon::KillLeftovers() {
  for (const RealSpawner::Leftovers& leftover : spawner_->KillLeftovers()) {
    if (!log_) continue;
    log_->Warn(fmt::format("killing {} process(es) left in {} after its program stopped",
                           leftover.processes, leftover.cgroup));
  }
}

}  // namespace vigil::daemon
