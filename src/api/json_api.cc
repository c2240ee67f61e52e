#include "api/json_api.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "api/json_reply.h"
#include "api/process_methods.h"
#include "api/spec_json.h"
#include "config/supervisord_types.h"

namespace vigil::api {
namespace {

using nlohmann::json;

json ToJson(const XmlRpcValue& value) {
  switch (value.kind()) {
    case XmlRpcValue::Kind::kNil:
      return nullptr;
    case XmlRpcValue::Kind::kInteger:
      return *value.AsInt();
    case XmlRpcValue::Kind::kBoolean:
      return *value.AsBool();
    case XmlRpcValue::Kind::kString:
      return *value.AsString();
    case XmlRpcValue::Kind::kDouble:
      return *value.AsDouble();
    case XmlRpcValue::Kind::kDateTime:
      return *value.AsDateTime();
    case XmlRpcValue::Kind::kBase64:
      return *value.AsBase64();
    case XmlRpcValue::Kind::kArray: {
      json array = json::array();
      for (const XmlRpcValue& item : *value.AsArray()) array.push_back(ToJson(item));
      return array;
    }
    case XmlRpcValue::Kind::kStruct: {
      json object = json::object();
      for (const auto& member : *value.AsStruct()) object[member.name] = ToJson(member.value);
      return object;
    }
  }
  return nullptr;
}

// Turns an RpcResult into a reply now or a pending one.
std::variant<HttpResponse, PendingReply> Reply(RpcResult result) {
  if (RpcPoll* poll = std::get_if<RpcPoll>(&result.outcome)) {
    return PendingReply{[poll = std::move(*poll)]() -> std::optional<HttpResponse> {
                          std::optional<RpcResult> done = poll();
                          if (!done) return std::nullopt;
                          return JsonFromRpc(done->outcome);
                        },
                        std::nullopt};
  }
  return JsonFromRpc(result.outcome);
}

}  // namespace

HttpResponse JsonFromRpc(const std::variant<XmlRpcValue, RpcError, RpcPoll>& outcome) {
  if (const RpcError* error = std::get_if<RpcError>(&outcome)) return ErrorReply(*error);
  if (const XmlRpcValue* value = std::get_if<XmlRpcValue>(&outcome)) {
    return Json(200, json{{"result", ToJson(*value)}});
  }
  return ErrorReply(500, "FAILED", 30, "unfinished operation");
}

JsonApi::JsonApi(Control& control, const AccessControl& access, const RpcMethods& methods,
                 Logger log_denial)
    : control_(control),
      access_(access),
      methods_(methods),
      log_denial_(std::move(log_denial)),
      units_(control) {}

std::variant<HttpResponse, PendingReply> JsonApi::Handle(const HttpRequest& request) {
  RpcContext context{control_, access_, request.peer, log_denial_};
  const std::string path = request.path.substr(std::string_view("/api/v1/").size());
  const bool post = request.method == "POST";
  if (request.method != "GET" && !post) {
    return ErrorReply(405, "INCORRECT_PARAMETERS", 2, "use GET or POST");
  }
  if (control_.state() != DaemonState::kRunning && path != "daemon") {
    return ErrorReply(MakeError(Fault::kShutdownState));
  }
  if (path == "daemon" && !post) {
    return Json(200, json{{"result",
                           {{"name", "vigild"},
                            {"version", VIGIL_VERSION},
                            {"api", "3.0"},
                            {"pid", control_.pid()},
                            {"state", static_cast<int>(control_.state())},
                            {"identifier", control_.config().supervisord.identifier},
                            {"config", control_.config().path},
                            {"tracking", control_.TrackingMode()}}}});
  }
  if (path == "programs" && !post) return Reply(GetAllProcessInfo(context));
  if (path == "reread" && post) {
    if (std::optional<RpcError> denied = context.DenyAnywhere(Verb::kReload, "the configuration")) {
      return ErrorReply(*denied);
    }
    Result<core::ConfigDiff> diff = control_.Reread();
    if (!diff) return ErrorReply(MakeError(Fault::kCantReread, diff.error().message));
    json changed = json::array();
    for (const core::GroupChange& change : diff->changed) {
      changed.push_back({{"group", change.group},
                         {"added", change.added},
                         {"changed", change.changed},
                         {"removed", change.removed},
                         {"group_settings_changed", change.group_settings_changed}});
    }
    return Json(200,
                json{{"result",
                      {{"added", diff->added}, {"changed", changed}, {"removed", diff->removed}}}});
  }
  if (path == "update" && post) return Update(context);
  if ((path == "reload" || path == "shutdown") && post) {
    if (std::optional<RpcError> denied = context.DenyAnywhere(Verb::kAdmin, "vigild")) {
      return ErrorReply(*denied);
    }
    path == "reload" ? control_.RequestRestart() : control_.RequestShutdown();
    return Json(200, json{{"result", true}});
  }
  if (std::optional<std::variant<HttpResponse, PendingReply>> unit =
          units_.Handle(request, context, path)) {
    return std::move(*unit);
  }
  if (path.starts_with("programs/")) {
    std::string rest = path.substr(9);
    std::string action;
    if (size_t slash = rest.rfind('/'); slash != std::string::npos) {
      action = rest.substr(slash + 1);
      rest.resize(slash);
    }
    return HandleProgram(request, context, rest, action);
  }
  return ErrorReply(404, "BAD_NAME", 10, "no such endpoint: /api/v1/" + path);
}

std::variant<HttpResponse, PendingReply> JsonApi::HandleProgram(const HttpRequest& request,
                                                                RpcContext& context,
                                                                const std::string& name,
                                                                const std::string& action) {
  const bool post = request.method == "POST";
  const bool wait = Truthy(request.query, "wait", true);
  const bool all = name == "all";
  if (action.empty() && !post) {
    RpcResult info = GetProcessInfo(context, name);
    const XmlRpcValue* value = std::get_if<XmlRpcValue>(&info.outcome);
    if (value == nullptr) return Reply(std::move(info));
    const std::string namespec = name.find(':') == std::string::npos ? name + ":" + name : name;
    const core::Program* program = control_.supervisor().FindProcess(namespec);
    json detail = ToJson(*value);
    detail["namespec"] = program->namespec();
    detail["settings"] = json::parse(ProgramSpecToJson(program->spec()));
    detail["logs"] = {{"stdout", control_.StdoutLogPath(program->namespec())},
                      {"stderr", control_.StderrLogPath(program->namespec())}};
    return Json(200, json{{"result", detail}});
  }
  if (action == "start" && post) {
    return Reply(all ? StartAllProcesses(context, wait) : StartProcess(context, name, wait));
  }
  if (action == "stop" && post) {
    return Reply(all ? StopAllProcesses(context, wait) : StopProcess(context, name, wait));
  }
  if (action == "restart" && post) {
    // Stop (waiting for it), then start: supervisorctl's restart, in one request.
    RpcResult stopped = all ? StopAllProcesses(context, true) : StopProcess(context, name, true);
    if (const RpcError* error = std::get_if<RpcError>(&stopped.outcome);
        error != nullptr && error->code != Fault::kNotRunning) {
      return ErrorReply(*error);
    }
    auto stop_poll = std::make_shared<std::optional<RpcPoll>>();
    if (RpcPoll* poll = std::get_if<RpcPoll>(&stopped.outcome)) *stop_poll = std::move(*poll);
    auto start_poll = std::make_shared<std::optional<RpcPoll>>();
    Control& control = control_;
    const AccessControl& access = access_;
    auto peer = std::make_shared<Peer>(request.peer);
    Logger log = log_denial_;
    return PendingReply{[=, &control, &access]() -> std::optional<HttpResponse> {
                          if (*stop_poll) {
                            if (!(**stop_poll)()) return std::nullopt;
                            stop_poll->reset();
                          }
                          if (!*start_poll) {
                            RpcContext c{control, access, *peer, log};
                            RpcResult started =
                                all ? StartAllProcesses(c, wait) : StartProcess(c, name, wait);
                            RpcPoll* poll = std::get_if<RpcPoll>(&started.outcome);
                            if (poll == nullptr) return JsonFromRpc(started.outcome);
                            *start_poll = std::move(*poll);
                          }
                          std::optional<RpcResult> done = (**start_poll)();
                          if (!done) return std::nullopt;
                          return JsonFromRpc(done->outcome);
                        },
                        std::nullopt};
  }
  if (action == "signal" && post) {
    auto it = request.query.find("signal");
    if (it == request.query.end()) return ErrorReply(400, "BAD_SIGNAL", 11, "signal= is missing");
    return Reply(all ? SignalAllProcesses(context, it->second)
                     : SignalProcess(context, name, it->second));
  }
  if (action == "log" && !post) {
    const bool err = request.query.contains("stream") && request.query.at("stream") == "stderr";
    int64_t bytes = 1600;
    if (auto it = request.query.find("bytes"); it != request.query.end()) {
      bytes = std::max<int64_t>(1, std::atoll(it->second.c_str()));
    }
    return Reply(ReadProcessLog(context, name, -bytes, 0, err));
  }
  if (action == "wait" && !post) {
    const std::string namespec = name.find(':') == std::string::npos ? name + ":" + name : name;
    if (control_.supervisor().FindProcess(namespec) == nullptr) {
      return ErrorReply(MakeError(Fault::kBadName, name));
    }
    if (std::optional<RpcError> denied = context.Deny(Verb::kRead, namespec)) {
      return ErrorReply(*denied);
    }
    const std::string wanted =
        request.query.contains("state") ? request.query.at("state") : "RUNNING";
    double timeout = 30;
    if (auto it = request.query.find("timeout"); it != request.query.end()) {
      timeout = std::atof(it->second.c_str());
    }
    const MonotonicTime deadline =
        control_.clock().Now() +
        std::chrono::duration_cast<Duration>(std::chrono::duration<double>(timeout));
    Control& control = control_;
    return PendingReply{[&control, namespec, wanted, deadline]() -> std::optional<HttpResponse> {
                          const core::Program* p = control.supervisor().FindProcess(namespec);
                          if (p == nullptr)
                            return ErrorReply(404, "BAD_NAME", 10, "BAD_NAME: " + namespec);
                          const std::string state(core::StateName(p->state()));
                          if (state == wanted)
                            return Json(200, json{{"result", {{"state", state}}}});
                          if (control.clock().Now() >= deadline) {
                            return ErrorReply(504, "FAILED", 30,
                                              fmt::format("{} is {}, not {}, after the timeout",
                                                          namespec, state, wanted));
                          }
                          return std::nullopt;
                        },
                        deadline};
  }
  return ErrorReply(404, "BAD_NAME", 10, fmt::format("no such endpoint for {}: {}", name, action));
}

std::variant<HttpResponse, PendingReply> JsonApi::Update(RpcContext& context) {
  if (std::optional<RpcError> denied = context.DenyAnywhere(Verb::kReload, "the configuration")) {
    return ErrorReply(*denied);
  }
  Result<core::ConfigDiff> read = control_.Reread();
  if (!read) return ErrorReply(MakeError(Fault::kCantReread, read.error().message));
  // What to do: stop what goes away or changes (only those processes, unless the group's own
  // settings changed), then remove and add.
  struct Plan {
    core::ConfigDiff diff;
    std::vector<std::string> to_stop;  // namespecs
    json actions = json::array();
    bool applied = false;
  };
  auto plan = std::make_shared<Plan>();
  plan->diff = std::move(*read);
  core::Supervisor& supervisor = control_.supervisor();
  auto stop_group = [&](const std::string& group_name) {
    if (const core::Group* group = supervisor.FindGroup(group_name)) {
      for (const auto& program : group->programs) plan->to_stop.push_back(program->namespec());
    }
  };
  for (const std::string& group : plan->diff.removed) stop_group(group);
  for (const core::GroupChange& change : plan->diff.changed) {
    if (change.group_settings_changed) {
      stop_group(change.group);
      continue;
    }
    for (const auto* list : {&change.changed, &change.removed}) {
      for (const std::string& process : *list)
        plan->to_stop.push_back(change.group + ":" + process);
    }
  }
  for (const std::string& namespec : plan->to_stop) {
    const core::Program* p = supervisor.FindProcess(namespec);
    if (p != nullptr && core::IsRunningState(p->state()))
      static_cast<void>(supervisor.Stop(namespec));
  }
  Control& control = control_;
  return PendingReply{
      [plan, &control]() -> std::optional<HttpResponse> {
        core::Supervisor& s = control.supervisor();
        for (const std::string& namespec : plan->to_stop) {
          const core::Program* p = s.FindProcess(namespec);
          if (p != nullptr && !core::IsStoppedState(p->state())) return std::nullopt;
        }
        auto spec_of = [&](const std::string& group,
                           const std::string& process) -> const config::ProgramSpec* {
          for (const config::GroupSpec& g : control.ConfiguredGroups()) {
            if (g.name != group) continue;
            for (const config::ProgramSpec& p : g.processes) {
              if (p.name == process) return &p;
            }
          }
          return nullptr;
        };
        auto act = [&](const std::string& what, const std::string& name, const Result<void>& r) {
          json entry = {{"action", what}, {"name", name}};
          if (!r) entry["error"] = r.error().message;
          plan->actions.push_back(entry);
        };
        for (const std::string& group : plan->diff.removed) {
          act("removed group", group, control.RemoveGroup(group));
        }
        for (const core::GroupChange& change : plan->diff.changed) {
          if (change.group_settings_changed) {
            Result<void> removed = control.RemoveGroup(change.group);
            act("replaced group", change.group, removed ? control.AddGroup(change.group) : removed);
            continue;
          }
          for (const std::string& process : change.removed) {
            act("removed", change.group + ":" + process,
                control.RemoveProcess(change.group + ":" + process));
          }
          for (const std::string& process : change.changed) {
            const std::string namespec = change.group + ":" + process;
            Result<void> removed = control.RemoveProcess(namespec);
            const config::ProgramSpec* spec = spec_of(change.group, process);
            act("updated", namespec,
                !removed ? removed
                : spec   ? control.AddProcess(*spec)
                         : Result<void>(Error::NotFound(namespec)));
          }
          for (const std::string& process : change.added) {
            const config::ProgramSpec* spec = spec_of(change.group, process);
            act("added", change.group + ":" + process,
                spec ? control.AddProcess(*spec)
                     : Result<void>(Error::NotFound(change.group + ":" + process)));
          }
        }
        for (const std::string& group : plan->diff.added) {
          act("added group", group, control.AddGroup(group));
        }
        return Json(200, json{{"result", plan->actions}});
      },
      std::nullopt};
}

}  // namespace vigil::api
