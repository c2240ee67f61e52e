#pragma once

// The JSON API's replies: {"result": ...} on success, {"error": {fault, code, message}} with an
// HTTP status on failure (docs/api.md).

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "api/http_server.h"
#include "api/rpc.h"

namespace vigil::api {

HttpResponse Json(int status, const nlohmann::json& body);
HttpResponse ErrorReply(int status, std::string_view fault, int code, std::string_view message);
// A supervisord fault with the HTTP status that fits it (404 BAD_NAME, 409 NOT_RUNNING, ...).
HttpResponse ErrorReply(const RpcError& error);
// A query flag: absent gives `fallback`; "0", "false" and "no" are false.
bool Truthy(const std::map<std::string, std::string>& query, const std::string& key, bool fallback);

}  // namespace vigil::api
