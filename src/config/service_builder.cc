#include "config/service_builder.h"

#include <errno.h>
#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "config/service_draft.h"
#include "config/shlex.h"
#include "config/unit_keys.h"
#include "config/unit_syntax.h"
#include "config/unit_values.h"

namespace vigil::config {
namespace {

constexpr std::string_view kServiceSections[] = {"Unit", "Service", "Install"};

// systemd's fixed search path for bare executable names (not $PATH).
constexpr std::string_view kExecSearchPath[] = {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
                                                "/usr/bin",        "/sbin",          "/bin"};

bool IsDecimal(std::string_view s) {
  return !s.empty() && s.size() <= 10 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

class ServiceBuilder {
 public:
  ServiceBuilder(const ServiceUnitSources& sources, const SpecifierContext& specifiers,
                 const Host& host)
      : sources_(sources), specifiers_(specifiers), host_(host) {}

  Result<BuiltService> Build();

 private:
  Result<void> ApplyFile(const UnitSourceFile& file, bool is_dropin);
  Result<void> Verify();
  void ResolveExecutables();
  void MapCredentials(ProgramSpec& program);
  void MapDirectory(ProgramSpec& program);
  void MapOutput(ProgramSpec& program);
  SourceLocation UnitWhere() const;
  Error UnitError(const SourceLocation& where, std::string_view message) const;
  void Warn(const SourceLocation& where, std::string_view message);

  const ServiceUnitSources& sources_;
  const SpecifierContext& specifiers_;
  const Host& host_;
  ServiceDraft draft_;
  std::vector<std::string> warnings_;
};

SourceLocation ServiceBuilder::UnitWhere() const {
  if (sources_.fragment) return SourceLocation{sources_.fragment->path, 1};
  if (!sources_.dropins.empty()) return SourceLocation{sources_.dropins.front().path, 1};
  return SourceLocation{sources_.name.Full(), 1};
}

Error ServiceBuilder::UnitError(const SourceLocation& where, std::string_view message) const {
  return Error::InvalidArgument(fmt::format("{}:{}: {}", where.file, where.line, message));
}

void ServiceBuilder::Warn(const SourceLocation& where, std::string_view message) {
  warnings_.push_back(fmt::format("{}:{}: {}", where.file, where.line, message));
}

// systemd refuses a unit for an error in its fragment, but an error in a drop-in only ends that
// drop-in (systemd 252 ignores config_parse()'s result for drop-ins); vigil does the same.
Result<void> ServiceBuilder::ApplyFile(const UnitSourceFile& file, bool is_dropin) {
  auto fatal = [&](Error error) -> Result<void> {
    if (!is_dropin) return error;
    warnings_.push_back(error.message +
                        "; systemd skips the rest of this drop-in and so does vigil");
    return Ok();
  };
  for (const UnitLine& line : ParseUnitText(file.text, file.path, kServiceSections)) {
    switch (line.kind) {
      case UnitLine::Kind::kWarning:
        warnings_.push_back(line.message);
        break;
      case UnitLine::Kind::kFatal:
        return fatal(Error::InvalidArgument(line.message));
      case UnitLine::Kind::kAssignment: {
        SettingContext context{line.where, line.key, specifiers_, warnings_};
        if (Result<void> applied = ApplyUnitSetting(draft_, context, line.section, line.value);
            !applied) {
          return fatal(std::move(applied).error());
        }
        break;
      }
    }
  }
  return Ok();
}

// service_verify() and the type defaults before it (service.c), in systemd's order.
Result<void> ServiceBuilder::Verify() {
  ServiceSpec& spec = draft_.spec;
  const bool type_set = draft_.type_where.line != 0;
  if (!type_set) {
    if (!draft_.bus_name.empty()) {
      spec.type = ServiceType::kDbus;
    } else {
      spec.type = spec.exec_start.empty() ? ServiceType::kOneshot : ServiceType::kSimple;
    }
  }
  const bool oneshot = spec.type == ServiceType::kOneshot;
  if (oneshot && !draft_.start_timeout_defined) spec.timeout_start.reset();

  const SourceLocation unit = UnitWhere();
  const SourceLocation type_where = type_set ? draft_.type_where : unit;
  if (spec.exec_start.empty() && spec.exec_stop.empty() && !draft_.has_success_action) {
    return UnitError(unit,
                     "Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing. (add "
                     "ExecStart=/path/to/program in [Service])");
  }
  if (!oneshot && spec.exec_start.empty()) {
    return UnitError(type_where,
                     "Service has no ExecStart= setting, which is only allowed for Type=oneshot "
                     "services. Refusing. (add ExecStart=, or set Type=oneshot)");
  }
  if (!spec.remain_after_exit && spec.exec_start.empty() && !draft_.has_success_action) {
    return UnitError(unit,
                     "Service has no ExecStart= and no SuccessAction= settings and does not have "
                     "RemainAfterExit=yes set. Refusing. (add ExecStart=, or RemainAfterExit=yes)");
  }
  if (!oneshot && spec.exec_start.size() > 1) {
    return UnitError(spec.exec_start[1].where,
                     "Service has more than one ExecStart= setting, which is only allowed for "
                     "Type=oneshot services. Refusing. (keep one ExecStart=, move the others to "
                     "ExecStartPre=/ExecStartPost=, or set Type=oneshot)");
  }
  if (oneshot &&
      (spec.restart == RestartSetting::kAlways || spec.restart == RestartSetting::kOnSuccess)) {
    return UnitError(draft_.restart_where,
                     "Service has Restart= set to either always or on-success, which isn't "
                     "allowed for Type=oneshot services. Refusing. (use Restart=on-failure, or "
                     "another Type=)");
  }
  if (oneshot && !spec.restart_force_exit_status.empty()) {
    return UnitError(type_where,
                     "Service has RestartForceExitStatus= set, which isn't allowed for "
                     "Type=oneshot services. Refusing. (remove RestartForceExitStatus=)");
  }
  if (oneshot && draft_.exit_type_cgroup) {
    return UnitError(type_where,
                     "Service has ExitType=cgroup set, which isn't allowed for Type=oneshot "
                     "services. Refusing. (remove ExitType=cgroup)");
  }
  if (spec.type == ServiceType::kDbus && draft_.bus_name.empty()) {
    return UnitError(type_where,
                     "Service is of type D-Bus but no D-Bus service name has been specified. "
                     "Refusing. (vigil has no D-Bus anyway: use Type=simple)");
  }
  if (!draft_.pam_name.empty() && spec.kill_mode != KillMode::kControlGroup &&
      spec.kill_mode != KillMode::kMixed) {
    return UnitError(unit,
                     "Service has PAM enabled. Kill mode must be set to 'control-group' or "
                     "'mixed'. Refusing.");
  }
  if (spec.runtime_max && oneshot) {
    Warn(unit, "RuntimeMaxSec= has no effect in combination with Type=oneshot. Ignoring.");
  }
  if (spec.type == ServiceType::kDbus) {
    Warn(type_where,
         "Type=dbus: vigil has no D-Bus and cannot see the bus name being taken; the service is "
         "run as Type=simple");
    spec.type = ServiceType::kSimple;
  }
  if (spec.restart_steps > 0 && !spec.restart_max_delay) {
    Warn(unit, "Service has RestartSteps= but no RestartMaxDelaySec=. Ignoring.");
  } else if (spec.restart_steps == 0 && spec.restart_max_delay) {
    Warn(unit, "Service has RestartMaxDelaySec= but no RestartSteps=. Ignoring.");
  }
  return Ok();
}

// Bare names are looked up in systemd's fixed path; every command that is not allowed to fail
// ('-') is checked. A missing program does not stop the unit from loading (systemd fails the
// start with 203/EXEC); it is a warning. systemd-analyze verify checks only the first command of
// each kind, with the words kept here; vigil checks the others too and says so.
void ServiceBuilder::ResolveExecutables() {
  ServiceSpec& spec = draft_.spec;
  for (std::vector<ExecCommand>* list :
       {&spec.exec_condition, &spec.exec_start_pre, &spec.exec_start, &spec.exec_start_post,
        &spec.exec_reload, &spec.exec_stop, &spec.exec_stop_post}) {
    for (size_t i = 0; i < list->size(); ++i) {
      ExecCommand& command = (*list)[i];
      Result<void> status = Ok();
      if (command.path.starts_with('/')) {
        status = host_.CheckExecutable(command.path);
      } else {
        status = Error::Io(ENOENT, "No such file or directory");
        for (std::string_view dir : kExecSearchPath) {
          std::string candidate = fmt::format("{}/{}", dir, command.path);
          if (host_.CheckExecutable(candidate)) {
            command.path = candidate;
            status = Ok();
            break;
          }
        }
      }
      if (status || command.ignore_failure) continue;
      std::string message =
          fmt::format("Command {} is not executable: {}", command.path, status.error().message);
      if (command.path.find('$') != std::string::npos) {
        message +=
            " (the executable itself is never taken from a variable; vigil, like systemd, "
            "runs it literally)";
      } else if (i > 0) {
        message += " (systemd-analyze verify checks only the first; vigil checks all)";
      }
      Warn(command.where, message);
    }
  }
}

void ServiceBuilder::MapCredentials(ProgramSpec& program) {
  ServiceSpec& spec = draft_.spec;
  std::vector<std::string> problems;
  if (!draft_.user.empty()) {
    std::optional<UserRecord> record =
        IsDecimal(draft_.user) ? host_.UserById(static_cast<uid_t>(std::stoull(draft_.user)))
                               : host_.UserByName(draft_.user);
    if (record) {
      program.user = UserSpec{draft_.user, record->name, record->uid, record->gid};
    } else {
      problems.push_back(
          fmt::format("User={} does not exist (status 217/USER, as with systemd)", draft_.user));
      Warn(draft_.user_where,
           fmt::format("User={} does not exist in the password database; vigil fails every "
                       "start of the unit with status 217/USER, as systemd does",
                       draft_.user));
    }
  }
  auto find_group = [&](const std::string& name) {
    return IsDecimal(name) ? host_.GroupById(static_cast<gid_t>(std::stoull(name)))
                           : host_.GroupByName(name);
  };
  if (!spec.group_name.empty()) {
    if (std::optional<GroupRecord> group = find_group(spec.group_name)) {
      spec.group = group->gid;
    } else {
      problems.push_back(fmt::format("Group={} does not exist (status 216/GROUP, as with systemd)",
                                     spec.group_name));
      Warn(draft_.group_where,
           fmt::format("Group={} does not exist in the group database; vigil fails every start "
                       "of the unit with status 216/GROUP, as systemd does",
                       spec.group_name));
    }
  }
  for (const std::string& name : draft_.supplementary_group_names) {
    if (std::optional<GroupRecord> group = find_group(name)) {
      if (std::find(spec.supplementary_groups.begin(), spec.supplementary_groups.end(),
                    group->gid) == spec.supplementary_groups.end()) {
        spec.supplementary_groups.push_back(group->gid);
      }
    } else {
      problems.push_back(fmt::format(
          "SupplementaryGroups= names {}, which does not exist (status 216/GROUP, as with "
          "systemd)",
          name));
      Warn(draft_.supplementary_groups_where,
           fmt::format("SupplementaryGroups= names {}, which is not in the group database; vigil "
                       "fails every start of the unit with status 216/GROUP, as systemd does",
                       name));
    }
  }
  // The core already refuses to spawn a program whose argv_error is set.
  if (!problems.empty()) program.argv_error = Join(problems, "; ");
}

void ServiceBuilder::MapDirectory(ProgramSpec& program) {
  if (!draft_.working_directory) return;
  if (*draft_.working_directory != "~") {
    program.directory = *draft_.working_directory;
    return;
  }
  draft_.spec.working_directory_home = true;
  if (program.user) {
    if (std::optional<UserRecord> record = host_.UserById(program.user->uid)) {
      program.directory = record->home;
    }
  } else if (draft_.user.empty()) {
    program.directory = specifiers_.user_home;  // the manager's own user
  }
}

void ServiceBuilder::MapOutput(ProgramSpec& program) {
  auto map = [&](const OutputSetting& setting, LogSpec& log, OutputFileMode& mode,
                 std::string_view key) {
    switch (setting.kind) {
      case OutputKind::kJournal:
        log.target = LogTarget::kAuto;
        return;
      case OutputKind::kNull:
      case OutputKind::kInherit:  // stdout: stdin's /dev/null (stderr=inherit is handled below)
        log.target = LogTarget::kNone;
        return;
      case OutputKind::kFile:
      case OutputKind::kAppend:
      case OutputKind::kTruncate:
        if (setting.path.empty()) break;
        log.target = LogTarget::kFile;
        log.path = setting.path;
        log.maxbytes = 0;  // systemd never rotates these files
        log.backups = 0;
        mode = setting.kind == OutputKind::kFile     ? OutputFileMode::kFile
               : setting.kind == OutputKind::kAppend ? OutputFileMode::kAppend
                                                     : OutputFileMode::kTruncate;
        return;
      case OutputKind::kKmsg:
      case OutputKind::kJournalConsole:
      case OutputKind::kKmsgConsole:
      case OutputKind::kTty:
      case OutputKind::kSocket:
      case OutputKind::kNamedFd:
        break;
    }
    log.target = LogTarget::kAuto;
    Warn(setting.where,
         fmt::format("{}= of this kind is not supported by vigil, ignoring: the output goes to "
                     "vigil's log of the unit, as for journal",
                     key));
  };
  ServiceSpec& spec = draft_.spec;
  map(draft_.standard_output, program.stdout_log, spec.stdout_file_mode, "StandardOutput");
  if (draft_.standard_error.kind == OutputKind::kInherit) {
    program.redirect_stderr = true;
  } else {
    map(draft_.standard_error, program.stderr_log, spec.stderr_file_mode, "StandardError");
  }
}

Result<BuiltService> ServiceBuilder::Build() {
  ServiceSpec& spec = draft_.spec;
  spec.unit_name = sources_.name.Full();
  if (sources_.fragment) {
    spec.fragment_path = sources_.fragment->path;
    if (Result<void> applied = ApplyFile(*sources_.fragment, false); !applied) {
      return applied.error();
    }
  }
  for (const UnitSourceFile& dropin : sources_.dropins) {
    spec.dropin_paths.push_back(dropin.path);
    if (Result<void> applied = ApplyFile(dropin, true); !applied) return applied.error();
  }
  if (Result<void> verified = Verify(); !verified) return verified.error();
  ResolveExecutables();

  ProgramSpec program;
  program.dialect = Dialect::kSystemd;
  program.kind = ProgramKind::kProgram;
  program.name = program.group = program.program = spec.unit_name;
  program.priority = 999;
  program.autostart = false;
  if (!spec.exec_start.empty()) {
    program.argv = spec.exec_start.front().argv;
    std::vector<std::string> quoted;
    for (const std::string& arg : program.argv) quoted.push_back(ShlexQuote(arg));
    program.command = Join(quoted, " ");
  }
  program.umask = draft_.umask;
  program.environment = draft_.environment;
  program.stop.signal = spec.kill_signal;
  program.stop.timeout = spec.timeout_stop.value_or(Duration::max());
  program.stop.signal_group = spec.kill_mode == KillMode::kControlGroup;
  program.stop.kill_group =
      spec.kill_mode == KillMode::kControlGroup || spec.kill_mode == KillMode::kMixed;
  program.where = UnitWhere();
  MapCredentials(program);
  MapDirectory(program);
  MapOutput(program);
  program.service = std::move(draft_.spec);
  return BuiltService{std::move(program), std::move(warnings_)};
}

}  // namespace

Result<BuiltService> BuildServiceUnit(const ServiceUnitSources& sources,
                                      const SpecifierContext& specifiers, const Host& host) {
  return ServiceBuilder(sources, specifiers, host).Build();
}

}  // namespace vigil::config
