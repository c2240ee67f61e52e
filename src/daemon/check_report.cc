#include "daemon/check_report.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "api/spec_json.h"
#include "base/strings.h"
#include "config/service_names.h"
#include "config/shlex.h"
#include "config/supervisord_types.h"
#include "config/unit_values.h"

namespace vigil::daemon {
namespace {

using config::GroupSpec;
using config::LogSpec;
using config::LogTarget;
using config::ProgramSpec;

int64_t Seconds(Duration d) { return std::chrono::duration_cast<std::chrono::seconds>(d).count(); }

std::string Bytes(int64_t n) {
  constexpr int64_t kKb = 1024, kMb = kKb * 1024, kGb = kMb * 1024;
  if (n != 0 && n % kGb == 0) return fmt::format("{}GB", n / kGb);
  if (n != 0 && n % kMb == 0) return fmt::format("{}MB", n / kMb);
  if (n != 0 && n % kKb == 0) return fmt::format("{}KB", n / kKb);
  return fmt::format("{} bytes", n);
}

std::string Octal(uint32_t mode) { return fmt::format("0{:o}", mode); }

std::string DescribeLog(const LogSpec& log, const std::string& childlogdir) {
  std::string where;
  switch (log.target) {
    case LogTarget::kNone:
      where = "discarded (NONE)";
      break;
    case LogTarget::kAuto:
      where = fmt::format("AUTO file in {}", childlogdir);
      break;
    case LogTarget::kFile:
      where = log.path;
      break;
  }
  if (log.target != LogTarget::kNone) {
    where += log.maxbytes == 0 ? ", never rotated"
                               : fmt::format(", rotated at {} keeping {} backups",
                                             Bytes(log.maxbytes), log.backups);
  }
  if (log.syslog) where += "; also to syslog";
  if (log.capture_maxbytes > 0)
    where += fmt::format("; capture mode {}", Bytes(log.capture_maxbytes));
  if (log.events_enabled) where += "; PROCESS_LOG events";
  return where;
}

std::string GroupKindName(GroupSpec::Kind kind) {
  switch (kind) {
    case GroupSpec::Kind::kProcessGroup:
      return "group";
    case GroupSpec::Kind::kEventListenerPool:
      return "event listener pool";
    case GroupSpec::Kind::kFcgiGroup:
      return "fastcgi group";
  }
  return "group";
}

// The rows of a systemd unit that differ from a supervisord program's.
void AppendServiceRows(std::string& out, const config::ServiceSpec& s) {
  auto row = [&](std::string_view key, const std::string& value) {
    out += fmt::format("    {:<14} {}\n", key, value);
  };
  row("type", std::string(config::ServiceTypeName(s.type)));
  auto commands = [&](std::string_view key, const std::vector<config::ExecCommand>& list) {
    for (const config::ExecCommand& c : list) {
      std::vector<std::string> quoted;
      for (const std::string& arg : c.argv) quoted.push_back(config::ShlexQuote(arg));
      row(key, fmt::format("{}{} ({})", c.ignore_failure ? "-" : "", c.path, Join(quoted, " ")));
    }
  };
  commands("ExecStartPre", s.exec_start_pre);
  commands("ExecStart", s.exec_start);
  commands("ExecStartPost", s.exec_start_post);
  commands("ExecReload", s.exec_reload);
  commands("ExecStop", s.exec_stop);
  commands("ExecStopPost", s.exec_stop_post);
  row("restart", fmt::format("{} after {}", config::RestartSettingName(s.restart),
                             config::FormatTimespan(s.restart_sec)));
  row("start limit", fmt::format("{} starts in {}", s.start_limit_burst,
                                 config::FormatTimespan(s.start_limit_interval)));
  row("timeouts", fmt::format("start {}, stop {}", config::FormatTimespan(s.timeout_start),
                              config::FormatTimespan(s.timeout_stop)));
  row("kill", fmt::format("{} with {}", config::KillModeName(s.kill_mode),
                          config::SignalName(s.kill_signal)));
  if (!s.pid_file.empty()) row("PIDFile", s.pid_file);
  for (const config::ResourceLimit& limit : s.limits) {
    auto text = [](rlim_t v) {
      return v == RLIM_INFINITY ? std::string("infinity") : std::to_string(v);
    };
    row(config::RlimitKey(limit.resource),
        fmt::format("{}:{}", text(limit.soft), text(limit.hard)));
  }
  for (const std::string& dropin : s.dropin_paths) row("drop-in", dropin);
  for (const std::string& alias : s.aliases) row("alias", alias);
}

void AppendProgram(std::string& out, const ProgramSpec& p, const std::string& childlogdir) {
  auto row = [&](std::string_view key, const std::string& value) {
    out += fmt::format("    {:<14} {}\n", key, value);
  };
  out += fmt::format("  {}  ({}:{})\n", config::Namespec(p), p.where.file, p.where.line);
  if (p.dialect == config::Dialect::kSystemd && p.service) {
    if (!p.argv_error.empty()) row("cannot start", p.argv_error);
    row("directory", p.directory.value_or("(vigild's)"));
    row("user", p.user ? fmt::format("{} (uid {}, gid {})", p.user->name, p.user->uid, p.user->gid)
                       : "(vigild's)");
    row("autostart", p.autostart ? "true (enabled)" : "false");
    AppendServiceRows(out, *p.service);
    row("stdout", DescribeLog(p.stdout_log, childlogdir));
    row("stderr",
        p.redirect_stderr ? "redirected to stdout" : DescribeLog(p.stderr_log, childlogdir));
    for (const auto& [key, value] : p.environment) row("environment", key + "=" + value);
    return;
  }
  if (p.argv_error.empty()) {
    std::vector<std::string> quoted;
    for (const std::string& arg : p.argv) quoted.push_back(config::ShlexQuote(arg));
    row("command", Join(quoted, " "));
  } else {
    row("command", fmt::format("{}  <- cannot start: {}", p.command, p.argv_error));
  }
  row("directory", p.directory.value_or("(vigild's)"));
  row("user", p.user ? fmt::format("{} (uid {}, gid {})", p.user->name, p.user->uid, p.user->gid)
                     : "(vigild's)");
  if (p.umask) row("umask", Octal(*p.umask));
  row("priority", std::to_string(p.priority));
  row("autostart", p.autostart ? "true" : "false");
  row("autorestart", std::string(config::AutoRestartName(p.restart.autorestart)));
  std::vector<std::string> codes;
  for (int code : p.restart.exitcodes) codes.push_back(std::to_string(code));
  row("exitcodes", codes.empty() ? "(none)" : Join(codes, ","));
  row("startsecs", std::to_string(Seconds(p.restart.startsecs)));
  row("startretries", std::to_string(p.restart.startretries));
  row("stop",
      fmt::format("{} to the {}, then SIGKILL to the {} after {}s",
                  config::SignalName(p.stop.signal),
                  p.stop.signal_group ? "process group" : "process",
                  p.stop.kill_group ? "process group" : "process", Seconds(p.stop.timeout)));
  row("stdout", DescribeLog(p.stdout_log, childlogdir));
  row("stderr",
      p.redirect_stderr ? "redirected to stdout" : DescribeLog(p.stderr_log, childlogdir));
  for (const auto& [key, value] : p.environment) row("environment", key + "=" + value);
  if (p.serverurl) row("serverurl", p.serverurl->empty() ? "(unset)" : *p.serverurl);
}

}  // namespace

std::string CheckReportText(const config::SupervisordConfig& config) {
  std::string out;
  size_t processes = 0;
  for (const GroupSpec& g : config.groups) processes += g.processes.size();
  out += fmt::format("{}: valid; {} process{} in {} group{}\n", config.path, processes,
                     processes == 1 ? "" : "es", config.groups.size(),
                     config.groups.size() == 1 ? "" : "s");
  for (const std::string& info : config.infos) out += "info: " + info + "\n";
  for (const std::string& warning : config.warnings) out += "warning: " + warning + "\n";
  const config::SupervisordSection& s = config.supervisord;
  out += "\n[supervisord]\n";
  auto row = [&](std::string_view key, const std::string& value) {
    out += fmt::format("  {:<14} {}\n", key, value);
  };
  row("logfile", s.logfile + (s.logfile_maxbytes == 0
                                  ? ", never rotated"
                                  : fmt::format(", rotated at {} keeping {} backups",
                                                Bytes(s.logfile_maxbytes), s.logfile_backups)));
  row("loglevel", std::string(config::LogLevelName(s.loglevel)));
  row("pidfile", s.pidfile);
  row("childlogdir", s.childlogdir);
  row("identifier", s.identifier);
  row("nodaemon", s.nodaemon ? "true" : "false");
  row("minfds", std::to_string(s.minfds));
  row("minprocs", std::to_string(s.minprocs));
  row("umask", Octal(s.umask));
  if (s.user) row("user", *s.user);
  if (s.directory) row("directory", *s.directory);
  for (const auto& [key, value] : s.environment) row("environment", key + "=" + value);
  for (const config::HttpServerSpec& server : config.servers) {
    std::string auth = server.username ? fmt::format(", user {}", *server.username) : "";
    if (server.family == config::HttpServerSpec::Family::kUnix) {
      row("server", fmt::format("unix {} (mode {}{})", server.file, Octal(server.chmod), auth));
    } else {
      row("server",
          fmt::format("http {}:{}{}", server.host.empty() ? "*" : server.host, server.port, auth));
    }
  }
  for (const GroupSpec& g : config.groups) {
    out += fmt::format("\n{} {} (priority {})\n", GroupKindName(g.kind), g.name, g.priority);
    if (g.kind == GroupSpec::Kind::kEventListenerPool) {
      out += fmt::format("  events {}; buffer_size {}\n", Join(g.events, ","), g.buffer_size);
    }
    for (const ProgramSpec& p : g.processes) AppendProgram(out, p, s.childlogdir);
  }
  return out;
}

std::string CheckReportJson(const config::SupervisordConfig& config) {
  nlohmann::json j;
  const config::SupervisordSection& s = config.supervisord;
  nlohmann::json sup;
  sup["logfile"] = s.logfile;
  sup["logfile_maxbytes"] = s.logfile_maxbytes;
  sup["logfile_backups"] = s.logfile_backups;
  sup["loglevel"] = static_cast<int>(s.loglevel);
  sup["pidfile"] = s.pidfile;
  sup["umask"] = s.umask;
  sup["nodaemon"] = s.nodaemon;
  sup["silent"] = s.silent;
  sup["minfds"] = s.minfds;
  sup["minprocs"] = s.minprocs;
  sup["nocleanup"] = s.nocleanup;
  sup["childlogdir"] = s.childlogdir;
  sup["user"] = s.user ? nlohmann::json(*s.user) : nlohmann::json(nullptr);
  sup["directory"] = s.directory ? nlohmann::json(*s.directory) : nlohmann::json(nullptr);
  sup["strip_ansi"] = s.strip_ansi;
  sup["identifier"] = s.identifier;
  nlohmann::json env = nlohmann::json::object();
  for (const auto& [key, value] : s.environment) env[key] = value;
  sup["environment"] = env;
  j["supervisord"] = sup;
  nlohmann::json servers = nlohmann::json::array();
  for (const config::HttpServerSpec& server : config.servers) {
    nlohmann::json js;
    js["section"] = server.section;
    if (server.family == config::HttpServerSpec::Family::kUnix) {
      js["family"] = "unix";
      js["file"] = server.file;
      js["chmod"] = server.chmod;
      js["chown"] = {server.chown_uid ? static_cast<int64_t>(*server.chown_uid) : -1,
                     server.chown_gid ? static_cast<int64_t>(*server.chown_gid) : -1};
    } else {
      js["family"] = "inet";
      js["host"] = server.host;
      js["port"] = server.port;
    }
    js["username"] = server.username ? nlohmann::json(*server.username) : nlohmann::json(nullptr);
    js["password"] = server.password ? nlohmann::json(*server.password) : nlohmann::json(nullptr);
    servers.push_back(js);
  }
  j["servers"] = servers;
  j["serverurl"] = config.serverurl ? nlohmann::json(*config.serverurl) : nlohmann::json(nullptr);
  nlohmann::json groups = nlohmann::json::array();
  for (const GroupSpec& g : config.groups) {
    nlohmann::json jg;
    jg["name"] = g.name;
    jg["priority"] = g.priority;
    jg["kind"] = GroupKindName(g.kind);
    if (g.kind == GroupSpec::Kind::kEventListenerPool) {
      jg["events"] = g.events;
      jg["buffer_size"] = g.buffer_size;
    }
    nlohmann::json processes = nlohmann::json::array();
    for (const ProgramSpec& p : g.processes) {
      processes.push_back(nlohmann::json::parse(api::ProgramSpecToJson(p)));
    }
    jg["processes"] = processes;
    groups.push_back(jg);
  }
  j["groups"] = groups;
  j["warnings"] = config.warnings;
  return j.dump(2) + "\n";
}

std::string CheckUnitReportText(const config::ProgramSpec& unit,
                                const std::vector<std::string>& warnings) {
  std::string out = fmt::format("{}: valid unit {}\n", unit.where.file, unit.name);
  for (const std::string& warning : warnings) out += "warning: " + warning + "\n";
  out += "\n";
  AppendProgram(out, unit, "(vigild's log directory)");
  return out;
}

std::string CheckUnitReportJson(const config::ProgramSpec& unit,
                                const std::vector<std::string>& warnings) {
  nlohmann::json j;
  j["unit"] = unit.name;
  j["program"] = nlohmann::json::parse(api::ProgramSpecToJson(unit));
  j["warnings"] = warnings;
  return j.dump(2) + "\n";
}

}  // namespace vigil::daemon
