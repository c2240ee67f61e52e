#include "api/unit_properties.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/resource.h>
#include <time.h>

#include "config/service_names.h"
#include "config/supervisord_types.h"
#include "config/unit_values.h"

namespace vigil::api {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string joined;
  for (const std::string& item : items) {
    if (!joined.empty()) joined += ' ';
    joined += item;
  }
  return joined;
}

std::string Micros(std::optional<Duration> span) {
  if (!span || *span == Duration::max()) return "infinity";
  return std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(*span).count());
}

std::string LimitText(rlim_t value) {
  return value == RLIM_INFINITY ? "infinity" : std::to_string(value);
}

// ExecMainCode: CLD_EXITED 1, CLD_KILLED 2, CLD_DUMPED 3, as `systemctl show` prints them.
int ExitCodeNumber(const core::ExitStatus& status) {
  if (status.exited) return 1;
  return status.core_dumped ? 3 : 2;
}

}  // namespace

std::string FormatTimestamp(const std::optional<WallTime>& at) {
  if (!at) return "";
  const time_t seconds = std::chrono::system_clock::to_time_t(
      std::chrono::time_point_cast<std::chrono::system_clock::duration>(*at));
  tm local{};
  ::localtime_r(&seconds, &local);
  char buffer[64];
  if (::strftime(buffer, sizeof buffer, "%a %Y-%m-%d %H:%M:%S %Z", &local) == 0) return "";
  return buffer;
}

Properties ServiceProperties(const core::Service& service, const std::string& unit_file_state,
                             size_t tasks, const std::string& cgroup) {
  const config::ProgramSpec& spec = service.spec();
  const config::ServiceSpec& s = service.service_spec();
  Properties p;
  auto add = [&](std::string key, std::string value) {
    p.emplace_back(std::move(key), std::move(value));
  };
  add("Id", spec.name);
  std::vector<std::string> names = {spec.name};
  names.insert(names.end(), s.aliases.begin(), s.aliases.end());
  add("Names", Join(names));
  add("Description", s.description.empty() ? spec.name : s.description);
  add("LoadState", "loaded");
  add("FragmentPath", s.fragment_path);
  add("DropInPaths", Join(s.dropin_paths));
  add("UnitFileState", unit_file_state);
  add("ActiveState", std::string(core::ActiveStateName(service.active_state())));
  add("SubState", std::string(core::ServiceStateName(service.service_state())));
  add("Result", std::string(core::ServiceResultName(service.result())));
  add("ReloadResult", std::string(core::ServiceResultName(service.reload_result())));
  add("StateChangeTimestamp", FormatTimestamp(service.state_change_time()));
  add("ActiveEnterTimestamp", FormatTimestamp(service.active_enter_time()));
  add("InactiveEnterTimestamp", FormatTimestamp(service.inactive_enter_time()));
  add("Type", std::string(config::ServiceTypeName(s.type)));
  add("Restart", std::string(config::RestartSettingName(s.restart)));
  add("RestartUSec", config::FormatTimespan(s.restart_sec));
  add("RestartSteps", std::to_string(s.restart_steps));
  add("RestartMaxDelayUSec", config::FormatTimespan(s.restart_max_delay));
  add("NRestarts", std::to_string(service.restart_count()));
  add("RemainAfterExit", s.remain_after_exit ? "yes" : "no");
  add("PIDFile", s.pid_file);
  add("GuessMainPID", s.guess_main_pid ? "yes" : "no");
  add("NotifyAccess", std::string(config::NotifyAccessName(core::EffectiveNotifyAccess(s))));
  add("MainPID", std::to_string(service.pid()));
  add("ControlPID", std::to_string(service.control_pid()));
  add("ExecMainPID",
      std::to_string(service.main_child() ? service.pid() : service.main_exit_pid()));
  add("ExecMainStartTimestamp", FormatTimestamp(service.main_start()));
  if (service.main_exit()) {
    const core::ExitStatus& exit = *service.main_exit();
    add("ExecMainCode", std::to_string(ExitCodeNumber(exit)));
    add("ExecMainStatus", std::to_string(exit.exited ? exit.code : exit.signal));
  } else {
    add("ExecMainCode", "0");
    add("ExecMainStatus", "0");
  }
  add("StatusText", service.status_text());
  add("TimeoutStartUSec", config::FormatTimespan(s.timeout_start));
  add("TimeoutStopUSec", config::FormatTimespan(s.timeout_stop));
  add("RuntimeMaxUSec", config::FormatTimespan(s.runtime_max));
  add("WatchdogUSec", Micros(s.watchdog));
  add("StartLimitIntervalUSec", config::FormatTimespan(s.start_limit_interval));
  add("StartLimitBurst", std::to_string(s.start_limit_burst));
  add("KillMode", std::string(config::KillModeName(s.kill_mode)));
  add("KillSignal", std::to_string(s.kill_signal));
  add("FinalKillSignal", std::to_string(s.final_kill_signal));
  add("SendSIGKILL", s.send_sigkill ? "yes" : "no");
  add("User", spec.user ? spec.user->name : "");
  add("Group", s.group_name);
  add("WorkingDirectory", spec.directory.value_or(""));
  add("UMask", fmt::format("{:04o}", spec.umask.value_or(022)));
  for (const config::ResourceLimit& limit : s.limits) {
    const std::string name(config::RlimitKey(limit.resource));
    if (name.empty()) continue;
    add(name, LimitText(limit.hard));
    add(name + "Soft", LimitText(limit.soft));
  }
  add("After", Join(s.dependencies.after));
  add("Before", Join(s.dependencies.before));
  add("Wants", Join(s.dependencies.wants));
  add("Requires", Join(s.dependencies.requires_units));
  add("BindsTo", Join(s.dependencies.binds_to));
  add("PartOf", Join(s.dependencies.part_of));
  add("Conflicts", Join(s.dependencies.conflicts));
  add("WantedBy", Join(s.install.wanted_by));
  add("TasksCurrent", std::to_string(tasks));
  add("ControlGroup", cgroup);
  return p;
}

}  // namespace vigil::api
