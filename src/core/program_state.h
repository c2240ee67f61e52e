#pragma once

// supervisord's process states, with its numeric codes (states.py), which the XML-RPC API and
// event listeners expose verbatim.

#include <string_view>

namespace vigil::core {

enum class ProgramState {
  kStopped = 0,
  kStarting = 10,
  kRunning = 20,
  kBackoff = 30,
  kStopping = 40,
  kExited = 100,
  kFatal = 200,
  kUnknown = 1000,
};

std::string_view StateName(ProgramState state);  // "RUNNING"

// supervisord's RUNNING_STATES: start gives ALREADY_STARTED, stop is allowed.
constexpr bool IsRunningState(ProgramState s) {
  return s == ProgramState::kRunning || s == ProgramState::kBackoff || s == ProgramState::kStarting;
}
// STOPPED_STATES: start is allowed, the process counts as stopped for shutdown and removal.
constexpr bool IsStoppedState(ProgramState s) {
  return s == ProgramState::kStopped || s == ProgramState::kExited || s == ProgramState::kFatal ||
         s == ProgramState::kUnknown;
}
// SIGNALLABLE_STATES: a child exists to signal.
constexpr bool IsSignallable(ProgramState s) {
  return s == ProgramState::kRunning || s == ProgramState::kStarting ||
         s == ProgramState::kStopping;
}

}  // namespace vigil::core
