#pragma once

// ConnectionRelay: carries one unix-socket connection between its client and libmicrohttpd,
// which is handed one end of a socketpair instead of the client's own socket.
//
// Why: libmicrohttpd 0.9.75 (Debian 12) in epoll mode takes EPOLLHUP for an error and closes
// the connection without reading what is waiting in it. A unix-socket peer that closes its end
// raises EPOLLHUP at once (both directions of the connection are shut), so a request sent whole
// by a client that then closes (as `nc -U` does) was dropped unread, where supervisord carries
// it out. A TCP peer's close is only EPOLLRDHUP, which libmicrohttpd reads past. The relay turns
// the client's close into shutdown(SHUT_WR) on libmicrohttpd's side, the same half-close a TCP
// FIN is: libmicrohttpd reads and answers everything that was sent, then sees the end.
//
// Each direction holds at most kBufferBytes in the relay, so a side that does not read stops
// the other one (backpressure) instead of growing memory. Replies for a client that has gone
// are read and dropped until libmicrohttpd closes its end. Use from the loop thread only.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "base/result.h"
#include "base/unique_fd.h"
#include "loop/event_loop.h"

namespace vigil::api {

class ConnectionRelay {
 public:
  struct Callbacks {
    // The client can receive nothing more (it closed, or its socket failed). Called once.
    std::function<void()> on_client_gone;
    // Both sides are done and both sockets closed. The relay may be destroyed inside this call.
    std::function<void()> on_finished;
  };

  static constexpr size_t kBufferBytes = 64 * 1024;

  // Relays `client` (a connected, non-blocking stream socket) from now on; `server_end` gets the
  // socket to give libmicrohttpd. `loop` must outlive the relay.
  static Result<std::unique_ptr<ConnectionRelay>> Create(loop::EventLoop& loop, UniqueFd client,
                                                         Callbacks callbacks, UniqueFd* server_end);
  ~ConnectionRelay();
  ConnectionRelay(const ConnectionRelay&) = delete;
  ConnectionRelay& operator=(const ConnectionRelay&) = delete;

  // Whether bytes the server wrote are still on their way to a client that is there.
  bool Flushing() const;
  // Moves what the server wrote towards the client as far as it goes without waiting, with no
  // callbacks (for a server that is going away and will not run the loop again).
  void FlushNow();

 private:
  ConnectionRelay(UniqueFd client, UniqueFd inner, Callbacks callbacks);
  void OnClientEvent(uint32_t events);
  void OnInnerEvent(uint32_t events);
  // The reads stop at kBufferBytes unless `drain`: a side that hung up is read to its end (what
  // its socket still holds, which the kernel bounds).
  void ReadClient(bool drain);
  void WriteInner();
  void ReadInner(bool drain);
  void WriteClient();
  // Settles the state after a transfer: the half-close, the watches, the callbacks. Must be the
  // last thing an event handler does, since it may end in on_finished.
  void Settle();
  static void UpdateWatch(std::unique_ptr<loop::Watch>& watch, uint32_t events, uint32_t& current);

  Callbacks callbacks_;
  UniqueFd client_;
  UniqueFd inner_;  // our end of the socketpair; libmicrohttpd has the other
  std::unique_ptr<loop::Watch> client_watch_;
  std::unique_ptr<loop::Watch> inner_watch_;
  uint32_t client_events_ = 0;  // what the watches are registered for now
  uint32_t inner_events_ = 0;
  std::string upstream_;        // from the client, not yet written to the server
  std::string downstream_;      // from the server, not yet written to the client
  bool client_eof_ = false;     // the client has sent all it will send
  bool client_gone_ = false;    // the client can receive nothing more
  bool upstream_shut_ = false;  // the server has been told that nothing more comes
  bool server_done_ = false;    // the server closed its end
  bool told_gone_ = false;
  bool finished_ = false;
};

}  // namespace vigil::api
