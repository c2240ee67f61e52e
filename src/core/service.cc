// Service: systemd's service.c state machine: its bookkeeping, processes and verbs here; entering
// each state in service_enter.cc, exits in service_exits.cc, timers in service_timers.cc. The
// functions keep systemd's names so that each can be read against its original; where vigil
// differs, a comment says why.

#include "core/service.h"

#include <fmt/format.h>
#include <signal.h>

#include "base/check.h"
#include "config/supervisord_types.h"

namespace vigil::core {
namespace {

using config::KillMode;

constexpr bool IsTerminateState(ServiceState state) {
  return state == ServiceState::kStopSigterm || state == ServiceState::kFinalSigterm;
}
constexpr bool IsKillState(ServiceState state) {
  return state == ServiceState::kStopSigkill || state == ServiceState::kFinalSigkill;
}
constexpr bool IsWatchdogState(ServiceState state) {
  return state == ServiceState::kStopWatchdog || state == ServiceState::kFinalWatchdog;
}

// The states in which systemd keeps watching the main process (service_set_state).
bool KeepsMainProcess(ServiceState state) {
  return state == ServiceState::kStart || state == ServiceState::kStartPost ||
         state == ServiceState::kRunning || state == ServiceState::kReload || IsStopState(state);
}
// ... and the control process.
bool KeepsControlProcess(ServiceState state) {
  return IsStartState(state) || state == ServiceState::kReload || IsStopState(state);
}
// ... and the state timer.
bool KeepsTimer(ServiceState state) {
  return IsStartState(state) || state == ServiceState::kRunning || state == ServiceState::kReload ||
         IsStopState(state) || state == ServiceState::kAutoRestart;
}
constexpr bool KeepsWatchdog(ServiceState state) {
  return state == ServiceState::kStartPost || state == ServiceState::kRunning ||
         state == ServiceState::kReload;
}

}  // namespace

Service::Service(config::ProgramSpec spec, ProgramHost& host)
    : spec_(std::move(spec)), host_(host) {
  Check(static_cast<bool>(spec_.service), "Service without a ServiceSpec");
}

// --- Bookkeeping ---

const std::vector<config::ExecCommand>& Service::Commands(ExecKind kind) const {
  const config::ServiceSpec& s = service_spec();
  switch (kind) {
    case ExecKind::kCondition:
      return s.exec_condition;
    case ExecKind::kStartPre:
      return s.exec_start_pre;
    case ExecKind::kStart:
      return s.exec_start;
    case ExecKind::kStartPost:
      return s.exec_start_post;
    case ExecKind::kReload:
      return s.exec_reload;
    case ExecKind::kStop:
      return s.exec_stop;
    case ExecKind::kStopPost:
      return s.exec_stop_post;
  }
  return s.exec_start;
}

ProgramEvent Service::MakeEvent(ProgramEvent::Kind kind) const {
  ProgramEvent event;
  event.kind = kind;
  event.group = spec_.group;
  event.name = spec_.name;
  event.namespec = namespec();
  event.from = event.to = state();
  event.pid = main_.pid;
  event.tries = restart_count_;
  return event;
}

void Service::Log(std::string message) {
  ProgramEvent event = MakeEvent(ProgramEvent::Kind::kServiceLog);
  event.message = std::move(message);
  host_.Publish(std::move(event));
}

ProgramState Service::state() const { return ToProgramState(state_, ran_and_ended_); }

int Service::exit_status() const { return main_exit_ ? main_exit_->SupervisordCode() : 0; }

void Service::SetState(ServiceState to) {
  const ServiceState from = state_;
  const ProgramState old_program_state = state();
  const ActiveState old_active = ToActiveState(from);
  state_ = to;

  if (!KeepsTimer(to)) timer_.reset();
  if (!KeepsMainProcess(to)) ForgetMain();
  if (!KeepsControlProcess(to) && control_.child) {
    host_.spawner().Forget(*control_.child);
    control_.Clear();
  }
  if (!KeepsWatchdog(to)) watchdog_.reset();

  const ActiveState active = ToActiveState(to);
  const WallTime now = host_.WallNow();
  if (active != old_active) {
    state_change_wall_ = now;
    if (active == ActiveState::kActive && old_active != ActiveState::kReloading) {
      active_enter_wall_ = now;
    }
    if (active == ActiveState::kInactive || active == ActiveState::kFailed) {
      inactive_enter_wall_ = now;
      last_stop_wall_ = now;
    }
  }
  // The jobs' messages, as systemd's job engine prints them.
  if (start_job_ && active != ActiveState::kActivating) {
    start_job_ = false;
    if (active == ActiveState::kActive) {
      Log(fmt::format("Started {}.", Description()));
    } else if (to == ServiceState::kDead && result_ == ServiceResult::kSuccess) {
      Log(fmt::format("Finished {}.", Description()));  // a oneshot that ran to its end
    } else if (active == ActiveState::kFailed || active == ActiveState::kDeactivating) {
      Log(fmt::format("Failed to start {}.", Description()));
    }
  }
  if (stop_job_ && (active == ActiveState::kInactive || active == ActiveState::kFailed)) {
    stop_job_ = false;
    Log(fmt::format("Stopped {}.", Description()));
  }

  const ProgramState new_program_state = state();
  if (new_program_state != old_program_state) {
    ProgramEvent event = MakeEvent(ProgramEvent::Kind::kStateChanged);
    event.from = old_program_state;
    event.to = new_program_state;
    event.expected = result_ == ServiceResult::kSuccess;
    host_.Publish(std::move(event));
  }
}

std::string Service::Description() const {
  const std::string& description = service_spec().description;
  return description.empty() ? spec_.name : description;
}

void Service::Arm(std::optional<Duration> timeout) {
  if (!timeout || *timeout == Duration::max()) {
    timer_.reset();
    return;
  }
  timer_ = host_.Now() + *timeout;
}

std::optional<MonotonicTime> Service::Deadline() const {
  std::optional<MonotonicTime> earliest = timer_;
  if (state_ == ServiceState::kAutoRestart && !restarts_allowed_) earliest.reset();
  if (watchdog_ && (!earliest || *watchdog_ < *earliest)) earliest = watchdog_;
  return earliest;
}

bool Service::settled() const {
  return state_ == ServiceState::kDead || state_ == ServiceState::kFailed ||
         state_ == ServiceState::kRunning || state_ == ServiceState::kExited;
}

// --- Processes ---

CommandRequest Service::MakeRequest(const config::ExecCommand& command, CommandRole role,
                                    bool with_result) const {
  CommandRequest request;
  request.command = &command;
  request.role = role;
  const config::ServiceSpec& s = service_spec();
  if (role == CommandRole::kControl && main_.child) {
    request.environment.emplace_back("MAINPID", std::to_string(main_.pid));
  }
  if (with_result) {
    // systemd's EXEC_SETENV_RESULT, for ExecStop= and ExecStopPost=.
    request.environment.emplace_back("SERVICE_RESULT", std::string(ServiceResultName(result_)));
    if (main_exit_) {
      request.environment.emplace_back("EXIT_CODE", std::string(ExitCodeName(*main_exit_)));
      request.environment.emplace_back("EXIT_STATUS", ExitStatusText(*main_exit_));
    }
  }
  request.notify_socket = EffectiveNotifyAccess(s) != config::NotifyAccess::kNone;
  const Duration watchdog = watchdog_override_.value_or(s.watchdog);
  if (role == CommandRole::kMain && watchdog > Duration::zero()) {
    request.environment.emplace_back(
        "WATCHDOG_USEC",
        std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(watchdog).count()));
    request.watchdog_pid = true;
  }
  return request;
}

void Service::RunControl(ExecKind kind, size_t index) {
  const config::ExecCommand& command = Commands(kind)[index];
  control_kind_ = kind;
  control_index_ = index;
  control_ignores_failure_ = command.ignore_failure;
  const bool with_result = kind == ExecKind::kStop || kind == ExecKind::kStopPost;
  CommandSpawn spawned =
      host_.spawner().SpawnCommand(spec_, MakeRequest(command, CommandRole::kControl, with_result));
  if (spawned.child) {
    control_.child = spawned.child->id;
    control_.pid = spawned.child->pid;
    return;
  }
  // systemd forks first and the child exits with a code of its own; vigil learns of the failure
  // before the fork returns, and plays it out the same way.
  Log(fmt::format("Failed to execute {}: {}", command.path, spawned.failure));
  control_.Clear();
  if (spawned.failure_code == 0) {
    pending_resources_failure_ = true;
    return;
  }
  pending_control_failure_ = ExitStatus::Exited(spawned.failure_code);
}

void Service::RunMain(size_t index) {
  const config::ExecCommand& command = service_spec().exec_start[index];
  main_index_ = index;
  main_ignores_failure_ = command.ignore_failure;
  CommandSpawn spawned =
      host_.spawner().SpawnCommand(spec_, MakeRequest(command, CommandRole::kMain, false));
  main_.known = true;
  main_is_command_ = true;
  main_start_wall_ = host_.WallNow();
  if (spawned.child) {
    main_.child = spawned.child->id;
    main_.pid = spawned.child->pid;
    ProgramEvent event = MakeEvent(ProgramEvent::Kind::kSpawned);
    event.pid = main_.pid;
    host_.Publish(std::move(event));
    return;
  }
  Log(fmt::format("Failed to execute {}: {}", command.path, spawned.failure));
  main_.Clear();
  if (spawned.failure_code == 0) {
    pending_resources_failure_ = true;
    return;
  }
  pending_main_failure_ = ExitStatus::Exited(spawned.failure_code);
}

// A command that failed before exec is an exit like any other, delivered once the state that
// started it has been entered (systemd would see the child's SIGCHLD then).
void Service::DeliverSpawnFailures() {
  if (pending_resources_failure_) {
    // Nothing was started at all (an EnvironmentFile= is missing, ...): systemd's "resources".
    pending_resources_failure_ = false;
    if (state_ == ServiceState::kStopPost) {
      EnterSignal(ServiceState::kFinalSigterm, ServiceResult::kResources);
    } else if (state_ == ServiceState::kFinalSigterm || state_ == ServiceState::kFinalSigkill ||
               state_ == ServiceState::kFinalWatchdog) {
      EnterDead(ServiceResult::kResources, true);
    } else {
      EnterSignal(ServiceState::kStopSigterm, ServiceResult::kResources);
    }
  }
  if (pending_control_failure_) {
    const ExitStatus status = *pending_control_failure_;
    pending_control_failure_.reset();
    OnControlExit(status);
  }
  if (pending_main_failure_) {
    const ExitStatus status = *pending_main_failure_;
    pending_main_failure_.reset();
    OnMainExit(status);
  }
}

void Service::SetMainPid(pid_t pid, std::optional<ChildId> child) {
  if (main_.child && main_.child != child) host_.spawner().Forget(*main_.child);
  main_.child = child;
  main_.pid = pid;
  main_.known = true;
  main_is_command_ = false;
  main_start_wall_ = host_.WallNow();
}

void Service::ForgetMain() {
  if (main_.child) host_.spawner().Forget(*main_.child);
  main_.Clear();
  main_is_command_ = false;
}

std::optional<bool> Service::MainAlive() const {
  if (!main_.known) return std::nullopt;
  return main_.child.has_value() || pending_main_failure_.has_value();
}

bool Service::Good() {
  std::optional<bool> alive = MainAlive();
  if (alive) return *alive;
  // No main pid was ever determined (Type=forking without a usable PIDFile= or guess): the
  // service runs as long as it has processes, or as far as vigil can tell.
  return host_.spawner().ServicePopulated(spec_).value_or(true);
}

bool Service::KillProcesses(ServiceState state) {
  const config::ServiceSpec& s = service_spec();
  if (s.kill_mode == KillMode::kNone) return false;
  int signo = s.kill_signal;
  if (IsWatchdogState(state)) {
    signo = s.watchdog_signal;
  } else if (IsKillState(state)) {
    signo = s.final_kill_signal;
  } else if (state == ServiceState::kStopSigterm && stopping_for_restart_ &&
             s.restart_kill_signal != 0) {
    signo = s.restart_kill_signal;
  }
  const bool send_sighup = s.send_sighup && IsTerminateState(state) && signo != SIGHUP;
  bool wait = false;
  auto signal_child = [&](const Tracked& tracked, std::string_view what) {
    if (!tracked.child) return;
    Log(fmt::format("Sending signal {} to {} process {}.", config::SignalName(signo), what,
                    tracked.pid));
    if (host_.spawner().Signal(*tracked.child, signo, false)) {
      if (signo != SIGKILL && signo != SIGCONT) {
        static_cast<void>(host_.spawner().Signal(*tracked.child, SIGCONT, false));
      }
      if (send_sighup) static_cast<void>(host_.spawner().Signal(*tracked.child, SIGHUP, false));
    }
    wait = true;
  };
  signal_child(main_, "main");
  signal_child(control_, "control");
  if (s.kill_mode == KillMode::kControlGroup ||
      (s.kill_mode == KillMode::kMixed && IsKillState(state))) {
    std::vector<pid_t> spared;
    if (main_.child) spared.push_back(main_.pid);
    if (control_.child) spared.push_back(control_.pid);
    const int signalled = host_.spawner().SignalService(spec_, signo, spared);
    if (signalled > 0) {
      wait = true;
      if (send_sighup) static_cast<void>(host_.spawner().SignalService(spec_, SIGHUP, spared));
    }
  }
  return wait;
}

bool Service::CgroupEmpty() {
  return host_.spawner().ServicePopulated(spec_) == std::optional<bool>(false);
}

// --- The verbs ---

void Service::Start() {
  Check(state_ == ServiceState::kDead || state_ == ServiceState::kFailed,
        "Service::Start outside dead/failed");
  start_refusal_.reset();
  if (!start_limit_.Allow(service_spec(), host_.Now())) {
    Log("Start request repeated too quickly.");
    result_ = ServiceResult::kSuccess;
    EnterDead(ServiceResult::kStartLimitHit, false);
    Log(fmt::format("Failed to start {}.", Description()));
    start_refusal_ = Error::FailedPrecondition(
        fmt::format("{}: start request repeated too quickly (start-limit-hit); "
                    "`reset-failed` clears the limit",
                    spec_.name));
    failure_text_ = "start-limit-hit";
    return;
  }
  ever_started_ = true;
  last_start_wall_ = host_.WallNow();
  result_ = ServiceResult::kSuccess;
  reload_result_ = ServiceResult::kSuccess;
  main_.known = false;
  main_exit_.reset();
  main_exit_pid_ = 0;
  forbid_restart_ = false;
  stopping_for_restart_ = false;
  ran_and_ended_ = false;
  status_text_.clear();
  failure_text_.clear();
  notify_ready_ = notify_stopping_ = false;
  watchdog_override_.reset();
  if (flush_restart_count_) {
    restart_count_ = 0;
    flush_restart_count_ = false;
  }
  start_job_ = true;
  Log(fmt::format("Starting {}...", Description()));
  EnterCondition();
  DeliverSpawnFailures();
}

void Service::Stop() {
  forbid_restart_ = true;
  if (IsStopState(state_)) return;
  if (!stop_job_) {
    stop_job_ = true;
    Log(fmt::format("Stopping {}...", Description()));
  }
  switch (state_) {
    case ServiceState::kAutoRestart:
      SetState(ServiceState::kDead);
      break;
    case ServiceState::kCondition:
    case ServiceState::kStartPre:
    case ServiceState::kStart:
    case ServiceState::kStartPost:
    case ServiceState::kReload:
      EnterSignal(ServiceState::kStopSigterm, ServiceResult::kSuccess);
      break;
    case ServiceState::kRunning:
    case ServiceState::kExited:
      EnterStop(ServiceResult::kSuccess);
      break;
    default:
      stop_job_ = false;
      break;
  }
  DeliverSpawnFailures();
}

void Service::GiveUp() {
  if (state_ == ServiceState::kAutoRestart) Stop();
}

Result<void> Service::SendSignal(int signo) {
  if (!main_.child) {
    return Error::FailedPrecondition(fmt::format("{} has no main process", spec_.name));
  }
  return host_.spawner().Signal(*main_.child, signo, false);
}

Result<void> Service::Reload() {
  if (state_ != ServiceState::kRunning && state_ != ServiceState::kExited) {
    return Error::FailedPrecondition(fmt::format("{} is not active, cannot reload", spec_.name));
  }
  if (service_spec().exec_reload.empty()) {
    return Error::FailedPrecondition(
        fmt::format("{} has no ExecReload=, it cannot be reloaded", spec_.name));
  }
  EnterReload();
  DeliverSpawnFailures();
  return Ok();
}

void Service::ResetFailed() {
  if (state_ == ServiceState::kFailed) SetState(ServiceState::kDead);
  result_ = ServiceResult::kSuccess;
  reload_result_ = ServiceResult::kSuccess;
  start_limit_.Reset();
  restart_count_ = 0;
  flush_restart_count_ = false;
  failure_text_.clear();
}

void Service::PrepareRestart() { stopping_for_restart_ = true; }

void Service::ReplaceSpec(config::ProgramSpec spec) {
  Check(static_cast<bool>(spec.service), "Service::ReplaceSpec without a ServiceSpec");
  const bool main_command = main_is_command_;
  spec_ = std::move(spec);
  // A oneshot's remaining ExecStart= lines come from the new definition, as far as it has them.
  if (main_command && main_index_ >= service_spec().exec_start.size()) main_is_command_ = false;
}

}  // namespace vigil::core
