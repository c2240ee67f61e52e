#include "ctl/server_lookup.h"

#include <fmt/format.h>

#include "config/ini_document.h"
#include "config/loader.h"
#include "config/py_format.h"
#include "config/supervisord_types.h"

namespace vigil::ctl {

Result<ServerAddress> FindServer(const LookupOptions& options, const config::Host& host) {
  ServerAddress server;
  server.username = options.username;
  server.password = options.password;
  if (options.serverurl && options.username) {
    server.url = *options.serverurl;
    return server;
  }
  std::string path;
  if (options.configuration) {
    path = *options.configuration;
  } else if (Result<std::string> found = config::FindDefaultConfigFile(host, options.argv0)) {
    path = *found;
  } else if (options.serverurl) {
    server.url = *options.serverurl;
    return server;
  } else {
    return Error::NotFound(found.error().message + " (or give the server with -s URL)");
  }
  Result<std::string> text = host.ReadFile(path);
  if (!text) {
    if (options.serverurl) {
      server.url = *options.serverurl;
      return server;
    }
    return Error::NotFound(
        fmt::format("could not read config file {}: {}", path, text.error().message));
  }
  config::IniDocument doc;
  if (Result<void> read = doc.Read(*text, path); !read) return read.error();
  const std::string here = config::DirName(config::AbsolutePath(host, path));
  config::Expansions expansions{{"here", here}};
  for (const auto& [key, value] : host.Environment()) expansions["ENV_" + key] = value;
  auto get = [&](const std::string& section,
                 const std::string& key) -> Result<std::optional<std::string>> {
    const config::IniEntry* entry = doc.Get(section, key);
    if (entry == nullptr || !doc.HasSection(section)) return std::optional<std::string>();
    Result<std::string> expanded =
        config::PyPercentFormat(entry->value, expansions, section + "." + key);
    if (!expanded) return expanded.error();
    return std::optional<std::string>(*expanded);
  };
  if (!server.username) {
    Result<std::optional<std::string>> user = get("supervisorctl", "username");
    if (!user) return user.error();
    Result<std::optional<std::string>> pass = get("supervisorctl", "password");
    if (!pass) return pass.error();
    server.username = *user;
    if (!server.password) server.password = *pass;
  }
  if (options.serverurl) {
    server.url = *options.serverurl;
    return server;
  }
  Result<std::optional<std::string>> url = get("supervisorctl", "serverurl");
  if (!url) return url.error();
  if (*url) {
    server.url = **url;
    if (server.url.starts_with("unix://")) {
      server.url = "unix://" + config::NormalizePath(host, server.url.substr(7));
    }
    return server;
  }
  for (const std::string& section : doc.SectionNames()) {
    if (!section.starts_with("unix_http_server")) continue;
    Result<std::optional<std::string>> file = get(section, "file");
    if (file && *file) {
      server.url = "unix://" + config::NormalizePath(host, **file);
      return server;
    }
  }
  for (const std::string& section : doc.SectionNames()) {
    if (!section.starts_with("inet_http_server")) continue;
    Result<std::optional<std::string>> port = get(section, "port");
    if (!port || !*port) continue;
    Result<config::InetAddress> address = config::ParseInetAddress(**port);
    if (!address) continue;
    server.url = fmt::format("http://{}:{}", address->host.empty() ? "localhost" : address->host,
                             address->port);
    return server;
  }
  return Error::NotFound(fmt::format(
      "{} names no server: add [supervisorctl] serverurl= or [unix_http_server] file=, or give "
      "-s URL",
      path));
}

}  // namespace vigil::ctl
