#include "api/api_server.h"

#include <fmt/format.h>
#include <nettle/sha1.h>

#include "api/log_follower.h"
#include "api/process_methods.h"
#include "base/strings.h"
#include "protocol/py_codecs.h"

namespace vigil::api {
namespace {

HttpResponse Text(int status, std::string body) {
  return HttpResponse{status, {{"Content-Type", "text/plain"}}, std::move(body)};
}

std::string Sha1Hex(std::string_view text) {
  sha1_ctx context;
  sha1_init(&context);
  sha1_update(&context, text.size(), reinterpret_cast<const uint8_t*>(text.data()));
  uint8_t digest[SHA1_DIGEST_SIZE];
  sha1_digest(&context, sizeof digest, digest);
  std::string hex;
  for (uint8_t byte : digest) hex += fmt::format("{:02x}", byte);
  return hex;
}

// Percent-decoding of a URL path segment (supervisord unquotes the logtail name).
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Unquote(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

bool PasswordMatches(const std::string& configured, const std::string& given) {
  if (configured.starts_with("{SHA}")) return Sha1Hex(given) == configured.substr(5);
  return configured == given;
}

// One /logtail or /mainlogtail reply: a LogFollower feeding the HTTP exchange, woken by the
// daemon whenever the log changes, never by a timer.
class ApiServer::LogTail : public LogObserver {
 public:
  LogTail(Control& control, const std::string& path, std::unique_ptr<LogFollower> follower,
          std::shared_ptr<HttpExchange> exchange)
      : follower_(std::move(follower)), exchange_(std::move(exchange)) {
    OnLogChanged();
    subscription_ = control.ObserveLog(path, *this);
  }

  void OnLogChanged() override {
    if (exchange_->finished()) return;
    follower_->Poll([this](std::string_view data) { exchange_->Stream(data); });
  }

  bool finished() const { return exchange_->finished(); }

 private:
  std::unique_ptr<LogFollower> follower_;
  std::shared_ptr<HttpExchange> exchange_;
  std::unique_ptr<Subscription> subscription_;
};

ApiServer::ApiServer(Control& control, const AccessControl& access,
                     std::vector<config::HttpServerSpec> servers, Logger log)
    : control_(control),
      access_(access),
      servers_(std::move(servers)),
      log_(std::move(log)),
      json_(control, access, methods_,
            [this](const std::string& message) { log_(config::LogLevel::kWarn, message); }) {}

ApiServer::~ApiServer() = default;

bool ApiServer::Authenticated(const HttpRequest& request) const {
  if (request.peer.listener >= servers_.size()) return false;
  const config::HttpServerSpec& server = servers_[request.peer.listener];
  if (!server.username) return true;
  const std::string header = request.Header("authorization");
  if (!header.starts_with("Basic ")) return false;
  Result<std::string> decoded = protocol::DecodePyBase64(header.substr(6));
  if (!decoded) return false;
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) return false;
  return decoded->substr(0, colon) == *server.username &&
         PasswordMatches(*server.password, decoded->substr(colon + 1));
}

void ApiServer::Handle(const HttpRequest& request, std::shared_ptr<HttpExchange> exchange) {
  if (!Authenticated(request)) {
    exchange->Reply(HttpResponse{401,
                                 {{"WWW-Authenticate", "Basic realm=\"default\""},
                                  {"Connection", "close"},
                                  {"Content-Type", "text/plain"}},
                                 "401 Unauthorized\n"});
    return;
  }
  // supervisord routes by prefix (request.uri.startswith('/RPC2')): /RPC2/ and /RPC2/x too.
  if (request.path.starts_with("/RPC2")) {
    if (request.method != "POST") {
      exchange->Reply(Text(400, "400 Bad Request: XML-RPC needs POST\n"));
      return;
    }
    HandleRpc(request, exchange);
    return;
  }
  if (request.path.starts_with("/logtail/") || request.path == "/mainlogtail") {
    HandleLogTail(request, exchange);
    return;
  }
  if (request.path.starts_with("/api/v1/")) {
    std::variant<HttpResponse, PendingReply> reply = json_.Handle(request);
    if (PendingReply* pending = std::get_if<PendingReply>(&reply)) {
      Park(exchange, std::move(*pending));
    } else {
      exchange->Reply(std::get<HttpResponse>(std::move(reply)));
    }
    return;
  }
  if (request.path == "/" || request.path == "/index.html") {
    exchange->Reply(Text(200, "vigild\n"));
    return;
  }
  exchange->Reply(Text(404, "404 Not Found\n"));
}

HttpResponse ApiServer::RpcReply(const RpcResult& result) {
  std::string body;
  if (const RpcError* error = std::get_if<RpcError>(&result.outcome)) {
    body = protocol::SerializeXmlRpcFault(static_cast<int>(error->code), error->text);
  } else {
    Result<std::string> serialized =
        protocol::SerializeXmlRpcResponse(std::get<XmlRpcValue>(result.outcome));
    if (!serialized) {
      log_(config::LogLevel::kError,
           fmt::format("cannot encode an XML-RPC reply: {}", serialized.error().message));
      return Text(500, "500 Internal Server Error\n");
    }
    body = std::move(*serialized);
  }
  return HttpResponse{200, {{"Content-Type", "text/xml"}}, std::move(body)};
}

void ApiServer::Park(const std::shared_ptr<HttpExchange>& exchange, PendingReply reply) {
  pending_.push_back(PendingCall{exchange, std::move(reply)});
}

std::optional<MonotonicTime> ApiServer::NextDeadline() const {
  std::optional<MonotonicTime> next;
  for (const PendingCall& call : pending_) {
    if (call.reply.deadline && (!next || *call.reply.deadline < *next)) {
      next = call.reply.deadline;
    }
  }
  return next;
}

void ApiServer::HandleRpc(const HttpRequest& request,
                          const std::shared_ptr<HttpExchange>& exchange) {
  Result<protocol::XmlRpcCall> call = protocol::ParseXmlRpcCall(request.body);
  if (!call) {
    exchange->Reply(Text(400, fmt::format("400 Bad Request: {}\n", call.error().message)));
    return;
  }
  RpcContext context{control_, access_, request.peer, [this](const std::string& message) {
                       log_(config::LogLevel::kWarn, message);
                     }};
  RpcResult result = methods_.Call(context, call->method, call->params);
  if (RpcPoll* poll = std::get_if<RpcPoll>(&result.outcome)) {
    Park(exchange, PendingReply{[this, poll = std::move(*poll)]() -> std::optional<HttpResponse> {
                                  std::optional<RpcResult> done = poll();
                                  if (!done) return std::nullopt;
                                  return RpcReply(*done);
                                },
                                std::nullopt});
    return;
  }
  exchange->Reply(RpcReply(result));
}

void ApiServer::PollPending() {
  // A poll may change state that other polls read; each runs once per call.
  std::vector<PendingCall> waiting = std::move(pending_);
  pending_.clear();
  for (PendingCall& call : waiting) {
    if (call.exchange->finished()) continue;  // the client went away
    std::optional<HttpResponse> done = call.reply.poll();
    if (done) {
      call.exchange->Reply(std::move(*done));
    } else {
      pending_.push_back(std::move(call));
    }
  }
  std::erase_if(followers_, [](const auto& follower) { return follower->finished(); });
}

void ApiServer::HandleLogTail(const HttpRequest& request,
                              const std::shared_ptr<HttpExchange>& exchange) {
  if (request.method != "GET") {
    exchange->Reply(Text(400, "400 Bad Request: log tails need GET\n"));
    return;
  }
  std::string path;
  std::vector<std::pair<std::string, std::string>> headers = {
      {"Content-Type", "text/plain;charset=utf-8"}};
  if (request.path == "/mainlogtail") {
    if (!access_.AllowedAnywhere(request.peer, Verb::kAdmin)) {
      log_(config::LogLevel::kWarn, fmt::format("access denied: {} may not tail the main log",
                                                access_.Describe(request.peer)));
      exchange->Reply(Text(403, "403 Forbidden\n"));
      return;
    }
    path = control_.MainLogPath();
  } else {
    std::string rest = Unquote(request.path.substr(std::string_view("/logtail/").size()));
    bool stderr_log = false;
    if (rest.ends_with("/stderr")) {
      stderr_log = true;
      rest.resize(rest.size() - 7);
    } else if (rest.ends_with("/stdout")) {
      rest.resize(rest.size() - 7);
    }
    const std::string namespec = rest.find(':') == std::string::npos ? rest + ":" + rest : rest;
    const core::Program* program = control_.supervisor().FindProcess(namespec);
    if (program == nullptr) {
      exchange->Reply(Text(404, "404 Not Found\n"));
      return;
    }
    if (!access_.Allowed(request.peer, Verb::kTail, program->namespec())) {
      log_(config::LogLevel::kWarn,
           fmt::format("access denied: {} may not tail {}", access_.Describe(request.peer),
                       program->namespec()));
      exchange->Reply(Text(403, "403 Forbidden\n"));
      return;
    }
    path = stderr_log ? control_.StderrLogPath(program->namespec())
                      : control_.StdoutLogPath(program->namespec());
    headers.emplace_back("X-Accel-Buffering", "no");
  }
  // supervisord's tail -f starts with the last 1024 bytes.
  Result<std::unique_ptr<LogFollower>> follower =
      path.empty() ? Result<std::unique_ptr<LogFollower>>(Error::NotFound("no log file"))
                   : LogFollower::Open(path, 1024);
  if (!follower) {
    exchange->Reply(Text(404, "404 Not Found\n"));
    return;
  }
  headers.emplace_back("Last-Modified", HttpDate((*follower)->opened_mtime()));
  exchange->ReplyStreaming(200, std::move(headers));
  followers_.push_back(std::make_unique<LogTail>(control_, path, std::move(*follower), exchange));
}

}  // namespace vigil::api
