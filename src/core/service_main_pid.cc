// How a Service learns its main pid when it did not spawn it: Type=forking's PIDFile= and
// GuessMainPID=, and sd_notify's MAINPID=; and the rest of the notify protocol (READY=1,
// STOPPING=1, STATUS=, WATCHDOG=, EXTEND_TIMEOUT_USEC=). systemd's service_load_pid_file,
// service_search_main_pid and service_notify_message.

#include <fmt/format.h>

#include <charconv>

#include "base/strings.h"
#include "core/service.h"

namespace vigil::core {
namespace {

std::optional<int64_t> ParseNumber(std::string_view text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

bool Service::AcceptMainPid(pid_t pid, bool trusted, bool warn) {
  auto refuse = [&](std::string message) {
    if (warn) Log(std::move(message));
    return false;
  };
  if (pid <= 0) return refuse(fmt::format("Main PID {} is not a valid process ID.", pid));
  if (control_.child && pid == control_.pid) {
    return refuse(fmt::format("New main PID {} is the control process, refusing.", pid));
  }
  switch (host_.spawner().OwnerOf(spec_, pid)) {
    case ProcessOwner::kManager:
      return refuse(fmt::format("New main PID {} is the manager itself, refusing.", pid));
    case ProcessOwner::kGone:
      return refuse(fmt::format("New main PID {} does not exist or is a zombie.", pid));
    case ProcessOwner::kOther:
      if (!trusted) {
        return refuse(fmt::format(
            "New main PID {} does not belong to service, and PID file is not owned by root. "
            "Refusing.",
            pid));
      }
      break;
    case ProcessOwner::kService:
      break;
  }
  Result<SpawnedChild> adopted = host_.spawner().Adopt(spec_, pid);
  if (!adopted) {
    return refuse(fmt::format("New main PID {} does not exist or is a zombie.", pid));
  }
  SetMainPid(adopted->pid, adopted->id);
  ProgramEvent event = MakeEvent(ProgramEvent::Kind::kSpawned);
  event.pid = pid;
  host_.Publish(std::move(event));
  return true;
}

bool Service::LoadPidFile(bool may_warn) {
  const std::string& path = service_spec().pid_file;
  if (path.empty()) return false;
  Result<PidFileContents> read = host_.spawner().ReadPidFile(path);
  if (!read) {
    if (may_warn) {
      Log(fmt::format("Can't open PID file {} (yet?) after {}: {}", path, ServiceStateName(state_),
                      read.error().message));
    }
    return false;
  }
  if (main_.known && main_.child && read->pid == main_.pid) return true;
  if (read->unsafe_symlink && host_.spawner().OwnerOf(spec_, read->pid) != ProcessOwner::kService) {
    Log(fmt::format(
        "Refusing to accept PID outside of service control group, acquired through unsafe "
        "symlink chain: {}",
        path));
    return false;
  }
  return AcceptMainPid(read->pid, read->owner == 0, true);
}

void Service::SearchMainPid() {
  if (main_.known || !service_spec().guess_main_pid) return;
  std::optional<pid_t> guessed = host_.spawner().GuessMainPid(spec_);
  if (!guessed) return;
  AcceptMainPid(*guessed, false, false);
}

bool Service::DemandPidFile() {
  if (!waiting_for_pid_file_) {
    waiting_for_pid_file_ = true;
    host_.spawner().WatchPidFile(spec_, service_spec().pid_file, true);
  }
  // The file may have been written between the last read and the watch: read it once more now
  // that any later change will be reported.
  if (!LoadPidFile(false)) return false;
  StopWatchingPidFile();
  return true;
}

void Service::StopWatchingPidFile() {
  if (!waiting_for_pid_file_) return;
  waiting_for_pid_file_ = false;
  host_.spawner().WatchPidFile(spec_, service_spec().pid_file, false);
}

void Service::OnPidFileChanged() {
  if (!waiting_for_pid_file_) return;
  if (state_ != ServiceState::kStart && state_ != ServiceState::kStartPost) {
    StopWatchingPidFile();
    return;
  }
  // service_retry_pid_file
  if (!LoadPidFile(false)) return;
  StopWatchingPidFile();
  EnterRunning(ServiceResult::kSuccess);
  DeliverSpawnFailures();
}

void Service::OnNotify(pid_t sender, uid_t sender_uid, std::string_view message) {
  const config::NotifyAccess access = EffectiveNotifyAccess(service_spec());
  switch (access) {
    case config::NotifyAccess::kUnset:
    case config::NotifyAccess::kNone:
      Log(fmt::format("Got notification message from PID {}, but reception is disabled.", sender));
      return;
    case config::NotifyAccess::kMain:
      if (!main_.child || sender != main_.pid) {
        if (main_.child) {
          Log(fmt::format(
              "Got notification message from PID {}, but reception only permitted for main PID "
              "{}",
              sender, main_.pid));
        } else {
          Log(fmt::format(
              "Got notification message from PID {}, but reception only permitted for main PID "
              "which is currently not known",
              sender));
        }
        return;
      }
      break;
    case config::NotifyAccess::kExec:
      if (!((main_.child && sender == main_.pid) || (control_.child && sender == control_.pid))) {
        Log(fmt::format(
            "Got notification message from PID {}, but reception only permitted for main PID "
            "and control PID",
            sender));
        return;
      }
      break;
    case config::NotifyAccess::kAll:
      break;
  }

  const std::vector<std::string> lines = Split(message, '\n');
  std::vector<std::pair<std::string_view, std::string_view>> fields;  // views into `lines`
  for (std::string_view line : lines) {
    const size_t equals = line.find('=');
    if (equals == std::string_view::npos) continue;
    fields.emplace_back(line.substr(0, equals), line.substr(equals + 1));
  }
  auto find = [&](std::string_view key) -> std::optional<std::string_view> {
    for (const auto& [k, v] : fields) {
      if (k == key) return v;
    }
    return std::nullopt;
  };

  if (std::optional<std::string_view> value = find("MAINPID")) {
    const bool may_change = state_ == ServiceState::kStart || state_ == ServiceState::kStartPost ||
                            state_ == ServiceState::kRunning || IsStopState(state_);
    std::optional<int64_t> pid = ParseNumber(*value);
    if (!pid || *pid <= 0) {
      Log(fmt::format("Failed to parse MAINPID= field in notification message, ignoring: {}",
                      *value));
    } else if (may_change && (!main_.child || *pid != main_.pid)) {
      AcceptMainPid(static_cast<pid_t>(*pid), sender_uid == 0, true);
    }
  }

  // READY=1 and STOPPING=1: the last one wins.
  for (auto it = fields.rbegin(); it != fields.rend(); ++it) {
    if (it->first == "READY" && it->second == "1") {
      notify_ready_ = true;
      if (service_spec().type == config::ServiceType::kNotify && state_ == ServiceState::kStart) {
        EnterStartPost();
      }
      break;
    }
    if (it->first == "STOPPING" && it->second == "1") {
      notify_stopping_ = true;
      if (state_ == ServiceState::kRunning) EnterStopByNotify();
      break;
    }
  }

  if (std::optional<std::string_view> status = find("STATUS")) status_text_ = std::string(*status);

  if (std::optional<std::string_view> extend = find("EXTEND_TIMEOUT_USEC")) {
    if (std::optional<int64_t> usec = ParseNumber(*extend); usec && *usec >= 0) {
      ExtendTimeout(std::chrono::microseconds(*usec));
    } else {
      Log(fmt::format("Failed to parse EXTEND_TIMEOUT_USEC={}", *extend));
    }
  }

  if (std::optional<std::string_view> watchdog = find("WATCHDOG")) {
    if (*watchdog == "1") {
      if (watchdog_) ArmWatchdog();
    } else if (*watchdog == "trigger") {
      if (watchdog_) watchdog_ = host_.Now();
    } else {
      Log("Passed WATCHDOG= field is invalid, ignoring.");
    }
  }
  if (std::optional<std::string_view> usec_text = find("WATCHDOG_USEC")) {
    if (std::optional<int64_t> usec = ParseNumber(*usec_text); usec && *usec >= 0) {
      watchdog_override_ = std::chrono::microseconds(*usec);
      if (watchdog_ || state_ == ServiceState::kRunning) ArmWatchdog();
    } else {
      Log(fmt::format("Failed to parse WATCHDOG_USEC={}", *usec_text));
    }
  }
  DeliverSpawnFailures();
}

}  // namespace vigil::core
