#pragma once

// Control: what the API may do to the running daemon. The daemon implements it; the API layer
// (XML-RPC, /logtail, the JSON API) only talks to vigild through it.

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "config/supervisord_config.h"
#include "core/config_diff.h"
#include "core/supervisor.h"

namespace vigil::api {

// supervisord's SupervisorStates.
enum class DaemonState { kFatal = 2, kRunning = 1, kRestarting = 0, kShutdown = -1 };

// Notified after bytes were appended to a log file, or after it was rotated or cleared.
class LogObserver {
 public:
  virtual ~LogObserver() = default;
  virtual void OnLogChanged() = 0;
};

// Ends a registration when destroyed.
class Subscription {
 public:
  explicit Subscription(std::function<void()> cancel) : cancel_(std::move(cancel)) {}
  ~Subscription() {
    if (cancel_) cancel_();
  }
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

 private:
  std::function<void()> cancel_;
};

class Control {
 public:
  virtual ~Control() = default;

  virtual core::Supervisor& supervisor() = 0;
  virtual const Clock& clock() const = 0;
  virtual DaemonState state() const = 0;
  virtual const config::SupervisordConfig& config() const = 0;
  virtual pid_t pid() const = 0;

  // The main log's path; empty when it goes to syslog.
  virtual std::string MainLogPath() const = 0;
  virtual Result<void> ClearMainLog() = 0;
  virtual void RequestShutdown() = 0;
  virtual void RequestRestart() = 0;  // supervisord's restart(): a full reload

  // reloadConfig: parse the configuration again and keep it for addProcessGroup/update; what
  // it changes against what runs. Errors: the configuration's own message.
  virtual Result<core::ConfigDiff> Reread() = 0;
  // The groups of the configuration as last read (what addProcessGroup adds from).
  virtual const std::vector<config::GroupSpec>& ConfiguredGroups() const = 0;
  // The file an AUTO log of a process of ConfiguredGroups() was given when its group was added
  // from that reading; "" before. supervisord fills the names in when it adds a group (at
  // startup, or by addProcessGroup), and a reread starts again from AUTO, which is what
  // getAllConfigInfo shows.
  virtual std::string RealizedAutoLog(const std::string& namespec, bool stderr_log) const = 0;
  // addProcessGroup (NotFound when the configuration has no such group, AlreadyExists when it
  // runs) and removeProcessGroup (NotFound, FailedPrecondition while a process runs).
  virtual Result<void> AddGroup(std::string_view name) = 0;
  virtual Result<void> RemoveGroup(std::string_view name) = 0;

  // One process inside a running group (vigil's per-process update): RemoveProcess needs it
  // stopped; AddProcess adds it to its group and starts it if it has autostart.
  virtual Result<void> RemoveProcess(const std::string& namespec) = 0;
  virtual Result<void> AddProcess(const config::ProgramSpec& spec) = 0;
  // "cgroup" or "process group", and where.
  virtual std::string TrackingMode() const = 0;

  // A process's log files ("" when discarded).
  virtual std::string StdoutLogPath(const std::string& namespec) const = 0;
  virtual std::string StderrLogPath(const std::string& namespec) const = 0;
  virtual Result<void> ClearProcessLogs(const std::string& namespec) = 0;
  // Writes to a running process's stdin. FailedPrecondition when it does not run, NotFound
  // when its stdin is closed.
  virtual Result<void> SendStdin(const std::string& namespec, std::string_view data) = 0;
  // supervisord's sendRemoteCommEvent: a REMOTE_COMMUNICATION event for the listener pools.
  virtual void SendRemoteCommEvent(std::string_view type, std::string_view data) = 0;

  // Registers `observer` for changes of the log file at `path` until the returned handle is
  // destroyed. `observer` must outlive the handle.
  virtual std::unique_ptr<Subscription> ObserveLog(const std::string& path,
                                                   LogObserver& observer) = 0;

  // --- systemd units (docs/units.md) ---
  // systemctl is-enabled's answer: "enabled", "disabled", "static", "indirect", "masked",
  // "alias", "not-found".
  virtual std::string UnitFileState(const std::string& unit) const = 0;
  // enable/disable: writes or removes the install symlinks; what was done, in systemctl's
  // words ("Created symlink A → B.", "Removed \"A\".").
  virtual Result<std::vector<std::string>> SetUnitEnabled(const std::string& unit,
                                                          bool enabled) = 0;
  // daemon-reload: reads every unit again. New units are added, changed ones take their new
  // definition at their next start, removed ones go once they are stopped. What changed.
  virtual Result<std::vector<std::string>> DaemonReload() = 0;
  // Loads a unit that is not loaded yet but can be (an instance of a template, foo@bar.service,
  // or a unit file added since), as systemd loads units on demand; its full name. NotFound,
  // or the unit's own error.
  virtual Result<std::string> LoadUnit(const std::string& name) = 0;
  // The processes of a service now (pid and command line), and the cgroup they are in (""
  // without cgroups).
  struct ProcessSummary {
    pid_t pid = 0;
    std::string command;
  };
  virtual std::vector<ProcessSummary> ServiceProcesses(const std::string& unit) const = 0;
  virtual std::string ServiceCgroup(const std::string& unit) const = 0;
  // The last messages vigild logged about a unit ("Started ...", "Main process exited, ...").
  struct UnitMessage {
    WallTime at;
    std::string text;
  };
  virtual std::vector<UnitMessage> RecentMessages(const std::string& unit) const = 0;
};

}  // namespace vigil::api
