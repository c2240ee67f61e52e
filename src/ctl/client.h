#pragma once

// Client: vigilctl's HTTP client for vigild (libcurl), over a unix socket ("unix:///path") or
// TCP ("http://host:port"), with optional Basic authentication. Blocking: vigilctl does one
// thing and exits.

#include <functional>
#include <optional>
#include <string>

#include "base/result.h"

namespace vigil::ctl {

struct ServerAddress {
  std::string url;  // unix:///path or http://host:port, as the user gave it
  std::optional<std::string> username;
  std::optional<std::string> password;
};

struct HttpResult {
  long status = 0;
  std::string body;
};

class Client {
 public:
  explicit Client(ServerAddress server) : server_(std::move(server)) {}

  // Errors: kNotFound when the unix socket file does not exist, kIo when nothing answers
  // (connection refused, timeout), with a message naming the URL.
  Result<HttpResult> Get(const std::string& path) const;
  Result<HttpResult> Post(const std::string& path) const;
  // Streams the body of a GET to `sink` until the server ends it or `sink` returns false.
  Result<long> Stream(const std::string& path,
                      const std::function<bool(std::string_view)>& sink) const;

  const ServerAddress& server() const { return server_; }

 private:
  Result<HttpResult> Request(const std::string& method, const std::string& path,
                             const std::function<bool(std::string_view)>* sink) const;
  ServerAddress server_;
};

}  // namespace vigil::ctl
