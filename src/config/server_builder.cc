// supervisord's server_configs_from_parser(): every [inet_http_server*] and [unix_http_server*]
// section (names are matched by prefix, so several servers are possible).

#include <fmt/format.h>

#include "config/py_text.h"
#include "config/supervisord_builder.h"

namespace vigil::config {
namespace {

Result<void> ReadAuthentication(const SectionReader& r, HttpServerSpec& server) {
  Result<std::optional<std::string>> username = r.Get("username");
  if (!username) return username.error();
  Result<std::optional<std::string>> password = r.Get("password");
  if (!password) return password.error();
  if (username->has_value() != password->has_value()) {
    return r.SectionError(SupervisordError(fmt::format(
        "Section [{}] contains incomplete authentication: If a username or a password is "
        "specified, both the username and password must be specified",
        r.section())));
  }
  server.username = *username;
  server.password = *password;
  return Ok();
}

std::optional<std::string> NameAfterColon(const std::string& section) {
  size_t colon = section.find(':');
  if (colon == std::string::npos) return std::nullopt;
  return section.substr(colon + 1);
}

}  // namespace

Result<std::vector<HttpServerSpec>> ServersFromDocument(const IniDocument& doc, BuildState& state) {
  std::vector<HttpServerSpec> servers;
  const Host& host = state.context.host;
  for (const std::string& section : doc.SectionNames()) {
    if (!section.starts_with("inet_http_server")) continue;
    SectionReader r = MakeSectionReader(doc, state, section);
    HttpServerSpec server;
    server.family = HttpServerSpec::Family::kInet;
    server.section = section;
    server.name = NameAfterColon(section);
    if (Result<void> auth = ReadAuthentication(r, server); !auth) return auth.error();
    Result<std::optional<std::string>> port = r.Get("port");
    if (!port) return port.error();
    if (!*port) {
      return r.SectionError(SupervisordError(fmt::format("section [{}] has no port value", section),
                                             "add port=127.0.0.1:9001"));
    }
    Result<InetAddress> address = ParseInetAddress(**port);
    if (!address) return r.KeyError("port", address.error().message);
    server.host = address->host;
    server.port = address->port;
    servers.push_back(std::move(server));
  }
  for (const std::string& section : doc.SectionNames()) {
    if (!section.starts_with("unix_http_server")) continue;
    // supervisord expands only %(here)s in file=, and nothing else in these sections... except
    // through the ENV_ names every saneget() sees.
    SectionReader r = MakeSectionReader(doc, state, section);
    HttpServerSpec server;
    server.family = HttpServerSpec::Family::kUnix;
    server.section = section;
    server.name = NameAfterColon(section);
    Result<std::optional<std::string>> file = r.Get("file");
    if (!file) return file.error();
    if (!*file) {
      return r.SectionError(SupervisordError(fmt::format("section [{}] has no file value", section),
                                             "add file=/run/supervisor.sock"));
    }
    server.file = NormalizePath(host, PyStrip(**file));
    if (Result<void> auth = ReadAuthentication(r, server); !auth) return auth.error();
    Result<std::optional<std::string>> chown = r.Get("chown");
    if (!chown) return chown.error();
    if (*chown) {
      Result<UserGroup> owner = ParseUserGroup(host, **chown);
      if (!owner) {
        return r.KeyError("chown", fmt::format("Invalid sockchown value {} (expected user or "
                                               "user:group that exist)",
                                               **chown));
      }
      server.chown_uid = owner->uid;
      server.chown_gid = owner->gid;
    }
    Result<std::optional<std::string>> chmod = r.Get("chmod");
    if (!chmod) return chmod.error();
    if (*chmod) {
      Result<uint32_t> mode = ParseOctal(**chmod);
      if (!mode) {
        return r.KeyError("chmod", SupervisordError(fmt::format("Invalid chmod value {}", **chmod),
                                                    "expected octal such as 0700"));
      }
      server.chmod = *mode;
    }
    servers.push_back(std::move(server));
  }
  return servers;
}

}  // namespace vigil::config
