#include "ctl/unit_commands.h"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>
#include <sstream>

#include "base/exit_codes.h"
#include "ctl/request.h"

namespace vigil::ctl {
namespace {

using nlohmann::json;

constexpr int kNotActive = exit_code::kCtlNotRunning;      // LSB "program is not running"
constexpr int kNoSuchUnit = exit_code::kCtlNoSuchProgram;  // LSB "status is unknown"

std::string Property(const json& unit, const std::string& key) {
  const json& properties = unit["properties"];
  if (!properties.contains(key) || !properties[key].is_string()) return "";
  return properties[key].get<std::string>();
}

// "active (running) since Wed 2026-11-25 10:00:01 UTC", "failed (Result: signal) since ...".
std::string ActiveLine(const json& unit) {
  const std::string active = Property(unit, "ActiveState");
  const std::string sub = Property(unit, "SubState");
  const std::string result = Property(unit, "Result");
  std::string line = fmt::format("{} ({})", active, sub);
  if (result != "success" && !result.empty() && active != "active") {
    line += fmt::format(" (Result: {})", result);
  }
  const std::string since = Property(unit, "StateChangeTimestamp");
  if (!since.empty()) line += " since " + since;
  return line;
}

void PrintStatus(const json& unit, const std::string& tail, std::ostream& out) {
  const std::string id = Property(unit, "Id");
  const std::string active = Property(unit, "ActiveState");
  const char* bullet = active == "active" ? "●" : active == "failed" ? "×" : "○";
  out << fmt::format("{} {} - {}\n", bullet, id, Property(unit, "Description"));
  out << fmt::format("     Loaded: loaded ({}; {})\n", Property(unit, "FragmentPath"),
                     Property(unit, "UnitFileState"));
  const std::string dropins = Property(unit, "DropInPaths");
  if (!dropins.empty()) {
    std::istringstream paths(dropins);
    std::string path;
    bool first = true;
    while (paths >> path) {
      out << (first ? "    Drop-In: " : "             ") << path << "\n";
      first = false;
    }
  }
  out << "     Active: " << ActiveLine(unit) << "\n";
  const std::string main_pid = Property(unit, "MainPID");
  const json& processes = unit["processes"];
  if (main_pid != "0" && !main_pid.empty()) {
    std::string command;
    for (const json& process : processes) {
      if (std::to_string(process.value("pid", 0)) == main_pid) {
        command = process.value("command", "");
      }
    }
    const std::string name = command.substr(0, command.find(' '));
    out << fmt::format("   Main PID: {} ({})\n", main_pid,
                       name.substr(name.rfind('/') == std::string::npos ? 0 : name.rfind('/') + 1));
  } else if (Property(unit, "ExecMainPID") != "0" && Property(unit, "ExecMainCode") != "0") {
    const std::string code = Property(unit, "ExecMainCode");
    out << fmt::format("   Main PID: {} (code={}, status={})\n", Property(unit, "ExecMainPID"),
                       code == "1"   ? "exited"
                       : code == "2" ? "killed"
                                     : "dumped",
                       Property(unit, "ExecMainStatus"));
  }
  const std::string status = Property(unit, "StatusText");
  if (!status.empty()) out << fmt::format("     Status: \"{}\"\n", status);
  if (Property(unit, "NRestarts") != "0") {
    out << fmt::format("   Restarts: {}\n", Property(unit, "NRestarts"));
  }
  out << fmt::format("      Tasks: {}\n", Property(unit, "TasksCurrent"));
  const std::string cgroup = Property(unit, "ControlGroup");
  if (!processes.empty()) {
    out << "     CGroup: " << (cgroup.empty() ? "(no cgroup: process groups)" : cgroup) << "\n";
    for (size_t i = 0; i < processes.size(); ++i) {
      out << fmt::format("             {}{} {}\n", i + 1 == processes.size() ? "└─" : "├─",
                         processes[i].value("pid", 0), processes[i].value("command", ""));
    }
  }
  const json& messages = unit["messages"];
  if (!messages.empty() || !tail.empty()) out << "\n";
  for (const json& message : messages) {
    out << fmt::format("{} {}: {}\n", message.value("time", ""), id, message.value("message", ""));
  }
  if (!tail.empty()) {
    out << "-- last output (" << unit["logs"].value("stdout", "") << ") --\n" << tail;
    if (tail.back() != '\n') out << "\n";
  }
}

// The last `lines` lines of the unit's output log, or "".
std::string LastOutput(const Client& client, const std::string& unit, size_t lines) {
  Reply reply =
      Send(client, false, "/api/v1/programs/" + UrlEncode(unit) + "/log?stream=stdout&bytes=4096");
  if (!reply.error.empty() || !reply.body["result"].is_array() || reply.body["result"].empty() ||
      !reply.body["result"][0].is_string()) {
    return "";
  }
  const std::string text = reply.body["result"][0].get<std::string>();
  size_t start = text.size();
  size_t count = 0;
  while (start > 0) {
    const size_t newline = text.rfind('\n', start - 1);
    if (newline == std::string::npos) {
      start = 0;
      break;
    }
    if (newline + 1 < text.size() && ++count > lines) {
      start = newline + 1;
      break;
    }
    start = newline;
  }
  return text.substr(start == 0 ? 0 : start);
}

int Status(const Command& command, const std::vector<std::string>& units, const Client& client,
           std::ostream& out, std::ostream& err) {
  int code = exit_code::kCtlOk;
  bool first = true;
  json all = json::array();
  for (const std::string& name : units) {
    Reply reply = Send(client, false, "/api/v1/units/" + UrlEncode(name));
    if (!reply.error.empty()) {
      err << reply.error << "\n";
      code = reply.status == 404 ? kNoSuchUnit : reply.exit_code;
      continue;
    }
    const json& unit = reply.body["result"];
    if (command.json) {
      all.push_back(unit);
    } else {
      if (!first) out << "\n";
      first = false;
      PrintStatus(unit, LastOutput(client, Property(unit, "Id"), 10), out);
    }
    if (Property(unit, "ActiveState") != "active" && code == exit_code::kCtlOk) {
      code = kNotActive;
    }
  }
  if (command.json) out << all.dump(2) << "\n";
  return code;
}

int Show(const Command& command, const std::vector<std::string>& units, const Client& client,
         std::ostream& out, std::ostream& err) {
  std::vector<std::string> keys;
  for (const std::string& list : command.properties) {
    std::istringstream items(list);
    std::string key;
    while (std::getline(items, key, ',')) {
      if (!key.empty()) keys.push_back(key);
    }
  }
  int code = exit_code::kCtlOk;
  for (size_t i = 0; i < units.size(); ++i) {
    Reply reply = Send(client, false, "/api/v1/units/" + UrlEncode(units[i]));
    if (!reply.error.empty()) {
      err << reply.error << "\n";
      code = exit_code::kCtlOperationFailed;
      continue;
    }
    const json& properties = reply.body["result"]["properties"];
    if (i > 0) out << "\n";
    auto print = [&](const std::string& key, const std::string& value) {
      if (command.value_only) {
        out << value << "\n";
      } else {
        out << key << "=" << value << "\n";
      }
    };
    if (keys.empty()) {
      for (const auto& [key, value] : properties.items()) print(key, value.get<std::string>());
      continue;
    }
    for (const std::string& key : keys) {
      if (properties.contains(key)) print(key, properties[key].get<std::string>());
    }
  }
  return code;
}

// is-active, is-failed: print each unit's active state; 0 when one of them is in the state.
int IsState(const Command& command, const std::vector<std::string>& units, const Client& client,
            std::ostream& out, std::ostream& err) {
  const std::string wanted = command.verb == "is-active" ? "active" : "failed";
  bool any = false;
  for (const std::string& name : units) {
    Reply reply = Send(client, false, "/api/v1/units/" + UrlEncode(name));
    std::string state = "inactive";
    if (reply.error.empty()) {
      state = Property(reply.body["result"], "ActiveState");
    } else if (reply.exit_code == exit_code::kCtlUnreachable) {
      err << reply.error << "\n";
      return exit_code::kCtlUnreachable;
    }
    if (!command.quiet) out << state << "\n";
    any = any || state == wanted;
  }
  if (any) return exit_code::kCtlOk;
  return command.verb == "is-active" ? kNotActive : exit_code::kCtlOperationFailed;
}

int IsEnabled(const Command& command, const std::vector<std::string>& units, const Client& client,
              std::ostream& out, std::ostream& err) {
  bool any = false;
  int code = exit_code::kCtlOk;
  for (const std::string& name : units) {
    Reply reply = Send(client, false, "/api/v1/units/" + UrlEncode(name));
    if (!reply.error.empty()) {
      err << reply.error << "\n";
      code = reply.exit_code == exit_code::kCtlUnreachable ? reply.exit_code : kNoSuchUnit;
      continue;
    }
    const std::string state = Property(reply.body["result"], "UnitFileState");
    if (!command.quiet) out << state << "\n";
    // systemctl: enabled, static, indirect, alias and generated all count as "enabled".
    any = any || state == "enabled" || state == "static" || state == "indirect" || state == "alias";
  }
  if (code != exit_code::kCtlOk) return code;
  return any ? exit_code::kCtlOk : exit_code::kCtlOperationFailed;
}

// A verb that runs a job per unit (start, stop, ...) or changes files (enable, disable).
int Each(const Command& command, const std::vector<std::string>& units, const Client& client,
         std::ostream& out, std::ostream& err) {
  int code = exit_code::kCtlOk;
  for (const std::string& name : units) {
    std::string path = "/api/v1/units/" + UrlEncode(name) + "/" + command.verb;
    if (command.no_wait) path += "?wait=0";
    Reply reply = Send(client, true, path);
    if (!reply.error.empty()) {
      err << reply.error << "\n";
      code = reply.exit_code;
      continue;
    }
    if (command.json) {
      out << reply.body["result"].dump(2) << "\n";
    } else if (reply.body["result"].is_array()) {
      for (const json& line : reply.body["result"]) out << line.get<std::string>() << "\n";
    }
    if (command.now && (command.verb == "enable" || command.verb == "disable")) {
      Command job = command;
      job.verb = command.verb == "enable" ? "start" : "stop";
      job.now = false;
      const int started = Each(job, {name}, client, out, err);
      if (started != exit_code::kCtlOk) code = started;
    }
  }
  return code;
}

int ListUnits(const Command& command, const Client& client, std::ostream& out, std::ostream& err) {
  Reply reply = Send(client, false, "/api/v1/units");
  if (!reply.error.empty()) {
    err << reply.error << "\n";
    return reply.exit_code;
  }
  if (command.json) {
    out << reply.body["result"].dump(2) << "\n";
    return exit_code::kCtlOk;
  }
  size_t width = 4;
  for (const json& unit : reply.body["result"]) {
    width = std::max(width, unit.value("Id", "").size());
  }
  out << fmt::format("{:<{}} {:<6} {:<12} {:<12} {}\n", "UNIT", width, "LOAD", "ACTIVE", "SUB",
                     "DESCRIPTION");
  for (const json& unit : reply.body["result"]) {
    out << fmt::format("{:<{}} {:<6} {:<12} {:<12} {}\n", unit.value("Id", ""), width,
                       unit.value("LoadState", ""), unit.value("ActiveState", ""),
                       unit.value("SubState", ""), unit.value("Description", ""));
  }
  out << fmt::format("\n{} loaded units listed.\n", reply.body["result"].size());
  return exit_code::kCtlOk;
}

}  // namespace

bool IsUnitOnlyVerb(const std::string& verb) {
  static const char* kVerbs[] = {"enable",     "disable",    "is-active",    "is-failed",
                                 "is-enabled", "show",       "reset-failed", "daemon-reload",
                                 "list-units", "try-restart"};
  return std::any_of(std::begin(kVerbs), std::end(kVerbs),
                     [&](const char* v) { return verb == v; });
}

bool IsUnit(const Client& client, const std::string& name) {
  Reply reply = Send(client, false, "/api/v1/units/" + UrlEncode(name));
  return reply.error.empty() && reply.status == 200;
}

int RunUnitCommand(const Command& command, const std::vector<std::string>& units,
                   const Client& client, std::ostream& out, std::ostream& err) {
  const std::string& verb = command.verb;
  if (verb == "daemon-reload") {
    Reply reply = Send(client, true, "/api/v1/daemon-reload");
    if (!reply.error.empty()) {
      err << reply.error << "\n";
      return reply.exit_code;
    }
    if (command.json) out << reply.body["result"].dump(2) << "\n";
    return exit_code::kCtlOk;
  }
  if (verb == "list-units") return ListUnits(command, client, out, err);
  if (units.empty()) {
    err << fmt::format("vigilctl {}: name at least one unit\n", verb);
    return exit_code::kCtlUsage;
  }
  if (verb == "status") return Status(command, units, client, out, err);
  if (verb == "show") return Show(command, units, client, out, err);
  if (verb == "is-active" || verb == "is-failed") return IsState(command, units, client, out, err);
  if (verb == "is-enabled") return IsEnabled(command, units, client, out, err);
  return Each(command, units, client, out, err);
}

}  // namespace vigil::ctl
