#pragma once

// EventHub: vigild's side of supervisord's event system. It turns what happens in the daemon
// (state changes, groups added and removed, vigild starting and stopping, sendRemoteCommEvent,
// program output with *_events_enabled, the TICK clock) into core::Events for the
// EventDispatcher, feeds listener processes' stdout to it, and writes the envelopes it sends to
// the listeners' stdin.
//
// TICK events cost a timer only while some pool subscribes to TICK: NextDeadline() is nullopt
// otherwise, so an idle vigild without such a pool never wakes up.

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

#include "base/time.h"
#include "config/supervisord_config.h"
#include "core/event_dispatcher.h"
#include "core/events.h"
#include "core/supervisor.h"
#include "core/tick_schedule.h"
#include "daemon/real_spawner.h"
#include "logs/main_log.h"

namespace vigil::daemon {

class EventHub : public core::EventListenerHost {
 public:
  // All references must outlive the hub.
  EventHub(const Clock& clock, logs::MainLog& log, RealSpawner& spawner, std::string identifier,
           bool strip_ansi);

  // The supervisor whose processes listeners are (replaced on reload).
  void SetSupervisor(core::Supervisor* supervisor) { supervisor_ = supervisor; }
  // A reload: every pool goes, silently (supervisord starts over); the global serial stays.
  void Reset();

  void OnGroupAdded(const config::GroupSpec& group);
  void OnGroupRemoved(const std::string& name);
  void OnProcessAdded(const config::ProgramSpec& spec);
  void OnProcessRemoved(const std::string& namespec);
  void OnProgramEvent(const core::ProgramEvent& event);
  void OnSupervisorState(bool running);
  void OnRemoteCommunication(std::string_view type, std::string_view data);
  // Output a program wrote (unstripped); `spec` is the program's.
  void OnOutput(const config::ProgramSpec& spec, bool is_stderr, pid_t pid, std::string_view data);

  // TICK events.
  std::optional<MonotonicTime> NextDeadline() const;
  void OnDeadline();

  // core::EventListenerHost.
  bool WriteEvent(const std::string& namespec, std::string_view envelope) override;
  void Notice(config::LogLevel level, std::string message) override;

 private:
  int64_t WallSeconds() const;
  bool SubscribedToTicks() const;
  void StartTicksIfSubscribed();

  const Clock& clock_;
  logs::MainLog& log_;
  RealSpawner& spawner_;
  bool strip_ansi_;
  core::Supervisor* supervisor_ = nullptr;
  core::EventDispatcher dispatcher_;
  core::TickSchedule ticks_;
  bool ticking_ = false;  // a pool subscribes to a TICK event: the schedule runs
};

}  // namespace vigil::daemon
