#pragma once

// UnitJobs: systemd's job engine, reduced to what services managed by vigild need. A start of a
// unit also starts what it Wants=/Requires=/BindsTo= (and stops what it Conflicts= with); a stop
// also stops the units that Requires=/BindsTo=/PartOf= it. Jobs run in After=/Before= order:
// a start waits for the starts of the units it is ordered after to finish (active or failed),
// a stop waits for the stops of the units ordered after it, and a stop always goes before a
// start of units ordered against each other. A start whose Requires=/BindsTo= unit (ordered
// before it) failed does not happen ("Dependency failed"). Units vigild does not manage (targets
// such as network-online.target, or services it has no file for) count as reached.
//
// BindsTo= also acts at run time: a unit whose bound unit becomes inactive or failed is stopped.
//
// Pure: it acts on Services and reads no clock. The owner calls Dispatch() after every change of
// any service's state.

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "core/service.h"

namespace vigil::core {

class UnitJobs {
 public:
  // Finds a managed unit by name; nullptr for units vigild does not manage.
  using Lookup = std::function<Service*(std::string_view name)>;
  // Every managed unit (for reverse dependencies).
  using Enumerate = std::function<std::vector<Service*>()>;
  // Tells the owner's log about the engine's decisions.
  using Logger = std::function<void(Service& unit, std::string message)>;

  UnitJobs(Lookup lookup, Enumerate enumerate, Logger logger);

  enum class JobType { kStart, kStop, kRestart };

  // Queues the transaction for `unit` and runs what can run now.
  void Start(Service& unit);
  void Stop(Service& unit);
  // Restart: stop (if active) then start. TryRestart: only if active.
  void Restart(Service& unit, bool only_if_active = false);

  // Runs every job whose turn has come, finishes those whose unit has settled, and applies
  // BindsTo= to units that became inactive. Call after any event.
  void Dispatch();

  bool HasJob(std::string_view unit) const { return jobs_.count(std::string(unit)) > 0; }
  std::optional<JobType> JobOf(std::string_view unit) const;
  // How the last finished start job of `unit` ended: nullopt while none finished since the
  // last request.
  std::optional<bool> LastStartSucceeded(std::string_view unit) const;

 private:
  struct Job {
    JobType type = JobType::kStart;
    bool running = false;
    bool stop_phase = false;  // kRestart: the stop half is underway
    bool started = false;     // kStart: this job started the unit
  };

  void AddStart(Service& unit, std::set<std::string>& visited);
  void AddStop(Service& unit, std::set<std::string>& visited);
  void SetJob(const std::string& name, JobType type);
  bool Runnable(const std::string& name, const Job& job);
  bool OrderedAfter(const Service& a, const Service& b) const;    // a After= b, or b Before= a
  bool RunJob(const std::string& name, Job& job, Service& unit);  // false: finished at once
  bool Finished(const std::string& name, Job& job, Service& unit);
  bool DependencyFailed(Service& unit);
  void ApplyBindsTo();

  Lookup lookup_;
  Enumerate enumerate_;
  Logger logger_;
  std::map<std::string, Job> jobs_;
  std::map<std::string, bool> start_results_;     // unit -> its last start job succeeded
  std::map<std::string, ActiveState> last_seen_;  // for BindsTo=
  bool dispatching_ = false;
};

}  // namespace vigil::core
