#include "core/supervisord_program.h"

#include <fmt/format.h>
#include <signal.h>

#include "base/check.h"

namespace vigil::core {
namespace {

constexpr std::string_view kExitedTooQuickly = "Exited too quickly (process log may have details)";

// supervisord re-sends SIGKILL every stopwaitsecs while a child will not die; with a zero or
// negative stopwaitsecs that would be a busy loop, so repeats wait at least this long.
constexpr Duration kMinimumKillRepeat = std::chrono::seconds(1);

}  // namespace

SupervisordProgram::SupervisordProgram(config::ProgramSpec spec, ProgramHost& host)
    : spec_(std::move(spec)), host_(host), policy_(MakeRestartPolicy(spec_)) {}

ProgramEvent SupervisordProgram::MakeEvent(ProgramEvent::Kind kind) const {
  ProgramEvent event;
  event.kind = kind;
  event.group = spec_.group;
  event.name = spec_.name;
  event.namespec = namespec();
  event.from = event.to = state_;
  event.pid = pid();
  event.tries = policy_->FailedStarts();
  return event;
}

void SupervisordProgram::ChangeState(ProgramState to, bool expected) {
  if (to == state_) return;
  ProgramEvent event = MakeEvent(ProgramEvent::Kind::kStateChanged);
  event.from = state_;
  event.to = to;
  event.expected = expected;
  // supervisord renders the EXITED and STOPPED events before it forgets the pid.
  if (event.pid == 0) event.pid = last_pid_;
  state_ = to;
  host_.Publish(std::move(event));
}

void SupervisordProgram::Start() {
  Check(state_ == ProgramState::kStopped || state_ == ProgramState::kExited ||
            state_ == ProgramState::kFatal || state_ == ProgramState::kBackoff,
        "SupervisordProgram::Start in a state that does not allow starting");
  killing_ = false;
  spawn_error_.clear();
  last_spawn_failure_.reset();
  exit_status_ = 0;
  ever_started_ = true;
  deadline_.reset();
  last_start_ = host_.Now();
  last_start_wall_ = host_.WallNow();
  ChangeState(ProgramState::kStarting);

  Error failure = Error::FailedPrecondition(spec_.argv_error);
  if (spec_.argv_error.empty()) {
    Result<SpawnedChild> spawned = host_.spawner().Spawn(spec_);
    if (spawned) {
      child_ = spawned->id;
      pid_ = spawned->pid;
      last_pid_ = pid_;
      host_.Publish(MakeEvent(ProgramEvent::Kind::kSpawned));
      if (policy_->StartGrace() <= Duration::zero()) {
        BecomeRunning();
      } else {
        deadline_ = last_start_ + policy_->StartGrace();
      }
      return;
    }
    failure = spawned.error();
  }
  spawn_error_ = failure.message;
  last_spawn_failure_ = failure;
  ProgramEvent failed = MakeEvent(ProgramEvent::Kind::kSpawnError);
  failed.message = failure.message;
  host_.Publish(std::move(failed));
  EnterBackoff();
}

void SupervisordProgram::EnterBackoff() {
  std::optional<Duration> delay = policy_->OnStartFailed();
  ChangeState(ProgramState::kBackoff);
  if (delay) {
    deadline_ = host_.Now() + *delay;
    return;
  }
  GiveUp();
  host_.Publish(MakeEvent(ProgramEvent::Kind::kGaveUp));
}

void SupervisordProgram::GiveUp() {
  Check(state_ == ProgramState::kBackoff, "SupervisordProgram::GiveUp outside BACKOFF");
  deadline_.reset();
  policy_->OnGaveUp();
  ChangeState(ProgramState::kFatal);
}

void SupervisordProgram::BecomeRunning() {
  deadline_.reset();
  policy_->OnStarted();
  ChangeState(ProgramState::kRunning);
  ProgramEvent event = MakeEvent(ProgramEvent::Kind::kRunning);
  event.startsecs = std::chrono::duration_cast<std::chrono::seconds>(policy_->StartGrace()).count();
  host_.Publish(std::move(event));
}

void SupervisordProgram::Stop() {
  switch (state_) {
    case ProgramState::kBackoff:
      deadline_.reset();
      ChangeState(ProgramState::kStopped);
      return;
    case ProgramState::kRunning:
    case ProgramState::kStarting:
      Kill(spec_.stop.signal);
      return;
    case ProgramState::kStopped:
    case ProgramState::kStopping:
    case ProgramState::kExited:
    case ProgramState::kFatal:
    case ProgramState::kUnknown:
      Check(false, "SupervisordProgram::Stop in a state that does not allow stopping");
      return;
  }
}

void SupervisordProgram::Kill(int signo) {
  Check(child_.has_value(), "SupervisordProgram::Kill without a child");
  // The first signal of a stop goes by stopasgroup, the escalation by killasgroup.
  const bool to_group =
      state_ == ProgramState::kStopping ? spec_.stop.kill_group : spec_.stop.signal_group;
  killing_ = true;
  Duration repeat = spec_.stop.timeout;
  if (state_ == ProgramState::kStopping) repeat = std::max(repeat, kMinimumKillRepeat);
  deadline_ = host_.Now() + repeat;
  ChangeState(ProgramState::kStopping);
  Result<void> sent = host_.spawner().Signal(*child_, signo, to_group);
  if (!sent) {
    killing_ = false;
    deadline_.reset();
    spawn_error_ = sent.error().message;
    ProgramEvent event = MakeEvent(ProgramEvent::Kind::kSignalError);
    event.message = sent.error().message;
    host_.Publish(std::move(event));
    ChangeState(ProgramState::kUnknown);
  }
}

Result<void> SupervisordProgram::SendSignal(int signo) {
  Check(IsSignallable(state_) && child_.has_value(),
        "SupervisordProgram::SendSignal without a child");
  Result<void> sent = host_.spawner().Signal(*child_, signo, false);
  if (!sent) {
    ProgramEvent event = MakeEvent(ProgramEvent::Kind::kSignalError);
    event.message = sent.error().message;
    host_.Publish(std::move(event));
    ChangeState(ProgramState::kUnknown);
  }
  return sent;
}

void SupervisordProgram::OnExit(const ExitStatus& status) {
  Check(child_.has_value(), "SupervisordProgram::OnExit without a child");
  const MonotonicTime now = host_.Now();
  last_stop_wall_ = host_.WallNow();
  const bool too_quickly = now - last_start_ < policy_->StartGrace();
  const pid_t pid = pid_;
  const std::optional<MonotonicTime> kill_deadline = deadline_;
  deadline_.reset();

  auto publish_exit = [&](ProgramEvent::Kind kind, bool expected) {
    ProgramEvent event = MakeEvent(kind);
    event.pid = pid;
    event.status = status;
    event.expected = expected;
    host_.Publish(std::move(event));
  };
  auto forget_child = [&] {
    child_.reset();
    pid_ = 0;
  };

  if (killing_) {
    exit_status_ = status.SupervisordCode();
    stop_status_ = status;
    forget_child();
    if (host_.spawner().HasLeftovers(spec_)) {
      // The rest of the program gets the stop signal too (unless it already had it as a
      // group) and the same SIGKILL deadline.
      draining_ = true;
      deadline_ = kill_deadline;
      if (!spec_.stop.signal_group) {
        static_cast<void>(host_.spawner().SignalLeftovers(spec_, spec_.stop.signal));
      }
      return;
    }
    FinishStop();
    return;
  }
  if (too_quickly && state_ == ProgramState::kStarting) {
    exit_status_ = 0;  // supervisord records None for an exit before startsecs
    spawn_error_ = std::string(kExitedTooQuickly);
    forget_child();
    publish_exit(ProgramEvent::Kind::kExited, false);
    EnterBackoff();
    if (state_ == ProgramState::kBackoff && !restarts_allowed_) deadline_.reset();
    return;
  }
  // The child had started (or its start time cannot be trusted): RUNNING -> EXITED.
  if (state_ == ProgramState::kStarting) {
    policy_->OnStarted();
    ChangeState(ProgramState::kRunning);
  }
  const ExitVerdict verdict = policy_->OnExit(status);
  exit_status_ = status.SupervisordCode();
  if (!verdict.expected) spawn_error_ = fmt::format("Bad exit code {}", exit_status_);
  forget_child();
  ChangeState(ProgramState::kExited, verdict.expected);
  publish_exit(ProgramEvent::Kind::kExited, verdict.expected);
  if (!verdict.restart || !restarts_allowed_) return;
  if (verdict.delay <= Duration::zero()) {
    Start();
  } else {
    deadline_ = now + verdict.delay;
  }
}

bool SupervisordProgram::OnChildExit(ChildId child, const ExitStatus& status) {
  if (child_ != child) return false;
  OnExit(status);
  return true;
}

void SupervisordProgram::FinishStop() {
  killing_ = false;
  draining_ = false;
  deadline_.reset();
  ChangeState(ProgramState::kStopped);
  ProgramEvent event = MakeEvent(ProgramEvent::Kind::kStopped);
  event.status = stop_status_;
  event.expected = policy_->IsExpected(stop_status_);
  host_.Publish(std::move(event));
}

bool SupervisordProgram::CheckDrained() {
  if (!draining_) return false;
  if (!host_.spawner().HasLeftovers(spec_)) FinishStop();
  return true;
}

void SupervisordProgram::OnDeadline() {
  if (!deadline_ || host_.Now() < *deadline_) return;
  switch (state_) {
    case ProgramState::kStarting:
      BecomeRunning();
      return;
    case ProgramState::kBackoff:
    case ProgramState::kExited:
      deadline_.reset();
      if (restarts_allowed_) Start();
      return;
    case ProgramState::kStopping: {
      if (draining_ && !host_.spawner().HasLeftovers(spec_)) {
        FinishStop();
        return;
      }
      host_.Publish(MakeEvent(ProgramEvent::Kind::kKilling));
      if (!draining_) {
        Kill(SIGKILL);
        return;
      }
      static_cast<void>(host_.spawner().SignalLeftovers(spec_, SIGKILL));
      deadline_ = host_.Now() + std::max(spec_.stop.timeout, kMinimumKillRepeat);
      return;
    }
    case ProgramState::kStopped:
    case ProgramState::kRunning:
    case ProgramState::kFatal:
    case ProgramState::kUnknown:
      deadline_.reset();
      return;
  }
}

std::optional<MonotonicTime> SupervisordProgram::Deadline() const {
  if ((state_ == ProgramState::kBackoff || state_ == ProgramState::kExited) && !restarts_allowed_) {
    return std::nullopt;
  }
  return deadline_;
}

}  // namespace vigil::core
