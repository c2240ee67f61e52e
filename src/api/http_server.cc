#include "api/http_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <ctime>

#include "base/strings.h"
#include "os/errors.h"

namespace vigil::api {

std::string HttpRequest::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

std::string HttpDate(int64_t epoch_seconds) {
  static constexpr std::string_view kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const time_t seconds = static_cast<time_t>(epoch_seconds);
  struct tm utc {};
  if (::gmtime_r(&seconds, &utc) == nullptr) return "Thu, 01 Jan 1970 00:00:00 GMT";
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
                     kDays[static_cast<size_t>(utc.tm_wday)], utc.tm_mday,
                     kMonths[static_cast<size_t>(utc.tm_mon)], utc.tm_year + 1900, utc.tm_hour,
                     utc.tm_min, utc.tm_sec);
}

namespace {

// How long libmicrohttpd may keep an idle connection whose unix-socket client has gone.
constexpr unsigned kGoneClientTimeoutSeconds = 2;

// What libmicrohttpd keeps for one request between its calls into us.
struct RequestState {
  HttpRequest request;
  std::shared_ptr<HttpExchange> exchange;
  bool dispatched = false;
  bool too_large = false;
};

enum MHD_Result CollectValue(void* cls, enum MHD_ValueKind, const char* key, const char* value) {
  auto* map = static_cast<std::map<std::string, std::string>*>(cls);
  (*map)[AsciiLower(key ? key : "")] = value ? value : "";
  return MHD_YES;
}

enum MHD_Result CollectQuery(void* cls, enum MHD_ValueKind, const char* key, const char* value) {
  auto* map = static_cast<std::map<std::string, std::string>*>(cls);
  (*map)[key ? key : ""] = value ? value : "";
  return MHD_YES;
}

bool QueueResponse(MHD_Connection* connection, const HttpResponse& reply) {
  MHD_Response* response = MHD_create_response_from_buffer(
      reply.body.size(), const_cast<char*>(reply.body.data()), MHD_RESPMEM_MUST_COPY);
  if (response == nullptr) return false;
  for (const auto& [name, value] : reply.headers) {
    MHD_add_response_header(response, name.c_str(), value.c_str());
  }
  const bool queued =
      MHD_queue_response(connection, static_cast<unsigned>(reply.status), response) == MHD_YES;
  MHD_destroy_response(response);
  return queued;
}

}  // namespace

// The trampolines libmicrohttpd calls; they may touch HttpServer's and HttpExchange's insides.
struct HttpCallbacks {
  static ssize_t ReadStream(void* cls, uint64_t, char* buffer, size_t max) {
    auto* exchange = static_cast<HttpExchange*>(cls);
    if (!exchange->stream_buffer_.empty()) {
      const size_t n = std::min(max, exchange->stream_buffer_.size());
      std::memcpy(buffer, exchange->stream_buffer_.data(), n);
      exchange->stream_buffer_.erase(0, n);
      return static_cast<ssize_t>(n);
    }
    if (exchange->stream_ended_) return MHD_CONTENT_READER_END_OF_STREAM;
    // Nothing to send yet: park the connection until Stream() wakes it (returning 0 without
    // suspending would make libmicrohttpd poll us in a busy loop).
    MHD_suspend_connection(exchange->connection_);
    exchange->suspended_ = true;
    return 0;
  }

  static bool QueueStreaming(HttpExchange& exchange) {
    MHD_Response* response = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32 * 1024,
                                                               &ReadStream, &exchange, nullptr);
    if (response == nullptr) return false;
    for (const auto& [name, value] : exchange.stream_headers_) {
      MHD_add_response_header(response, name.c_str(), value.c_str());
    }
    const bool queued =
        MHD_queue_response(exchange.connection_, static_cast<unsigned>(exchange.stream_status_),
                           response) == MHD_YES;
    MHD_destroy_response(response);
    return queued;
  }

  // Queues what the exchange has, or parks the connection until it has something.
  static enum MHD_Result Respond(MHD_Connection* connection, HttpExchange& exchange) {
    if (exchange.reply_ && !exchange.queued_) {
      exchange.queued_ = true;
      return QueueResponse(connection, *exchange.reply_) ? MHD_YES : MHD_NO;
    }
    if (exchange.streaming_ && !exchange.queued_) {
      exchange.queued_ = true;
      return QueueStreaming(exchange) ? MHD_YES : MHD_NO;
    }
    if (!exchange.queued_) {
      MHD_suspend_connection(connection);
      exchange.suspended_ = true;
    }
    return MHD_YES;
  }

  static enum MHD_Result OnRequest(void* cls, MHD_Connection* connection, const char* url,
                                   const char* method, const char*, const char* upload_data,
                                   size_t* upload_data_size, void** context) {
    auto* server = static_cast<HttpServer*>(cls);
    auto* state = static_cast<RequestState*>(*context);
    if (state == nullptr) {
      state = new RequestState();
      *context = state;
      state->request.method = method ? method : "";
      std::string full = url ? url : "";
      state->request.path = full.substr(0, full.find('?'));
      MHD_get_connection_values(connection, MHD_HEADER_KIND, &CollectValue,
                                &state->request.headers);
      MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, &CollectQuery,
                                &state->request.query);
      if (const MHD_ConnectionInfo* info =
              MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT)) {
        if (info->socket_context != nullptr) {
          state->request.peer = *static_cast<Peer*>(info->socket_context);
        }
      }
      state->exchange = std::shared_ptr<HttpExchange>(new HttpExchange(*server));
      state->exchange->connection_ = connection;
      if (const MHD_ConnectionInfo* info =
              MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD)) {
        state->exchange->connection_fd_ = info->connect_fd;
      }
      server->live_.insert(state->exchange.get());
      return MHD_YES;
    }
    if (*upload_data_size > 0) {
      if (state->request.body.size() + *upload_data_size > server->limits_.max_body_bytes) {
        state->too_large = true;
      } else {
        state->request.body.append(upload_data, *upload_data_size);
      }
      *upload_data_size = 0;
      return MHD_YES;
    }
    HttpExchange& exchange = *state->exchange;
    if (!state->dispatched) {
      state->dispatched = true;
      if (state->too_large) {
        exchange.reply_ = HttpResponse{
            413,
            {{"Content-Type", "text/plain"}},
            fmt::format("request body larger than {} bytes\n", server->limits_.max_body_bytes)};
      } else {
        server->handler_.Handle(state->request, state->exchange);
      }
    }
    return Respond(connection, exchange);
  }

  static void OnCompleted(void* cls, MHD_Connection*, void** context,
                          enum MHD_RequestTerminationCode) {
    auto* state = static_cast<RequestState*>(*context);
    if (state == nullptr) return;
    static_cast<HttpServer*>(cls)->live_.erase(state->exchange.get());
    state->exchange->connection_ = nullptr;
    state->exchange->suspended_ = false;
    delete state;
    *context = nullptr;
  }

  static void OnConnection(void* cls, MHD_Connection* connection, void** socket_context,
                           enum MHD_ConnectionNotificationCode code) {
    auto* server = static_cast<HttpServer*>(cls);
    const MHD_ConnectionInfo* info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
      auto peer = std::make_unique<Peer>();
      if (info != nullptr) {
        auto it = server->accepted_.find(info->connect_fd);
        if (it != server->accepted_.end()) {
          *peer = it->second;
          server->accepted_.erase(it);
        }
        server->SetRelayedConnection(info->connect_fd, connection);
      }
      *socket_context = peer.release();
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
      if (info != nullptr) server->ForgetRelayedConnection(info->connect_fd);
      delete static_cast<Peer*>(*socket_context);
      *socket_context = nullptr;
    }
  }
};

void HttpExchange::Wake() {
  if (connection_ != nullptr && suspended_) {
    suspended_ = false;
    MHD_resume_connection(connection_);
    server_.resumed_ = true;  // the loop runs libmicrohttpd at once (see NextDeadline)
  }
}

void HttpExchange::Reply(HttpResponse response) {
  if (connection_ == nullptr || reply_ || streaming_) return;
  reply_ = std::move(response);
  Wake();
}

void HttpExchange::ReplyStreaming(int status,
                                  std::vector<std::pair<std::string, std::string>> headers) {
  if (connection_ == nullptr || reply_ || streaming_) return;
  streaming_ = true;
  stream_status_ = status;
  stream_headers_ = std::move(headers);
  // A client that left while the request was on its way (sent whole, then closed) was told
  // about before this stream existed; a tail would otherwise follow its log for no one, forever.
  if (server_.ClientGone(connection_fd_)) stream_ended_ = true;
  Wake();
}

void HttpExchange::Stream(std::string_view data) {
  if (connection_ == nullptr || !streaming_ || stream_ended_ || data.empty()) return;
  // A client that stops reading must not make vigild buffer without bound: keep the newest
  // megabyte, as a follower of a log only cares about what is recent.
  constexpr size_t kMaxBuffered = 1024 * 1024;
  stream_buffer_.append(data);
  if (stream_buffer_.size() > kMaxBuffered) {
    stream_buffer_.erase(0, stream_buffer_.size() - kMaxBuffered);
  }
  Wake();
}

void HttpExchange::EndStream() {
  if (connection_ == nullptr || !streaming_) return;
  stream_ended_ = true;
  Wake();
}

Result<std::unique_ptr<HttpServer>> HttpServer::Create(loop::EventLoop& loop, HttpHandler& handler,
                                                       HttpLimits limits) {
  std::unique_ptr<HttpServer> server(new HttpServer(loop, handler, limits));
  if (Result<void> started = server->StartDaemon(); !started) return started.error();
  return server;
}

Result<void> HttpServer::StartDaemon() {
  daemon_ = MHD_start_daemon(
      MHD_USE_EPOLL | MHD_USE_NO_LISTEN_SOCKET | MHD_ALLOW_SUSPEND_RESUME, 0, nullptr, nullptr,
      &HttpCallbacks::OnRequest, this, MHD_OPTION_NOTIFY_COMPLETED, &HttpCallbacks::OnCompleted,
      this, MHD_OPTION_NOTIFY_CONNECTION, &HttpCallbacks::OnConnection, this,
      MHD_OPTION_CONNECTION_LIMIT, limits_.max_connections, MHD_OPTION_CONNECTION_TIMEOUT,
      limits_.idle_timeout_seconds, MHD_OPTION_END);
  if (daemon_ == nullptr) return Error::Internal("libmicrohttpd would not start");
  const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_EPOLL_FD);
  if (info == nullptr) return Error::Internal("libmicrohttpd has no epoll descriptor");
  Result<std::unique_ptr<loop::Watch>> watch =
      loop_.WatchFd(info->epoll_fd, EPOLLIN, loop::Phase::kIo, [this](uint32_t) { Run(); });
  if (!watch) return watch.error();
  daemon_watch_ = std::move(*watch);
  return Ok();
}

HttpServer::~HttpServer() {
  CloseListeners();
  daemon_watch_.reset();
  if (daemon_ != nullptr) {
    // libmicrohttpd must not be stopped with parked connections: let them go first.
    for (HttpExchange* exchange : live_) {
      if (exchange->streaming_) {
        exchange->EndStream();
      } else {
        exchange->Reply(
            HttpResponse{503, {{"Content-Type", "text/plain"}}, "vigild is stopping\n"});
      }
    }
    MHD_run(daemon_);
    // What libmicrohttpd just wrote for unix-socket clients still has to reach them.
    for (auto& [id, relayed] : relays_) relayed.relay->FlushNow();
    MHD_stop_daemon(daemon_);
  }
  relays_.clear();
}

bool HttpServer::busy() const {
  if (!live_.empty()) return true;
  for (const auto& [id, relayed] : relays_) {
    if (relayed.relay->Flushing()) return true;
  }
  return false;
}

int HttpServer::Relay(int client_fd) {
  const uint64_t id = next_relay_++;
  UniqueFd server_end;
  // The callbacks run from the relay's own watches, never while relays_ is being iterated.
  ConnectionRelay::Callbacks callbacks;
  callbacks.on_client_gone = [this, id] {
    auto it = relays_.find(id);
    if (it == relays_.end() || it->second.server_fd < 0) return;  // libmicrohttpd is done
    it->second.client_gone = true;
    EndStreamsOn(it->second.server_fd);
    // libmicrohttpd does not always see the end of a request cut short (a client that sent half
    // a request and left): without this it would wait out the idle timeout (minutes) on it. A
    // request that arrived whole is being answered, and a parked one is not timed out.
    if (it->second.connection != nullptr) {
      MHD_set_connection_option(it->second.connection, MHD_CONNECTION_OPTION_TIMEOUT,
                                kGoneClientTimeoutSeconds);
    }
  };
  callbacks.on_finished = [this, id] { relays_.erase(id); };
  Result<std::unique_ptr<ConnectionRelay>> relay =
      ConnectionRelay::Create(loop_, UniqueFd(client_fd), std::move(callbacks), &server_end);
  if (!relay) return -1;  // the client's socket is closed with it
  relays_[id] = RelayedConnection{std::move(*relay), server_end.get()};
  return server_end.Release();
}

void HttpServer::SetRelayedConnection(int connection_fd, MHD_Connection* connection) {
  for (auto& [id, relayed] : relays_) {
    if (relayed.server_fd == connection_fd) relayed.connection = connection;
  }
}

void HttpServer::ForgetRelayedConnection(int connection_fd) {
  // The descriptor is closed and its number may be reused at once by a new connection, while
  // this relay still flushes: it must no longer answer to that number.
  for (auto& [id, relayed] : relays_) {
    if (relayed.server_fd != connection_fd) continue;
    relayed.server_fd = -1;
    relayed.connection = nullptr;
  }
}

bool HttpServer::ClientGone(int connection_fd) const {
  for (const auto& [id, relayed] : relays_) {
    if (relayed.server_fd == connection_fd) return relayed.client_gone;
  }
  return false;
}

void HttpServer::EndStreamsOn(int connection_fd) {
  for (HttpExchange* exchange : live_) {
    if (exchange->connection_fd_ == connection_fd && exchange->streaming_) exchange->EndStream();
  }
}

void HttpServer::Run() {
  if (running_ || daemon_ == nullptr) return;
  running_ = true;
  resumed_ = false;
  MHD_run(daemon_);
  running_ = false;
}

void HttpServer::AcceptAll(Listener& listener) {
  while (true) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    int fd = ::accept4(listener.fd.get(), reinterpret_cast<sockaddr*>(&address), &length,
                       SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) return;  // EAGAIN, or an error the next connection may not have
    Peer peer;
    peer.listener = listener.index;
    if (address.ss_family == AF_UNIX) {
      peer.unix_socket = true;
      ucred credentials{};
      socklen_t size = sizeof credentials;
      if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &size) == 0) {
        peer.uid = credentials.uid;
        peer.gid = credentials.gid;
        peer.pid = credentials.pid;
      } else {
        ::close(fd);  // no credentials, no access
        continue;
      }
    } else {
      char host[NI_MAXHOST] = "", service[NI_MAXSERV] = "";
      ::getnameinfo(reinterpret_cast<sockaddr*>(&address), length, host, sizeof host, service,
                    sizeof service, NI_NUMERICHOST | NI_NUMERICSERV);
      peer.address = fmt::format("{}:{}", host, service);
    }
    if (peer.unix_socket) {
      fd = Relay(fd);
      if (fd < 0) continue;
    }
    accepted_[fd] = peer;
    // libmicrohttpd takes the socket, and closes it itself if it cannot serve it.
    if (MHD_add_connection(daemon_, fd, reinterpret_cast<sockaddr*>(&address), length) != MHD_YES) {
      accepted_.erase(fd);
    }
  }
}

Result<void> HttpServer::AddListener(UniqueFd fd, std::string unix_path, size_t index, int port) {
  listeners_.push_back(Listener{std::move(fd), nullptr, std::move(unix_path), index, port});
  const size_t position = listeners_.size() - 1;
  Result<std::unique_ptr<loop::Watch>> watch = loop_.WatchFd(
      listeners_.back().fd.get(), EPOLLIN, loop::Phase::kIo, [this, position](uint32_t) {
        AcceptAll(listeners_[position]);
        Run();
      });
  if (!watch) return watch.error();
  listeners_.back().watch = std::move(*watch);
  return Ok();
}

Result<void> HttpServer::ListenUnix(const std::string& path, mode_t mode,
                                    std::optional<uid_t> owner, std::optional<gid_t> group,
                                    size_t listener) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string staging = path + "." + std::to_string(::getpid());
  if (staging.size() >= sizeof address.sun_path) {
    return Error::InvalidArgument(
        fmt::format("unix socket path {} is too long (the limit is "
                    "{} bytes)",
                    path, sizeof address.sun_path - 8));
  }
  // A socket file that exists: if something answers there, it is another server.
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    UniqueFd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    if (probe &&
        ::connect(probe.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
      return Error::AlreadyExists(fmt::format(
          "Another program is already listening on {}, which the configuration gives to vigild; "
          "stop it, or give vigild another socket file",
          path));
    }
    ::unlink(path.c_str());
  }
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) return os::SysError("socket");
  std::memset(address.sun_path, 0, sizeof address.sun_path);
  std::strncpy(address.sun_path, staging.c_str(), sizeof address.sun_path - 1);
  ::unlink(staging.c_str());
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    return os::SysError("bind " + staging);
  }
  // Mode and owner are set before the socket appears under its name (supervisord binds a
  // temporary name too), so there is no moment with the wrong permissions.
  if (::chmod(staging.c_str(), mode) != 0) {
    ::unlink(staging.c_str());
    return os::SysError("chmod " + staging);
  }
  if ((owner || group) && ::chown(staging.c_str(), owner ? *owner : static_cast<uid_t>(-1),
                                  group ? *group : static_cast<gid_t>(-1)) != 0) {
    ::unlink(staging.c_str());
    return os::SysError("chown " + staging);
  }
  if (::listen(fd.get(), SOMAXCONN) != 0 || ::rename(staging.c_str(), path.c_str()) != 0) {
    ::unlink(staging.c_str());
    return os::SysError("listen on " + path);
  }
  return AddListener(std::move(fd), path, listener, 0);
}

Result<void> HttpServer::ListenTcp(const std::string& host, int port, size_t listener) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (int err =
          ::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found);
      err != 0) {
    return Error::InvalidArgument(
        fmt::format("cannot resolve {}: {}", host.empty() ? "*" : host, ::gai_strerror(err)));
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owner(found, &::freeaddrinfo);
  Error last = Error::Io(0, "no address to listen on");
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    UniqueFd fd(
        ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol));
    if (!fd) continue;
    int yes = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(fd.get(), a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd.get(), SOMAXCONN) != 0) {
      last = os::SysError(fmt::format("listen on {}:{}", host.empty() ? "*" : host, port));
      continue;
    }
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &length);
    const int actual = bound.ss_family == AF_INET6
                           ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                           : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    return AddListener(std::move(fd), "", listener, actual);
  }
  return last;
}

std::optional<int> HttpServer::TcpPort(size_t listener) const {
  for (const Listener& l : listeners_) {
    if (l.index == listener && l.unix_path.empty()) return l.port;
  }
  return std::nullopt;
}

std::optional<MonotonicTime> HttpServer::NextDeadline(const Clock& clock) const {
  if (resumed_) return clock.Now();
  MHD_UNSIGNED_LONG_LONG ms = 0;
  if (daemon_ == nullptr || MHD_get_timeout(daemon_, &ms) != MHD_YES) return std::nullopt;
  return clock.Now() + std::chrono::milliseconds(ms);
}

void HttpServer::OnDeadline() { Run(); }

void HttpServer::CloseListeners() {
  for (Listener& listener : listeners_) {
    listener.watch.reset();
    listener.fd.Reset();
    if (!listener.unix_path.empty()) ::unlink(listener.unix_path.c_str());
  }
  listeners_.clear();
}

}  // namespace vigil::api
