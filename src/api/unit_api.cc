#include "api/unit_api.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "api/json_reply.h"
#include "api/unit_properties.h"

namespace vigil::api {
namespace {

using nlohmann::json;

// systemctl's explanations of a failed job, by the unit's result.
std::string_view Explanation(core::ServiceResult result) {
  switch (result) {
    case core::ServiceResult::kResources:
      return "of unavailable resources or another system error";
    case core::ServiceResult::kProtocol:
      return "the service did not take the steps required by its unit configuration";
    case core::ServiceResult::kTimeout:
      return "a timeout was exceeded";
    case core::ServiceResult::kExitCode:
      return "the control process exited with error code";
    case core::ServiceResult::kSignal:
      return "a fatal signal was delivered to the control process";
    case core::ServiceResult::kCoreDump:
      return "a fatal signal was delivered causing the control process to dump core";
    case core::ServiceResult::kWatchdog:
      return "the service failed to send watchdog ping";
    case core::ServiceResult::kStartLimitHit:
      return "start of the service was attempted too often";
    case core::ServiceResult::kSuccess:
    case core::ServiceResult::kSkipCondition:
      break;
  }
  return "";
}

HttpResponse JobFailed(const core::Service& service) {
  const std::string& name = service.spec().name;
  std::string_view why = Explanation(service.result());
  std::string message = why.empty() ? fmt::format("A dependency job for {} failed.", name)
                                    : fmt::format("Job for {} failed because {}.", name, why);
  message += fmt::format("\nSee \"vigilctl status {}\" for details.", name);
  return ErrorReply(422, "ABNORMAL_TERMINATION", static_cast<int>(Fault::kAbnormalTermination),
                    message);
}

json StateSummary(const core::Service& service) {
  return json{{"Id", service.spec().name},
              {"ActiveState", core::ActiveStateName(service.active_state())},
              {"SubState", core::ServiceStateName(service.service_state())},
              {"Result", core::ServiceResultName(service.result())}};
}

}  // namespace

std::optional<std::string> UnitApi::Resolve(const std::string& name) {
  const core::Supervisor& supervisor = control_.supervisor();
  if (supervisor.FindService(name) != nullptr) return name;
  if (name.find('.') == std::string::npos && supervisor.FindService(name + ".service")) {
    return name + ".service";
  }
  // A supervisord program's name is never a unit's: no need to look on disk.
  if (control_.state() != DaemonState::kRunning || supervisor.FindGroup(name) != nullptr) {
    return std::nullopt;
  }
  Result<std::string> loaded = control_.LoadUnit(name);
  if (!loaded) return std::nullopt;
  return *loaded;
}

std::optional<std::variant<HttpResponse, PendingReply>> UnitApi::Handle(const HttpRequest& request,
                                                                        RpcContext& context,
                                                                        const std::string& path) {
  const bool post = request.method == "POST";
  if (path == "daemon-reload" && post) {
    if (std::optional<RpcError> denied = context.DenyAnywhere(Verb::kReload, "the units")) {
      return ErrorReply(*denied);
    }
    Result<std::vector<std::string>> changes = control_.DaemonReload();
    if (!changes) return ErrorReply(MakeError(Fault::kCantReread, changes.error().message));
    return Json(200, json{{"result", *changes}});
  }
  if (path == "units" && !post) return List(context);
  if (!path.starts_with("units/")) return std::nullopt;
  std::string name = path.substr(6);
  std::string action;
  if (size_t slash = name.find('/'); slash != std::string::npos) {
    action = name.substr(slash + 1);
    name.resize(slash);
  }
  if (action.empty() && !post) return Describe(context, name);
  if (!post) return ErrorReply(405, "INCORRECT_PARAMETERS", 2, "use POST for " + action);
  return Act(request, context, name, action);
}

HttpResponse UnitApi::List(RpcContext& context) {
  json units = json::array();
  for (const core::Program* program : control_.supervisor().Processes()) {
    const core::Service* service = program->AsService();
    if (service == nullptr ||
        !context.access.Allowed(context.peer, Verb::kRead, program->namespec())) {
      continue;
    }
    json entry = StateSummary(*service);
    entry["Description"] = service->service_spec().description;
    entry["LoadState"] = "loaded";
    units.push_back(std::move(entry));
  }
  return Json(200, json{{"result", units}});
}

HttpResponse UnitApi::Describe(RpcContext& context, const std::string& name) {
  std::optional<std::string> unit = Resolve(name);
  if (!unit) {
    const std::string state = control_.UnitFileState(name);
    return ErrorReply(404, "BAD_NAME", static_cast<int>(Fault::kBadName),
                      fmt::format("Unit {} could not be found.{}", name,
                                  state == "not-found" ? "" : " (its file is " + state + ")"));
  }
  if (std::optional<RpcError> denied = context.Deny(Verb::kRead, *unit)) {
    return ErrorReply(*denied);
  }
  const core::Service& service = *control_.supervisor().FindService(*unit);
  const std::vector<Control::ProcessSummary> processes = control_.ServiceProcesses(*unit);
  json properties = json::object();
  for (const auto& [key, value] :
       ServiceProperties(service, control_.UnitFileState(*unit), processes.size(),
                         control_.ServiceCgroup(*unit))) {
    properties[key] = value;
  }
  json pids = json::array();
  for (const Control::ProcessSummary& process : processes) {
    pids.push_back({{"pid", process.pid}, {"command", process.command}});
  }
  json messages = json::array();
  for (const Control::UnitMessage& message : control_.RecentMessages(*unit)) {
    messages.push_back({{"time", FormatTimestamp(message.at)}, {"message", message.text}});
  }
  return Json(200, json{{"result",
                         {{"properties", properties},
                          {"processes", pids},
                          {"messages", messages},
                          {"logs",
                           {{"stdout", control_.StdoutLogPath(*unit)},
                            {"stderr", control_.StderrLogPath(*unit)}}}}}});
}

std::variant<HttpResponse, PendingReply> UnitApi::Act(const HttpRequest& request,
                                                      RpcContext& context, const std::string& name,
                                                      const std::string& action) {
  if (action == "enable" || action == "disable") {
    if (std::optional<RpcError> denied = context.DenyAnywhere(Verb::kReload, name)) {
      return ErrorReply(*denied);
    }
    Result<std::vector<std::string>> done = control_.SetUnitEnabled(name, action == "enable");
    if (!done) {
      const int status = done.error().code == ErrorCode::kNotFound ? 404 : 422;
      return ErrorReply(status, "FAILED", static_cast<int>(Fault::kFailed), done.error().message);
    }
    return Json(200, json{{"result", *done}});
  }
  std::optional<std::string> unit = Resolve(name);
  if (!unit) {
    return ErrorReply(404, "BAD_NAME", static_cast<int>(Fault::kBadName),
                      fmt::format("Unit {} not found.", name));
  }
  Verb verb = Verb::kStart;
  if (action == "stop") verb = Verb::kStop;
  if (action == "reload") verb = Verb::kSignal;
  if (action == "restart" || action == "try-restart") {
    if (std::optional<RpcError> denied = context.Deny(Verb::kStop, *unit)) {
      return ErrorReply(*denied);
    }
  }
  if (std::optional<RpcError> denied = context.Deny(verb, *unit)) return ErrorReply(*denied);

  core::Supervisor& supervisor = control_.supervisor();
  const core::Service& service = *supervisor.FindService(*unit);
  Result<void> done = Ok();
  if (action == "start") {
    const core::ActiveState active = service.active_state();
    if (active != core::ActiveState::kActive && active != core::ActiveState::kActivating &&
        active != core::ActiveState::kReloading) {
      done = supervisor.Start(*unit);
    }
  } else if (action == "stop") {
    if (IsRunningState(service.state())) done = supervisor.Stop(*unit);
  } else if (action == "restart" || action == "try-restart") {
    done = supervisor.RestartService(*unit, action == "try-restart");
  } else if (action == "reload") {
    done = supervisor.ReloadService(*unit);
  } else if (action == "reset-failed") {
    done = supervisor.ResetFailed(*unit);
  } else {
    return ErrorReply(404, "BAD_NAME", 10, "no such unit action: " + action);
  }
  if (!done && done.error().code != ErrorCode::kFailedPrecondition) {
    return ErrorReply(422, "FAILED", static_cast<int>(Fault::kFailed), done.error().message);
  }
  if (!done && action != "start") {
    return ErrorReply(409, "FAILED", static_cast<int>(Fault::kFailed), done.error().message);
  }
  if (!Truthy(request.query, "wait", true) || action == "reset-failed") {
    return Json(200, json{{"result", StateSummary(service)}});
  }
  // Answer when the unit's job is done, as systemctl waits for its job.
  const std::string target = *unit;
  const bool starting = action != "stop";
  return PendingReply{
      [this, target, starting, action]() -> std::optional<HttpResponse> {
        core::Supervisor& current = control_.supervisor();
        const core::Service* now = current.FindService(target);
        if (now == nullptr) {
          return ErrorReply(404, "BAD_NAME", 10, fmt::format("Unit {} was removed.", target));
        }
        if (current.HasJob(target)) return std::nullopt;
        if (action == "reload" && now->service_state() == core::ServiceState::kReload) {
          return std::nullopt;
        }
        if (starting && (now->active_state() == core::ActiveState::kFailed ||
                         current.LastStartSucceeded(target) == std::optional<bool>(false))) {
          return JobFailed(*now);
        }
        if (action == "reload" && now->reload_result() != core::ServiceResult::kSuccess) {
          return ErrorReply(422, "FAILED", static_cast<int>(Fault::kFailed),
                            fmt::format("Job for {} failed.\nSee \"vigilctl status {}\" for "
                                        "details.",
                                        target, target));
        }
        return Json(200, json{{"result", StateSummary(*now)}});
      },
      std::nullopt};
}

}  // namespace vigil::api
