#pragma once

// Where vigilctl finds vigild, as supervisorctl does: -s URL, else the configuration file's
// [supervisorctl] serverurl (with %(here)s), else the file's first [unix_http_server] (then
// [inet_http_server]). Credentials from -u/-p, else [supervisorctl] username/password.

#include <optional>
#include <string>

#include "base/result.h"
#include "config/host.h"
#include "ctl/client.h"

namespace vigil::ctl {

struct LookupOptions {
  std::optional<std::string> configuration;  // -c; default: supervisord's search path
  std::optional<std::string> serverurl;      // -s
  std::optional<std::string> username;       // -u
  std::optional<std::string> password;       // -p
  std::string argv0;
};

Result<ServerAddress> FindServer(const LookupOptions& options, const config::Host& host);

}  // namespace vigil::ctl
