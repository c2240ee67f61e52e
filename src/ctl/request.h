#pragma once

// One request to vigild's JSON API and its parsed answer, for vigilctl's commands.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "ctl/client.h"

namespace vigil::ctl {

// The parsed body, or an error message for the user.
struct Reply {
  long status = 0;
  nlohmann::json body;
  std::string error;  // set when the request failed in any way
  int exit_code = 0;  // vigilctl's exit code for that failure
};

Reply Send(const Client& client, bool post, const std::string& path);

// Percent-encodes everything but unreserved characters and ':' and '*' (names, patterns).
std::string UrlEncode(std::string_view text);

}  // namespace vigil::ctl
