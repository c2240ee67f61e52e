#include "api/rpc.h"

#include <fmt/format.h>

#include "api/rpc_docs.h"
#include "protocol/py_values.h"

namespace vigil::api {

std::string_view FaultName(Fault fault) {
  switch (fault) {
    case Fault::kUnknownMethod:
      return "UNKNOWN_METHOD";
    case Fault::kIncorrectParameters:
      return "INCORRECT_PARAMETERS";
    case Fault::kBadArguments:
      return "BAD_ARGUMENTS";
    case Fault::kSignatureUnsupported:
      return "SIGNATURE_UNSUPPORTED";
    case Fault::kShutdownState:
      return "SHUTDOWN_STATE";
    case Fault::kBadName:
      return "BAD_NAME";
    case Fault::kBadSignal:
      return "BAD_SIGNAL";
    case Fault::kNoFile:
      return "NO_FILE";
    case Fault::kNotExecutable:
      return "NOT_EXECUTABLE";
    case Fault::kFailed:
      return "FAILED";
    case Fault::kAbnormalTermination:
      return "ABNORMAL_TERMINATION";
    case Fault::kSpawnError:
      return "SPAWN_ERROR";
    case Fault::kAlreadyStarted:
      return "ALREADY_STARTED";
    case Fault::kNotRunning:
      return "NOT_RUNNING";
    case Fault::kSuccess:
      return "SUCCESS";
    case Fault::kAlreadyAdded:
      return "ALREADY_ADDED";
    case Fault::kStillRunning:
      return "STILL_RUNNING";
    case Fault::kCantReread:
      return "CANT_REREAD";
  }
  return "FAILED";
}

RpcError MakeError(Fault fault) { return RpcError{fault, std::string(FaultName(fault))}; }

RpcError MakeError(Fault fault, std::string_view extra) {
  return RpcError{fault, fmt::format("{}: {}", FaultName(fault), extra)};
}

std::optional<RpcError> RpcContext::Deny(Verb verb, std::string_view target) const {
  if (access.Allowed(peer, verb, target)) return std::nullopt;
  const std::string message =
      fmt::format("access denied: {} may not {} {}", access.Describe(peer), VerbName(verb), target);
  if (log_denial) log_denial(message);
  RpcError error = MakeError(Fault::kFailed, message);
  error.denied = true;
  return error;
}

std::optional<RpcError> RpcContext::DenyAnywhere(Verb verb, std::string_view what) const {
  if (access.AllowedAnywhere(peer, verb)) return std::nullopt;
  const std::string message =
      fmt::format("access denied: {} may not {} {}", access.Describe(peer), VerbName(verb), what);
  if (log_denial) log_denial(message);
  RpcError error = MakeError(Fault::kFailed, message);
  error.denied = true;
  return error;
}

void Args::Fail(std::string_view what, std::string_view type) {
  if (!error_) {
    error_ = MakeError(Fault::kIncorrectParameters, fmt::format("{} must be {}", what, type));
  }
}

std::string Args::String(size_t index, std::string_view what) {
  if (index < params_.size()) {
    if (const std::string* text = params_[index].AsText()) return *text;
  }
  Fail(what, "a string");
  return {};
}

int64_t Args::Int(size_t index, std::string_view what) {
  if (index < params_.size()) {
    if (std::optional<int64_t> n = protocol::PyInt(params_[index])) return *n;
  }
  Fail(what, "an integer");
  return 0;
}

bool Args::Truth(size_t index, bool fallback) const {
  if (index >= params_.size()) return fallback;
  return protocol::PyTruth(params_[index]);
}

XmlRpcValue ResultStruct(const std::string& name, const std::string& group, Fault status,
                         const std::string& description) {
  return XmlRpcStruct{{"name", name},
                      {"group", group},
                      {"status", static_cast<int>(status)},
                      {"description", description}};
}

void RpcMethods::Add(const std::string& name, RpcMethod method) {
  std::optional<std::string_view> doc = MethodDocstring(name);
  Check(doc.has_value(), "an XML-RPC method without supervisord's docstring");
  method.help = *doc;
  method.signature = SignatureFromDocstring(*doc);
  methods_[name] = std::move(method);
}

RpcMethods::RpcMethods() {
  AddSupervisorMethods();
  AddSystemMethods();
}

RpcResult RpcMethods::Call(RpcContext& context, const std::string& method,
                           const RpcParams& params) const {
  auto it = methods_.find(method);
  if (it == methods_.end()) return MakeError(Fault::kUnknownMethod);
  const RpcMethod& m = it->second;
  if (params.size() < m.min_params || params.size() > m.max_params) {
    return MakeError(Fault::kIncorrectParameters);
  }
  // supervisord's _update(): every supervisor.* method but sendRemoteCommEvent fails while
  // supervisord stops or reloads.
  if (method.starts_with("supervisor.") && method != "supervisor.sendRemoteCommEvent" &&
      context.control.state() != DaemonState::kRunning) {
    return MakeError(Fault::kShutdownState);
  }
  return m.call(context, params);
}

}  // namespace vigil::api
