#include "core/program_state.h"

namespace vigil::core {

std::string_view StateName(ProgramState state) {
  switch (state) {
    case ProgramState::kStopped:
      return "STOPPED";
    case ProgramState::kStarting:
      return "STARTING";
    case ProgramState::kRunning:
      return "RUNNING";
    case ProgramState::kBackoff:
      return "BACKOFF";
    case ProgramState::kStopping:
      return "STOPPING";
    case ProgramState::kExited:
      return "EXITED";
    case ProgramState::kFatal:
      return "FATAL";
    case ProgramState::kUnknown:
      return "UNKNOWN";
  }
  return "UNKNOWN";
}

}  // namespace vigil::core
