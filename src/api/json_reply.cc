#include "api/json_reply.h"

namespace vigil::api {
namespace {

using nlohmann::json;

int StatusFor(const RpcError& error) {
  if (error.denied) return 403;
  switch (error.code) {
    case Fault::kBadName:
      return 404;
    case Fault::kAlreadyStarted:
    case Fault::kNotRunning:
    case Fault::kStillRunning:
    case Fault::kAlreadyAdded:
      return 409;
    case Fault::kNoFile:
    case Fault::kNotExecutable:
    case Fault::kSpawnError:
    case Fault::kAbnormalTermination:
    case Fault::kCantReread:
      return 422;
    case Fault::kShutdownState:
      return 503;
    case Fault::kBadSignal:
    case Fault::kBadArguments:
    case Fault::kIncorrectParameters:
    case Fault::kUnknownMethod:
    case Fault::kSignatureUnsupported:
      return 400;
    case Fault::kFailed:
    case Fault::kSuccess:
      return 500;
  }
  return 500;
}

}  // namespace

HttpResponse Json(int status, const json& body) {
  // Log bytes may not be UTF-8: replace rather than fail.
  return HttpResponse{status,
                      {{"Content-Type", "application/json"}},
                      body.dump(2, ' ', false, json::error_handler_t::replace) + "\n"};
}

HttpResponse ErrorReply(int status, std::string_view fault, int code, std::string_view message) {
  return Json(status, json{{"error", {{"fault", fault}, {"code", code}, {"message", message}}}});
}

HttpResponse ErrorReply(const RpcError& error) {
  return ErrorReply(StatusFor(error), FaultName(error.code), static_cast<int>(error.code),
                    error.text);
}

bool Truthy(const std::map<std::string, std::string>& query, const std::string& key,
            bool fallback) {
  auto it = query.find(key);
  if (it == query.end()) return fallback;
  return it->second != "0" && it->second != "false" && it->second != "no";
}

}  // namespace vigil::api
