#include "core/unit_jobs.h"

#include <fmt/format.h>

#include <algorithm>

namespace vigil::core {
namespace {

bool Lists(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool IsActiveOrActivating(const Service& unit) {
  const ActiveState active = unit.active_state();
  return active == ActiveState::kActive || active == ActiveState::kReloading ||
         active == ActiveState::kActivating;
}

bool IsInactive(ActiveState state) {
  return state == ActiveState::kInactive || state == ActiveState::kFailed;
}

}  // namespace

UnitJobs::UnitJobs(Lookup lookup, Enumerate enumerate, Logger logger)
    : lookup_(std::move(lookup)), enumerate_(std::move(enumerate)), logger_(std::move(logger)) {}

std::optional<UnitJobs::JobType> UnitJobs::JobOf(std::string_view unit) const {
  auto it = jobs_.find(std::string(unit));
  if (it == jobs_.end()) return std::nullopt;
  return it->second.type;
}

std::optional<bool> UnitJobs::LastStartSucceeded(std::string_view unit) const {
  auto it = start_results_.find(std::string(unit));
  if (it == start_results_.end()) return std::nullopt;
  return it->second;
}

void UnitJobs::SetJob(const std::string& name, JobType type) {
  auto it = jobs_.find(name);
  if (it != jobs_.end() && it->second.running) {
    // A running job of the same kind already does it; a conflicting one is replaced only once
    // it has handed the unit over (systemd would merge or cancel; vigil lets the new job wait).
    if (it->second.type == type) return;
  }
  jobs_[name] = Job{type, false, false};
  if (type != JobType::kStop) start_results_.erase(name);
}

void UnitJobs::AddStart(Service& unit, std::set<std::string>& visited) {
  const std::string& name = unit.spec().name;
  if (!visited.insert(name).second) return;
  SetJob(name, JobType::kStart);
  const config::UnitDependencies& deps = unit.service_spec().dependencies;
  for (const auto* list : {&deps.wants, &deps.requires_units, &deps.binds_to}) {
    for (const std::string& other : *list) {
      Service* dependency = lookup_(other);
      if (dependency == nullptr || dependency == &unit) continue;
      if (IsActiveOrActivating(*dependency) && !HasJob(other)) continue;
      AddStart(*dependency, visited);
    }
  }
  // Conflicts= works both ways.
  for (Service* other : enumerate_()) {
    if (other == &unit) continue;
    const bool conflicts = Lists(deps.conflicts, other->spec().name) ||
                           Lists(other->service_spec().dependencies.conflicts, name);
    if (!conflicts) continue;
    if (IsActiveOrActivating(*other) || JobOf(other->spec().name) == JobType::kStart) {
      std::set<std::string> stop_visited;
      AddStop(*other, stop_visited);
    }
  }
}

void UnitJobs::AddStop(Service& unit, std::set<std::string>& visited) {
  const std::string& name = unit.spec().name;
  if (!visited.insert(name).second) return;
  SetJob(name, JobType::kStop);
  // Units that require, are bound to, or are part of this one stop with it.
  for (Service* other : enumerate_()) {
    if (other == &unit) continue;
    const config::UnitDependencies& deps = other->service_spec().dependencies;
    if (!Lists(deps.requires_units, name) && !Lists(deps.binds_to, name) &&
        !Lists(deps.part_of, name)) {
      continue;
    }
    if (IsActiveOrActivating(*other) || HasJob(other->spec().name)) AddStop(*other, visited);
  }
}

void UnitJobs::Start(Service& unit) {
  std::set<std::string> visited;
  AddStart(unit, visited);
  Dispatch();
}

void UnitJobs::Stop(Service& unit) {
  std::set<std::string> visited;
  AddStop(unit, visited);
  Dispatch();
}

void UnitJobs::Restart(Service& unit, bool only_if_active) {
  if (only_if_active && !IsActiveOrActivating(unit)) return;
  const std::string& name = unit.spec().name;
  SetJob(name, JobType::kRestart);
  // A restart propagates to the units that are part of, require, or are bound to this one,
  // when they are running (systemd's try-restart).
  for (Service* other : enumerate_()) {
    if (other == &unit || HasJob(other->spec().name)) continue;
    const config::UnitDependencies& deps = other->service_spec().dependencies;
    if ((Lists(deps.part_of, name) || Lists(deps.requires_units, name) ||
         Lists(deps.binds_to, name)) &&
        IsActiveOrActivating(*other)) {
      SetJob(other->spec().name, JobType::kRestart);
    }
  }
  Dispatch();
}

bool UnitJobs::OrderedAfter(const Service& a, const Service& b) const {
  return Lists(a.service_spec().dependencies.after, b.spec().name) ||
         Lists(b.service_spec().dependencies.before, a.spec().name);
}

bool UnitJobs::Runnable(const std::string& name, const Job& job) {
  Service* unit = lookup_(name);
  if (unit == nullptr) return true;
  const bool starting =
      job.type == JobType::kStart ||
      (job.type == JobType::kRestart && !job.stop_phase && !IsActiveOrActivating(*unit));
  for (const auto& [other_name, other_job] : jobs_) {
    if (other_name == name) continue;
    Service* other = lookup_(other_name);
    if (other == nullptr) continue;
    const bool other_stops = other_job.type == JobType::kStop ||
                             (other_job.type == JobType::kRestart &&
                              (other_job.stop_phase || IsActiveOrActivating(*other)));
    if (starting) {
      // After the other's start (or stop) is done; and after any stop of a unit ordered either
      // way against it.
      if (OrderedAfter(*unit, *other)) return false;
      if (other_stops && OrderedAfter(*other, *unit)) return false;
    } else if (other_stops && OrderedAfter(*other, *unit)) {
      // A stop waits for the stops of the units ordered after it.
      return false;
    }
  }
  return true;
}

bool UnitJobs::DependencyFailed(Service& unit) {
  const config::UnitDependencies& deps = unit.service_spec().dependencies;
  for (const auto* list : {&deps.requires_units, &deps.binds_to}) {
    for (const std::string& other_name : *list) {
      Service* other = lookup_(other_name);
      if (other == nullptr || !OrderedAfter(unit, *other)) continue;
      if (LastStartSucceeded(other_name) == false ||
          (!HasJob(other_name) && !IsActiveOrActivating(*other))) {
        logger_(unit, fmt::format("Dependency failed for {}.", unit.spec().name));
        return true;
      }
    }
  }
  for (const std::string& other_name : deps.requisite) {
    Service* other = lookup_(other_name);
    if (other != nullptr && other->active_state() != ActiveState::kActive) {
      logger_(unit, fmt::format("Requisite {} is not active: not starting {}.", other_name,
                                unit.spec().name));
      return true;
    }
  }
  return false;
}

bool UnitJobs::RunJob(const std::string& name, Job& job, Service& unit) {
  job.running = true;
  switch (job.type) {
    case JobType::kRestart:
      if (IsActiveOrActivating(unit) || IsStopState(unit.service_state())) {
        job.stop_phase = true;
        if (!IsStopState(unit.service_state())) {
          unit.PrepareRestart();
          unit.Stop();
        }
        return true;
      }
      job.type = JobType::kStart;
      [[fallthrough]];
    case JobType::kStart: {
      const ActiveState active = unit.active_state();
      if (active == ActiveState::kActive || active == ActiveState::kReloading ||
          active == ActiveState::kActivating) {
        return true;  // already on its way; finished when it settles
      }
      if (IsStopState(unit.service_state())) {
        job.running = false;  // wait for the stop to end
        return true;
      }
      if (DependencyFailed(unit)) {
        start_results_[name] = false;
        return false;
      }
      job.started = true;
      unit.Start();
      return true;
    }
    case JobType::kStop:
      if (IsInactive(unit.active_state())) return false;
      if (!IsStopState(unit.service_state())) unit.Stop();
      return true;
  }
  return false;
}

bool UnitJobs::Finished(const std::string& name, Job& job, Service& unit) {
  if (job.type == JobType::kStart && job.started &&
      unit.service_state() == ServiceState::kAutoRestart) {
    // The start failed; the automatic restart that follows is not this job's (systemd too
    // ends the job when the unit enters failed, before auto-restart).
    start_results_[name] = false;
    return true;
  }
  if (!unit.settled()) return false;
  switch (job.type) {
    case JobType::kStart: {
      const bool ok = unit.active_state() == ActiveState::kActive ||
                      (unit.service_state() == ServiceState::kDead &&
                       unit.result() == ServiceResult::kSuccess && unit.ever_started());
      start_results_[name] = ok;
      return true;
    }
    case JobType::kStop:
      return IsInactive(unit.active_state());
    case JobType::kRestart:
      if (job.stop_phase && IsInactive(unit.active_state())) {
        // The stop half is done; the start half runs in its turn.
        job.type = JobType::kStart;
        job.stop_phase = false;
        job.running = false;
      }
      return false;
  }
  return true;
}

void UnitJobs::ApplyBindsTo() {
  std::vector<Service*> units = enumerate_();
  for (Service* unit : units) {
    const std::string& name = unit->spec().name;
    const ActiveState now = unit->active_state();
    auto seen = last_seen_.find(name);
    const bool became_inactive =
        seen != last_seen_.end() && !IsInactive(seen->second) && IsInactive(now);
    last_seen_[name] = now;
    if (!became_inactive || JobOf(name) == JobType::kRestart) continue;
    for (Service* other : units) {
      if (other == unit || !Lists(other->service_spec().dependencies.binds_to, name)) continue;
      if (!IsActiveOrActivating(*other) || HasJob(other->spec().name)) continue;
      logger_(*other, fmt::format("Unit {} is bound to inactive unit {}. Stopping, too.",
                                  other->spec().name, name));
      std::set<std::string> visited;
      AddStop(*other, visited);
    }
  }
}

void UnitJobs::Dispatch() {
  if (dispatching_) return;  // a job's action re-entered; the outer loop sees its effects
  dispatching_ = true;
  bool progress = true;
  while (progress) {
    progress = false;
    ApplyBindsTo();
    for (auto it = jobs_.begin(); it != jobs_.end();) {
      Service* unit = lookup_(it->first);
      if (unit == nullptr) {
        it = jobs_.erase(it);
        progress = true;
        continue;
      }
      Job& job = it->second;
      if (job.running && Finished(it->first, job, *unit)) {
        it = jobs_.erase(it);
        progress = true;
        continue;
      }
      if (!job.running && Runnable(it->first, job)) {
        const bool was_running = job.running;
        if (!RunJob(it->first, job, *unit)) {
          it = jobs_.erase(it);
          progress = true;
          continue;
        }
        if (job.running != was_running) progress = true;
        if (job.running && Finished(it->first, job, *unit)) {
          it = jobs_.erase(it);
          progress = true;
          continue;
        }
      }
      ++it;
    }
    if (!progress && !jobs_.empty()) {
      // A start waiting for its unit's stop to end is not stuck: the stop's end dispatches again.
      const bool any_under_way = std::any_of(jobs_.begin(), jobs_.end(), [&](const auto& entry) {
        if (entry.second.running) return true;
        const Service* unit = lookup_(entry.first);
        return unit != nullptr && IsStopState(unit->service_state());
      });
      if (!any_under_way) {
        // Nothing can run and nothing is running: an ordering cycle. systemd breaks it by
        // dropping a job; vigil runs the first one regardless and says so.
        auto& [name, job] = *jobs_.begin();
        if (Service* unit = lookup_(name)) {
          logger_(*unit, fmt::format("Found ordering cycle on {}; starting it anyway.", name));
          if (!RunJob(name, job, *unit)) jobs_.erase(jobs_.begin());
          progress = true;
        } else {
          jobs_.erase(jobs_.begin());
          progress = true;
        }
      }
    }
  }
  dispatching_ = false;
}

}  // namespace vigil::core
