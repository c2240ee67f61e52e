#include "api/connection_relay.h"

#include <errno.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <algorithm>

#include "os/errors.h"

namespace vigil::api {
namespace {

constexpr size_t kChunkBytes = 16 * 1024;

bool WouldBlock() { return errno == EAGAIN || errno == EWOULDBLOCK; }

}  // namespace

Result<std::unique_ptr<ConnectionRelay>> ConnectionRelay::Create(loop::EventLoop& loop,
                                                                 UniqueFd client,
                                                                 Callbacks callbacks,
                                                                 UniqueFd* server_end) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) != 0) {
    return os::SysError("socketpair");
  }
  UniqueFd inner(pair[0]);
  UniqueFd outer(pair[1]);
  std::unique_ptr<ConnectionRelay> relay(
      new ConnectionRelay(std::move(client), std::move(inner), std::move(callbacks)));
  ConnectionRelay* r = relay.get();
  Result<std::unique_ptr<loop::Watch>> client_watch = loop.WatchFd(
      r->client_.get(), EPOLLIN, loop::Phase::kIo, [r](uint32_t e) { r->OnClientEvent(e); });
  if (!client_watch) return client_watch.error();
  r->client_watch_ = std::move(*client_watch);
  r->client_events_ = EPOLLIN;
  Result<std::unique_ptr<loop::Watch>> inner_watch = loop.WatchFd(
      r->inner_.get(), EPOLLIN, loop::Phase::kIo, [r](uint32_t e) { r->OnInnerEvent(e); });
  if (!inner_watch) return inner_watch.error();
  r->inner_watch_ = std::move(*inner_watch);
  r->inner_events_ = EPOLLIN;
  *server_end = std::move(outer);
  return relay;
}

ConnectionRelay::ConnectionRelay(UniqueFd client, UniqueFd inner, Callbacks callbacks)
    : callbacks_(std::move(callbacks)), client_(std::move(client)), inner_(std::move(inner)) {}

ConnectionRelay::~ConnectionRelay() {
  // Watches first: they unregister descriptors that must still be open.
  client_watch_.reset();
  inner_watch_.reset();
}

bool ConnectionRelay::Flushing() const {
  if (finished_ || client_gone_) return false;
  if (!downstream_.empty()) return true;
  int waiting = 0;
  return !server_done_ && ::ioctl(inner_.get(), FIONREAD, &waiting) == 0 && waiting > 0;
}

void ConnectionRelay::FlushNow() {
  if (finished_) return;
  ReadInner(true);
  WriteClient();
}

void ConnectionRelay::OnClientEvent(uint32_t events) {
  // On a unix socket, a hang-up means the peer closed: it sends and receives nothing more.
  // What it sent before is still to be read, all of it, so that the request goes through.
  const bool hangup = (events & (EPOLLHUP | EPOLLERR)) != 0;
  if ((events & EPOLLIN) != 0 || hangup) ReadClient(hangup);
  if (hangup) client_gone_ = true;
  WriteInner();
  WriteClient();
  Settle();
}

void ConnectionRelay::OnInnerEvent(uint32_t events) {
  const bool hangup = (events & (EPOLLHUP | EPOLLERR)) != 0;
  if ((events & EPOLLIN) != 0 || hangup) ReadInner(hangup);
  WriteInner();
  WriteClient();
  Settle();
}

void ConnectionRelay::ReadClient(bool drain) {
  char buffer[kChunkBytes];
  while (!client_eof_ && !server_done_ && (drain || upstream_.size() < kBufferBytes)) {
    const size_t room =
        drain ? sizeof buffer : std::min(sizeof buffer, kBufferBytes - upstream_.size());
    const ssize_t n = ::recv(client_.get(), buffer, room, 0);
    if (n > 0) {
      upstream_.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && WouldBlock()) break;
    client_eof_ = true;
    if (n < 0) client_gone_ = true;
  }
}

void ConnectionRelay::WriteInner() {
  while (!upstream_.empty() && !server_done_) {
    const ssize_t n = ::send(inner_.get(), upstream_.data(), upstream_.size(), MSG_NOSIGNAL);
    if (n > 0) {
      upstream_.erase(0, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && WouldBlock()) break;
    // The server closed its end: it will take nothing more.
    upstream_.clear();
    upstream_shut_ = true;
  }
}

void ConnectionRelay::ReadInner(bool drain) {
  char buffer[kChunkBytes];
  while (!server_done_ && (drain || client_gone_ || downstream_.size() < kBufferBytes)) {
    const size_t room = drain || client_gone_
                            ? sizeof buffer
                            : std::min(sizeof buffer, kBufferBytes - downstream_.size());
    const ssize_t n = ::recv(inner_.get(), buffer, room, 0);
    if (n > 0) {
      if (!client_gone_) downstream_.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && WouldBlock()) break;
    server_done_ = true;
  }
}

void ConnectionRelay::WriteClient() {
  while (!downstream_.empty() && !client_gone_) {
    const ssize_t n = ::send(client_.get(), downstream_.data(), downstream_.size(), MSG_NOSIGNAL);
    if (n > 0) {
      downstream_.erase(0, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && WouldBlock()) break;
    client_gone_ = true;
  }
}

void ConnectionRelay::UpdateWatch(std::unique_ptr<loop::Watch>& watch, uint32_t events,
                                  uint32_t& current) {
  if (watch && events != current) {
    // A failure leaves the old events, which at worst wake the relay for nothing.
    static_cast<void>(watch->SetEvents(events));
    current = events;
  }
}

void ConnectionRelay::Settle() {
  if (client_gone_) downstream_.clear();
  if (server_done_) upstream_.clear();
  if (client_eof_ && upstream_.empty() && !upstream_shut_ && !server_done_) {
    // What a TCP FIN would say: the request is complete, nothing more comes. libmicrohttpd
    // answers what it has read, then closes when it reads the end.
    ::shutdown(inner_.get(), SHUT_WR);
    upstream_shut_ = true;
  }
  if (server_done_ && (client_gone_ || downstream_.empty())) {
    client_watch_.reset();
    inner_watch_.reset();
    client_.Reset();
    inner_.Reset();
    finished_ = true;
    std::function<void()> finished = callbacks_.on_finished;  // `this` may not outlive it
    if (finished) finished();
    return;
  }
  // A descriptor that hung up is reported whatever it is registered for, so a side that is
  // done for good loses its watch rather than waking the loop forever.
  if (client_eof_ && client_gone_) {
    client_watch_.reset();
  } else {
    uint32_t events = 0;
    if (!client_eof_ && !server_done_ && upstream_.size() < kBufferBytes) events |= EPOLLIN;
    if (!client_gone_ && !downstream_.empty()) events |= EPOLLOUT;
    UpdateWatch(client_watch_, events, client_events_);
  }
  if (server_done_) {
    inner_watch_.reset();
  } else {
    uint32_t events = 0;
    if (client_gone_ || downstream_.size() < kBufferBytes) events |= EPOLLIN;
    if (!upstream_.empty()) events |= EPOLLOUT;
    UpdateWatch(inner_watch_, events, inner_events_);
  }
  if (client_gone_ && !told_gone_) {
    told_gone_ = true;
    if (callbacks_.on_client_gone) callbacks_.on_client_gone();
  }
}

}  // namespace vigil::api
