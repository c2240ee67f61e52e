#include "config/supervisord_builder.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "config/py_text.h"

namespace vigil::config {
namespace {

constexpr std::string_view kMainRpcInterface = "supervisor.rpcinterface:make_main_rpcinterface";

class ConfigBuilder {
 public:
  ConfigBuilder(const IniDocument& doc, const BuildContext& context)
      : doc_(doc), context_(context), state_{context, {}, {}} {
    for (const auto& [key, value] : context.host.Environment()) {
      state_.environ_expansions.insert_or_assign("ENV_" + key, value);
    }
  }

  Result<SupervisordConfig> Build();

 private:
  Result<void> ReadSupervisordSection();
  Result<void> ReadRpcInterfaces();
  Result<void> Realize();

  const IniDocument& doc_;
  const BuildContext& context_;
  BuildState state_;
  SupervisordConfig config_;
};

Result<void> ConfigBuilder::ReadSupervisordSection() {
  SectionReader r = MakeSectionReader(doc_, state_, "supervisord");
  SupervisordSection& s = config_.supervisord;
  const Host& host = context_.host;
  auto existing_dirpath = [&](std::string_view v) { return ExistingDirPath(host, v); };
  auto existing_directory = [&](std::string_view v) { return ExistingDirectory(host, v); };

  Result<int64_t> minfds = r.Typed("minfds", "1024", ParseInteger);
  if (!minfds) return minfds.error();
  s.minfds = *minfds;
  Result<int64_t> minprocs = r.Typed("minprocs", "200", ParseInteger);
  if (!minprocs) return minprocs.error();
  s.minprocs = *minprocs;
  Result<std::optional<std::string>> directory = r.Get("directory");
  if (!directory) return directory.error();
  if (*directory) {
    Result<std::string> dir = existing_directory(**directory);
    if (!dir) return r.KeyError("directory", dir.error());
    s.directory = *dir;
  }
  Result<std::optional<std::string>> user = r.Get("user");
  if (!user) return user.error();
  s.user = *user;
  Result<uint32_t> umask = r.Typed("umask", "022", ParseOctal);
  if (!umask) return umask.error();
  s.umask = *umask;
  Result<std::string> logfile = r.Typed("logfile", "supervisord.log", existing_dirpath);
  if (!logfile) return logfile.error();
  s.logfile = *logfile;
  Result<int64_t> logfile_maxbytes = r.Typed("logfile_maxbytes", "50MB", ParseByteSize);
  if (!logfile_maxbytes) return logfile_maxbytes.error();
  s.logfile_maxbytes = *logfile_maxbytes;
  Result<int64_t> logfile_backups = r.Typed("logfile_backups", "10", ParseInteger);
  if (!logfile_backups) return logfile_backups.error();
  s.logfile_backups = *logfile_backups;
  Result<LogLevel> loglevel = r.Typed("loglevel", "info", ParseLogLevel);
  if (!loglevel) return loglevel.error();
  s.loglevel = *loglevel;
  Result<std::string> pidfile = r.Typed("pidfile", "supervisord.pid", existing_dirpath);
  if (!pidfile) return pidfile.error();
  s.pidfile = *pidfile;
  Result<std::string> identifier = r.Get("identifier", "supervisor");
  if (!identifier) return identifier.error();
  s.identifier = *identifier;
  Result<bool> nodaemon = r.Typed("nodaemon", "false", ParseBoolean);
  if (!nodaemon) return nodaemon.error();
  s.nodaemon = *nodaemon;
  Result<bool> silent = r.Typed("silent", "false", ParseBoolean);
  if (!silent) return silent.error();
  s.silent = *silent;
  Result<std::string> childlogdir = r.Typed("childlogdir", TempDir(host), existing_directory);
  if (!childlogdir) return childlogdir.error();
  s.childlogdir = *childlogdir;
  Result<bool> nocleanup = r.Typed("nocleanup", "false", ParseBoolean);
  if (!nocleanup) return nocleanup.error();
  s.nocleanup = *nocleanup;
  Result<bool> strip_ansi = r.Typed("strip_ansi", "false", ParseBoolean);
  if (!strip_ansi) return strip_ansi.error();
  s.strip_ansi = *strip_ansi;
  // supervisord 4.2.5 expands this option twice (so a literal "%%" fails there; upstream fixed
  // it after 4.2.5). vigil follows 4.2.5.
  Result<std::string> environment_once = r.Get("environment", "");
  if (!environment_once) return environment_once.error();
  Result<std::string> environment = r.Expand("environment", *environment_once, "environment");
  if (!environment) return environment.error();
  Result<KeyValuePairs> pairs = ParseKeyValuePairs(*environment);
  if (!pairs) return r.KeyError("environment", pairs.error());
  if (pairs->mangled) {
    const SourceLocation where = r.Where("environment");
    state_.warnings.push_back(fmt::format(
        "{}:{}: [supervisord] environment: supervisord drops text outside KEY=value pairs "
        "separated by commas in {}; quote values that hold spaces or punctuation",
        where.file, where.line, PyRepr(*environment)));
  }
  s.environment = pairs->pairs;
  for (const auto& [key, value] : s.environment) {
    state_.environ_expansions.insert_or_assign("ENV_" + key, value);
  }
  return Ok();
}

Result<void> ConfigBuilder::ReadRpcInterfaces() {
  for (const std::string& section : doc_.SectionNames()) {
    if (!section.starts_with("rpcinterface:")) continue;
    SectionReader r = MakeSectionReader(doc_, state_, section);
    Result<std::optional<std::string>> factory = r.Get("supervisor.rpcinterface_factory");
    if (!factory) return factory.error();
    if (!*factory) {
      return r.SectionError(SupervisordError(
          fmt::format("section [{}] does not specify a supervisor.rpcinterface_factory", section),
          fmt::format("the stock value is {}", kMainRpcInterface)));
    }
    if (**factory != kMainRpcInterface) {
      const SourceLocation where = r.Where("supervisor.rpcinterface_factory");
      state_.warnings.push_back(fmt::format(
          "{}:{}: [{}] supervisor.rpcinterface_factory: vigil has no Python plugins; only {} "
          "is provided, {} is ignored",
          where.file, where.line, section, kMainRpcInterface, **factory));
      continue;
    }
    config_.rpcinterfaces.push_back(
        RpcInterfaceSpec{section.substr(section.find(':') + 1), **factory});
  }
  return Ok();
}

// supervisord's realize(): the daemon's user must exist; logfile and pidfile become absolute;
// children get a SUPERVISOR_SERVER_URL from the first unix server, else the first inet one.
Result<void> ConfigBuilder::Realize() {
  SupervisordSection& s = config_.supervisord;
  if (s.user) {
    Result<UserSpec> user = LookupUser(context_.host, *s.user);
    if (!user) {
      return MakeSectionReader(doc_, state_, "supervisord").KeyError("user", user.error());
    }
  }
  if (s.logfile != "syslog") s.logfile = NormalizePath(context_.host, s.logfile);
  s.pidfile = NormalizePath(context_.host, s.pidfile);
  for (const HttpServerSpec& server : config_.servers) {
    if (server.family == HttpServerSpec::Family::kUnix) {
      config_.serverurl = "unix://" + server.file;
      return Ok();
    }
  }
  for (const HttpServerSpec& server : config_.servers) {
    if (server.family == HttpServerSpec::Family::kInet) {
      config_.serverurl =
          fmt::format("http://{}:{}", server.host.empty() ? "localhost" : server.host, server.port);
      return Ok();
    }
  }
  return Ok();
}

Result<SupervisordConfig> ConfigBuilder::Build() {
  config_.path = context_.path;
  config_.here = context_.here;
  if (!doc_.HasSection("supervisord")) {
    Error error = Error::InvalidArgument(fmt::format(
        "{}: .ini file does not include supervisord section (add a [supervisord] section; "
        "program files such as /etc/supervisord.d/*.ini are read through [include] files= of "
        "the main configuration)",
        context_.path));
    error.compat_message = ".ini file does not include supervisord section";
    return error;
  }
  if (Result<void> r = ReadSupervisordSection(); !r) return r.error();
  if (Result<void> r = ReadRpcInterfaces(); !r) return r.error();
  Result<std::vector<GroupSpec>> groups = GroupsFromDocument(doc_, state_);
  if (!groups) return groups.error();
  config_.groups = std::move(*groups);
  for (GroupSpec& group : config_.groups) {
    for (ProgramSpec& process : group.processes) {
      // [supervisord] environment= first; the program's own keys win.
      Environment merged = config_.supervisord.environment;
      for (auto& [key, value] : process.environment) SetVariable(merged, key, value);
      process.environment = std::move(merged);
    }
  }
  Result<std::vector<AccessRule>> access = AccessRulesFromDocument(doc_, state_);
  if (!access) return access.error();
  config_.access = std::move(*access);
  Result<std::vector<HttpServerSpec>> servers = ServersFromDocument(doc_, state_);
  if (!servers) return servers.error();
  config_.servers = std::move(*servers);
  if (Result<void> r = Realize(); !r) return r.error();
  config_.warnings = std::move(state_.warnings);
  return std::move(config_);
}

}  // namespace

SectionReader MakeSectionReader(const IniDocument& doc, const BuildState& state,
                                const std::string& section, const Expansions& extra) {
  Expansions expansions = state.environ_expansions;
  expansions.insert_or_assign("here", state.context.here);
  for (const auto& [key, value] : extra) expansions.insert_or_assign(key, value);
  return SectionReader(doc, section, std::move(expansions));
}

Result<SupervisordConfig> BuildSupervisordConfig(const IniDocument& doc,
                                                 const BuildContext& context) {
  return ConfigBuilder(doc, context).Build();
}

Result<UserSpec> LookupUser(const Host& host, std::string_view name) {
  std::optional<UserRecord> record;
  if (std::optional<int64_t> uid = PyInt(name)) {
    if (*uid >= 0 && *uid <= 0xffffffffLL) record = host.UserById(static_cast<uid_t>(*uid));
    if (!record) {
      return SupervisordError(fmt::format("Invalid user id {}", name),
                              "no such user in the password database");
    }
  } else {
    record = host.UserByName(std::string(name));
    if (!record) {
      return SupervisordError(fmt::format("Invalid user name {}", name),
                              "no such user in the password database");
    }
  }
  return UserSpec{std::string(name), record->name, record->uid, record->gid};
}

Result<UserGroup> ParseUserGroup(const Host& host, std::string_view text) {
  size_t colon = text.find(':');
  Result<UserSpec> user = LookupUser(host, text.substr(0, colon));
  if (!user) return user.error();
  UserGroup result{user->uid, std::nullopt};
  if (colon == std::string_view::npos) return result;
  std::string group(text.substr(colon + 1));
  std::optional<GroupRecord> record;
  if (std::optional<int64_t> gid = PyInt(group)) {
    if (*gid >= 0 && *gid <= 0xffffffffLL) record = host.GroupById(static_cast<gid_t>(*gid));
  } else {
    record = host.GroupByName(group);
  }
  if (!record) return Error::InvalidArgument(fmt::format("Invalid group name {}", group));
  result.gid = record->gid;
  return result;
}

Result<std::string> ExistingDirPath(const Host& host, std::string_view path) {
  std::string expanded = ExpandUser(host, path);
  std::string dir = DirName(expanded);
  if (dir.empty() || host.IsDirectory(dir)) return expanded;
  return SupervisordError(
      fmt::format("The directory named as part of the path {} does not exist", path),
      "create it, or choose a path in an existing directory");
}

Result<std::string> ExistingDirectory(const Host& host, std::string_view path) {
  std::string expanded = ExpandUser(host, path);
  if (host.IsDirectory(expanded)) return expanded;
  return SupervisordError(fmt::format("{} is not an existing directory", path), "create it first");
}

}  // namespace vigil::config
