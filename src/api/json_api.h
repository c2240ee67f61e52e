#pragma once

// vigil's JSON API, /api/v1, used by vigilctl (docs/api.md lists every endpoint):
//   GET  /api/v1/daemon                          version, pid, state, tracking
//   GET  /api/v1/programs                        every readable process
//   GET  /api/v1/programs/NAME                   one process: state, settings, log files
//   POST /api/v1/programs/NAME/start|stop|restart[?wait=0]   NAME may be g:* or all
//   POST /api/v1/programs/NAME/signal?signal=HUP
//   GET  /api/v1/programs/NAME/log?stream=stderr&bytes=N
//   GET  /api/v1/programs/NAME/wait?state=RUNNING&timeout=30
//   POST /api/v1/reread | /api/v1/update | /api/v1/reload | /api/v1/shutdown
// Errors are {"error": {"fault": "BAD_NAME", "code": 10, "message": "..."}} with an HTTP
// status: 400 bad request, 403 denied by the access list, 404 no such process, 409 wrong state,
// 422 cannot start, 503 vigild is stopping, 504 a wait timed out.

#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "api/access_control.h"
#include "api/control.h"
#include "api/http_server.h"
#include "api/pending_reply.h"
#include "api/rpc.h"
#include "api/unit_api.h"

namespace vigil::api {

class JsonApi {
 public:
  using Logger = std::function<void(const std::string&)>;
  // All must outlive this.
  JsonApi(Control& control, const AccessControl& access, const RpcMethods& methods,
          Logger log_denial);

  std::variant<HttpResponse, PendingReply> Handle(const HttpRequest& request);

 private:
  std::variant<HttpResponse, PendingReply> HandleProgram(const HttpRequest& request,
                                                         RpcContext& context,
                                                         const std::string& name,
                                                         const std::string& action);
  std::variant<HttpResponse, PendingReply> Update(RpcContext& context);

  Control& control_;
  const AccessControl& access_;
  const RpcMethods& methods_;
  Logger log_denial_;
  UnitApi units_;
};

// The HTTP reply for an XML-RPC-style result (value or fault) in JSON.
HttpResponse JsonFromRpc(const std::variant<XmlRpcValue, RpcError, RpcPoll>& outcome);

}  // namespace vigil::api
