#include "tests/fakes/capturing_event_sink.h"

namespace vigil::testing {

std::vector<std::string> CapturingEventSink::Transitions() const {
  std::vector<std::string> out;
  for (const core::ProgramEvent& e : events_) {
    if (e.kind != core::ProgramEvent::Kind::kStateChanged) continue;
    out.push_back(e.namespec + ":" + std::string(core::StateName(e.from)) + "->" +
                  std::string(core::StateName(e.to)));
  }
  return out;
}

std::vector<std::string> CapturingEventSink::Transitions(const std::string& namespec) const {
  std::vector<std::string> out;
  for (const core::ProgramEvent& e : events_) {
    if (e.kind != core::ProgramEvent::Kind::kStateChanged || e.namespec != namespec) continue;
    out.push_back(std::string(core::StateName(e.to)));
  }
  return out;
}

int CapturingEventSink::Count(core::ProgramEvent::Kind kind) const {
  int n = 0;
  for (const core::ProgramEvent& e : events_) n += e.kind == kind ? 1 : 0;
  return n;
}

}  // namespace vigil::testing
