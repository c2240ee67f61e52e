#pragma once

// The events vigild sends to event listeners, with their payloads exactly as supervisord
// 4.2.5 renders them (events.py payload() methods), and the envelope header a listener reads
// before each payload (process.py EventListenerPool._eventEnvelope).

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/event_types.h"
#include "core/events.h"

namespace vigil::core {

struct Event {
  EventType type = EventType::kEvent;
  std::string payload;  // UTF-8 text (process output that is not is passed as it is)
};

// PROCESS_STATE_<to> for a kStateChanged event, e.g.
// "processname:x groupname:g from_state:RUNNING expected:0 pid:42"; nullopt for other kinds.
std::optional<Event> ProcessStateEvent(const ProgramEvent& event);
// PROCESS_GROUP_ADDED / _REMOVED: "groupname:g\n".
Event ProcessGroupEvent(bool added, std::string_view group);
// SUPERVISOR_STATE_CHANGE_RUNNING / _STOPPING: empty.
Event SupervisorStateEvent(bool running);
// REMOTE_COMMUNICATION (supervisor.sendRemoteCommEvent): "type:<type>\n<data>".
Event RemoteCommunicationEvent(std::string_view type, std::string_view data);
// PROCESS_LOG_STDOUT / _STDERR: "processname:x groupname:g pid:N channel:stdout\n<data>".
Event ProcessLogEvent(bool is_stderr, std::string_view process, std::string_view group, pid_t pid,
                      std::string_view data);
// TICK_5 / TICK_60 / TICK_3600: "when:<epoch seconds, floored to the period>".
Event TickEvent(EventType type, int64_t when);

// What Python's len() gives for the payload: supervisord's `len:` counts characters, so a
// valid UTF-8 text counts its code points; anything else counts bytes.
size_t PayloadLength(std::string_view payload);

struct EnvelopeFields {
  std::string_view server;  // [supervisord] identifier
  uint64_t serial = 0;      // global, per event
  std::string_view pool;
  uint64_t pool_serial = 0;  // per pool, per event
};

// "ver:3.0 server:S serial:N pool:P poolserial:N eventname:E len:N\n<payload>".
std::string Envelope(const EnvelopeFields& fields, const Event& event);

}  // namespace vigil::core
