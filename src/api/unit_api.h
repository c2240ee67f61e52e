#pragma once

// The JSON API's endpoints for systemd units (docs/api.md), which vigilctl's systemctl-style
// verbs use:
//   GET  /api/v1/units                         every unit: Id, Description, states
//   GET  /api/v1/units/NAME                    its properties (systemctl show's names and
//                                              formats), processes, recent messages, log paths
//   POST /api/v1/units/NAME/start|stop|restart|try-restart|reload|reset-failed[?wait=0]
//   POST /api/v1/units/NAME/enable|disable
//   POST /api/v1/daemon-reload
// NAME may omit ".service". start, stop and the restarts answer when their job is done; a
// failed job is a 422 with systemctl's explanation ("Job for X failed because ...").

#include <optional>
#include <string>
#include <variant>

#include "api/access_control.h"
#include "api/control.h"
#include "api/http_server.h"
#include "api/pending_reply.h"
#include "api/rpc.h"

namespace vigil::api {

class UnitApi {
 public:
  explicit UnitApi(Control& control) : control_(control) {}

  // nullopt when `path` (after /api/v1/) is not a unit endpoint.
  std::optional<std::variant<HttpResponse, PendingReply>> Handle(const HttpRequest& request,
                                                                 RpcContext& context,
                                                                 const std::string& path);

 private:
  std::variant<HttpResponse, PendingReply> Act(const HttpRequest& request, RpcContext& context,
                                               const std::string& unit, const std::string& action);
  HttpResponse Describe(RpcContext& context, const std::string& unit);
  HttpResponse List(RpcContext& context);
  // The unit's full name ("doris-be" -> "doris-be.service"), loading it on demand (an instance
  // of a template), or nullopt when there is no such unit.
  std::optional<std::string> Resolve(const std::string& name);

  Control& control_;
};

}  // namespace vigil::api
