#include "ctl/commands.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/exit_codes.h"
#include "ctl/request.h"
#include "ctl/unit_commands.h"

namespace vigil::ctl {
namespace {

using nlohmann::json;

std::string Namespec(const json& info) {
  const std::string name = info.value("name", "");
  const std::string group = info.value("group", "");
  return name == group ? name : group + ":" + name;
}

bool IsRunning(const std::string& state) {
  return state == "RUNNING" || state == "STARTING" || state == "BACKOFF" || state == "STOPPING";
}

// Whether `arg` (a namespec, "group:*", "group:" or a bare name) names the process `info`.
bool Names(const std::string& arg, const json& info) {
  const std::string group = info.value("group", "");
  return arg == Namespec(info) || arg == group + ":*" || arg == group + ":" ||
         arg == group + ":" + info.value("name", "");
}

int Status(const Command& command, const Client& client, std::ostream& out, std::ostream& err) {
  Reply reply = Send(client, false, "/api/v1/programs");
  if (!reply.error.empty()) {
    err << reply.error << "\n";
    return reply.exit_code;
  }
  int code = exit_code::kCtlOk;
  std::vector<StatusRow> rows;
  json selected = json::array();
  for (const json& info : reply.body["result"]) {
    const bool wanted =
        command.args.empty() || std::any_of(command.args.begin(), command.args.end(),
                                            [&](const std::string& a) { return Names(a, info); });
    if (!wanted) continue;
    selected.push_back(info);
    rows.push_back(
        StatusRow{Namespec(info), info.value("statename", ""), info.value("description", "")});
    if (!IsRunning(info.value("statename", "")) && code == exit_code::kCtlOk) {
      code = exit_code::kCtlNotRunning;
    }
  }
  for (const std::string& arg : command.args) {
    if (std::none_of(selected.begin(), selected.end(),
                     [&](const json& info) { return Names(arg, info); })) {
      err << arg << ": ERROR (no such process)\n";
      code = exit_code::kCtlNoSuchProgram;
    }
  }
  if (command.json) {
    out << selected.dump(2) << "\n";
  } else {
    out << FormatStatusTable(rows);
  }
  return code;
}

int Act(const Command& command, const Client& client, std::ostream& out, std::ostream& err) {
  if (command.args.empty()) {
    err << fmt::format("vigilctl {}: name a program, group:*, or all\n", command.verb);
    return exit_code::kCtlUsage;
  }
  const std::string done = command.verb == "start"     ? "started"
                           : command.verb == "stop"    ? "stopped"
                           : command.verb == "restart" ? "restarted"
                                                       : "signalled";
  std::vector<std::string> names = command.args;
  std::string query = command.no_wait ? "?wait=0" : "";
  if (command.verb == "signal") {
    query = "?signal=" + UrlEncode(names.front());
    names.erase(names.begin());
  }
  int code = exit_code::kCtlOk;
  json results = json::array();
  for (const std::string& name : names) {
    const std::string verb = command.verb;
    Reply reply =
        Send(client, true, fmt::format("/api/v1/programs/{}/{}{}", UrlEncode(name), verb, query));
    if (reply.exit_code == exit_code::kCtlUnreachable) {
      err << reply.error << "\n";
      return reply.exit_code;
    }
    results.push_back(reply.body);
    if (!reply.error.empty()) {
      if (!command.json) err << fmt::format("{}: ERROR ({})\n", name, reply.error);
      code = exit_code::kCtlOperationFailed;
      continue;
    }
    const json& result = reply.body["result"];
    if (result.is_array()) {  // a group or all: one line per process
      for (const json& item : result) {
        const bool ok = item.value("status", 0) == 80;
        if (!command.json) {
          (ok ? out : err) << fmt::format(
              "{}: {}\n", Namespec(item),
              ok ? done : "ERROR (" + item.value("description", "") + ")");
        }
        if (!ok) code = exit_code::kCtlOperationFailed;
      }
    } else if (!command.json) {
      out << fmt::format("{}: {}\n", name, done);
    }
  }
  if (command.json) out << results.dump(2) << "\n";
  return code;
}

int Simple(const Command& command, const Client& client, bool post, const std::string& path,
           std::ostream& out, std::ostream& err, const std::string& done) {
  Reply reply = Send(client, post, path);
  if (!reply.error.empty()) {
    err << reply.error << "\n";
    return reply.exit_code;
  }
  if (command.json) {
    out << reply.body["result"].dump(2) << "\n";
  } else if (!done.empty()) {
    out << done << "\n";
  }
  return exit_code::kCtlOk;
}

int Info(const Command& command, const Client& client, std::ostream& out, std::ostream& err) {
  if (command.args.size() != 1) {
    err << "vigilctl info: name one program\n";
    return exit_code::kCtlUsage;
  }
  Reply reply = Send(client, false, "/api/v1/programs/" + UrlEncode(command.args[0]));
  if (!reply.error.empty()) {
    err << reply.error << "\n";
    return reply.exit_code;
  }
  const json& r = reply.body["result"];
  if (command.json) {
    out << r.dump(2) << "\n";
    return exit_code::kCtlOk;
  }
  const json& s = r["settings"];
  auto row = [&](std::string_view key, const std::string& value) {
    out << fmt::format("{:<14} {}\n", key, value);
  };
  row("name", r.value("namespec", ""));
  row("state", fmt::format("{} {}", r.value("statename", ""), r.value("description", "")));
  row("pid", std::to_string(r.value("pid", 0)));
  if (!r.value("spawnerr", "").empty()) row("spawnerr", r.value("spawnerr", ""));
  row("exitstatus", std::to_string(r.value("exitstatus", 0)));
  row("command", s.value("command", ""));
  row("directory", s["directory"].is_null() ? "(vigild's)" : s["directory"].get<std::string>());
  row("autostart", s.value("autostart", false) ? "true" : "false");
  row("autorestart", s.value("autorestart", ""));
  row("startsecs", std::to_string(s.value("startsecs", 0)));
  row("startretries", std::to_string(s.value("startretries", 0)));
  row("stdout log",
      r["logs"].value("stdout", "").empty() ? "(none)" : r["logs"].value("stdout", ""));
  row("stderr log",
      r["logs"].value("stderr", "").empty() ? "(none)" : r["logs"].value("stderr", ""));
  return exit_code::kCtlOk;
}

int Tail(const Command& command, const Client& client, std::ostream& out, std::ostream& err) {
  if (command.args.empty()) {
    err << "vigilctl tail: name one program\n";
    return exit_code::kCtlUsage;
  }
  const std::string name = UrlEncode(command.args[0]);
  if (command.follow) {
    const std::string path = "/logtail/" + name + (command.stream == "stderr" ? "/stderr" : "");
    Result<long> status = client.Stream(path, [&](std::string_view data) {
      out << data;
      out.flush();
      return static_cast<bool>(out);
    });
    if (!status) {
      err << status.error().message << "\n";
      return exit_code::kCtlUnreachable;
    }
    if (*status != 200) {
      err << fmt::format("{}: ERROR (cannot follow its {} log: HTTP {})\n", command.args[0],
                         command.stream, *status);
      return exit_code::kCtlOperationFailed;
    }
    return exit_code::kCtlOk;
  }
  Reply reply = Send(client, false,
                     fmt::format("/api/v1/programs/{}/log?stream={}&bytes={}", name, command.stream,
                                 command.bytes));
  if (!reply.error.empty()) {
    err << fmt::format("{}: ERROR ({})\n", command.args[0], reply.error);
    return reply.exit_code;
  }
  out << reply.body["result"].get<std::string>();
  return exit_code::kCtlOk;
}

int Pid(const Command& command, const Client& client, std::ostream& out, std::ostream& err) {
  if (command.args.empty()) {
    Reply reply = Send(client, false, "/api/v1/daemon");
    if (!reply.error.empty()) {
      err << reply.error << "\n";
      return reply.exit_code;
    }
    out << reply.body["result"].value("pid", 0) << "\n";
    return exit_code::kCtlOk;
  }
  int code = exit_code::kCtlOk;
  for (const std::string& name : command.args) {
    Reply reply = Send(client, false, "/api/v1/programs/" + UrlEncode(name));
    if (!reply.error.empty()) {
      err << fmt::format("{}: ERROR ({})\n", name, reply.error);
      code = reply.exit_code;
      continue;
    }
    const int pid = reply.body["result"].value("pid", 0);
    out << pid << "\n";
    if (pid == 0) code = exit_code::kCtlOperationFailed;
  }
  return code;
}

int Wait(const Command& command, const Client& client, std::ostream& out, std::ostream& err) {
  if (command.args.empty()) {
    err << "vigilctl wait: name a program\n";
    return exit_code::kCtlUsage;
  }
  const std::string path = fmt::format("/api/v1/programs/{}/wait?state={}&timeout={}",
                                       UrlEncode(command.args[0]), command.state, command.timeout);
  Reply reply = Send(client, false, path);
  if (!reply.error.empty()) {
    err << fmt::format("{}: ERROR ({})\n", command.args[0], reply.error);
    return reply.exit_code;
  }
  if (!command.json) out << fmt::format("{}: {}\n", command.args[0], command.state);
  return exit_code::kCtlOk;
}

int Update(const Command& command, const Client& client, bool apply, std::ostream& out,
           std::ostream& err) {
  Reply reply = Send(client, true, apply ? "/api/v1/update" : "/api/v1/reread");
  if (!reply.error.empty()) {
    err << reply.error << "\n";
    return reply.exit_code;
  }
  const json& r = reply.body["result"];
  if (command.json) {
    out << r.dump(2) << "\n";
    return exit_code::kCtlOk;
  }
  int code = exit_code::kCtlOk;
  if (apply) {
    if (r.empty()) out << "No config updates to processes\n";
    for (const json& action : r) {
      if (action.contains("error")) {
        err << fmt::format("{}: ERROR ({})\n", action.value("name", ""), action.value("error", ""));
        code = exit_code::kCtlOperationFailed;
      } else {
        out << fmt::format("{}: {}\n", action.value("name", ""), action.value("action", ""));
      }
    }
    return code;
  }
  std::vector<std::string> lines;
  for (const json& g : r["added"]) lines.push_back(g.get<std::string>() + ": available");
  for (const json& g : r["changed"]) lines.push_back(g.value("group", "") + ": changed");
  for (const json& g : r["removed"]) lines.push_back(g.get<std::string>() + ": disappeared");
  std::sort(lines.begin(), lines.end());
  if (lines.empty()) out << "No config updates to processes\n";
  for (const std::string& line : lines) out << line << "\n";
  return code;
}

}  // namespace

std::string FormatStatusTable(const std::vector<StatusRow>& rows) {
  size_t width = 30;
  for (const StatusRow& row : rows) width = std::max(width, row.name.size());
  std::string out;
  for (const StatusRow& row : rows) {
    out += fmt::format("{:<{}}{:<10}{}\n", row.name, width + 3, row.state, row.description);
  }
  return out;
}

int RunCommand(const Command& command, const Client& client, std::ostream& out, std::ostream& err) {
  const std::string& v = command.verb;
  if (IsUnitOnlyVerb(v)) return RunUnitCommand(command, command.args, client, out, err);
  // start, stop, restart, status and reload act on units the systemctl way and on supervisord
  // programs the supervisorctl way; each name goes to whichever it is.
  const bool shared = v == "start" || v == "stop" || v == "restart" || v == "status" ||
                      (v == "reload" && !command.args.empty());
  if (shared && !command.args.empty()) {
    std::vector<std::string> units;
    Command programs = command;
    programs.args.clear();
    for (const std::string& name : command.args) {
      (IsUnit(client, name) ? units : programs.args).push_back(name);
    }
    int code = exit_code::kCtlOk;
    if (!units.empty()) code = RunUnitCommand(command, units, client, out, err);
    if (programs.args.empty()) return code;
    if (v == "reload") {
      for (const std::string& name : programs.args) {
        err << fmt::format("Unit {} not found.\n", name);
      }
      return exit_code::kCtlOperationFailed;
    }
    const int program_code =
        v == "status" ? Status(programs, client, out, err) : Act(programs, client, out, err);
    return code != exit_code::kCtlOk ? code : program_code;
  }
  if (v == "status") return Status(command, client, out, err);
  if (v == "start" || v == "stop" || v == "restart") return Act(command, client, out, err);
  if (v == "signal") {
    if (command.args.size() < 2) {
      err << "vigilctl signal: give a signal and at least one program\n";
      return exit_code::kCtlUsage;
    }
    return Act(command, client, out, err);
  }
  if (v == "pid") return Pid(command, client, out, err);
  if (v == "tail") return Tail(command, client, out, err);
  if (v == "info") return Info(command, client, out, err);
  if (v == "wait") return Wait(command, client, out, err);
  if (v == "reread") return Update(command, client, false, out, err);
  if (v == "update") return Update(command, client, true, out, err);
  if (v == "reload")
    return Simple(command, client, true, "/api/v1/reload", out, err, "Restarted vigild");
  if (v == "shutdown")
    return Simple(command, client, true, "/api/v1/shutdown", out, err, "Shut down");
  if (v == "version") {
    Reply reply = Send(client, false, "/api/v1/daemon");
    if (!reply.error.empty()) {
      err << reply.error << "\n";
      return reply.exit_code;
    }
    out << (command.json ? reply.body["result"].dump(2) : reply.body["result"].value("version", ""))
        << "\n";
    return exit_code::kCtlOk;
  }
  err << "vigilctl: unknown command " << v << "\n";
  return exit_code::kCtlUsage;
}

}  // namespace vigil::ctl
