// The method table: every supervisor.* and system.* method with its arity, as supervisord
// 4.2.5 lists them (system.listMethods). Help and signatures come from rpc_docs.h.

#include <fmt/format.h>

#include <memory>

#include "api/process_methods.h"
#include "api/rpc.h"
#include "api/rpc_docs.h"
#include "protocol/py_values.h"

namespace vigil::api {
namespace {

constexpr std::string_view kApiVersion = "3.0";
// What supervisorctl's `version` prints; the supervisord release whose API vigild speaks.
constexpr std::string_view kSupervisorVersion = "4.2.5";

}  // namespace

void RpcMethods::AddSupervisorMethods() {
  auto simple = [this](const std::string& name, std::function<RpcResult(RpcContext&)> call) {
    Add("supervisor." + name,
        RpcMethod{[call](RpcContext& c, const RpcParams&) { return call(c); }, 0, 0});
  };
  for (const char* name : {"getAPIVersion", "getVersion"}) {
    simple(name, [](RpcContext&) { return RpcResult(XmlRpcValue(kApiVersion)); });
  }
  simple("getSupervisorVersion",
         [](RpcContext&) { return RpcResult(XmlRpcValue(kSupervisorVersion)); });
  simple("getIdentification", [](RpcContext& c) {
    return RpcResult(XmlRpcValue(c.control.config().supervisord.identifier));
  });
  simple("getState", [](RpcContext& c) {
    const int code = static_cast<int>(c.control.state());
    const char* name = code == 1   ? "RUNNING"
                       : code == 0 ? "RESTARTING"
                       : code == 2 ? "FATAL"
                                   : "SHUTDOWN";
    return RpcResult(XmlRpcValue(XmlRpcStruct{{"statecode", code}, {"statename", name}}));
  });
  simple("getPID", [](RpcContext& c) { return RpcResult(XmlRpcValue(c.control.pid())); });
  for (const char* name : {"readLog", "readMainLog"}) {
    Add(std::string("supervisor.") + name,
        RpcMethod{[](RpcContext& c, const RpcParams& p) -> RpcResult {
                    Args args(p);
                    const int64_t offset = args.Int(0, "offset");
                    const int64_t length = args.Int(1, "length");
                    if (args.error()) return *args.error();
                    return ReadMainLog(c, offset, length);
                  },
                  2, 2});
  }
  simple("clearLog", [](RpcContext& c) { return ClearMainLog(c); });
  simple("shutdown", [](RpcContext& c) -> RpcResult {
    if (std::optional<RpcError> denied = c.DenyAnywhere(Verb::kAdmin, "vigild")) return *denied;
    c.control.RequestShutdown();
    return RpcResult(XmlRpcValue(true));
  });
  simple("restart", [](RpcContext& c) -> RpcResult {
    if (std::optional<RpcError> denied = c.DenyAnywhere(Verb::kAdmin, "vigild")) return *denied;
    c.control.RequestRestart();
    return RpcResult(XmlRpcValue(true));
  });
  simple("reloadConfig", [](RpcContext& c) { return ReloadConfig(c); });
  Add("supervisor.addProcessGroup", RpcMethod{[](RpcContext& c, const RpcParams& p) -> RpcResult {
                                                Args args(p);
                                                const std::string name = args.String(0, "name");
                                                if (args.error()) return *args.error();
                                                return AddProcessGroup(c, name);
                                              },
                                              1, 1});
  Add("supervisor.removeProcessGroup",
      RpcMethod{[](RpcContext& c, const RpcParams& p) -> RpcResult {
                  Args args(p);
                  const std::string name = args.String(0, "name");
                  if (args.error()) return *args.error();
                  return RemoveProcessGroup(c, name);
                },
                1, 1});
  auto with_wait = [this](const std::string& name,
                          std::function<RpcResult(RpcContext&, const std::string&, bool)> call) {
    Add("supervisor." + name, RpcMethod{[call](RpcContext& c, const RpcParams& p) -> RpcResult {
                                          Args args(p);
                                          const std::string target = args.String(0, "name");
                                          const bool wait = args.Truth(1, true);
                                          if (args.error()) return *args.error();
                                          return call(c, target, wait);
                                        },
                                        1, 2});
  };
  with_wait("startProcess", StartProcess);
  with_wait("startProcessGroup", StartProcessGroup);
  with_wait("stopProcess", StopProcess);
  with_wait("stopProcessGroup", StopProcessGroup);
  Add("supervisor.startAllProcesses", RpcMethod{[](RpcContext& c, const RpcParams& p) -> RpcResult {
                                                  Args args(p);
                                                  const bool wait = args.Truth(0, true);
                                                  if (args.error()) return *args.error();
                                                  return StartAllProcesses(c, wait);
                                                },
                                                0, 1});
  Add("supervisor.stopAllProcesses", RpcMethod{[](RpcContext& c, const RpcParams& p) -> RpcResult {
                                                 Args args(p);
                                                 const bool wait = args.Truth(0, true);
                                                 if (args.error()) return *args.error();
                                                 return StopAllProcesses(c, wait);
                                               },
                                               0, 1});
  Add("supervisor.signalProcess", RpcMethod{[](RpcContext& c, const RpcParams& p) -> RpcResult {
                                              Args args(p);
                                              const std::string name = args.String(0, "name");
                                              const std::string signal = args.String(1, "signal");
                                              if (args.error()) return *args.error();
                                              return SignalProcess(c, name, signal);
                                            },
                                            2, 2});
  Add("supervisor.signalProcessGroup",
      RpcMethod{[](RpcContext& c, const RpcParams& p) -> RpcResult {
                  Args args(p);
                  const std::string name = args.String(0, "name");
                  const std::string signal = args.String(1, "signal");
                  if (args.error()) return *args.error();
                  return SignalProcessGroup(c, name, signal);
                },
                2, 2});
  Add("supervisor.signalAllProcesses",
      RpcMethod{[](RpcContext& c, const RpcParams& p) -> RpcResult {
                  Args args(p);
                  const std::string signal = args.String(0, "signal");
                  if (args.error()) return *args.error();
                  return SignalAllProcesses(c, signal);
                },
                1, 1});
  Add("supervisor.getProcessInfo", RpcMethod{[](RpcContext& c, const RpcParams& p) -> RpcResult {
                                               Args args(p);
                                               const std::string name = args.String(0, "name");
                                               if (args.error()) return *args.error();
                                               return GetProcessInfo(c, name);
                                             },
                                             1, 1});
  simple("getAllProcessInfo", GetAllProcessInfo);
  simple("getAllConfigInfo", GetAllConfigInfo);
  for (const auto& [name, stderr_log] :
       std::vector<std::pair<std::string, bool>>{{"readProcessStdoutLog", false},
                                                 {"readProcessLog", false},
                                                 {"readProcessStderrLog", true}}) {
    const bool err = stderr_log;
    Add("supervisor." + name, RpcMethod{[err](RpcContext& c, const RpcParams& p) -> RpcResult {
                                          Args args(p);
                                          const std::string target = args.String(0, "name");
                                          const int64_t offset = args.Int(1, "offset");
                                          const int64_t length = args.Int(2, "length");
                                          if (args.error()) return *args.error();
                                          return ReadProcessLog(c, target, offset, length, err);
                                        },
                                        3, 3});
  }
  for (const auto& [name, stderr_log] :
       std::vector<std::pair<std::string, bool>>{{"tailProcessStdoutLog", false},
                                                 {"tailProcessLog", false},
                                                 {"tailProcessStderrLog", true}}) {
    const bool err = stderr_log;
    Add("supervisor." + name, RpcMethod{[err](RpcContext& c, const RpcParams& p) -> RpcResult {
                                          Args args(p);
                                          const std::string target = args.String(0, "name");
                                          const int64_t offset = args.Int(1, "offset");
                                          const int64_t length = args.Int(2, "length");
                                          if (args.error()) return *args.error();
                                          return TailProcessLog(c, target, offset, length, err);
                                        },
                                        3, 3});
  }
  for (const char* name : {"clearProcessLogs", "clearProcessLog"}) {
    Add(std::string("supervisor.") + name,
        RpcMethod{[](RpcContext& c, const RpcParams& p) -> RpcResult {
                    Args args(p);
                    const std::string target = args.String(0, "name");
                    if (args.error()) return *args.error();
                    return ClearProcessLogs(c, target);
                  },
                  1, 1});
  }
  simple("clearAllProcessLogs", ClearAllProcessLogs);
  Add("supervisor.sendProcessStdin",
      RpcMethod{[](RpcContext& c, const RpcParams& p) -> RpcResult {
                  // supervisord checks chars before the name, and quotes what it got:
                  // RPCError(INCORRECT_PARAMETERS, chars), so str(chars), and no text for None.
                  if (p[1].AsText() == nullptr) {
                    return p[1].IsNil()
                               ? MakeError(Fault::kIncorrectParameters)
                               : MakeError(Fault::kIncorrectParameters, protocol::PyStr(p[1]));
                  }
                  Args args(p);
                  const std::string name = args.String(0, "name");
                  if (args.error()) return *args.error();
                  return SendProcessStdin(c, name, *p[1].AsText());
                },
                2, 2});
  Add("supervisor.sendRemoteCommEvent",
      RpcMethod{[](RpcContext& c, const RpcParams& p) -> RpcResult {
                  Args args(p);
                  const std::string type = args.String(0, "type");
                  const std::string data = args.String(1, "data");
                  if (args.error()) return *args.error();
                  if (std::optional<RpcError> denied = c.DenyAnywhere(Verb::kAdmin, "events")) {
                    return *denied;
                  }
                  c.control.SendRemoteCommEvent(type, data);
                  return XmlRpcValue(true);
                },
                2, 2});
}

void RpcMethods::AddSystemMethods() {
  Add("system.listMethods", RpcMethod{[this](RpcContext&, const RpcParams&) -> RpcResult {
                                        XmlRpcArray names;
                                        for (const auto& [name, method] : methods_)
                                          names.push_back(name);
                                        return XmlRpcValue(std::move(names));
                                      },
                                      0, 0});
  Add("system.methodHelp", RpcMethod{[this](RpcContext&, const RpcParams& p) -> RpcResult {
                                       Args args(p);
                                       const std::string name = args.String(0, "name");
                                       if (args.error()) return *args.error();
                                       auto it = methods_.find(name);
                                       if (it == methods_.end())
                                         return MakeError(Fault::kSignatureUnsupported);
                                       return XmlRpcValue(std::string(it->second.help));
                                     },
                                     1, 1});
  Add("system.methodSignature",
      RpcMethod{[this](RpcContext&, const RpcParams& p) -> RpcResult {
                  Args args(p);
                  const std::string name = args.String(0, "name");
                  if (args.error()) return *args.error();
                  auto it = methods_.find(name);
                  if (it == methods_.end() || it->second.signature.empty()) {
                    return MakeError(Fault::kSignatureUnsupported);
                  }
                  XmlRpcArray types;
                  for (const std::string& type : it->second.signature) types.push_back(type);
                  return XmlRpcValue(std::move(types));
                },
                1, 1});
  Add("system.multicall", RpcMethod{[this](RpcContext& c, const RpcParams& p) -> RpcResult {
                                      const XmlRpcArray* calls = p[0].AsArray();
                                      if (calls == nullptr)
                                        return MakeError(Fault::kIncorrectParameters);
                                      return Multicall(c, *calls);
                                    },
                                    1, 1});
}

RpcResult RpcMethods::Multicall(RpcContext& context, const XmlRpcArray& calls) const {
  // Calls run in order; one that finishes later holds back the ones after it, as in
  // supervisord. The context is only valid during this call, so later steps keep copies of
  // what they need.
  struct State {
    std::vector<XmlRpcValue> calls;
    size_t next = 0;
    XmlRpcArray results;
    std::optional<RpcPoll> waiting;
  };
  auto state = std::make_shared<State>();
  state->calls.assign(calls.begin(), calls.end());
  auto fault = [](const RpcError& e) {
    return XmlRpcValue(
        XmlRpcStruct{{"faultCode", static_cast<int>(e.code)}, {"faultString", e.text}});
  };
  auto record = [fault](State& s, const std::variant<XmlRpcValue, RpcError, RpcPoll>& outcome) {
    if (const RpcError* e = std::get_if<RpcError>(&outcome)) {
      s.results.push_back(fault(*e));
    } else {
      s.results.push_back(std::get<XmlRpcValue>(outcome));
    }
  };
  // Runs calls until one has to wait; true when all are done.
  auto advance = [this, state, record, fault](RpcContext* c) -> bool {
    while (true) {
      if (state->waiting) {
        std::optional<RpcResult> done = (*state->waiting)();
        if (!done) return false;
        state->waiting.reset();
        record(*state, done->outcome);
      }
      if (state->next >= state->calls.size()) return true;
      const XmlRpcValue& call = state->calls[state->next++];
      const XmlRpcValue* name = call.Find("methodName");
      if (name == nullptr || name->AsText() == nullptr) {
        state->results.push_back(fault(MakeError(Fault::kIncorrectParameters, "No methodName")));
        continue;
      }
      if (*name->AsText() == "system.multicall") {
        state->results.push_back(
            fault(MakeError(Fault::kIncorrectParameters, "Recursive system.multicall forbidden")));
        continue;
      }
      // supervisord calls func(*params): a missing "params" is no parameters; anything but an
      // array is a TypeError, which it reports as INCORRECT_PARAMETERS. (Python would spread a
      // string's characters or a struct's keys as the parameters; vigil refuses those too.)
      RpcParams params;
      if (const XmlRpcValue* p = call.Find("params"); p != nullptr) {
        if (p->AsArray() == nullptr) {
          state->results.push_back(fault(MakeError(Fault::kIncorrectParameters)));
          continue;
        }
        params = *p->AsArray();
      }
      RpcResult result = Call(*c, *name->AsText(), params);
      if (RpcPoll* poll = std::get_if<RpcPoll>(&result.outcome)) {
        state->waiting = std::move(*poll);
      } else {
        record(*state, result.outcome);
      }
    }
  };
  if (advance(&context)) return XmlRpcValue(state->results);
  // The context lives only as long as this call: later steps rebuild it from copies.
  Control& control = context.control;
  const AccessControl& access = context.access;
  auto peer = std::make_shared<Peer>(context.peer);
  auto log_denial = context.log_denial;
  return RpcPoll(
      [advance, state, &control, &access, peer, log_denial]() -> std::optional<RpcResult> {
        RpcContext c{control, access, *peer, log_denial};
        if (!advance(&c)) return std::nullopt;
        return RpcResult(XmlRpcValue(state->results));
      });
}

}  // namespace vigil::api
