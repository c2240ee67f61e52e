#include "ctl/request.h"

#include <fmt/format.h>

#include <cctype>

#include "base/exit_codes.h"

namespace vigil::ctl {

using nlohmann::json;

std::string UrlEncode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ':' || c == '*') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

Reply Send(const Client& client, bool post, const std::string& path) {
  Reply reply;
  Result<HttpResult> result = post ? client.Post(path) : client.Get(path);
  if (!result) {
    reply.error = result.error().message;
    reply.exit_code = exit_code::kCtlUnreachable;
    return reply;
  }
  reply.status = result->status;
  if (result->status == 401) {
    reply.error =
        "vigild requires authentication: give -u USER -p PASSWORD (or [supervisorctl] "
        "username/password)";
    reply.exit_code = exit_code::kCtlOperationFailed;
    return reply;
  }
  reply.body = json::parse(result->body, nullptr, false);
  if (reply.body.is_discarded()) {
    reply.error =
        fmt::format("vigild answered HTTP {} with something that is not JSON", result->status);
    reply.exit_code = exit_code::kCtlOperationFailed;
    return reply;
  }
  if (reply.body.contains("error")) {
    reply.error = reply.body["error"].value("message", "unknown error");
    reply.exit_code = exit_code::kCtlOperationFailed;
  }
  return reply;
}

}  // namespace vigil::ctl
