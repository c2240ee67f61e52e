#pragma once

// ProgramSpec: one process to supervise, fully typed and validated, whatever dialect it was
// written in. The core and the daemon see only this; they never look at config text.

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/boxed.h"
#include "base/time.h"
#include "config/ini_document.h"
#include "config/service_spec.h"
#include "config/supervisord_types.h"

namespace vigil::config {

enum class Dialect { kSupervisord, kSystemd };

// Environment variables in the order they were given.
using Environment = std::vector<std::pair<std::string, std::string>>;
// Replaces `key`'s value where it stands, or appends it.
void SetVariable(Environment& environment, std::string_view key, std::string value);

// Where one output stream goes.
enum class LogTarget {
  kNone,  // discarded ("NONE"/"OFF")
  kAuto,  // a file vigild names under childlogdir ("AUTO")
  kFile,  // `path`
};

struct LogSpec {
  LogTarget target = LogTarget::kAuto;
  std::string path;                     // for kFile, as written (~ expanded)
  int64_t maxbytes = 50 * 1024 * 1024;  // rotate when the file reaches this; 0 = never
  int64_t backups = 10;                 // rotated files kept; 0 = truncate instead
  int64_t capture_maxbytes = 0;         // supervisord capture mode; 0 = off
  bool events_enabled = false;          // PROCESS_LOG events
  bool syslog = false;                  // also send each line to syslog

  bool operator==(const LogSpec&) const = default;
};

struct UserSpec {
  std::string name;   // as written: a name or a number
  std::string login;  // the password database's name for `uid`
  uid_t uid = 0;
  gid_t gid = 0;  // the user's primary group

  bool operator==(const UserSpec&) const = default;
};

// supervisord's restart rules (process.py): a start succeeds after `startsecs`; a failed
// start is retried `startretries` times with a linear 1 s, 2 s, ... backoff, then FATAL;
// an exit after a successful start restarts per `autorestart` and `exitcodes`.
struct SupervisordRestart {
  Duration startsecs = std::chrono::seconds(1);
  int64_t startretries = 3;
  AutoRestart autorestart = AutoRestart::kUnexpected;
  std::vector<int> exitcodes = {0};

  bool operator==(const SupervisordRestart&) const = default;
};

struct StopSpec {
  int signal = 15;                              // stopsignal
  Duration timeout = std::chrono::seconds(10);  // stopwaitsecs, then SIGKILL
  bool signal_group = false;                    // stopasgroup
  bool kill_group = false;                      // killasgroup

  bool operator==(const StopSpec&) const = default;
};

enum class ProgramKind { kProgram, kEventListener, kFcgiProgram };

struct ProgramSpec {
  Dialect dialect = Dialect::kSupervisord;
  ProgramKind kind = ProgramKind::kProgram;
  std::string name;     // process name, unique within its group
  std::string group;    // group name
  std::string program;  // the [program:x] section's x
  int64_t priority = 999;
  bool autostart = true;

  std::string command;  // as written, after %-expansion
  // The command split as supervisord splits it (shlex, no shell). When the command cannot be
  // split, supervisord still loads the config and fails each spawn; so does vigil.
  std::vector<std::string> argv;
  // Non-empty: why the program cannot be started, and every start fails with it: `command`
  // cannot be split, or (dialect kSystemd) its User=/Group=/SupplementaryGroups= does not exist.
  std::string argv_error;

  std::optional<std::string> directory;
  std::optional<uint32_t> umask;
  std::optional<UserSpec> user;
  // [supervisord] environment= merged with the program's own (which wins), in order.
  Environment environment;
  std::optional<std::string> serverurl;  // SUPERVISOR_SERVER_URL; nullopt = AUTO, "" = unset

  SupervisordRestart restart;
  StopSpec stop;

  bool redirect_stderr = false;
  LogSpec stdout_log;
  LogSpec stderr_log;

  int64_t process_num = 0;  // this process's number among numprocs
  int64_t numprocs = 1;
  SourceLocation where;  // the section header that defined it

  // dialect kSystemd: the unit's own settings (see service_spec.h for how the fields above map).
  Boxed<ServiceSpec> service;

  bool operator==(const ProgramSpec&) const = default;
};

// "group:name", or just "name" when both are the same (supervisord's make_namespec).
std::string Namespec(const ProgramSpec& spec);

// Whether two processes would run the same way: every setting equal, wherever in which file
// they were written (supervisord's ProcessConfig equality, used by reread/update).
bool SameSettings(const ProgramSpec& a, const ProgramSpec& b);

}  // namespace vigil::config
