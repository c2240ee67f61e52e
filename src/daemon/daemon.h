#pragma once

// Daemon: vigild's composition root. It owns the loop, the main log, the spawner, the
// supervisor and every program's output, and runs supervisord's lifecycle:
//   start: drop privileges, raise limits, open the main log, clean old AUTO logs, choose
//          cgroup or process-group tracking, daemonize (unless -n), become a child subreaper,
//          write the pid file, start the autostart programs;
//   SIGTERM/SIGINT/SIGQUIT: stop every program (groups in reverse priority order), then exit 0;
//   SIGHUP: reload: re-read the configuration (a broken one is refused and the running one
//          kept), stop everything, start again from the new configuration;
//   SIGUSR2: reopen every log file;
//   SIGCHLD: reap exited children and orphans.
// It serves the HTTP servers of the configuration (supervisord's XML-RPC API, log tails, vigil's
// JSON API) and implements the api::Control interface they act through (daemon_control.cc).

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "api/access_control.h"
#include "api/api_server.h"
#include "api/control.h"
#include "api/http_server.h"
#include "config/host.h"
#include "config/supervisord_config.h"
#include "config/unit_loader.h"
#include "core/events.h"
#include "core/supervisor.h"
#include "daemon/event_hub.h"
#include "daemon/notify_receiver.h"
#include "daemon/options.h"
#include "daemon/program_output.h"
#include "daemon/real_spawner.h"
#include "logs/main_log.h"
#include "loop/event_loop.h"
#include "os/signal_fd.h"
#include "os/system_clock.h"

namespace vigil::daemon {

// The signals vigild handles through its signalfd. main() blocks them before anything else.
inline constexpr std::initializer_list<int> kHandledSignals = {SIGCHLD, SIGTERM, SIGINT,
                                                               SIGQUIT, SIGHUP,  SIGUSR2};

class Daemon : public core::EventSink, public api::Control {
 public:
  // `host` must outlive the daemon. `config_path` and `options` are kept for reloads.
  Daemon(const config::Host& host, std::string config_path, Options options,
         config::SupervisordConfig config);
  ~Daemon() override;

  // Runs until shutdown; the process exit code.
  int Run();

  void OnProgramEvent(const core::ProgramEvent& event) override;

  // api::Control (daemon_control.cc).
  core::Supervisor& supervisor() override { return *supervisor_; }
  const Clock& clock() const override { return clock_; }
  api::DaemonState state() const override;
  const config::SupervisordConfig& config() const override { return config_; }
  pid_t pid() const override;
  std::string MainLogPath() const override;
  Result<void> ClearMainLog() override;
  void RequestShutdown() override;
  void RequestRestart() override;
  Result<core::ConfigDiff> Reread() override;
  const std::vector<config::GroupSpec>& ConfiguredGroups() const override {
    return configured_groups_;
  }
  std::string RealizedAutoLog(const std::string& namespec, bool stderr_log) const override;
  Result<void> AddGroup(std::string_view name) override;
  Result<void> RemoveGroup(std::string_view name) override;
  Result<void> RemoveProcess(const std::string& namespec) override;
  Result<void> AddProcess(const config::ProgramSpec& spec) override;
  std::string TrackingMode() const override;
  std::string StdoutLogPath(const std::string& namespec) const override;
  std::string StderrLogPath(const std::string& namespec) const override;
  Result<void> ClearProcessLogs(const std::string& namespec) override;
  Result<void> SendStdin(const std::string& namespec, std::string_view data) override;
  void SendRemoteCommEvent(std::string_view type, std::string_view data) override;
  std::unique_ptr<api::Subscription> ObserveLog(const std::string& path,
                                                api::LogObserver& observer) override;
  // systemd units (daemon_units.cc).
  std::string UnitFileState(const std::string& unit) const override;
  Result<std::vector<std::string>> SetUnitEnabled(const std::string& unit, bool enabled) override;
  Result<std::vector<std::string>> DaemonReload() override;
  Result<std::string> LoadUnit(const std::string& name) override;
  std::vector<ProcessSummary> ServiceProcesses(const std::string& unit) const override;
  std::string ServiceCgroup(const std::string& unit) const override;
  std::vector<UnitMessage> RecentMessages(const std::string& unit) const override;

 private:
  enum class Mood { kRunning, kShuttingDown, kReloading };

  Result<void> Start();
  Result<void> SetUpTracking();
  Result<void> LoadPrograms();
  Result<void> AddGroupFromSpec(const config::GroupSpec& group);
  // One unit read from `directories` as the group that runs it; its warnings are logged.
  Result<config::GroupSpec> ReadUnitGroup(const std::string& unit,
                                          const std::vector<std::string>& directories);
  // Kills and logs what stopped programs left in their cgroups (RealSpawner::KillLeftovers).
  void KillLeftovers();
  // `listener`: a process of an event listener pool, whose stdout is the protocol channel.
  Result<void> CreateOutput(const config::ProgramSpec& process, bool listener);
  Result<void> StartServers();
  void NotifyLog(const std::string& path);
  Result<config::SupervisordConfig> ReadConfiguration() const;
  void BeginShutdown(std::string_view why);
  void FlushReplies();
  void CleanAutoLogs();
  void OnSignal(int signo);
  void RequestReload();
  Result<void> FinishReload();
  void Cleanup();
  ProgramOutput* OutputFor(const config::ProgramSpec& spec);
  // Where `unit`'s files are looked up: the configured unit directories, and the directory of
  // its file when it was named by path.
  config::UnitPaths UnitPathsFor(const std::string& unit) const;
  void RememberUnitMessage(const core::ProgramEvent& event);

  const config::Host& host_;
  std::string config_path_;
  Options options_;
  config::SupervisordConfig config_;
  std::optional<config::SupervisordConfig> pending_config_;
  std::vector<config::GroupSpec> configured_groups_;  // as last read (addProcessGroup's source)
  // AUTO log files given to processes added from configured_groups_, by namespec (stdout,
  // stderr; "" for a stream that is not AUTO). Forgotten when the configuration is read again.
  std::map<std::string, std::pair<std::string, std::string>> realized_auto_logs_;

  os::SystemClock clock_;
  std::unique_ptr<loop::EventLoop> loop_;
  std::optional<os::SignalFd> signals_;
  std::unique_ptr<loop::Watch> signal_watch_;
  std::unique_ptr<logs::MainLog> log_;
  std::optional<os::CgroupTree> cgroups_;
  std::unique_ptr<RealSpawner> spawner_;
  std::unique_ptr<NotifyReceiver> notify_;
  std::unique_ptr<EventHub> events_;  // event listener pools; refers to spawner_
  std::unique_ptr<core::Supervisor> supervisor_;
  std::map<std::string, std::unique_ptr<ProgramOutput>> outputs_;  // by namespec
  std::unique_ptr<api::AccessControl> access_;
  std::unique_ptr<api::ApiServer> api_;
  std::unique_ptr<api::HttpServer> http_;
  std::map<std::string, std::vector<api::LogObserver*>> log_observers_;  // by path
  Mood mood_ = Mood::kRunning;
  std::optional<MonotonicTime> drain_deadline_;  // while replies are flushed at exit
  bool pidfile_written_ = false;
  std::map<std::string, std::deque<UnitMessage>> unit_messages_;  // by unit, the last few
};

}  // namespace vigil::daemon
