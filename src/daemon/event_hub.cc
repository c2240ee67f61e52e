#include "daemon/event_hub.h"

#include <fmt/format.h>

#include "daemon/program_output.h"

namespace vigil::daemon {

EventHub::EventHub(const Clock& clock, logs::MainLog& log, RealSpawner& spawner,
                   std::string identifier, bool strip_ansi)
    : clock_(clock),
      log_(log),
      spawner_(spawner),
      strip_ansi_(strip_ansi),
      dispatcher_(std::move(identifier), *this) {}

void EventHub::Reset() {
  dispatcher_.Clear();
  ticks_ = core::TickSchedule();
  ticking_ = false;
}

void EventHub::OnGroupAdded(const config::GroupSpec& group) {
  if (group.kind == config::GroupSpec::Kind::kEventListenerPool) {
    dispatcher_.AddPool(group);
    StartTicksIfSubscribed();
  }
  dispatcher_.Publish(core::ProcessGroupEvent(true, group.name));
}

void EventHub::OnGroupRemoved(const std::string& name) {
  dispatcher_.Publish(core::ProcessGroupEvent(false, name));
  dispatcher_.RemovePool(name);
  // The last pool that wanted ticks is gone: no more timer.
  if (ticking_ && !SubscribedToTicks()) ticking_ = false;
}

void EventHub::OnProcessAdded(const config::ProgramSpec& spec) {
  if (supervisor_ == nullptr) return;
  const core::Group* group = supervisor_->FindGroup(spec.group);
  if (group != nullptr && group->kind == config::GroupSpec::Kind::kEventListenerPool) {
    dispatcher_.AddListener(spec);
  }
}

void EventHub::OnProcessRemoved(const std::string& namespec) {
  dispatcher_.RemoveListener(namespec);
}

void EventHub::OnProgramEvent(const core::ProgramEvent& event) {
  if (event.kind != core::ProgramEvent::Kind::kStateChanged) return;
  dispatcher_.OnProcessState(event.namespec, event.to);
  if (std::optional<core::Event> state = core::ProcessStateEvent(event)) {
    dispatcher_.Publish(*state);
  }
}

void EventHub::OnSupervisorState(bool running) {
  dispatcher_.Publish(core::SupervisorStateEvent(running));
}

void EventHub::OnRemoteCommunication(std::string_view type, std::string_view data) {
  dispatcher_.Publish(core::RemoteCommunicationEvent(type, data));
}

void EventHub::OnOutput(const config::ProgramSpec& spec, bool is_stderr, pid_t pid,
                        std::string_view data) {
  const std::string namespec = config::Namespec(spec);
  if (!is_stderr && dispatcher_.IsListener(namespec)) {
    // A listener's stdout is the protocol channel (supervisord's PEventListenerDispatcher).
    dispatcher_.OnListenerOutput(namespec, data);
    return;
  }
  const config::LogSpec& stream = is_stderr ? spec.stderr_log : spec.stdout_log;
  if (!stream.events_enabled) return;
  const core::EventType type =
      is_stderr ? core::EventType::kProcessLogStderr : core::EventType::kProcessLogStdout;
  if (!dispatcher_.IsSubscribed(type)) return;
  const std::string stripped = strip_ansi_ ? StripAnsi(data) : std::string(data);
  dispatcher_.Publish(core::ProcessLogEvent(is_stderr, spec.name, spec.group, pid, stripped));
}

int64_t EventHub::WallSeconds() const {
  return std::chrono::floor<std::chrono::seconds>(clock_.WallNow().time_since_epoch()).count();
}

bool EventHub::SubscribedToTicks() const {
  return dispatcher_.IsSubscribed(core::EventType::kTick5) ||
         dispatcher_.IsSubscribed(core::EventType::kTick60) ||
         dispatcher_.IsSubscribed(core::EventType::kTick3600);
}

void EventHub::StartTicksIfSubscribed() {
  if (ticking_ || !SubscribedToTicks()) return;
  ticking_ = true;
  ticks_ = core::TickSchedule();
  static_cast<void>(ticks_.Advance(WallSeconds()));  // the first call only records the slices
}

std::optional<MonotonicTime> EventHub::NextDeadline() const {
  if (!ticking_) return std::nullopt;
  std::optional<int64_t> due = ticks_.NextDue();
  if (!due) return std::nullopt;
  // The tick is due at a wall-clock second; the loop's timer runs on the monotonic clock.
  const WallTime wall_due{std::chrono::seconds(*due)};
  const Duration wait = std::max(Duration::zero(), wall_due - clock_.WallNow());
  return clock_.Now() + wait;
}

void EventHub::OnDeadline() {
  if (!ticking_) return;
  for (const core::Event& tick : ticks_.Advance(WallSeconds())) dispatcher_.Publish(tick);
}

bool EventHub::WriteEvent(const std::string& namespec, std::string_view envelope) {
  if (supervisor_ == nullptr) return false;
  const core::Program* program = supervisor_->FindProcess(namespec);
  if (program == nullptr || !program->main_child()) return false;
  return static_cast<bool>(spawner_.WriteStdin(*program->main_child(), envelope));
}

void EventHub::Notice(config::LogLevel level, std::string message) { log_.Log(level, message); }

}  // namespace vigil::daemon
