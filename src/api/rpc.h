#pragma once

// The XML-RPC method machinery: supervisord's faults, method results that may finish later
// (supervisord's deferred NOT_DONE_YET callbacks), and the method table with system.multicall.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "api/access_control.h"
#include "api/control.h"
#include "api/http_server.h"
#include "protocol/xml_rpc.h"

namespace vigil::api {

using protocol::XmlRpcArray;
using protocol::XmlRpcStruct;
using protocol::XmlRpcValue;

// supervisord's Faults (xmlrpc.py), with their numbers.
enum class Fault {
  kUnknownMethod = 1,
  kIncorrectParameters = 2,
  kBadArguments = 3,
  kSignatureUnsupported = 4,
  kShutdownState = 6,
  kBadName = 10,
  kBadSignal = 11,
  kNoFile = 20,
  kNotExecutable = 21,
  kFailed = 30,
  kAbnormalTermination = 40,
  kSpawnError = 50,
  kAlreadyStarted = 60,
  kNotRunning = 70,
  kSuccess = 80,
  kAlreadyAdded = 90,
  kStillRunning = 91,
  kCantReread = 92,
};

std::string_view FaultName(Fault fault);

// supervisord's RPCError: code and text, "BAD_NAME" or "BAD_NAME: foo".
struct RpcError {
  Fault code;
  std::string text;
  bool denied = false;  // refused by the access list (a FAILED fault to supervisorctl)
};
RpcError MakeError(Fault fault);
RpcError MakeError(Fault fault, std::string_view extra);

struct RpcResult;
// A computation that is not finished: returns nullopt until it is.
using RpcPoll = std::function<std::optional<RpcResult>()>;

struct RpcResult {
  std::variant<XmlRpcValue, RpcError, RpcPoll> outcome;

  RpcResult(XmlRpcValue value) : outcome(std::move(value)) {}  // NOLINT
  RpcResult(RpcError error) : outcome(std::move(error)) {}     // NOLINT
  RpcResult(RpcPoll poll) : outcome(std::move(poll)) {}        // NOLINT
};

// What one call may use: the daemon, the caller, the access list, and a logger for denials.
struct RpcContext {
  Control& control;
  const AccessControl& access;
  const Peer& peer;
  std::function<void(const std::string&)> log_denial;

  // Checks the access list; on denial logs it and returns supervisord's FAILED fault.
  std::optional<RpcError> Deny(Verb verb, std::string_view target) const;
  // The same for verbs that act on no program in particular (reload, admin); `what` names the
  // object for the message.
  std::optional<RpcError> DenyAnywhere(Verb verb, std::string_view what) const;
};

using RpcParams = std::vector<XmlRpcValue>;

struct RpcMethod {
  std::function<RpcResult(RpcContext&, const RpcParams&)> call;
  size_t min_params = 0;
  size_t max_params = 0;
  // Set by RpcMethods from rpc_docs.h: supervisord's docstring, and the signature it derives
  // from it (return type, then parameter types; empty when the docstring has no @return).
  std::string_view help = {};
  std::vector<std::string> signature = {};
};

class RpcMethods {
 public:
  RpcMethods();  // supervisor.* and system.*

  // Runs `method`: unknown methods, wrong numbers of parameters and wrong types are faults.
  RpcResult Call(RpcContext& context, const std::string& method, const RpcParams& params) const;
  const std::map<std::string, RpcMethod>& methods() const { return methods_; }

 private:
  // Registers `name`, whose docstring must be in rpc_docs.h.
  void Add(const std::string& name, RpcMethod method);
  void AddSupervisorMethods();
  void AddSystemMethods();
  RpcResult Multicall(RpcContext& context, const XmlRpcArray& calls) const;
  std::map<std::string, RpcMethod> methods_;
};

// Reads typed parameters; the first wrong one is kept as an INCORRECT_PARAMETERS error:
//   Args args(params);
//   std::string name = args.String(0, "name");
//   if (args.error()) return *args.error();
class Args {
 public:
  explicit Args(const RpcParams& params) : params_(params) {}
  // A string (or base64 text).
  std::string String(size_t index, std::string_view what);
  // int() of the parameter, as supervisord takes offsets and lengths: an integer, a boolean, a
  // double (truncated) or a string holding an integer.
  int64_t Int(size_t index, std::string_view what);
  // The parameter's truth in Python, as supervisord tests `wait` (any type is accepted: a
  // string is true unless empty); `fallback` when absent.
  bool Truth(size_t index, bool fallback) const;
  const std::optional<RpcError>& error() const { return error_; }

 private:
  void Fail(std::string_view what, std::string_view type);
  const RpcParams& params_;
  std::optional<RpcError> error_;
};

// The result struct of group and "all" operations.
XmlRpcValue ResultStruct(const std::string& name, const std::string& group, Fault status,
                         const std::string& description);

}  // namespace vigil::api
