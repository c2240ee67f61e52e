#include "core/event_payloads.h"

#include <fmt/format.h>

#include "config/py_text.h"

namespace vigil::core {
namespace {

std::optional<EventType> StateEventType(ProgramState state) {
  switch (state) {
    case ProgramState::kStopped:
      return EventType::kProcessStateStopped;
    case ProgramState::kStarting:
      return EventType::kProcessStateStarting;
    case ProgramState::kRunning:
      return EventType::kProcessStateRunning;
    case ProgramState::kBackoff:
      return EventType::kProcessStateBackoff;
    case ProgramState::kStopping:
      return EventType::kProcessStateStopping;
    case ProgramState::kExited:
      return EventType::kProcessStateExited;
    case ProgramState::kFatal:
      return EventType::kProcessStateFatal;
    case ProgramState::kUnknown:
      return EventType::kProcessStateUnknown;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Event> ProcessStateEvent(const ProgramEvent& event) {
  if (event.kind != ProgramEvent::Kind::kStateChanged) return std::nullopt;
  std::optional<EventType> type = StateEventType(event.to);
  if (!type) return std::nullopt;
  std::string payload = fmt::format("processname:{} groupname:{} from_state:{}", event.name,
                                    event.group, StateName(event.from));
  // The extra values of events.py's ProcessState*Event classes.
  switch (event.to) {
    case ProgramState::kStarting:
    case ProgramState::kBackoff:
      payload += fmt::format(" tries:{}", event.tries);
      break;
    case ProgramState::kExited:
      payload += fmt::format(" expected:{} pid:{}", event.expected ? 1 : 0, event.pid);
      break;
    case ProgramState::kRunning:
    case ProgramState::kStopping:
    case ProgramState::kStopped:
      payload += fmt::format(" pid:{}", event.pid);
      break;
    case ProgramState::kFatal:
    case ProgramState::kUnknown:
      break;
  }
  return Event{*type, std::move(payload)};
}

Event ProcessGroupEvent(bool added, std::string_view group) {
  return Event{added ? EventType::kProcessGroupAdded : EventType::kProcessGroupRemoved,
               fmt::format("groupname:{}\n", group)};
}

Event SupervisorStateEvent(bool running) {
  return Event{running ? EventType::kSupervisorStateChangeRunning
                       : EventType::kSupervisorStateChangeStopping,
               ""};
}

Event RemoteCommunicationEvent(std::string_view type, std::string_view data) {
  return Event{EventType::kRemoteCommunication, fmt::format("type:{}\n{}", type, data)};
}

Event ProcessLogEvent(bool is_stderr, std::string_view process, std::string_view group, pid_t pid,
                      std::string_view data) {
  return Event{is_stderr ? EventType::kProcessLogStderr : EventType::kProcessLogStdout,
               fmt::format("processname:{} groupname:{} pid:{} channel:{}\n{}", process, group, pid,
                           is_stderr ? "stderr" : "stdout", data)};
}

Event TickEvent(EventType type, int64_t when) { return Event{type, fmt::format("when:{}", when)}; }

size_t PayloadLength(std::string_view payload) {
  return config::IsValidUtf8(payload) ? config::CodePointCount(payload) : payload.size();
}

std::string Envelope(const EnvelopeFields& fields, const Event& event) {
  return fmt::format("ver:3.0 server:{} serial:{} pool:{} poolserial:{} eventname:{} len:{}\n{}",
                     fields.server, fields.serial, fields.pool, fields.pool_serial,
                     EventTypeName(event.type), PayloadLength(event.payload), event.payload);
}

}  // namespace vigil::core
