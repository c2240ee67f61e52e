#pragma once

// ApiServer: what vigild answers over HTTP.
//   POST /RPC2                      supervisord's XML-RPC API (supervisorctl)
//   GET  /logtail/NAME[/stderr]     follow a process log (supervisorctl tail -f)
//   GET  /mainlogtail               follow the main log (supervisorctl maintail -f)
//   /api/v1/...                     vigil's JSON API (vigilctl), see json_api.h
// Every request first passes the listener's authentication (username/password, supervisord's
// 401 with WWW-Authenticate) and then, per operation, the access list.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/access_control.h"
#include "api/control.h"
#include "api/http_server.h"
#include "api/json_api.h"
#include "api/rpc.h"
#include "config/supervisord_config.h"

namespace vigil::api {

class ApiServer : public HttpHandler {
 public:
  using Logger = std::function<void(config::LogLevel, const std::string&)>;

  // `control` and `access` must outlive the server. `servers` are the configured listeners, in
  // the order of the `listener` indices given to HttpServer.
  ApiServer(Control& control, const AccessControl& access,
            std::vector<config::HttpServerSpec> servers, Logger log);
  ~ApiServer() override;

  void Handle(const HttpRequest& request, std::shared_ptr<HttpExchange> exchange) override;
  // Completes the replies that were waiting (startProcess with wait, stops, multicalls) once
  // what they wait for has happened. Call after every loop iteration.
  void PollPending();
  // The earliest time a waiting reply must be looked at even if nothing happens (a timeout).
  std::optional<MonotonicTime> NextDeadline() const;

 private:
  class LogTail;
  struct PendingCall {
    std::shared_ptr<HttpExchange> exchange;
    PendingReply reply;
  };

  bool Authenticated(const HttpRequest& request) const;
  void HandleRpc(const HttpRequest& request, const std::shared_ptr<HttpExchange>& exchange);
  void HandleLogTail(const HttpRequest& request, const std::shared_ptr<HttpExchange>& exchange);
  HttpResponse RpcReply(const RpcResult& result);
  void Park(const std::shared_ptr<HttpExchange>& exchange, PendingReply reply);

  Control& control_;
  const AccessControl& access_;
  std::vector<config::HttpServerSpec> servers_;
  Logger log_;
  RpcMethods methods_;
  JsonApi json_;
  std::vector<PendingCall> pending_;
  std::vector<std::unique_ptr<LogTail>> followers_;
};

// Whether `password` matches the configured one, which may be "{SHA}<hex sha1>".
bool PasswordMatches(const std::string& configured, const std::string& given);

}  // namespace vigil::api
