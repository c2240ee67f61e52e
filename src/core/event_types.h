#pragma once

// supervisord's event types (events.py EventTypes) and their class hierarchy: a pool that
// subscribes to an abstract type (EVENT, PROCESS_STATE, TICK, ...) receives every subtype, as
// supervisord's isinstance() check does.

#include <optional>
#include <string_view>

namespace vigil::core {

enum class EventType {
  kEvent,  // abstract: every event
  kProcessState,
  kProcessStateStopped,
  kProcessStateExited,
  kProcessStateStarting,
  kProcessStateStopping,
  kProcessStateBackoff,
  kProcessStateFatal,
  kProcessStateRunning,
  kProcessStateUnknown,
  kProcessCommunication,
  kProcessCommunicationStdout,
  kProcessCommunicationStderr,
  kProcessLog,
  kProcessLogStdout,
  kProcessLogStderr,
  kRemoteCommunication,
  kSupervisorStateChange,
  kSupervisorStateChangeRunning,
  kSupervisorStateChangeStopping,
  kTick,
  kTick5,
  kTick60,
  kTick3600,
  kProcessGroup,
  kProcessGroupAdded,
  kProcessGroupRemoved,
};

// "PROCESS_STATE_RUNNING"
std::string_view EventTypeName(EventType type);
// The type named `name` (upper case, as the config builder leaves it); nullopt if unknown.
std::optional<EventType> ParseEventType(std::string_view name);
// The abstract type `type` directly derives from; nullopt for EVENT.
std::optional<EventType> ParentEventType(EventType type);
// Whether an event of `type` is an instance of `subscribed` (equal, or a subtype of it).
bool IsEventOfType(EventType type, EventType subscribed);

}  // namespace vigil::core
