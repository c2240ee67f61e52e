#pragma once

// The whole of a supervisord configuration, typed: what vigild needs from [supervisord], the
// HTTP servers, and every process group. Built by BuildSupervisordConfig() from an IniDocument
// (supervisord_builder.h); loaded from disk, with [include], by LoadSupervisordConfig()
// (loader.h).

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "config/program_spec.h"

namespace vigil::config {

struct SupervisordSection {
  std::string logfile;  // absolute; "syslog" means syslog
  int64_t logfile_maxbytes = 50 * 1024 * 1024;
  int64_t logfile_backups = 10;
  LogLevel loglevel = LogLevel::kInfo;
  std::string pidfile;  // absolute
  uint32_t umask = 022;
  bool nodaemon = false;
  bool silent = false;
  int64_t minfds = 1024;
  int64_t minprocs = 200;
  bool nocleanup = false;
  std::string childlogdir;
  std::optional<std::string> user;  // setuid to this user after startup
  std::optional<std::string> directory;
  bool strip_ansi = false;
  Environment environment;
  std::string identifier = "supervisor";
};

struct HttpServerSpec {
  enum class Family { kUnix, kInet } family = Family::kUnix;
  std::string section;              // "unix_http_server", "inet_http_server:x", ...
  std::optional<std::string> name;  // the part after ':' in the section name
  // kUnix
  std::string file;  // absolute
  uint32_t chmod = 0700;
  std::optional<uid_t> chown_uid;
  std::optional<gid_t> chown_gid;
  // kInet
  std::string host;  // "" = every interface
  int port = 0;
  // Both or neither.
  std::optional<std::string> username;
  std::optional<std::string> password;  // may be "{SHA}<hex sha1>"
};

struct RpcInterfaceSpec {
  std::string name;
  std::string factory;
};

// vigil's access list ([access:NAME] sections, which supervisord ignores): the users and groups
// named may use the verbs on the programs matched. See docs/access.md.
struct AccessRule {
  std::string name;
  std::vector<uid_t> uids;
  std::vector<gid_t> gids;
  std::vector<std::string> verbs;     // read, start, stop, restart, signal, tail, reload, admin
  std::vector<std::string> programs;  // fnmatch patterns over "group:name" and group names
  SourceLocation where;
};

struct GroupSpec {
  enum class Kind { kProcessGroup, kEventListenerPool, kFcgiGroup } kind = Kind::kProcessGroup;
  std::string name;
  int64_t priority = 999;
  std::vector<ProgramSpec> processes;  // sorted by (priority, name)
  // kEventListenerPool
  int64_t buffer_size = 10;
  std::vector<std::string> events;  // upper-cased event type names
  // kFcgiGroup
  std::string socket;  // unix:///path or tcp://host:port
  SourceLocation where;
};

struct SupervisordConfig {
  std::string path;  // the main config file, absolute
  std::string here;  // its directory
  SupervisordSection supervisord;
  std::vector<HttpServerSpec> servers;
  std::vector<RpcInterfaceSpec> rpcinterfaces;
  std::vector<AccessRule> access;
  std::vector<GroupSpec> groups;  // sorted by (priority, name); systemd units included
  // vigil's systemd units (config_units.h): the [units] directories, absolute, highest precedence
  // first, and the unit files [include] named, absolute, in the order they were loaded.
  std::vector<std::string> unit_directories;
  std::vector<std::string> unit_files;
  // The fallback SUPERVISOR_SERVER_URL: the first unix server, else the first inet server.
  std::optional<std::string> serverurl;
  std::vector<std::string> warnings;  // supervisord's parse warnings, and vigil's own
  std::vector<std::string> infos;     // "Included extra file ... during parsing"
};

}  // namespace vigil::config
