#include "api/spec_json.h"

#include <nlohmann/json.hpp>

#include "config/service_names.h"
#include "config/supervisord_types.h"

namespace vigil::api {
namespace {

using config::LogSpec;
using config::LogTarget;
using config::ProgramSpec;

int64_t Seconds(Duration d) { return std::chrono::duration_cast<std::chrono::seconds>(d).count(); }

nlohmann::json LogJson(const LogSpec& log) {
  nlohmann::json j;
  switch (log.target) {
    case LogTarget::kNone:
      j["logfile"] = nullptr;
      break;
    case LogTarget::kAuto:
      j["logfile"] = "AUTO";
      break;
    case LogTarget::kFile:
      j["logfile"] = log.path;
      break;
  }
  j["maxbytes"] = log.maxbytes;
  j["backups"] = log.backups;
  j["capture_maxbytes"] = log.capture_maxbytes;
  j["events_enabled"] = log.events_enabled;
  j["syslog"] = log.syslog;
  return j;
}

nlohmann::json CommandsJson(const std::vector<config::ExecCommand>& commands) {
  nlohmann::json list = nlohmann::json::array();
  for (const config::ExecCommand& c : commands) {
    list.push_back({{"path", c.path},
                    {"argv", c.argv},
                    {"ignore_failure", c.ignore_failure},
                    {"no_environment_expansion", c.no_environment_expansion},
                    {"full_privileges", c.full_privileges},
                    {"keep_credentials", c.keep_credentials}});
  }
  return list;
}

// What a systemd unit says beyond the common settings, under systemd's key names.
nlohmann::json UnitJson(const config::ServiceSpec& s) {
  nlohmann::json j;
  j["Id"] = s.unit_name;
  j["Description"] = s.description;
  j["FragmentPath"] = s.fragment_path;
  j["DropInPaths"] = s.dropin_paths;
  j["Type"] = config::ServiceTypeName(s.type);
  j["Restart"] = config::RestartSettingName(s.restart);
  j["RestartSec"] = config::FormatTimespan(s.restart_sec);
  j["RestartSteps"] = s.restart_steps;
  j["RestartMaxDelaySec"] = config::FormatTimespan(s.restart_max_delay);
  j["StartLimitIntervalSec"] = config::FormatTimespan(s.start_limit_interval);
  j["StartLimitBurst"] = s.start_limit_burst;
  j["TimeoutStartSec"] = config::FormatTimespan(s.timeout_start);
  j["TimeoutStopSec"] = config::FormatTimespan(s.timeout_stop);
  j["WatchdogSec"] = config::FormatTimespan(s.watchdog);
  j["PIDFile"] = s.pid_file;
  j["RemainAfterExit"] = s.remain_after_exit;
  j["KillMode"] = config::KillModeName(s.kill_mode);
  j["KillSignal"] = s.kill_signal;
  j["NotifyAccess"] = config::NotifyAccessName(s.notify_access);
  j["ExecCondition"] = CommandsJson(s.exec_condition);
  j["ExecStartPre"] = CommandsJson(s.exec_start_pre);
  j["ExecStart"] = CommandsJson(s.exec_start);
  j["ExecStartPost"] = CommandsJson(s.exec_start_post);
  j["ExecReload"] = CommandsJson(s.exec_reload);
  j["ExecStop"] = CommandsJson(s.exec_stop);
  j["ExecStopPost"] = CommandsJson(s.exec_stop_post);
  nlohmann::json limits = nlohmann::json::array();
  for (const config::ResourceLimit& limit : s.limits) {
    limits.push_back({{"resource", limit.resource}, {"soft", limit.soft}, {"hard", limit.hard}});
  }
  j["Limits"] = limits;
  j["After"] = s.dependencies.after;
  j["Wants"] = s.dependencies.wants;
  j["Requires"] = s.dependencies.requires_units;
  j["WantedBy"] = s.install.wanted_by;
  return j;
}

nlohmann::json ProgramJson(const ProgramSpec& p) {
  nlohmann::json j;
  j["name"] = p.name;
  j["group"] = p.group;
  j["command"] = p.command;
  j["argv"] = p.argv_error.empty() ? nlohmann::json(p.argv) : nlohmann::json(nullptr);
  j["priority"] = p.priority;
  j["autostart"] = p.autostart;
  j["autorestart"] = config::AutoRestartName(p.restart.autorestart);
  j["exitcodes"] = p.restart.exitcodes;
  j["startsecs"] = Seconds(p.restart.startsecs);
  j["startretries"] = p.restart.startretries;
  j["stopsignal"] = p.stop.signal;
  j["stopwaitsecs"] = Seconds(p.stop.timeout);
  j["stopasgroup"] = p.stop.signal_group;
  j["killasgroup"] = p.stop.kill_group;
  j["directory"] = p.directory ? nlohmann::json(*p.directory) : nlohmann::json(nullptr);
  j["umask"] = p.umask ? nlohmann::json(*p.umask) : nlohmann::json(nullptr);
  j["uid"] = p.user ? nlohmann::json(p.user->uid) : nlohmann::json(nullptr);
  j["redirect_stderr"] = p.redirect_stderr;
  j["stdout"] = LogJson(p.stdout_log);
  j["stderr"] = LogJson(p.stderr_log);
  nlohmann::json env = nlohmann::json::object();
  for (const auto& [key, value] : p.environment) env[key] = value;
  j["environment"] = env;
  j["serverurl"] = p.serverurl ? nlohmann::json(*p.serverurl) : nlohmann::json(nullptr);
  if (p.service) j["unit"] = UnitJson(*p.service);
  return j;
}

}  // namespace

std::string ProgramSpecToJson(const config::ProgramSpec& spec) { return ProgramJson(spec).dump(); }

}  // namespace vigil::api
