#include "api/spec_json.h"

#include <nlohmann/json.hpp>

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
  return j;
}

}  // namespace

std::string ProgramSpecToJson(const config::ProgramSpec& spec) { return ProgramJson(spec).dump(); }

}  // namespace vigil::api
