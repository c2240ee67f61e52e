// supervisor.* methods that act on processes: info, start, stop, signal, in their single,
// group and all forms (rpcinterface.py), with vigil's access list in front of each.

#include "api/process_methods.h"

#include <fmt/format.h>

#include <memory>

#include "api/process_info.h"
#include "config/supervisord_types.h"

namespace vigil::api {
namespace {

using core::Program;
using core::ProgramState;

struct Target {
  const core::Group* group = nullptr;
  const Program* process = nullptr;  // nullptr for "g:" / "g:*"
};

// supervisord's _getGroupAndProcess().
std::variant<Target, RpcError> Resolve(RpcContext& context, const std::string& name) {
  const size_t colon = name.find(':');
  const std::string group_name = colon == std::string::npos ? name : name.substr(0, colon);
  const std::string process_name = colon == std::string::npos ? name : name.substr(colon + 1);
  const core::Group* group = context.control.supervisor().FindGroup(group_name);
  if (group == nullptr) return MakeError(Fault::kBadName, name);
  if (colon != std::string::npos && (process_name.empty() || process_name == "*")) {
    return Target{group, nullptr};
  }
  for (const auto& program : group->programs) {
    if (program->spec().name == process_name) return Target{group, program.get()};
  }
  return MakeError(Fault::kBadName, name);
}

std::vector<const Program*> InPriorityOrder(const core::Supervisor& supervisor,
                                            const core::Group* only) {
  std::vector<const Program*> list;
  for (const core::Group& group : supervisor.groups()) {
    if (only != nullptr && &group != only) continue;
    for (const auto& program : group.programs) list.push_back(program.get());
  }
  return list;
}

// Every process an operation would touch must be allowed, or none is touched.
std::optional<RpcError> DenyAny(RpcContext& context, Verb verb,
                                const std::vector<const Program*>& programs) {
  for (const Program* p : programs) {
    if (std::optional<RpcError> denied = context.Deny(verb, p->namespec())) return denied;
  }
  return std::nullopt;
}

// supervisord's make_allfunc(): run `one` for every process that `applies`, collecting result
// structs; operations that finish later are polled until all are done.
using OneOperation = std::function<RpcResult(const std::string& namespec)>;

RpcResult ForAll(const std::vector<const Program*>& programs,
                 const std::function<bool(const Program&)>& applies, const OneOperation& one) {
  struct Pending {
    std::string name;
    std::string group;
    RpcPoll poll;
  };
  auto results = std::make_shared<XmlRpcArray>();
  auto pending = std::make_shared<std::vector<Pending>>();
  auto record = [results](const std::string& name, const std::string& group,
                          const std::variant<XmlRpcValue, RpcError, RpcPoll>& outcome) {
    if (const RpcError* error = std::get_if<RpcError>(&outcome)) {
      results->push_back(ResultStruct(name, group, error->code, error->text));
    } else {
      results->push_back(ResultStruct(name, group, Fault::kSuccess, "OK"));
    }
  };
  for (const Program* p : programs) {
    if (!applies(*p)) continue;
    RpcResult result = one(p->namespec());
    if (RpcPoll* poll = std::get_if<RpcPoll>(&result.outcome)) {
      pending->push_back(Pending{p->spec().name, p->spec().group, std::move(*poll)});
    } else {
      record(p->spec().name, p->spec().group, result.outcome);
    }
  }
  if (pending->empty()) return XmlRpcValue(std::move(*results));
  return RpcPoll([results, pending, record]() -> std::optional<RpcResult> {
    for (auto it = pending->begin(); it != pending->end();) {
      std::optional<RpcResult> done = it->poll();
      if (!done) {
        ++it;
        continue;
      }
      record(it->name, it->group, done->outcome);
      it = pending->erase(it);
    }
    if (!pending->empty()) return std::nullopt;
    return RpcResult(XmlRpcValue(*results));
  });
}

RpcResult StartOne(RpcContext& context, const std::string& name, bool wait);

RpcResult StartMany(RpcContext& context, const core::Group* group, bool wait) {
  std::vector<const Program*> programs = InPriorityOrder(context.control.supervisor(), group);
  if (std::optional<RpcError> denied = DenyAny(context, Verb::kStart, programs)) return *denied;
  return ForAll(
      programs, [](const Program& p) { return !core::IsRunningState(p.state()); },
      [&context, wait](const std::string& name) { return StartOne(context, name, wait); });
}

RpcResult StartOne(RpcContext& context, const std::string& name, bool wait) {
  std::variant<Target, RpcError> target = Resolve(context, name);
  if (RpcError* error = std::get_if<RpcError>(&target)) return *error;
  const Target& t = std::get<Target>(target);
  if (t.process == nullptr) return StartMany(context, t.group, wait);
  if (std::optional<RpcError> denied = context.Deny(Verb::kStart, name)) return *denied;
  core::Supervisor& supervisor = context.control.supervisor();
  const std::string namespec = t.process->namespec();
  // Like supervisord, a command that cannot run is refused before anything changes.
  if (Result<void> checked = supervisor.CheckCommand(namespec); !checked) {
    return MakeError(
        checked.error().code == ErrorCode::kNotFound ? Fault::kNoFile : Fault::kNotExecutable,
        checked.error().message);
  }
  if (core::IsRunningState(t.process->state())) return MakeError(Fault::kAlreadyStarted, name);
  if (t.process->state() == ProgramState::kUnknown) {
    return MakeError(Fault::kFailed, fmt::format("{} is in an unknown process state", name));
  }
  if (Result<void> started = supervisor.Start(namespec); !started) {
    return MakeError(Fault::kSpawnError, name);
  }
  if (!wait || t.process->state() == ProgramState::kRunning) return XmlRpcValue(true);
  // Polls look the process up again: a reload may replace the supervisor meanwhile.
  Control& control = context.control;
  return RpcPoll([&control, namespec, name]() -> std::optional<RpcResult> {
    const Program* p = control.supervisor().FindProcess(namespec);
    if (p == nullptr) return RpcResult(MakeError(Fault::kAbnormalTermination, name));
    if (!p->spawn_error().empty()) return RpcResult(MakeError(Fault::kSpawnError, name));
    if (p->state() == ProgramState::kRunning) return RpcResult(XmlRpcValue(true));
    if (p->state() != ProgramState::kStarting) {
      return RpcResult(MakeError(Fault::kAbnormalTermination, name));
    }
    return std::nullopt;
  });
}

RpcResult StopOne(RpcContext& context, const std::string& name, bool wait);

RpcResult StopMany(RpcContext& context, const core::Group* group, bool wait) {
  std::vector<const Program*> programs = InPriorityOrder(context.control.supervisor(), group);
  if (std::optional<RpcError> denied = DenyAny(context, Verb::kStop, programs)) return *denied;
  return ForAll(
      programs, [](const Program& p) { return core::IsRunningState(p.state()); },
      [&context, wait](const std::string& name) { return StopOne(context, name, wait); });
}

RpcResult StopOne(RpcContext& context, const std::string& name, bool wait) {
  std::variant<Target, RpcError> target = Resolve(context, name);
  if (RpcError* error = std::get_if<RpcError>(&target)) return *error;
  const Target& t = std::get<Target>(target);
  if (t.process == nullptr) return StopMany(context, t.group, wait);
  if (std::optional<RpcError> denied = context.Deny(Verb::kStop, name)) return *denied;
  if (!core::IsRunningState(t.process->state())) return MakeError(Fault::kNotRunning, name);
  core::Supervisor& supervisor = context.control.supervisor();
  const std::string namespec = t.process->namespec();
  if (Result<void> stopped = supervisor.Stop(namespec); !stopped) {
    return MakeError(Fault::kFailed, stopped.error().message);
  }
  if (!wait || core::IsStoppedState(t.process->state())) return XmlRpcValue(true);
  Control& control = context.control;
  return RpcPoll([&control, namespec]() -> std::optional<RpcResult> {
    const Program* p = control.supervisor().FindProcess(namespec);
    if (p != nullptr && !core::IsStoppedState(p->state())) return std::nullopt;
    return RpcResult(XmlRpcValue(true));
  });
}

RpcResult SignalOne(RpcContext& context, const std::string& name, const std::string& signal);

RpcResult SignalMany(RpcContext& context, const core::Group* group, const std::string& signal) {
  std::vector<const Program*> programs = InPriorityOrder(context.control.supervisor(), group);
  if (std::optional<RpcError> denied = DenyAny(context, Verb::kSignal, programs)) return *denied;
  return ForAll(
      programs, [](const Program& p) { return core::IsSignallable(p.state()); },
      [&context, signal](const std::string& name) { return SignalOne(context, name, signal); });
}

RpcResult SignalOne(RpcContext& context, const std::string& name, const std::string& signal) {
  std::variant<Target, RpcError> target = Resolve(context, name);
  if (RpcError* error = std::get_if<RpcError>(&target)) return *error;
  const Target& t = std::get<Target>(target);
  if (t.process == nullptr) return SignalMany(context, t.group, signal);
  if (std::optional<RpcError> denied = context.Deny(Verb::kSignal, name)) return *denied;
  Result<int> signo = config::ParseSignal(signal);
  if (!signo) return MakeError(Fault::kBadSignal, signal);
  if (!core::IsSignallable(t.process->state())) return MakeError(Fault::kNotRunning, name);
  if (Result<void> sent = context.control.supervisor().Signal(t.process->namespec(), *signo);
      !sent) {
    return MakeError(Fault::kFailed, sent.error().message);
  }
  return XmlRpcValue(true);
}

}  // namespace

ProcessInfo InfoOf(RpcContext& context, const Program& program) {
  return DescribeProgram(program, context.control.clock().WallNow(),
                         context.control.StdoutLogPath(program.namespec()),
                         context.control.StderrLogPath(program.namespec()));
}

RpcResult GetProcessInfo(RpcContext& context, const std::string& name) {
  std::variant<Target, RpcError> target = Resolve(context, name);
  if (RpcError* error = std::get_if<RpcError>(&target)) return *error;
  const Target& t = std::get<Target>(target);
  if (t.process == nullptr) return MakeError(Fault::kBadName, name);
  if (std::optional<RpcError> denied = context.Deny(Verb::kRead, name)) return *denied;
  return ProcessInfoValue(InfoOf(context, *t.process));
}

RpcResult GetAllProcessInfo(RpcContext& context) {
  XmlRpcArray all;
  for (const Program* p : context.control.supervisor().Processes()) {
    // Callers see the processes they may read, and only those.
    if (!context.access.Allowed(context.peer, Verb::kRead, p->namespec())) continue;
    all.push_back(ProcessInfoValue(InfoOf(context, *p)));
  }
  return XmlRpcValue(std::move(all));
}

RpcResult StartProcess(RpcContext& context, const std::string& name, bool wait) {
  return StartOne(context, name, wait);
}

RpcResult StartAllProcesses(RpcContext& context, bool wait) {
  return StartMany(context, nullptr, wait);
}

RpcResult StartProcessGroup(RpcContext& context, const std::string& name, bool wait) {
  const core::Group* group = context.control.supervisor().FindGroup(name);
  if (group == nullptr) return MakeError(Fault::kBadName, name);
  return StartMany(context, group, wait);
}

RpcResult StopProcess(RpcContext& context, const std::string& name, bool wait) {
  return StopOne(context, name, wait);
}

RpcResult StopAllProcesses(RpcContext& context, bool wait) {
  return StopMany(context, nullptr, wait);
}

RpcResult StopProcessGroup(RpcContext& context, const std::string& name, bool wait) {
  const core::Group* group = context.control.supervisor().FindGroup(name);
  if (group == nullptr) return MakeError(Fault::kBadName, name);
  return StopMany(context, group, wait);
}

RpcResult SignalProcess(RpcContext& context, const std::string& name, const std::string& signal) {
  return SignalOne(context, name, signal);
}

RpcResult SignalProcessGroup(RpcContext& context, const std::string& name,
                             const std::string& signal) {
  const core::Group* group = context.control.supervisor().FindGroup(name);
  if (group == nullptr) return MakeError(Fault::kBadName, name);
  return SignalMany(context, group, signal);
}

RpcResult SignalAllProcesses(RpcContext& context, const std::string& signal) {
  return SignalMany(context, nullptr, signal);
}

}  // namespace vigil::api
