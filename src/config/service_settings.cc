// The [Service] settings about the service's lifecycle: type, commands, restart, timeouts and
// killing, with systemd 252's parsers' rules and messages (load-fragment.c).

#include <fmt/format.h>

#include <algorithm>

#include "config/exec_line.h"
#include "config/service_draft.h"
#include "config/unit_signals.h"
#include "config/unit_values.h"
#include "config/unit_words.h"

namespace vigil::config {
namespace {

template <typename Enum>
struct EnumName {
  std::string_view name;
  Enum value;
};

template <typename Enum, size_t N>
std::optional<Enum> LookupEnum(const EnumName<Enum> (&names)[N], std::string_view text) {
  for (const EnumName<Enum>& entry : names) {
    if (entry.name == text) return entry.value;
  }
  return std::nullopt;
}

constexpr EnumName<ServiceType> kServiceTypes[] = {
    {"simple", ServiceType::kSimple},   {"exec", ServiceType::kExec},
    {"forking", ServiceType::kForking}, {"oneshot", ServiceType::kOneshot},
    {"dbus", ServiceType::kDbus},       {"notify", ServiceType::kNotify},
    {"idle", ServiceType::kIdle},
};

constexpr EnumName<RestartSetting> kRestartSettings[] = {
    {"no", RestartSetting::kNo},
    {"on-success", RestartSetting::kOnSuccess},
    {"on-failure", RestartSetting::kOnFailure},
    {"on-abnormal", RestartSetting::kOnAbnormal},
    {"on-watchdog", RestartSetting::kOnWatchdog},
    {"on-abort", RestartSetting::kOnAbort},
    {"always", RestartSetting::kAlways},
};

constexpr EnumName<KillMode> kKillModes[] = {
    {"control-group", KillMode::kControlGroup},
    {"process", KillMode::kProcess},
    {"mixed", KillMode::kMixed},
    {"none", KillMode::kNone},
};

constexpr EnumName<NotifyAccess> kNotifyAccess[] = {
    {"none", NotifyAccess::kNone},
    {"main", NotifyAccess::kMain},
    {"exec", NotifyAccess::kExec},
    {"all", NotifyAccess::kAll},
};

constexpr EnumName<TimeoutFailureMode> kTimeoutFailureModes[] = {
    {"terminate", TimeoutFailureMode::kTerminate},
    {"abort", TimeoutFailureMode::kAbort},
    {"kill", TimeoutFailureMode::kKill},
};

Result<void> Type(ServiceDraft& draft, const SettingContext& context, std::string_view value) {
  std::optional<ServiceType> type = LookupEnum(kServiceTypes, value);
  if (!type) {
    context.Warn(fmt::format("Failed to parse service type, ignoring: {}", value));
    return Ok();
  }
  draft.spec.type = *type;
  draft.type_where = context.where;
  return Ok();
}

Result<void> ExitType(ServiceDraft& draft, const SettingContext& context, std::string_view value) {
  if (value != "main" && value != "cgroup") {
    context.Warn(fmt::format("Failed to parse service exit type, ignoring: {}", value));
    return Ok();
  }
  draft.exit_type_cgroup = value == "cgroup";
  if (draft.exit_type_cgroup) {
    context.Warn(
        "ExitType=cgroup is not supported by vigil, ignoring (the service ends when its main "
        "process exits)");
  }
  return Ok();
}

Result<void> Restart(ServiceDraft& draft, const SettingContext& context, std::string_view value) {
  std::optional<RestartSetting> restart = LookupEnum(kRestartSettings, value);
  if (!restart) {
    context.Warn(fmt::format("Failed to parse service restart specifier, ignoring: {}", value));
    return Ok();
  }
  draft.spec.restart = *restart;
  draft.restart_where = context.where;
  return Ok();
}

Result<void> RestartSec(ServiceDraft& draft, const SettingContext& context,
                        std::string_view value) {
  if (std::optional<uint64_t> usec = ParseSecSetting(context, value)) {
    draft.spec.restart_sec = UsecToDuration(*usec);
  }
  return Ok();
}

// RestartSteps= and RestartMaxDelaySec= are systemd 254's; vigil reads them for every unit.
Result<void> RestartSteps(ServiceDraft& draft, const SettingContext& context,
                          std::string_view value) {
  Result<uint64_t> steps = ParseCUnsigned(value);
  if (!steps || *steps > UINT32_MAX) {
    context.Warn(fmt::format("Failed to parse unsigned value, ignoring: {}", value));
    return Ok();
  }
  draft.spec.restart_steps = static_cast<int64_t>(*steps);
  return Ok();
}

Result<void> RestartMaxDelaySec(ServiceDraft& draft, const SettingContext& context,
                                std::string_view value) {
  if (std::optional<uint64_t> usec = ParseSecSetting(context, value)) {
    draft.spec.restart_max_delay =
        *usec == kInfinityUsec ? std::nullopt : std::optional<Duration>(UsecToDuration(*usec));
  }
  return Ok();
}

// parse_sec_fix_0(): 0 means "no timeout", like infinity.
std::optional<Duration> TimeoutValue(uint64_t usec) {
  if (usec == 0 || usec == kInfinityUsec) return std::nullopt;
  return UsecToDuration(usec);
}

Result<void> TimeoutStartSec(ServiceDraft& draft, const SettingContext& context,
                             std::string_view value) {
  Result<uint64_t> usec = ParseSecUsec(value);
  if (!usec) {
    context.Warn(fmt::format("Failed to parse {}= parameter, ignoring: {}", context.key, value));
    return Ok();
  }
  draft.start_timeout_defined = true;
  draft.spec.timeout_start = TimeoutValue(*usec);
  if (context.key == "TimeoutSec") draft.spec.timeout_stop = TimeoutValue(*usec);
  return Ok();
}

Result<void> TimeoutStopSec(ServiceDraft& draft, const SettingContext& context,
                            std::string_view value) {
  Result<uint64_t> usec = ParseSecUsec(value);
  if (!usec) {
    context.Warn(fmt::format("Failed to parse time value, ignoring: {}", value));
    return Ok();
  }
  draft.spec.timeout_stop = TimeoutValue(*usec);
  return Ok();
}

Result<void> TimeoutAbortSec(ServiceDraft& draft, const SettingContext& context,
                             std::string_view value) {
  if (value.empty()) {
    draft.spec.timeout_abort.reset();
    return Ok();
  }
  Result<uint64_t> usec = ParseSecUsec(value);
  if (!usec) {
    context.Warn(fmt::format("Failed to parse {}= setting, ignoring: {}", context.key, value));
    return Ok();
  }
  draft.spec.timeout_abort = UsecToDuration(*usec);  // infinity: Duration::max()
  return Ok();
}

Result<void> TimeoutFailureModeSetting(ServiceDraft& draft, const SettingContext& context,
                                       std::string_view value) {
  std::optional<TimeoutFailureMode> mode = LookupEnum(kTimeoutFailureModes, value);
  if (!mode) {
    context.Warn(fmt::format("Failed to parse timeout failure mode, ignoring: {}", value));
    return Ok();
  }
  if (context.key == "TimeoutStartFailureMode") {
    draft.spec.timeout_start_failure_mode = *mode;
  } else {
    draft.spec.timeout_stop_failure_mode = *mode;
  }
  return Ok();
}

Result<void> RuntimeMaxSec(ServiceDraft& draft, const SettingContext& context,
                           std::string_view value) {
  if (std::optional<uint64_t> usec = ParseSecSetting(context, value)) {
    draft.spec.runtime_max =
        *usec == kInfinityUsec ? std::nullopt : std::optional<Duration>(UsecToDuration(*usec));
  }
  return Ok();
}

Result<void> WatchdogSec(ServiceDraft& draft, const SettingContext& context,
                         std::string_view value) {
  if (std::optional<uint64_t> usec = ParseSecSetting(context, value)) {
    // An infinite watchdog never fires: off, like 0.
    draft.spec.watchdog = *usec == kInfinityUsec ? Duration::zero() : UsecToDuration(*usec);
  }
  return Ok();
}

Result<void> BooleanSetting(ServiceDraft& draft, const SettingContext& context,
                            std::string_view value) {
  std::optional<bool> parsed = ParseBooleanSetting(context, value);
  if (!parsed) return Ok();
  ServiceSpec& spec = draft.spec;
  const std::string& key = context.key;
  if (key == "RemainAfterExit") spec.remain_after_exit = *parsed;
  if (key == "GuessMainPID") spec.guess_main_pid = *parsed;
  if (key == "SendSIGKILL") spec.send_sigkill = *parsed;
  if (key == "SendSIGHUP") spec.send_sighup = *parsed;
  if (key == "IgnoreSIGPIPE") spec.ignore_sigpipe = *parsed;
  return Ok();
}

Result<void> PidFile(ServiceDraft& draft, const SettingContext& context, std::string_view value) {
  if (value.empty()) {
    draft.spec.pid_file.clear();
    return Ok();
  }
  std::optional<std::string> path = context.ExpandOrWarn(value, SpecifierSet::kFull);
  if (!path) return Ok();
  // A relative PID file lives in the runtime directory (/run for the system manager).
  std::string absolute =
      path->starts_with('/') ? *path : fmt::format("{}/{}", context.specifiers.runtime_dir, *path);
  Result<std::string> checked = CheckedPath("PIDFile", absolute, false);
  if (!checked) {
    // systemd logs ", ignoring" here but then refuses the unit all the same ("failed to load
    // properly: Invalid argument"); vigil refuses it too.
    return context.Fatal(checked.error().message +
                         " (systemd 252 refuses to load the unit; remove the '..')");
  }
  draft.spec.pid_file = std::move(*checked);
  return Ok();
}

Result<void> BusName(ServiceDraft& draft, const SettingContext&, std::string_view value) {
  draft.bus_name = std::string(value);
  return Ok();
}

Result<void> NotifyAccessSetting(ServiceDraft& draft, const SettingContext& context,
                                 std::string_view value) {
  std::optional<NotifyAccess> access = LookupEnum(kNotifyAccess, value);
  if (!access) {
    context.Warn(fmt::format("Failed to parse notify access specifier, ignoring: {}", value));
    return Ok();
  }
  draft.spec.notify_access = *access;
  return Ok();
}

std::vector<ExecCommand>& ExecList(ServiceSpec& spec, std::string_view key) {
  if (key == "ExecCondition") return spec.exec_condition;
  if (key == "ExecStartPre") return spec.exec_start_pre;
  if (key == "ExecStart") return spec.exec_start;
  if (key == "ExecStartPost") return spec.exec_start_post;
  if (key == "ExecReload") return spec.exec_reload;
  if (key == "ExecStop") return spec.exec_stop;
  return spec.exec_stop_post;
}

Result<void> Exec(ServiceDraft& draft, const SettingContext& context, std::string_view value) {
  std::vector<ExecCommand>& list = ExecList(draft.spec, context.key);
  if (value.empty()) {  // the empty assignment resets the list
    list.clear();
    return Ok();
  }
  Result<std::vector<ExecCommand>> commands = ParseExecLine(context, value);
  if (!commands) return commands.error();
  for (ExecCommand& command : *commands) list.push_back(std::move(command));
  return Ok();
}

ExitStatusSet& StatusSet(ServiceSpec& spec, std::string_view key) {
  if (key == "SuccessExitStatus") return spec.success_exit_status;
  if (key == "RestartPreventExitStatus") return spec.restart_prevent_exit_status;
  return spec.restart_force_exit_status;
}

void InsertSorted(std::vector<int>& list, int value) {
  auto it = std::lower_bound(list.begin(), list.end(), value);
  if (it == list.end() || *it != value) list.insert(it, value);
}

// config_parse_set_status(): words split on whitespace only (no quotes); numbers and names are
// exit statuses first, then signals.
Result<void> ExitStatus(ServiceDraft& draft, const SettingContext& context,
                        std::string_view value) {
  ExitStatusSet& set = StatusSet(draft.spec, context.key);
  if (value.empty()) {
    set = ExitStatusSet{};
    return Ok();
  }
  std::string_view p = value;
  while (true) {
    Result<std::optional<std::string>> word = ExtractFirstWord(p, kUnitWhitespace, 0);
    if (!word) {
      context.Warn(fmt::format("Failed to parse {}={}, ignoring: {}", context.key, value,
                               word.error().message));
      return Ok();
    }
    if (!*word) return Ok();
    if (std::optional<int> status = ParseExitStatus(**word)) {
      InsertSorted(set.codes, *status);
    } else if (Result<int> signo = ParseUnitSignal(**word)) {
      InsertSorted(set.signals, *signo);
    } else {
      context.Warn(fmt::format("Failed to parse value, ignoring: {}", **word));
    }
  }
}

Result<void> KillModeSetting(ServiceDraft& draft, const SettingContext& context,
                             std::string_view value) {
  if (value.empty()) {
    draft.spec.kill_mode = KillMode::kControlGroup;
    return Ok();
  }
  std::optional<KillMode> mode = LookupEnum(kKillModes, value);
  if (!mode) {
    context.Warn(fmt::format("Failed to parse kill mode specification, ignoring: {}", value));
    return Ok();
  }
  if (*mode == KillMode::kNone) {
    context.Warn(
        "Unit uses KillMode=none. This is unsafe, as it disables systemd's process lifecycle "
        "management for the service. Please update the service to use a safer KillMode=, such "
        "as 'mixed' or 'control-group'. Support for KillMode=none is deprecated and will "
        "eventually be removed.");
  }
  draft.spec.kill_mode = *mode;
  return Ok();
}

Result<void> Signal(ServiceDraft& draft, const SettingContext& context, std::string_view value) {
  Result<int> signo = ParseUnitSignal(value);
  if (!signo) {
    context.Warn(fmt::format("Failed to parse signal name, ignoring: {}", value));
    return Ok();
  }
  ServiceSpec& spec = draft.spec;
  if (context.key == "KillSignal") spec.kill_signal = *signo;
  if (context.key == "RestartKillSignal") spec.restart_kill_signal = *signo;
  if (context.key == "FinalKillSignal") spec.final_kill_signal = *signo;
  if (context.key == "WatchdogSignal") spec.watchdog_signal = *signo;
  return Ok();
}

struct NamedHandler {
  std::string_view key;
  SettingHandler handler;
};

constexpr NamedHandler kServiceHandlers[] = {
    {"Type", Type},
    {"ExitType", ExitType},
    {"Restart", Restart},
    {"RestartSec", RestartSec},
    {"RestartSteps", RestartSteps},
    {"RestartMaxDelaySec", RestartMaxDelaySec},
    {"TimeoutStartSec", TimeoutStartSec},
    {"TimeoutSec", TimeoutStartSec},
    {"TimeoutStopSec", TimeoutStopSec},
    {"TimeoutAbortSec", TimeoutAbortSec},
    {"TimeoutStartFailureMode", TimeoutFailureModeSetting},
    {"TimeoutStopFailureMode", TimeoutFailureModeSetting},
    {"RuntimeMaxSec", RuntimeMaxSec},
    {"WatchdogSec", WatchdogSec},
    {"RemainAfterExit", BooleanSetting},
    {"GuessMainPID", BooleanSetting},
    {"SendSIGKILL", BooleanSetting},
    {"SendSIGHUP", BooleanSetting},
    {"IgnoreSIGPIPE", BooleanSetting},
    {"PIDFile", PidFile},
    {"BusName", BusName},
    {"NotifyAccess", NotifyAccessSetting},
    {"ExecCondition", Exec},
    {"ExecStartPre", Exec},
    {"ExecStart", Exec},
    {"ExecStartPost", Exec},
    {"ExecReload", Exec},
    {"ExecStop", Exec},
    {"ExecStopPost", Exec},
    {"SuccessExitStatus", ExitStatus},
    {"RestartPreventExitStatus", ExitStatus},
    {"RestartForceExitStatus", ExitStatus},
    {"KillMode", KillModeSetting},
    {"KillSignal", Signal},
    {"RestartKillSignal", Signal},
    {"FinalKillSignal", Signal},
    {"WatchdogSignal", Signal},
};

}  // namespace

SettingHandler FindServiceLifecycleHandler(std::string_view key) {
  for (const NamedHandler& entry : kServiceHandlers) {
    if (entry.key == key) return entry.handler;
  }
  // [Service] StartLimitInterval=, StartLimitBurst=, StartLimitAction= and FailureAction= only
  // exist for compatibility; they set the same as their [Unit] namesakes.
  if (key == "StartLimitInterval" || key == "StartLimitBurst" || key == "StartLimitAction" ||
      key == "FailureAction") {
    return FindUnitSectionHandler(key);
  }
  return nullptr;
}

}  // namespace vigil::config
