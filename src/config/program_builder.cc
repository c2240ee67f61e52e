// supervisord's _processes_from_section(), option by option and in its order, so that the first
// error reported is the one supervisord reports.

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "base/strings.h"
#include "config/py_text.h"
#include "config/section_reader.h"
#include "config/shlex.h"
#include "config/supervisord_builder.h"

namespace vigil::config {
namespace {

// Seconds as a Duration, saturating far beyond any real use instead of overflowing.
Duration Seconds(int64_t seconds) {
  constexpr int64_t kLimit = std::numeric_limits<int64_t>::max() / 1'000'000'000 - 1;
  return std::chrono::seconds(std::clamp<int64_t>(seconds, -kLimit, kLimit));
}

struct LogfileValue {
  enum class Kind { kNone, kAuto, kSyslog, kPath } kind = Kind::kAuto;
  std::string path;
};

// logfile_name(): NONE/OFF, AUTO, syslog (deprecated), or a path whose directory exists.
Result<LogfileValue> ParseLogfileName(const Host& host, std::string_view text) {
  const std::string lower = PyLower(text);
  if (lower == "none" || lower == "off") return LogfileValue{LogfileValue::Kind::kNone, {}};
  if (lower == "auto") return LogfileValue{LogfileValue::Kind::kAuto, {}};
  if (lower == "syslog") return LogfileValue{LogfileValue::Kind::kSyslog, {}};
  Result<std::string> path = ExistingDirPath(host, text);
  if (!path) return path.error();
  return LogfileValue{LogfileValue::Kind::kPath, *path};
}

class ProgramSectionBuilder {
 public:
  ProgramSectionBuilder(const IniDocument& doc, const std::string& section,
                        const std::string& group_name, ProgramKind kind, BuildState& state,
                        std::string program_name)
      : state_(state),
        host_(state.context.host),
        kind_(kind),
        section_(section),
        program_name_(std::move(program_name)),
        reader_(doc, section,
                Expansions{{"here", state.context.here},
                           {"program_name", program_name_},
                           {"host_node_name", host_.HostName()},
                           {"group_name", group_name}}) {
    for (const auto& [key, value] : state.environ_expansions) {
      reader_.expansions().insert_or_assign(key, value);
    }
    group_name_ = group_name;
  }

  // supervisord's processes_from_section(): its errors end in " in section 'program:x'
  // (file: '/etc/supervisord.conf')" in supervisord's words.
  Result<std::vector<ProgramSpec>> Build();

 private:
  Result<std::vector<ProgramSpec>> BuildProcesses();
  Result<void> ReadCommonOptions();
  Result<ProgramSpec> BuildProcess(int64_t process_num);
  Result<void> ReadLogOptions(std::string_view channel, LogSpec& log, bool& syslog_deprecated);

  BuildState& state_;
  const Host& host_;
  ProgramKind kind_;
  std::string section_;
  std::string program_name_;
  std::string group_name_;
  SectionReader reader_;

  ProgramSpec common_;  // options read once, before the per-process loop
  std::string environment_text_;
  std::string process_name_template_;
  int64_t numprocs_ = 1;
  int64_t numprocs_start_ = 0;
};

Result<void> ProgramSectionBuilder::ReadCommonOptions() {
  ProgramSpec& p = common_;
  p.kind = kind_;
  p.program = program_name_;
  p.group = group_name_;
  p.where = reader_.HeaderWhere();
  // An event listener pool defaults to priority -1, but its processes keep 999 (options.py).
  Result<int64_t> priority = reader_.Typed("priority", "999", ParseInteger);
  if (!priority) return priority.error();
  p.priority = *priority;
  Result<bool> autostart = reader_.Typed("autostart", "true", ParseBoolean);
  if (!autostart) return autostart.error();
  p.autostart = *autostart;
  Result<AutoRestart> autorestart = reader_.Typed("autorestart", "unexpected", ParseAutoRestart);
  if (!autorestart) return autorestart.error();
  p.restart.autorestart = *autorestart;
  Result<int64_t> startsecs = reader_.Typed("startsecs", "1", ParseInteger);
  if (!startsecs) return startsecs.error();
  p.restart.startsecs = Seconds(*startsecs);
  Result<int64_t> startretries = reader_.Typed("startretries", "3", ParseInteger);
  if (!startretries) return startretries.error();
  p.restart.startretries = *startretries;
  Result<int> stopsignal = reader_.Typed("stopsignal", "TERM", ParseSignal);
  if (!stopsignal) return stopsignal.error();
  p.stop.signal = *stopsignal;
  Result<int64_t> stopwaitsecs = reader_.Typed("stopwaitsecs", "10", ParseInteger);
  if (!stopwaitsecs) return stopwaitsecs.error();
  p.stop.timeout = Seconds(*stopwaitsecs);
  Result<bool> stopasgroup = reader_.Typed("stopasgroup", "false", ParseBoolean);
  if (!stopasgroup) return stopasgroup.error();
  p.stop.signal_group = *stopasgroup;
  Result<bool> killasgroup =
      reader_.Typed("killasgroup", *stopasgroup ? "true" : "false", ParseBoolean);
  if (!killasgroup) return killasgroup.error();
  p.stop.kill_group = *killasgroup;
  Result<std::vector<int>> exitcodes = reader_.Typed("exitcodes", "0", ParseExitCodes);
  if (!exitcodes) return exitcodes.error();
  p.restart.exitcodes = *exitcodes;
  Result<bool> redirect_stderr = reader_.Typed("redirect_stderr", "false", ParseBoolean);
  if (!redirect_stderr) return redirect_stderr.error();
  p.redirect_stderr = *redirect_stderr;
  Result<int64_t> numprocs = reader_.Typed("numprocs", "1", ParseInteger);
  if (!numprocs) return numprocs.error();
  numprocs_ = *numprocs;
  Result<int64_t> numprocs_start = reader_.Typed("numprocs_start", "0", ParseInteger);
  if (!numprocs_start) return numprocs_start.error();
  numprocs_start_ = *numprocs_start;
  environment_text_ = reader_.Raw("environment").value_or("");
  for (auto [channel, log] : {std::pair{"stdout", &p.stdout_log}, {"stderr", &p.stderr_log}}) {
    Result<int64_t> capture =
        reader_.Typed(fmt::format("{}_capture_maxbytes", channel), "0", ParseByteSize);
    if (!capture) return capture.error();
    log->capture_maxbytes = *capture;
    Result<bool> events =
        reader_.Typed(fmt::format("{}_events_enabled", channel), "false", ParseBoolean);
    if (!events) return events.error();
    log->events_enabled = *events;
  }
  Result<std::optional<std::string>> serverurl = reader_.Get("serverurl");
  if (!serverurl) return serverurl.error();
  // "AUTO" means the daemon's own URL; any other value, even "", is used as written (and ""
  // means SUPERVISOR_SERVER_URL is not set at all).
  if (*serverurl && PyUpper(PyStrip(**serverurl)) != "AUTO") p.serverurl = **serverurl;
  Result<std::optional<std::string>> user = reader_.Get("user");
  if (!user) return user.error();
  if (*user) {
    Result<UserSpec> spec = LookupUser(host_, **user);
    if (!spec) return reader_.KeyError("user", spec.error());
    p.user = *spec;
  }
  Result<std::optional<std::string>> umask = reader_.Get("umask");
  if (!umask) return umask.error();
  if (*umask) {
    Result<uint32_t> mode = ParseOctal(**umask);
    if (!mode) return reader_.KeyError("umask", mode.error());
    p.umask = *mode;
  }
  Result<std::string> process_name =
      ParseProcessOrGroupName(reader_.Raw("process_name").value_or("%(program_name)s"));
  if (!process_name) return reader_.KeyError("process_name", process_name.error());
  process_name_template_ = *process_name;
  if (numprocs_ > 1 && process_name_template_.find("%(process_num)") == std::string::npos) {
    return reader_.KeyError(
        "process_name",
        SupervisordError("%(process_num) must be present within process_name when numprocs > 1",
                         "for example process_name=%(program_name)s_%(process_num)02d"));
  }
  if (p.stop.signal_group && !p.stop.kill_group) {
    return reader_.KeyError(
        "killasgroup",
        SupervisordError("Cannot set stopasgroup=true and killasgroup=false",
                         "stopasgroup implies killasgroup; remove killasgroup=false"));
  }
  return Ok();
}

Result<void> ProgramSectionBuilder::ReadLogOptions(std::string_view channel, LogSpec& log,
                                                   bool& syslog_deprecated) {
  const std::string logfile_key = fmt::format("{}_logfile", channel);
  // supervisord expands this value twice: once when reading it, once more in the loop.
  LogfileValue logfile;
  if (reader_.Has(logfile_key)) {
    Result<std::optional<std::string>> once = reader_.Get(logfile_key);
    if (!once) return once.error();
    Result<std::string> twice = reader_.Expand(logfile_key, **once, logfile_key);
    if (!twice) return twice.error();
    Result<LogfileValue> parsed = ParseLogfileName(host_, *twice);
    if (!parsed) return reader_.KeyError(logfile_key, parsed.error());
    logfile = *parsed;
  }
  Result<int64_t> backups =
      reader_.Typed(fmt::format("{}_logfile_backups", channel), "10", ParseInteger);
  if (!backups) return backups.error();
  log.backups = *backups;
  Result<int64_t> maxbytes =
      reader_.Typed(fmt::format("{}_logfile_maxbytes", channel), "50MB", ParseByteSize);
  if (!maxbytes) return maxbytes.error();
  log.maxbytes = *maxbytes;
  const std::string syslog_key = fmt::format("{}_syslog", channel);
  Result<bool> syslog = reader_.Typed(syslog_key, "false", ParseBoolean);
  if (!syslog) return syslog.error();
  log.syslog = *syslog;
  switch (logfile.kind) {
    case LogfileValue::Kind::kNone:
      log.target = LogTarget::kNone;
      break;
    case LogfileValue::Kind::kAuto:
      log.target = LogTarget::kAuto;
      break;
    case LogfileValue::Kind::kPath:
      log.target = LogTarget::kFile;
      log.path = logfile.path;
      break;
    case LogfileValue::Kind::kSyslog:
      if (!syslog_deprecated) {
        state_.warnings.push_back(fmt::format(
            "For [{}], {}=syslog but this is deprecated and will be removed.  Use {}=true to "
            "enable syslog instead.",
            section_, logfile_key, syslog_key));
      }
      log.target = LogTarget::kNone;
      log.syslog = true;
      break;
  }
  if (logfile.kind == LogfileValue::Kind::kSyslog) syslog_deprecated = true;
  if (log.target == LogTarget::kAuto && log.maxbytes == 0) {
    state_.warnings.push_back(fmt::format(
        "For [{}], AUTO logging used for {} without rollover, set maxbytes > 0 to avoid "
        "filling up filesystem unintentionally",
        section_, logfile_key));
  }
  return Ok();
}

Result<ProgramSpec> ProgramSectionBuilder::BuildProcess(int64_t process_num) {
  ProgramSpec p = common_;
  p.process_num = process_num;
  p.numprocs = numprocs_;
  Expansions& expansions = reader_.expansions();
  expansions.insert_or_assign("process_num", process_num);
  expansions.insert_or_assign("numprocs", numprocs_);

  Result<std::string> environment_text =
      reader_.Expand("environment", environment_text_, "environment");
  if (!environment_text) return environment_text.error();
  Result<KeyValuePairs> environment = ParseKeyValuePairs(*environment_text);
  if (!environment) return reader_.KeyError("environment", environment.error());
  if (environment->mangled) {
    const SourceLocation where = reader_.Where("environment");
    state_.warnings.push_back(fmt::format(
        "{}:{}: [{}] environment: supervisord reads {} as {}; text outside KEY=value pairs "
        "separated by commas is dropped, so quote values that hold spaces or other "
        "punctuation (KEY=\"a b\")",
        where.file, where.line, section_, PyRepr(*environment_text), [&] {
          std::vector<std::string> shown;
          for (const auto& [k, v] : environment->pairs) shown.push_back(k + "=" + PyRepr(v));
          return "{" + Join(shown, ", ") + "}";
        }()));
  }
  p.environment = environment->pairs;
  for (const auto& [key, value] : p.environment) {
    expansions.insert_or_assign("ENV_" + key, value);
  }

  Result<std::optional<std::string>> directory = reader_.Get("directory");
  if (!directory) return directory.error();
  p.directory = *directory;

  bool syslog_deprecated = false;
  Result<void> stdout_log = ReadLogOptions("stdout", p.stdout_log, syslog_deprecated);
  if (!stdout_log) return stdout_log.error();
  Result<void> stderr_log = ReadLogOptions("stderr", p.stderr_log, syslog_deprecated);
  if (!stderr_log) return stderr_log.error();
  if (p.redirect_stderr) {
    if (p.stderr_log.target == LogTarget::kFile) {
      state_.warnings.push_back(fmt::format(
          "For [{}], redirect_stderr=true but stderr_logfile has also been set to a filename, "
          "the filename has been ignored",
          section_));
    }
    p.stderr_log.target = LogTarget::kNone;
    p.stderr_log.path.clear();
  }

  Result<std::optional<std::string>> command = reader_.Get("command");
  if (!command) return command.error();
  if (!*command) {
    return reader_.SectionError(
        SupervisordError(fmt::format("program section {} does not specify a command", section_),
                         "add command=/path/to/program args"));
  }
  p.command = **command;
  Result<std::vector<std::string>> argv = ShlexSplit(p.command);
  if (!argv) {
    p.argv_error =
        fmt::format("can't parse command {}: {}", PyRepr(p.command), argv.error().message);
  } else if (argv->empty()) {
    p.argv_error = "command is empty";
  } else {
    p.argv = *argv;
  }
  if (!p.argv_error.empty()) {
    const SourceLocation where = reader_.Where("command");
    state_.warnings.push_back(fmt::format(
        "{}:{}: [{}] command: {}; supervisord accepts the file and then fails every start",
        where.file, where.line, section_, p.argv_error));
  }

  Result<std::string> name = reader_.Expand("process_name", process_name_template_, "process_name");
  if (!name) return name.error();
  p.name = *name;
  return p;
}

Result<std::vector<ProgramSpec>> ProgramSectionBuilder::Build() {
  Result<std::vector<ProgramSpec>> processes = BuildProcesses();
  if (processes || processes.error().compat_message.empty()) return processes;
  Error error = std::move(processes).error();
  error.compat_message = fmt::format("{} in section {} (file: {})", error.compat_message,
                                     PyRepr(section_), PyRepr(reader_.HeaderWhere().file));
  return error;
}

Result<std::vector<ProgramSpec>> ProgramSectionBuilder::BuildProcesses() {
  if (Result<void> common = ReadCommonOptions(); !common) return common.error();
  std::vector<ProgramSpec> processes;
  for (int64_t n = numprocs_start_; n < numprocs_start_ + numprocs_; ++n) {
    Result<ProgramSpec> process = BuildProcess(n);
    if (!process) return process.error();
    processes.push_back(std::move(*process));
  }
  std::stable_sort(processes.begin(), processes.end(),
                   [](const ProgramSpec& a, const ProgramSpec& b) {
                     if (a.priority != b.priority) return a.priority < b.priority;
                     return a.name < b.name;
                   });
  return processes;
}

}  // namespace

Result<std::vector<ProgramSpec>> ProgramsFromSection(const IniDocument& doc,
                                                     const std::string& section,
                                                     const std::string& group_name,
                                                     ProgramKind kind, BuildState& state) {
  Result<std::string> program_name = ParseProcessOrGroupName(section.substr(section.find(':') + 1));
  if (!program_name) {
    SectionReader reader(doc, section, {});
    return reader.SectionError(program_name.error());
  }
  ProgramSectionBuilder builder(doc, section, group_name, kind, state, *program_name);
  return builder.Build();
}

}  // namespace vigil::config
