#pragma once

// CapturingEventSink: keeps every event, and renders state changes compactly for assertions:
// "web:STOPPED->STARTING".

#include <string>
#include <vector>

#include "core/events.h"

namespace vigil::testing {

class CapturingEventSink : public core::EventSink {
 public:
  void OnProgramEvent(const core::ProgramEvent& event) override { events_.push_back(event); }

  const std::vector<core::ProgramEvent>& events() const { return events_; }
  std::vector<std::string> Transitions() const;
  std::vector<std::string> Transitions(const std::string& namespec) const;
  int Count(core::ProgramEvent::Kind kind) const;
  void Clear() { events_.clear(); }

 private:
  std::vector<core::ProgramEvent> events_;
};

}  // namespace vigil::testing
