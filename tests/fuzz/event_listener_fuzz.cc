// Fuzzes the event listener protocol and the pool dispatcher: the input is a script of
// listener output (arbitrary bytes), process state changes and published events for a pool of
// two listeners with a buffer of three. Invariants: the buffer never exceeds its size, an
// event is only written to a listener that was READY, and what the dispatcher writes is always
// one whole envelope whose len: matches its payload.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/check.h"
#include "core/event_dispatcher.h"

namespace {

using vigil::core::ListenerState;

class Host : public vigil::core::EventListenerHost {
 public:
  explicit Host(vigil::core::EventDispatcher*& dispatcher) : dispatcher_(dispatcher) {}
  bool WriteEvent(const std::string& namespec, std::string_view envelope) override {
    vigil::Check(dispatcher_->ListenerStateOf(namespec) == ListenerState::kReady,
                 "an event was written to a listener that is not READY");
    const size_t newline = envelope.find('\n');
    vigil::Check(newline != std::string_view::npos && envelope.starts_with("ver:3.0 "),
                 "not an envelope");
    const size_t len = envelope.rfind(" len:", newline);
    vigil::Check(len != std::string_view::npos, "no len:");
    const std::string_view payload = envelope.substr(newline + 1);
    vigil::Check(std::to_string(vigil::core::PayloadLength(payload)) ==
                     envelope.substr(len + 5, newline - len - 5),
                 "len: does not match the payload");
    return (envelope.size() % 7) != 0;  // sometimes a closed stdin
  }
  void Notice(vigil::config::LogLevel, std::string) override {}

 private:
  vigil::core::EventDispatcher*& dispatcher_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil::core;
  EventDispatcher* self = nullptr;
  Host host(self);
  EventDispatcher dispatcher("fuzz", host);
  self = &dispatcher;
  vigil::config::GroupSpec pool;
  pool.kind = vigil::config::GroupSpec::Kind::kEventListenerPool;
  pool.name = "p";
  pool.buffer_size = 3;
  pool.events = {"EVENT"};
  for (const char* name : {"a", "b"}) {
    vigil::config::ProgramSpec spec;
    spec.group = "p";
    spec.name = name;
    pool.processes.push_back(spec);
  }
  dispatcher.AddPool(pool);
  constexpr ProgramState kStates[] = {ProgramState::kStarting, ProgramState::kRunning,
                                      ProgramState::kExited,   ProgramState::kStopping,
                                      ProgramState::kStopped,  ProgramState::kBackoff};
  size_t i = 0;
  while (i < size) {
    const uint8_t op = data[i++];
    const std::string namespec = (op & 0x80) ? "p:a" : "p:b";
    switch (op & 3) {
      case 0: {
        const size_t n = std::min<size_t>(op >> 2 & 0x1f, size - i);
        dispatcher.OnListenerOutput(namespec,
                                    std::string_view(reinterpret_cast<const char*>(data + i), n));
        i += n;
        break;
      }
      case 1:
        dispatcher.OnProcessState(namespec, kStates[(op >> 2 & 0x1f) % 6]);
        break;
      case 2:
        dispatcher.Publish(RemoteCommunicationEvent("t", std::string(op >> 2 & 0x1f, '\xc3')));
        break;
      case 3:
        dispatcher.Publish(ProcessGroupEvent((op & 4) != 0, "g"));
        break;
    }
    vigil::Check(dispatcher.BufferedEvents("p") <= 3, "the buffer outgrew buffer_size");
  }
  return 0;
}
