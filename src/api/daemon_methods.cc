// supervisor.* methods about the daemon, its configuration and the logs (rpcinterface.py).

#include <fmt/format.h>

#include <algorithm>

#include "api/process_methods.h"
#include "config/supervisord_types.h"

namespace vigil::api {
namespace {

XmlRpcValue NoneOr(const std::optional<std::string>& value) {
  return value ? XmlRpcValue(*value) : XmlRpcValue("none");
}

// `realized`: the AUTO file the process was given, if its group was added from this reading.
XmlRpcValue LogfileValue(const config::LogSpec& log, const std::string& realized) {
  switch (log.target) {
    case config::LogTarget::kNone:
      return "none";
    case config::LogTarget::kAuto:
      return realized.empty() ? "auto" : realized;
    case config::LogTarget::kFile:
      return log.path;
  }
  return "none";
}

}  // namespace

RpcResult GetAllConfigInfo(RpcContext& context) {
  const core::Supervisor& supervisor = context.control.supervisor();
  std::vector<std::pair<std::string, XmlRpcValue>> items;  // sorted by process name below
  for (const config::GroupSpec& group : context.control.ConfiguredGroups()) {
    const bool inuse = supervisor.FindGroup(group.name) != nullptr;
    for (const config::ProgramSpec& p : group.processes) {
      const std::string namespec = config::Namespec(p);
      if (!context.access.Allowed(context.peer, Verb::kRead, namespec)) continue;
      using protocol::CappedXmlRpcInt;
      XmlRpcStruct info{
          {"autostart", p.autostart},
          {"directory", NoneOr(p.directory)},
          {"uid", p.user ? XmlRpcValue(static_cast<int64_t>(p.user->uid)) : XmlRpcValue("none")},
          {"command", p.command},
          {"exitcodes",
           [&] {
             XmlRpcArray codes;
             for (int code : p.restart.exitcodes) codes.push_back(code);
             return XmlRpcValue(std::move(codes));
           }()},
          {"group", group.name},
          {"group_prio", CappedXmlRpcInt(group.priority)},
          {"inuse", inuse},
          {"killasgroup", p.stop.kill_group},
          {"name", p.name},
          {"process_prio", CappedXmlRpcInt(p.priority)},
          {"redirect_stderr", p.redirect_stderr},
          {"startretries", CappedXmlRpcInt(p.restart.startretries)},
          {"startsecs",
           CappedXmlRpcInt(
               std::chrono::duration_cast<std::chrono::seconds>(p.restart.startsecs).count())},
          {"stdout_capture_maxbytes", CappedXmlRpcInt(p.stdout_log.capture_maxbytes)},
          {"stdout_events_enabled", p.stdout_log.events_enabled},
          {"stdout_logfile",
           LogfileValue(p.stdout_log, context.control.RealizedAutoLog(namespec, false))},
          {"stdout_logfile_backups", CappedXmlRpcInt(p.stdout_log.backups)},
          {"stdout_logfile_maxbytes", CappedXmlRpcInt(p.stdout_log.maxbytes)},
          {"stdout_syslog", p.stdout_log.syslog},
          {"stopsignal", p.stop.signal},
          {"stopwaitsecs",
           CappedXmlRpcInt(
               std::chrono::duration_cast<std::chrono::seconds>(p.stop.timeout).count())},
          {"stderr_capture_maxbytes", CappedXmlRpcInt(p.stderr_log.capture_maxbytes)},
          {"stderr_events_enabled", p.stderr_log.events_enabled},
          {"stderr_logfile",
           LogfileValue(p.stderr_log, context.control.RealizedAutoLog(namespec, true))},
          {"stderr_logfile_backups", CappedXmlRpcInt(p.stderr_log.backups)},
          {"stderr_logfile_maxbytes", CappedXmlRpcInt(p.stderr_log.maxbytes)},
          {"stderr_syslog", p.stderr_log.syslog},
          {"serverurl", NoneOr(p.serverurl)},
      };
      items.emplace_back(p.name, XmlRpcValue(std::move(info)));
    }
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  XmlRpcArray all;
  for (auto& [name, info] : items) all.push_back(std::move(info));
  return XmlRpcValue(std::move(all));
}

RpcResult ReloadConfig(RpcContext& context) {
  if (std::optional<RpcError> denied = context.DenyAnywhere(Verb::kReload, "the configuration")) {
    return *denied;
  }
  Result<core::ConfigDiff> diff = context.control.Reread();
  if (!diff) {
    // supervisord's own wording where the configuration module knows it (vigild --check and
    // the log keep vigil's file:line message).
    const Error& error = diff.error();
    return MakeError(Fault::kCantReread,
                     error.compat_message.empty() ? error.message : error.compat_message);
  }
  auto names = [](const std::vector<std::string>& list) {
    XmlRpcArray array;
    for (const std::string& name : list) array.push_back(name);
    return XmlRpcValue(std::move(array));
  };
  return XmlRpcValue(XmlRpcArray{XmlRpcValue(
      XmlRpcArray{names(diff->added), names(diff->ChangedGroups()), names(diff->removed)})});
}

RpcResult AddProcessGroup(RpcContext& context, const std::string& name) {
  if (std::optional<RpcError> denied = context.Deny(Verb::kReload, name)) return *denied;
  Result<void> added = context.control.AddGroup(name);
  if (added) return XmlRpcValue(true);
  if (added.error().code == ErrorCode::kAlreadyExists) return MakeError(Fault::kAlreadyAdded, name);
  return MakeError(Fault::kBadName, name);
}

RpcResult RemoveProcessGroup(RpcContext& context, const std::string& name) {
  if (std::optional<RpcError> denied = context.Deny(Verb::kReload, name)) return *denied;
  Result<void> removed = context.control.RemoveGroup(name);
  if (removed) return XmlRpcValue(true);
  if (removed.error().code == ErrorCode::kNotFound) return MakeError(Fault::kBadName, name);
  return MakeError(Fault::kStillRunning, name);
}

RpcResult ReadMainLog(RpcContext& context, int64_t offset, int64_t length) {
  if (std::optional<RpcError> denied = context.DenyAnywhere(Verb::kAdmin, "the main log")) {
    return *denied;
  }
  const std::string path = context.control.MainLogPath();
  if (path.empty()) return MakeError(Fault::kNoFile, "syslog");
  std::variant<std::string, RpcError> data = ReadLogFile(path, offset, length);
  if (RpcError* error = std::get_if<RpcError>(&data)) return *error;
  return XmlRpcValue(std::get<std::string>(std::move(data)));
}

RpcResult ClearMainLog(RpcContext& context) {
  if (std::optional<RpcError> denied = context.DenyAnywhere(Verb::kAdmin, "the main log")) {
    return *denied;
  }
  if (context.control.MainLogPath().empty()) return MakeError(Fault::kNoFile);
  if (Result<void> cleared = context.control.ClearMainLog(); !cleared) {
    return MakeError(Fault::kFailed);
  }
  return XmlRpcValue(true);
}

static std::variant<const core::Program*, RpcError> OneProcess(RpcContext& context,
                                                               const std::string& name) {
  const size_t colon = name.find(':');
  const std::string group = colon == std::string::npos ? name : name.substr(0, colon);
  const std::string process = colon == std::string::npos ? name : name.substr(colon + 1);
  if (context.control.supervisor().FindGroup(group) == nullptr || process.empty() ||
      process == "*") {
    return MakeError(Fault::kBadName, name);
  }
  const core::Program* p = context.control.supervisor().FindProcess(group + ":" + process);
  if (p == nullptr) return MakeError(Fault::kBadName, name);
  return p;
}

RpcResult ReadProcessLog(RpcContext& context, const std::string& name, int64_t offset,
                         int64_t length, bool stderr_log) {
  std::variant<const core::Program*, RpcError> p = OneProcess(context, name);
  if (RpcError* error = std::get_if<RpcError>(&p)) return *error;
  const std::string namespec = std::get<const core::Program*>(p)->namespec();
  if (std::optional<RpcError> denied = context.Deny(Verb::kTail, namespec)) return *denied;
  const std::string path = stderr_log ? context.control.StderrLogPath(namespec)
                                      : context.control.StdoutLogPath(namespec);
  // supervisord raises RPCError(NO_FILE, logfile) and leaves out an extra of None.
  if (path.empty()) return MakeError(Fault::kNoFile);
  std::variant<std::string, RpcError> data = ReadLogFile(path, offset, length);
  if (RpcError* error = std::get_if<RpcError>(&data)) return *error;
  return XmlRpcValue(std::get<std::string>(std::move(data)));
}

RpcResult TailProcessLog(RpcContext& context, const std::string& name, int64_t offset,
                         int64_t length, bool stderr_log) {
  std::variant<const core::Program*, RpcError> p = OneProcess(context, name);
  if (RpcError* error = std::get_if<RpcError>(&p)) return *error;
  const std::string namespec = std::get<const core::Program*>(p)->namespec();
  if (std::optional<RpcError> denied = context.Deny(Verb::kTail, namespec)) return *denied;
  const std::string path = stderr_log ? context.control.StderrLogPath(namespec)
                                      : context.control.StdoutLogPath(namespec);
  if (path.empty()) return XmlRpcValue(XmlRpcArray{"", 0, false});
  return TailLogFile(path, offset, length);
}

RpcResult ClearProcessLogs(RpcContext& context, const std::string& name) {
  std::variant<const core::Program*, RpcError> p = OneProcess(context, name);
  if (RpcError* error = std::get_if<RpcError>(&p)) return *error;
  const std::string namespec = std::get<const core::Program*>(p)->namespec();
  if (std::optional<RpcError> denied = context.Deny(Verb::kAdmin, namespec)) return *denied;
  if (Result<void> cleared = context.control.ClearProcessLogs(namespec); !cleared) {
    return MakeError(Fault::kFailed, name);
  }
  return XmlRpcValue(true);
}

RpcResult ClearAllProcessLogs(RpcContext& context) {
  XmlRpcArray results;
  for (const core::Group& group : context.control.supervisor().groups()) {
    for (const auto& program : group.programs) {
      RpcResult one = ClearProcessLogs(context, program->namespec());
      if (const RpcError* error = std::get_if<RpcError>(&one.outcome)) {
        results.push_back(ResultStruct(program->spec().name, group.name, error->code, error->text));
      } else {
        results.push_back(ResultStruct(program->spec().name, group.name, Fault::kSuccess, "OK"));
      }
    }
  }
  return XmlRpcValue(std::move(results));
}

RpcResult SendProcessStdin(RpcContext& context, const std::string& name, const std::string& chars) {
  std::variant<const core::Program*, RpcError> p = OneProcess(context, name);
  if (RpcError* error = std::get_if<RpcError>(&p)) return *error;
  const core::Program* program = std::get<const core::Program*>(p);
  if (std::optional<RpcError> denied = context.Deny(Verb::kAdmin, program->namespec())) {
    return *denied;
  }
  if (program->pid() == 0 || program->state() == core::ProgramState::kStopping) {
    return MakeError(Fault::kNotRunning, name);
  }
  Result<void> sent = context.control.SendStdin(program->namespec(), chars);
  if (!sent) {
    return sent.error().code == ErrorCode::kNotFound ? MakeError(Fault::kNoFile, name)
                                                     : MakeError(Fault::kNotRunning, name);
  }
  return XmlRpcValue(true);
}

}  // namespace vigil::api
