#include "core/supervisor.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/supervisord_program.h"

namespace vigil::core {
namespace {

struct NamespecParts {
  std::string_view group;
  std::string_view process;
};

// supervisord's split_namespec: "g:p" or "p" (= "p:p").
NamespecParts SplitNamespec(std::string_view namespec) {
  size_t colon = namespec.find(':');
  if (colon == std::string_view::npos) return {namespec, namespec};
  return {namespec.substr(0, colon), namespec.substr(colon + 1)};
}

}  // namespace

// The ProgramHost every program of this supervisor shares: the clock, the spawner, and the
// outbox that keeps events until the current operation is over.
class Supervisor::Host : public ProgramHost {
 public:
  explicit Host(Supervisor& owner) : owner_(owner) {}
  MonotonicTime Now() const override { return owner_.clock_.Now(); }
  WallTime WallNow() const override { return owner_.clock_.WallNow(); }
  Spawner& spawner() override { return owner_.spawner_; }
  void Publish(ProgramEvent event) override { owner_.outbox_.push_back(std::move(event)); }

 private:
  Supervisor& owner_;
};

Supervisor::Supervisor(Clock& clock, Spawner& spawner, EventSink& sink)
    : clock_(clock),
      spawner_(spawner),
      sink_(sink),
      host_(std::make_unique<Host>(*this)),
      jobs_([this](std::string_view name) { return MutableService(name); },
            [this] { return Services(); },
            [this](Service& unit, std::string message) {
              ProgramEvent event;
              event.kind = ProgramEvent::Kind::kServiceLog;
              event.group = unit.spec().group;
              event.name = unit.spec().name;
              event.namespec = unit.namespec();
              event.from = event.to = unit.state();
              event.message = std::move(message);
              outbox_.push_back(std::move(event));
            }) {}

Supervisor::~Supervisor() = default;

std::unique_ptr<Program> Supervisor::MakeProgram(const config::ProgramSpec& spec) {
  if (spec.dialect == config::Dialect::kSystemd) return std::make_unique<Service>(spec, *host_);
  return std::make_unique<SupervisordProgram>(spec, *host_);
}

Service* Supervisor::MutableService(std::string_view name) {
  Program* program = MutableProcess(name);
  return program == nullptr ? nullptr : program->AsService();
}

const Service* Supervisor::FindService(std::string_view name) const {
  return const_cast<Supervisor*>(this)->MutableService(name);
}

std::vector<Service*> Supervisor::Services() {
  std::vector<Service*> services;
  for (Group& group : groups_) {
    for (auto& program : group.programs) {
      if (Service* service = program->AsService()) services.push_back(service);
    }
  }
  return services;
}

void Supervisor::Settle() {
  jobs_.Dispatch();
  AdvanceShutdown();
  Deliver();
}

void Supervisor::Deliver() {
  if (delivering_) return;  // the outer Deliver() picks up what a callback added
  delivering_ = true;
  for (size_t i = 0; i < outbox_.size(); ++i) {
    ProgramEvent event = outbox_[i];  // a copy: the sink may append to outbox_
    sink_.OnProgramEvent(event);
  }
  outbox_.clear();
  delivering_ = false;
}

Result<void> Supervisor::AddGroup(const config::GroupSpec& spec) {
  if (shutting_down_) return Error::FailedPrecondition("shutting down");
  if (FindGroup(spec.name) != nullptr) {
    return Error::AlreadyExists(fmt::format("group {} is already active", spec.name));
  }
  Group group;
  group.kind = spec.kind;
  group.name = spec.name;
  group.priority = spec.priority;
  for (const config::ProgramSpec& process : spec.processes) {
    group.programs.push_back(MakeProgram(process));
  }
  std::stable_sort(group.programs.begin(), group.programs.end(), [](const auto& a, const auto& b) {
    if (a->spec().priority != b->spec().priority) return a->spec().priority < b->spec().priority;
    return a->spec().name < b->spec().name;
  });
  auto position =
      std::upper_bound(groups_.begin(), groups_.end(), group, [](const Group& a, const Group& b) {
        if (a.priority != b.priority) return a.priority < b.priority;
        return a.name < b.name;
      });
  groups_.insert(position, std::move(group));
  return Ok();
}

Result<void> Supervisor::RemoveGroup(std::string_view name) {
  auto it =
      std::find_if(groups_.begin(), groups_.end(), [&](const Group& g) { return g.name == name; });
  if (it == groups_.end()) return Error::NotFound(std::string(name));
  for (const auto& program : it->programs) {
    if (!IsStoppedState(program->state())) {
      return Error::FailedPrecondition(fmt::format("{} is still running", program->namespec()));
    }
  }
  groups_.erase(it);
  return Ok();
}

Result<void> Supervisor::RemoveProcess(std::string_view namespec) {
  const size_t colon = namespec.find(':');
  const std::string_view group_name =
      colon == std::string_view::npos ? namespec : namespec.substr(0, colon);
  const std::string_view process_name =
      colon == std::string_view::npos ? namespec : namespec.substr(colon + 1);
  for (Group& group : groups_) {
    if (group.name != group_name) continue;
    for (auto it = group.programs.begin(); it != group.programs.end(); ++it) {
      if ((*it)->spec().name != process_name) continue;
      if (!IsStoppedState((*it)->state())) {
        return Error::FailedPrecondition(fmt::format("{} is still running", namespec));
      }
      group.programs.erase(it);
      return Ok();
    }
  }
  return Error::NotFound(std::string(namespec));
}

Result<void> Supervisor::AddProcess(const config::ProgramSpec& spec) {
  if (shutting_down_) return Error::FailedPrecondition("shutting down");
  for (Group& group : groups_) {
    if (group.name != spec.group) continue;
    for (const auto& program : group.programs) {
      if (program->spec().name == spec.name) {
        return Error::AlreadyExists(config::Namespec(spec));
      }
    }
    auto program = MakeProgram(spec);
    auto position = std::upper_bound(group.programs.begin(), group.programs.end(), program,
                                     [](const auto& a, const auto& b) {
                                       if (a->spec().priority != b->spec().priority) {
                                         return a->spec().priority < b->spec().priority;
                                       }
                                       return a->spec().name < b->spec().name;
                                     });
    group.programs.insert(position, std::move(program));
    return Ok();
  }
  return Error::NotFound(spec.group);
}

void Supervisor::StartAutostart() {
  if (shutting_down_) return;
  for (Group& group : groups_) {
    for (auto& program : group.programs) {
      if (program->spec().autostart && !program->ever_started() &&
          program->state() == ProgramState::kStopped) {
        if (Service* service = program->AsService()) {
          jobs_.Start(*service);
        } else {
          program->Start();
        }
      }
    }
  }
  Settle();
}

const Group* Supervisor::FindGroup(std::string_view name) const {
  for (const Group& group : groups_) {
    if (group.name == name) return &group;
  }
  return nullptr;
}

Program* Supervisor::MutableProcess(std::string_view namespec) {
  NamespecParts parts = SplitNamespec(namespec);
  for (Group& group : groups_) {
    if (group.name != parts.group) continue;
    for (auto& program : group.programs) {
      if (program->spec().name == parts.process) return program.get();
    }
  }
  return nullptr;
}

const Program* Supervisor::FindProcess(std::string_view namespec) const {
  return const_cast<Supervisor*>(this)->MutableProcess(namespec);
}

std::vector<const Program*> Supervisor::Processes() const {
  std::vector<const Program*> all;
  for (const Group& group : groups_) {
    for (const auto& program : group.programs) all.push_back(program.get());
  }
  std::stable_sort(all.begin(), all.end(), [](const Program* a, const Program* b) {
    if (a->spec().group != b->spec().group) return a->spec().group < b->spec().group;
    return a->spec().name < b->spec().name;
  });
  return all;
}

Result<void> Supervisor::Start(std::string_view namespec) {
  Program* program = MutableProcess(namespec);
  if (program == nullptr) return Error::NotFound(std::string(namespec));
  if (shutting_down_) return Error::FailedPrecondition("shutting down");
  if (IsRunningState(program->state())) return Error::AlreadyExists(std::string(namespec));
  if (program->state() == ProgramState::kUnknown) {
    return Error::FailedPrecondition(fmt::format("{} is in an unknown state", namespec));
  }
  if (program->state() == ProgramState::kStopping) {
    return Error::FailedPrecondition(fmt::format("{} is stopping", namespec));
  }
  if (Service* service = program->AsService()) {
    jobs_.Start(*service);
    Settle();
    if (service->last_spawn_failure()) return *service->last_spawn_failure();
    return Ok();
  }
  program->Start();
  Deliver();
  // A spawn error leaves the program in BACKOFF (or FATAL) with the reason recorded.
  if (program->last_spawn_failure()) return *program->last_spawn_failure();
  return Ok();
}

Result<void> Supervisor::CheckCommand(std::string_view namespec) {
  Program* program = MutableProcess(namespec);
  if (program == nullptr) return Error::NotFound(std::string(namespec));
  if (!program->spec().argv_error.empty()) {
    return Error::FailedPrecondition(program->spec().argv_error);
  }
  return spawner_.CheckCommand(program->spec());
}

Result<void> Supervisor::Stop(std::string_view namespec) {
  Program* program = MutableProcess(namespec);
  if (program == nullptr) return Error::NotFound(std::string(namespec));
  if (!IsRunningState(program->state())) {
    return Error::FailedPrecondition(fmt::format("{} is not running", namespec));
  }
  if (Service* service = program->AsService()) {
    jobs_.Stop(*service);
    Settle();
    return Ok();
  }
  program->Stop();
  Deliver();
  return Ok();
}

Result<void> Supervisor::Signal(std::string_view namespec, int signo) {
  Program* program = MutableProcess(namespec);
  if (program == nullptr) return Error::NotFound(std::string(namespec));
  if (!IsSignallable(program->state())) {
    return Error::FailedPrecondition(fmt::format("{} is not running", namespec));
  }
  Result<void> sent = program->SendSignal(signo);
  Deliver();
  return sent;
}

Result<void> Supervisor::RestartService(std::string_view name, bool only_if_active) {
  Service* service = MutableService(name);
  if (service == nullptr) return Error::NotFound(std::string(name));
  if (shutting_down_) return Error::FailedPrecondition("shutting down");
  jobs_.Restart(*service, only_if_active);
  Settle();
  return Ok();
}

Result<void> Supervisor::ReloadService(std::string_view name) {
  Service* service = MutableService(name);
  if (service == nullptr) return Error::NotFound(std::string(name));
  Result<void> reloaded = service->Reload();
  Settle();
  return reloaded;
}

Result<void> Supervisor::ResetFailed(std::string_view name) {
  Service* service = MutableService(name);
  if (service == nullptr) return Error::NotFound(std::string(name));
  service->ResetFailed();
  Settle();
  return Ok();
}

Result<void> Supervisor::ReplaceServiceSpec(const config::ProgramSpec& spec) {
  Service* service = MutableService(spec.name);
  if (service == nullptr) return Error::NotFound(spec.name);
  service->ReplaceSpec(spec);
  Settle();
  return Ok();
}

void Supervisor::OnNotify(std::string_view name, pid_t sender, uid_t sender_uid,
                          std::string_view message) {
  Service* service = MutableService(name);
  if (service == nullptr) return;
  service->OnNotify(sender, sender_uid, message);
  Settle();
}

void Supervisor::OnPidFileChanged(std::string_view name) {
  Service* service = MutableService(name);
  if (service == nullptr) return;
  service->OnPidFileChanged();
  Settle();
}

void Supervisor::BeginShutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  for (Group& group : groups_) {
    for (auto& program : group.programs) program->set_restarts_allowed(false);
    stop_order_.push_back(group.name);  // groups_ is ascending; the back is stopped first
  }
  // Services stop through the job engine, in the reverse of their start order.
  for (Service* service : Services()) {
    if (IsRunningState(service->state())) jobs_.Stop(*service);
  }
  Settle();
}

void Supervisor::AdvanceShutdown() {
  // supervisord's ordered_stop_groups_phase_1/2: one group at a time, from the highest
  // priority down; the next only when every process of this one is stopped.
  while (shutting_down_ && !stop_order_.empty()) {
    const Group* found = FindGroup(stop_order_.back());
    if (found == nullptr) {
      stop_order_.pop_back();
      continue;
    }
    Group& group = const_cast<Group&>(*found);
    bool all_stopped = true;
    // Highest process priority first, as stop_all() sorts them.
    for (auto it = group.programs.rbegin(); it != group.programs.rend(); ++it) {
      Program& program = **it;
      if (program.AsService() != nullptr) {
        // Stopped by its job (see BeginShutdown); an auto-restart gives up.
        if (program.state() == ProgramState::kBackoff) program.GiveUp();
        if (!IsStoppedState(program.state())) all_stopped = false;
        continue;
      }
      switch (program.state()) {
        case ProgramState::kRunning:
        case ProgramState::kStarting:
          program.Stop();
          break;
        case ProgramState::kBackoff:
          program.GiveUp();
          break;
        case ProgramState::kStopped:
        case ProgramState::kStopping:
        case ProgramState::kExited:
        case ProgramState::kFatal:
        case ProgramState::kUnknown:
          break;
      }
      if (!IsStoppedState(program.state())) all_stopped = false;
    }
    if (!all_stopped) return;
    stop_order_.pop_back();
  }
}

bool Supervisor::IsShutDown() const {
  if (!shutting_down_) return false;
  for (const Group& group : groups_) {
    for (const auto& program : group.programs) {
      if (!IsStoppedState(program->state())) return false;
    }
  }
  return true;
}

bool Supervisor::OnChildExited(ChildId child, const ExitStatus& status) {
  for (Group& group : groups_) {
    for (auto& program : group.programs) {
      if (program->OnChildExit(child, status)) {
        Settle();
        return true;
      }
    }
  }
  return false;
}

void Supervisor::OnDeadline() {
  const MonotonicTime now = clock_.Now();
  for (Group& group : groups_) {
    for (auto& program : group.programs) {
      std::optional<MonotonicTime> deadline = program->Deadline();
      if (deadline && *deadline <= now) program->OnDeadline();
    }
  }
  Settle();
}

void Supervisor::CheckDrained() {
  bool any = false;
  for (Group& group : groups_) {
    for (auto& program : group.programs) any = program->CheckDrained() || any;
  }
  if (!any) return;
  Settle();
}

std::optional<MonotonicTime> Supervisor::NextDeadline() const {
  std::optional<MonotonicTime> next;
  for (const Group& group : groups_) {
    for (const auto& program : group.programs) {
      std::optional<MonotonicTime> deadline = program->Deadline();
      if (deadline && (!next || *deadline < *next)) next = deadline;
    }
  }
  return next;
}

}  // namespace vigil::core
