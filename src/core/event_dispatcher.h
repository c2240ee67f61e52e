#pragma once

// EventDispatcher: supervisord's event listener pools (process.py EventListenerPool). Each
// [eventlistener:x] pool has a FIFO buffer of the events it subscribes to; an event goes to the
// first process of the pool that is RUNNING and READY, one event in flight per process. A
// rejected event, one whose listener sent a malformed result, and one whose listener died while
// BUSY go back to the head of the buffer. A full buffer drops its oldest event (logged at
// ERROR). Serials: a global one per event (assigned when the first pool takes it) and one per
// pool, both from 0.
//
// Pure: envelopes are written and notices logged through the EventListenerHost.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/supervisord_config.h"
#include "core/event_payloads.h"
#include "core/event_types.h"
#include "core/listener_protocol.h"
#include "core/program_state.h"

namespace vigil::core {

class EventListenerHost {
 public:
  virtual ~EventListenerHost() = default;
  // Writes `envelope` to the stdin of listener process `namespec`; false when that pipe is
  // closed (supervisord's EPIPE), and the next READY process is tried.
  virtual bool WriteEvent(const std::string& namespec, std::string_view envelope) = 0;
  // A line for the main log, with supervisord's wording.
  virtual void Notice(config::LogLevel level, std::string message) = 0;
};

class EventDispatcher {
 public:
  // `host` must outlive the dispatcher. `server` is [supervisord] identifier.
  EventDispatcher(std::string server, EventListenerHost& host);

  // An [eventlistener:x] group (kind kEventListenerPool) was added; its processes start in
  // state STOPPED. Replaces a pool of the same name. Unknown event names are ignored (the
  // configuration has refused them already).
  void AddPool(const config::GroupSpec& spec);
  // The pool is removed with its buffer.
  void RemovePool(std::string_view name);
  // Every pool is removed; the global serial goes on (supervisord's reload).
  void Clear();
  // A process added to (removed from) an existing pool; nothing if there is no such pool.
  void AddListener(const config::ProgramSpec& spec);
  void RemoveListener(const std::string& namespec);
  // Whether some pool subscribes to events of `type` (e.g. TICK_5).
  bool IsSubscribed(EventType type) const;
  bool IsListener(const std::string& namespec) const;

  // Gives `event` to every pool that subscribes to it, then sends what can be sent.
  void Publish(const Event& event);
  // Listener process `namespec` entered `to`: a new process (STARTING) starts ACKNOWLEDGED; an
  // exit (BACKOFF, EXITED, STOPPED) puts its event in flight back at the head of its pool.
  void OnProcessState(const std::string& namespec, ProgramState to);
  // Output of listener process `namespec` on its stdout.
  void OnListenerOutput(const std::string& namespec, std::string_view data);

  std::optional<ListenerState> ListenerStateOf(const std::string& namespec) const;
  size_t BufferedEvents(std::string_view pool) const;

 private:
  struct QueuedEvent {
    Event event;
    uint64_t serial = 0;
    uint64_t pool_serial = 0;
  };
  struct Pool {
    std::string name;
    size_t buffer_size = 10;
    std::vector<EventType> subscriptions;
    std::vector<std::string> listeners;  // namespecs, in the group's process order
    std::deque<QueuedEvent> buffer;
    std::optional<uint64_t> serial;  // the last pool serial given
  };
  struct Listener {
    std::string pool;
    std::string name;  // process name, as supervisord's messages show it
    ProgramState state = ProgramState::kStopped;
    ListenerProtocol protocol;
    std::optional<QueuedEvent> in_flight;
  };

  void Accept(Pool& pool, QueuedEvent event, bool at_head);
  void Requeue(Listener& listener);
  void Dispatch(Pool& pool);
  bool SendToReadyListener(Pool& pool, const QueuedEvent& event);
  Pool* FindPool(std::string_view name);

  std::string server_;
  EventListenerHost& host_;
  std::vector<Pool> pools_;
  std::map<std::string, Listener> listeners_;  // by namespec
  std::optional<uint64_t> serial_;             // the last global serial given
};

}  // namespace vigil::core
