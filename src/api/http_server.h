#pragma once

// HttpServer: HTTP/1.1 on vigild's own event loop, built on libmicrohttpd (docs/design.md says
// why). vigild accepts connections on its own sockets, so that it can read each unix-socket
// peer's credentials (SO_PEERCRED) before handing the connection to libmicrohttpd, whose epoll
// descriptor is just one more source in vigild's loop. Nothing here blocks: a reply that must
// wait (startProcess with wait=True, a log being followed) parks its connection until the
// handler answers, while every other client and the supervisor carry on.

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/connection_relay.h"
#include "base/result.h"
#include "base/time.h"
#include "base/unique_fd.h"
#include "loop/event_loop.h"

struct MHD_Daemon;
struct MHD_Connection;

namespace vigil::api {

// Who is on the other end of a connection.
struct Peer {
  bool unix_socket = false;
  uid_t uid = 0;  // unix sockets: from SO_PEERCRED
  gid_t gid = 0;
  pid_t pid = 0;
  std::string address;  // TCP: "host:port"
  size_t listener = 0;  // which listener accepted it (index given to Listen*)
};

struct HttpRequest {
  std::string method;
  std::string path;                            // without the query string
  std::map<std::string, std::string> headers;  // names lower-cased
  std::map<std::string, std::string> query;
  std::string body;
  Peer peer;

  std::string Header(const std::string& lower_name) const;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// An HTTP date (RFC 7231's IMF-fixdate), e.g. "Sun, 06 Nov 1994 08:49:37 GMT", for a time in
// seconds since the epoch; English names whatever the locale.
std::string HttpDate(int64_t epoch_seconds);

class HttpServer;
struct HttpCallbacks;

// One request waiting for its reply. A handler may reply at once or keep the exchange and
// reply later; replies after the client is gone are dropped. Use from the loop thread only.
class HttpExchange {
 public:
  // Sends `response` (at most one reply per exchange).
  void Reply(HttpResponse response);
  // Starts a streamed reply (chunked transfer encoding); write to it with Stream(), end with
  // EndStream().
  void ReplyStreaming(int status, std::vector<std::pair<std::string, std::string>> headers);
  void Stream(std::string_view data);
  void EndStream();
  // Whether the connection is gone (or the reply has been completed).
  bool finished() const { return connection_ == nullptr; }

 private:
  friend class HttpServer;
  friend struct HttpCallbacks;
  explicit HttpExchange(HttpServer& server) : server_(server) {}
  void Wake();

  HttpServer& server_;
  MHD_Connection* connection_ = nullptr;
  int connection_fd_ = -1;  // the socket libmicrohttpd serves this exchange on
  bool suspended_ = false;
  std::optional<HttpResponse> reply_;
  bool queued_ = false;
  // Streaming state.
  bool streaming_ = false;
  int stream_status_ = 200;
  std::vector<std::pair<std::string, std::string>> stream_headers_;
  std::string stream_buffer_;
  bool stream_ended_ = false;
};

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  virtual void Handle(const HttpRequest& request, std::shared_ptr<HttpExchange> exchange) = 0;
};

struct HttpLimits {
  size_t max_body_bytes = 16 * 1024 * 1024;
  unsigned max_connections = 1024;
  unsigned idle_timeout_seconds = 600;
};

class HttpServer {
 public:
  // `loop` and `handler` must outlive the server.
  static Result<std::unique_ptr<HttpServer>> Create(loop::EventLoop& loop, HttpHandler& handler,
                                                    HttpLimits limits = {});
  ~HttpServer();

  // Listens on a unix socket at `path` (replacing a stale socket file; an error if another
  // program answers there), with `mode` and optional owner. `listener` tags its peers.
  Result<void> ListenUnix(const std::string& path, mode_t mode, std::optional<uid_t> owner,
                          std::optional<gid_t> group, size_t listener);
  // Listens on TCP `host:port` ("" = every interface). Port 0 picks a free port.
  Result<void> ListenTcp(const std::string& host, int port, size_t listener);
  // The port a TCP listener got (for port 0).
  std::optional<int> TcpPort(size_t listener) const;

  // libmicrohttpd's own timeouts (idle connections), for the loop's single timer.
  std::optional<MonotonicTime> NextDeadline(const Clock& clock) const;
  void OnDeadline();
  // Closes every listener and unlinks unix socket files (at shutdown).
  void CloseListeners();
  // Whether a request is still being received or answered, or an answer is still on its way
  // to a unix-socket client.
  bool busy() const;

 private:
  friend class HttpExchange;
  struct Listener {
    UniqueFd fd;
    std::unique_ptr<loop::Watch> watch;
    std::string unix_path;  // to unlink at exit
    size_t index = 0;
    int port = 0;
  };

  HttpServer(loop::EventLoop& loop, HttpHandler& handler, HttpLimits limits)
      : loop_(loop), handler_(handler), limits_(limits) {}
  Result<void> StartDaemon();
  Result<void> AddListener(UniqueFd fd, std::string unix_path, size_t index, int port);
  void AcceptAll(Listener& listener);
  // A unix-socket client goes through a ConnectionRelay (connection_relay.h says why): the
  // socket to give libmicrohttpd, or -1.
  int Relay(int client_fd);
  // Ends the streamed replies (log tails) on `connection_fd`, whose client has gone.
  void EndStreamsOn(int connection_fd);
  // Whether the unix-socket client behind `connection_fd` has gone (a reply that starts
  // streaming after that must end at once: nothing else would end it).
  bool ClientGone(int connection_fd) const;
  // Remembers libmicrohttpd's connection on a relayed socket, and forgets it once closed.
  void SetRelayedConnection(int connection_fd, MHD_Connection* connection);
  void ForgetRelayedConnection(int connection_fd);
  void Run();

  // libmicrohttpd's callbacks (defined in the .cc, where its header is included).
  friend struct HttpCallbacks;

  loop::EventLoop& loop_;
  HttpHandler& handler_;
  HttpLimits limits_;
  MHD_Daemon* daemon_ = nullptr;
  std::unique_ptr<loop::Watch> daemon_watch_;
  std::vector<Listener> listeners_;
  std::map<int, Peer> accepted_;  // fd -> peer, until libmicrohttpd reports the connection
  std::set<HttpExchange*> live_;  // exchanges whose request is in flight
  struct RelayedConnection {
    std::unique_ptr<ConnectionRelay> relay;
    int server_fd = -1;                    // the end libmicrohttpd serves; -1 once closed
    MHD_Connection* connection = nullptr;  // libmicrohttpd's connection on server_fd, while open
    bool client_gone = false;
  };
  std::map<uint64_t, RelayedConnection> relays_;  // unix-socket connections, by id
  uint64_t next_relay_ = 0;
  bool running_ = false;  // inside MHD_run: do not re-enter
  // A parked connection was resumed: libmicrohttpd must run again soon, whether or not its
  // epoll descriptor says so (it does not, for a resume from outside its own callbacks).
  bool resumed_ = false;
};

}  // namespace vigil::api
