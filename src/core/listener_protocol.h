#pragma once

// ListenerProtocol: what one event listener process says on its stdout, as supervisord 4.2.5's
// PEventListenerDispatcher.handle_listener_state_change reads it.
//
//   ACKNOWLEDGED --"READY\n"--> READY --(event sent: OnSent)--> BUSY
//   BUSY --"RESULT <n>\n" + n bytes--> ACKNOWLEDGED (result "OK" accepts; anything else rejects)
//   ACKNOWLEDGED with 6 bytes that are not "READY\n", any byte while READY, or a RESULT line
//   whose length is not a number --> UNKNOWN, which is final until the process is restarted.
//
// One difference: supervisord processes a "RESULT 0\n" only when more output follows it; here
// it is processed at once.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::core {

enum class ListenerState { kReady = 10, kBusy = 20, kAcknowledged = 30, kUnknown = 40 };

struct ListenerOutcome {
  enum class Kind {
    kReady,      // ACKNOWLEDGED -> READY: it may be sent an event
    kAccepted,   // BUSY -> ACKNOWLEDGED: the event in flight is done
    kRejected,   // BUSY -> ACKNOWLEDGED: the event in flight goes back to the pool's head
    kBadResult,  // BUSY -> UNKNOWN: malformed RESULT line; the event goes back
    kViolation,  // ACKNOWLEDGED/READY -> UNKNOWN: unexpected output
  };
  Kind kind;
  std::string text;  // kRejected: the result; kBadResult: the line
};

class ListenerProtocol {
 public:
  ListenerState state() const { return state_; }
  // A new process of the listener: ACKNOWLEDGED, nothing buffered.
  void Reset();
  // An event was written to the listener. Requires READY.
  void OnSent();
  // Output read from the listener's stdout; what it meant, in order.
  std::vector<ListenerOutcome> Feed(std::string_view data);

 private:
  // One step over buffer_; false when more data is needed.
  bool Step(std::vector<ListenerOutcome>& outcomes);

  ListenerState state_ = ListenerState::kAcknowledged;
  std::string buffer_;
  bool have_length_ = false;  // BUSY: the RESULT line has been read
  uint64_t result_length_ = 0;
  std::string result_;
};

}  // namespace vigil::core
