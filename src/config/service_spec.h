#pragma once

// ServiceSpec: what a systemd .service unit says beyond what every program has. A unit becomes
// a ProgramSpec (dialect kSystemd, its own group, named after the unit) whose common fields carry
// the common settings, and whose `service` member carries this. The mapping of the common
// fields (see docs/units.md):
//   name = group = program   the unit name, "doris-fe.service" ("foo@bar.service" for instances)
//   autostart                enabled (an install symlink in a boot target's .wants/.requires)
//   command, argv            the first ExecStart= line, for display only
//   directory                WorkingDirectory= (nullopt: "/" for vigild as root, else $HOME)
//   umask                    UMask= (default 0022)
//   user                     User= (with Group= and SupplementaryGroups= below); one that does not
//                            exist leaves `user` unset and sets argv_error (217/USER, 216/GROUP)
//   environment              Environment=, in order (later assignments win)
//   stop.signal, .timeout    KillSignal=, TimeoutStopSec= (infinity: Duration::max())
//   stdout_log, stderr_log   StandardOutput=/StandardError=: journal, syslog, kmsg -> kAuto
//   (vigil's
//                            per-program log), null -> kNone, file:/append:/truncate: -> kFile
//                            (with `*_file_mode` below); StandardError=inherit -> redirect_stderr
//   where                    the fragment's first line
// Everything here has systemd's default when the unit does not set it.

#include <signal.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"
#include "config/ini_document.h"

namespace vigil::config {

enum class ServiceType { kSimple, kExec, kForking, kOneshot, kNotify, kDbus, kIdle };

enum class RestartSetting {
  kNo,
  kAlways,
  kOnSuccess,
  kOnFailure,
  kOnAbnormal,
  kOnAbort,
  kOnWatchdog
};

enum class KillMode { kControlGroup, kMixed, kProcess, kNone };

// kUnset resolves to kMain for Type=notify and WatchdogSec=, else kNone (systemd's rule).
enum class NotifyAccess { kUnset, kNone, kMain, kExec, kAll };

enum class TimeoutFailureMode { kTerminate, kAbort, kKill };

// One Exec*= line. Words are unquoted and %-specifiers are expanded at load time; $VAR and
// ${VAR} are expanded just before exec (unless `no_environment_expansion`), as systemd does.
struct ExecCommand {
  std::string path;                       // the executable: absolute (bare names resolved at load)
  std::vector<std::string> argv;          // argv[0] is `path`, or the word after it with '@'
  bool ignore_failure = false;            // '-': a failure is recorded but counts as success
  bool no_environment_expansion = false;  // ':'
  bool full_privileges = false;           // '+': no User=/Group=/SupplementaryGroups=
  bool keep_credentials = false;          // '!' (and '!!'): no User=/Group= switch
  SourceLocation where;

  bool operator==(const ExecCommand&) const = default;
};

// SuccessExitStatus=, RestartPreventExitStatus=, RestartForceExitStatus=.
struct ExitStatusSet {
  std::vector<int> codes;    // exit codes 0..255
  std::vector<int> signals;  // signal numbers

  bool empty() const { return codes.empty() && signals.empty(); }
  bool operator==(const ExitStatusSet&) const = default;
};

// One Limit*= setting: setrlimit(resource, {soft, hard}).
struct ResourceLimit {
  int resource = 0;  // RLIMIT_*
  rlim_t soft = 0;   // RLIM_INFINITY for "infinity"
  rlim_t hard = 0;

  bool operator==(const ResourceLimit&) const = default;
};

enum class OutputFileMode { kNone, kFile, kAppend, kTruncate };

struct EnvironmentFile {
  std::string path;       // absolute, may be a glob
  bool optional = false;  // '-' prefix: a missing file is not an error

  bool operator==(const EnvironmentFile&) const = default;
};

// Unit names as written (after specifier expansion), each list in order, without duplicates.
struct UnitDependencies {
  std::vector<std::string> after, before, wants, requisite, binds_to, part_of, conflicts;
  std::vector<std::string> requires_units;  // Requires= ("requires" is a C++ keyword)
  std::vector<std::string> on_failure;

  bool operator==(const UnitDependencies&) const = default;
};

struct InstallSection {
  std::vector<std::string> wanted_by, required_by, alias, also;
  std::string default_instance;

  bool empty() const {
    return wanted_by.empty() && required_by.empty() && alias.empty() && also.empty();
  }
  bool operator==(const InstallSection&) const = default;
};

struct ServiceSpec {
  // [Unit]
  std::string unit_name;  // "foo@bar.service"
  std::string description;
  std::vector<std::string> documentation;
  std::string fragment_path;  // the unit file read ("" for a unit made of drop-ins only)
  std::vector<std::string> dropin_paths;  // in the order applied
  std::vector<std::string> aliases;       // other names of the unit (symlinks to its file), sorted
  UnitDependencies dependencies;
  Duration start_limit_interval = std::chrono::seconds(10);  // 0: no limit
  int64_t start_limit_burst = 5;
  InstallSection install;

  // [Service]: lifecycle
  ServiceType type = ServiceType::kSimple;
  bool remain_after_exit = false;
  bool guess_main_pid = true;
  std::string pid_file;  // absolute; "" = none
  NotifyAccess notify_access = NotifyAccess::kUnset;
  std::vector<ExecCommand> exec_condition, exec_start_pre, exec_start, exec_start_post;
  std::vector<ExecCommand> exec_reload, exec_stop, exec_stop_post;

  RestartSetting restart = RestartSetting::kNo;
  Duration restart_sec = std::chrono::milliseconds(100);
  int64_t restart_steps = 0;                  // 0: no backoff
  std::optional<Duration> restart_max_delay;  // nullopt: infinity (no backoff)
  ExitStatusSet success_exit_status, restart_prevent_exit_status, restart_force_exit_status;

  // nullopt: infinity. systemd's defaults: 90 s each (start: infinity for oneshot).
  std::optional<Duration> timeout_start = std::chrono::seconds(90);
  std::optional<Duration> timeout_stop = std::chrono::seconds(90);
  std::optional<Duration> timeout_abort;  // nullopt: as timeout_stop
  TimeoutFailureMode timeout_start_failure_mode = TimeoutFailureMode::kTerminate;
  TimeoutFailureMode timeout_stop_failure_mode = TimeoutFailureMode::kTerminate;
  std::optional<Duration> runtime_max;   // nullopt: infinity
  Duration watchdog = Duration::zero();  // 0: off

  KillMode kill_mode = KillMode::kControlGroup;
  int kill_signal = SIGTERM;
  int restart_kill_signal = 0;  // 0: as kill_signal
  int final_kill_signal = SIGKILL;
  int watchdog_signal = SIGABRT;
  bool send_sigkill = true;
  bool send_sighup = false;

  // [Service]: execution environment (User=, WorkingDirectory=, UMask=, Environment= are in the
  // ProgramSpec; see above)
  std::optional<gid_t> group;               // Group=; nullopt: the user's primary group
  std::string group_name;                   // as written
  std::vector<gid_t> supplementary_groups;  // added to initgroups(User=)
  bool working_directory_optional = false;  // WorkingDirectory=-/path
  bool working_directory_home = false;      // WorkingDirectory=~
  std::vector<EnvironmentFile> environment_files;
  std::vector<std::string> pass_environment;   // names taken from vigild's environment
  std::vector<std::string> unset_environment;  // names or NAME=value pairs removed last
  std::optional<int> nice;
  std::optional<int> oom_score_adjust;
  std::vector<ResourceLimit> limits;  // in the order given, later ones win
  bool ignore_sigpipe = true;
  OutputFileMode stdout_file_mode = OutputFileMode::kNone;  // for stdout_log kFile
  OutputFileMode stderr_file_mode = OutputFileMode::kNone;
  std::string syslog_identifier;  // "" : the process name

  // vigil's own settings, from [X-Vigil] (none yet).

  bool operator==(const ServiceSpec&) const = default;
};

}  // namespace vigil::config
