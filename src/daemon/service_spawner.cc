// RealSpawner's side for systemd services: starting Exec*= commands with systemd's execution
// environment (systemd.exec(5)), and the process tracking Type=forking and sd_notify need.

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <glob.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>

#include "config/exec_environment.h"
#include "config/unit_values.h"
#include "daemon/real_spawner.h"
#include "os/errors.h"
#include "os/pipe.h"
#include "os/proc_stat.h"
#include "os/process.h"
#include "os/small_file.h"

namespace vigil::daemon {
namespace {

// systemd's manager-defined PATH for system services.
constexpr std::string_view kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin";
// systemd's DefaultLimitNOFILE=1024:524288, for units that do not set LimitNOFILE=.
constexpr rlim_t kDefaultNofileSoft = 1024;
constexpr rlim_t kDefaultNofileHard = 524288;

std::string LimitValue(rlim_t value) {
  return value == RLIM_INFINITY ? "infinity" : std::to_string(value);
}

// Why a limit could not be set, in the words an operator needs: which setting, what was asked,
// what this host allows.
std::string DescribeLimitFailure(const os::ResourceLimit& limit, int err) {
  rlimit current{};
  ::getrlimit(limit.resource, &current);
  std::string message =
      fmt::format("couldn't set {}={}:{}: {}", config::RlimitKey(limit.resource),
                  LimitValue(limit.soft), LimitValue(limit.hard), os::ErrnoName(err));
  if (err == EPERM && limit.hard > current.rlim_max) {
    message += fmt::format(
        " (the hard limit here is {}; raising it needs CAP_SYS_RESOURCE, which vigild lacks)",
        LimitValue(current.rlim_max));
  } else if (err == EINVAL && limit.soft > limit.hard) {
    message += " (the soft limit is above the hard limit)";
  }
  return message;
}

const std::string* Lookup(const config::Environment& env, std::string_view key) {
  for (const auto& [k, v] : env) {
    if (k == key) return &v;
  }
  return nullptr;
}

bool IsLocaleVariable(std::string_view key) {
  return key == "LANG" || key == "LANGUAGE" || key.starts_with("LC_");
}

Result<UniqueFd> OpenOutputFile(const std::string& path, config::OutputFileMode mode) {
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY;
  if (mode == config::OutputFileMode::kAppend) flags |= O_APPEND;
  if (mode == config::OutputFileMode::kTruncate) flags |= O_TRUNC;
  UniqueFd fd(::open(path.c_str(), flags, 0666));
  if (!fd) return os::SysError("open " + path);
  return fd;
}

Result<UniqueFd> OpenDevNull(int flags) {
  UniqueFd fd(::open("/dev/null", flags | O_CLOEXEC | O_NOCTTY));
  if (!fd) return os::SysError("open /dev/null");
  return fd;
}

}  // namespace

Result<os::SpawnRequest> RealSpawner::ServiceRequest(const config::ProgramSpec& spec,
                                                     const core::CommandRequest& request,
                                                     std::string* failure) {
  const config::ServiceSpec& service = *spec.service;
  const config::ExecCommand& command = *request.command;
  os::SpawnRequest out;
  out.path = command.path;

  // Credentials: User=, Group=, SupplementaryGroups=, except for '+' and '!' commands.
  const bool switch_user = !command.full_privileges && !command.keep_credentials;
  config::Environment env;
  env.emplace_back("PATH", std::string(kDefaultPath));
  for (const auto& [key, value] : settings_.base_environment) {
    if (IsLocaleVariable(key)) config::SetVariable(env, key, value);
  }
  if (switch_user && (spec.user || service.group || !service.supplementary_groups.empty())) {
    os::Credentials credentials{::geteuid(), ::getegid(), {}};
    if (spec.user) {
      credentials.uid = spec.user->uid;
      credentials.gid = spec.user->gid;
    }
    if (service.group) credentials.gid = *service.group;
    if (spec.user) credentials.groups = os::GroupsOf(spec.user->login, credentials.gid);
    for (gid_t extra : service.supplementary_groups) {
      if (std::find(credentials.groups.begin(), credentials.groups.end(), extra) ==
          credentials.groups.end()) {
        credentials.groups.push_back(extra);
      }
    }
    if (::geteuid() != 0 && (credentials.uid != ::geteuid() || credentials.gid != ::getegid())) {
      *failure = fmt::format("couldn't switch to user {}: vigild is not running as root",
                             spec.user ? spec.user->name : std::to_string(credentials.uid));
      return Error::Spawn(EPERM, *failure);
    }
    out.credentials = std::move(credentials);
  }
  if (spec.user && switch_user) {
    config::SetVariable(env, "USER", spec.user->login);
    config::SetVariable(env, "LOGNAME", spec.user->login);
    if (const passwd* entry = ::getpwuid(spec.user->uid)) {
      config::SetVariable(env, "HOME", entry->pw_dir);
      config::SetVariable(env, "SHELL", entry->pw_shell);
    }
  }
  if (request.notify_socket && !settings_.notify_socket.empty()) {
    config::SetVariable(env, "NOTIFY_SOCKET", settings_.notify_socket);
  }
  for (const std::string& name : service.pass_environment) {
    if (const std::string* value = Lookup(settings_.base_environment, name)) {
      config::SetVariable(env, name, *value);
    }
  }
  for (const auto& [key, value] : spec.environment) config::SetVariable(env, key, value);
  // EnvironmentFile= is read now, just before exec, so ExecStartPre= may have written it.
  for (const config::EnvironmentFile& file : service.environment_files) {
    glob_t matches{};
    const int globbed = ::glob(file.path.c_str(), 0, nullptr, &matches);
    if (globbed != 0) {
      ::globfree(&matches);
      if (file.optional) continue;
      *failure =
          fmt::format("Failed to load environment files: {}: No such file or directory", file.path);
      return Error::NotFound(*failure);
    }
    for (size_t i = 0; i < matches.gl_pathc; ++i) {
      Result<std::string> text = os::ReadSmallFile(matches.gl_pathv[i], 16 * 1024 * 1024);
      if (!text) {
        if (file.optional) continue;
        *failure = fmt::format("Failed to load environment files: {}", text.error().message);
        ::globfree(&matches);
        return text.error();
      }
      std::vector<std::string> warnings;
      for (auto& [key, value] :
           config::ParseEnvironmentFile(*text, matches.gl_pathv[i], &warnings)) {
        config::SetVariable(env, key, std::move(value));
      }
      for (const std::string& warning : warnings) {
        main_log_.Warn(fmt::format("{}: {}", spec.name, warning));
      }
    }
    ::globfree(&matches);
  }
  for (const auto& [key, value] : request.environment) config::SetVariable(env, key, value);
  for (const std::string& unset : service.unset_environment) {
    const size_t equals = unset.find('=');
    std::erase_if(env, [&](const auto& entry) {
      if (equals == std::string::npos) return entry.first == unset;
      return entry.first == unset.substr(0, equals) && entry.second == unset.substr(equals + 1);
    });
  }

  out.argv = command.no_environment_expansion ? command.argv
                                              : config::ExpandExecArguments(command.argv, env);
  for (const auto& [key, value] : env) out.environment.push_back(key + "=" + value);
  if (request.watchdog_pid) {
    out.own_pid_variable = out.environment.size();
    out.environment.push_back("WATCHDOG_PID=");
  }

  // Working directory: WorkingDirectory=, "~" for the user's home, else "/" (systemd's
  // default for system services).
  if (service.working_directory_home && spec.user) {
    if (const passwd* entry = ::getpwuid(spec.user->uid)) out.directory = entry->pw_dir;
  } else if (spec.directory) {
    out.directory = spec.directory;
  } else {
    out.directory = "/";
  }
  out.directory_optional = service.working_directory_optional;
  out.umask = static_cast<mode_t>(spec.umask.value_or(022));
  out.nice = service.nice;
  out.oom_score_adjust = service.oom_score_adjust;
  out.ignore_sigpipe = service.ignore_sigpipe;

  bool nofile_set = false;
  for (const config::ResourceLimit& limit : service.limits) {
    out.limits.push_back(os::ResourceLimit{limit.resource, limit.soft, limit.hard});
    nofile_set = nofile_set || limit.resource == RLIMIT_NOFILE;
  }
  if (!nofile_set) {
    rlimit current{};
    ::getrlimit(RLIMIT_NOFILE, &current);
    const rlim_t hard = std::min(kDefaultNofileHard, current.rlim_max);
    out.limits.insert(out.limits.begin(),
                      os::ResourceLimit{RLIMIT_NOFILE, std::min(kDefaultNofileSoft, hard), hard});
  }
  out.parent_death_signal = settings_.parent_death_signal;
  return out;
}

core::CommandSpawn RealSpawner::SpawnCommand(const config::ProgramSpec& spec,
                                             const core::CommandRequest& request) {
  const std::string namespec = config::Namespec(spec);
  const config::ServiceSpec& service = *spec.service;
  core::CommandSpawn result;
  auto fail = [&](int code, std::string message) {
    result.failure_code = code;
    result.failure = std::move(message);
    if (ProgramOutput* output = outputs_(spec)) {
      output->WriteNotice(fmt::format("vigild: {}\n", result.failure));
    }
    return result;
  };

  // A User=, Group= or SupplementaryGroups= that does not exist (the loader says so in
  // argv_error): systemd fails such commands with 217/USER or 216/GROUP. '+' and '!' commands
  // do not switch credentials and run.
  const config::ExecCommand& command = *request.command;
  if (!spec.argv_error.empty() && !command.full_privileges && !command.keep_credentials) {
    return fail(spec.argv_error.starts_with("User=") ? 217 : 216, spec.argv_error);
  }
  std::string failure;
  Result<os::SpawnRequest> built = ServiceRequest(spec, request, &failure);
  if (!built) return fail(0, failure.empty() ? built.error().message : failure);
  os::SpawnRequest& spawn = *built;

  // stdin is /dev/null (StandardInput=null); stdout and stderr go to vigil's log for the
  // program through a pipe, to a file of their own, or to /dev/null.
  ProgramOutput* output = outputs_(spec);
  Result<UniqueFd> stdin_null = OpenDevNull(O_RDONLY);
  if (!stdin_null) return fail(0, stdin_null.error().message);
  spawn.stdin_fd = stdin_null->get();
  UniqueFd stdout_fd, stderr_fd, stdout_read, stderr_read;
  auto open_stream = [&](const config::LogSpec& log, config::OutputFileMode mode, UniqueFd& fd,
                         UniqueFd& read) -> Result<void> {
    if (log.target == config::LogTarget::kNone) {
      Result<UniqueFd> null = OpenDevNull(O_WRONLY);
      if (!null) return null.error();
      fd = std::move(*null);
      return Ok();
    }
    if (log.target == config::LogTarget::kFile && mode != config::OutputFileMode::kNone) {
      Result<UniqueFd> file = OpenOutputFile(log.path, mode);
      if (!file) return file.error();
      fd = std::move(*file);
      return Ok();
    }
    Result<os::Pipe> pipe = os::MakePipe(os::NonBlockingEnd::kRead);
    if (!pipe) return pipe.error();
    fd = std::move(pipe->write);
    read = std::move(pipe->read);
    return Ok();
  };
  if (Result<void> opened =
          open_stream(spec.stdout_log, service.stdout_file_mode, stdout_fd, stdout_read);
      !opened) {
    return fail(209, opened.error().message);
  }
  spawn.stdout_fd = stdout_fd.get();
  if (spec.redirect_stderr) {
    spawn.stderr_fd = stdout_fd.get();
  } else {
    if (Result<void> opened =
            open_stream(spec.stderr_log, service.stderr_file_mode, stderr_fd, stderr_read);
        !opened) {
      return fail(222, opened.error().message);
    }
    spawn.stderr_fd = stderr_fd.get();
  }

  Result<const os::Cgroup*> cgroup = CgroupFor(namespec);
  if (!cgroup) return fail(219, cgroup.error().message);
  UniqueFd cgroup_dir;
  if (*cgroup != nullptr) {
    Result<UniqueFd> opened = (*cgroup)->Open();
    if (!opened) return fail(219, opened.error().message);
    cgroup_dir = std::move(*opened);
    spawn.cgroup_fd = cgroup_dir.get();
  }

  os::SpawnFailure details;
  Result<os::SpawnedProcess> process = os::SpawnProcess(spawn, &details);
  if (!process) {
    if (process.error().code != ErrorCode::kSpawn) return fail(0, process.error().message);
    std::string message = process.error().message;
    if (details.step == os::SpawnStep::kLimits && details.limit_index < spawn.limits.size()) {
      message = DescribeLimitFailure(spawn.limits[details.limit_index], details.err);
    }
    return fail(os::SystemdExitCode(details.step), message);
  }
  const pid_t pid = process->pid;
  Result<core::SpawnedChild> tracked =
      Track(namespec, std::move(process->pidfd), UniqueFd(), output, false);
  if (!tracked) return fail(0, tracked.error().message);
  if (!settings_.cgroups) sessions_[spec.name].insert(pid);
  if (output && (stdout_read || stderr_read)) {
    Result<void> attached = output->Attach(std::move(stdout_read), std::move(stderr_read));
    if (!attached) {
      main_log_.Error(
          fmt::format("{}: cannot capture output: {}", namespec, attached.error().message));
    }
  }
  result.child = *tracked;
  return result;
}

std::vector<pid_t> RealSpawner::ServiceProcesses(const std::string& name) const {
  if (const os::Cgroup* cgroup = CgroupOf(name)) {
    Result<std::vector<pid_t>> pids = cgroup->Pids();
    return pids ? *pids : std::vector<pid_t>();
  }
  auto sessions = sessions_.find(name);
  if (sessions == sessions_.end()) return {};
  return os::ProcessesInSessions(sessions->second);
}

int RealSpawner::SignalService(const config::ProgramSpec& spec, int signo,
                               const std::vector<pid_t>& spared) {
  int signalled = 0;
  for (pid_t pid : ServiceProcesses(spec.name)) {
    if (std::find(spared.begin(), spared.end(), pid) != spared.end()) continue;
    if (::kill(pid, signo) != 0) continue;
    if (signo != SIGKILL && signo != SIGCONT) ::kill(pid, SIGCONT);
    ++signalled;
  }
  return signalled;
}

std::optional<bool> RealSpawner::ServicePopulated(const config::ProgramSpec& spec) {
  if (const os::Cgroup* cgroup = CgroupOf(spec.name)) return cgroup->Populated();
  if (settings_.cgroups) return false;  // never spawned: no cgroup, no process
  return !ServiceProcesses(spec.name).empty();
}

Result<core::PidFileContents> RealSpawner::ReadPidFile(const std::string& path) {
  struct stat link {};
  if (::lstat(path.c_str(), &link) != 0) return os::SysError("stat " + path);
  Result<std::string> text = os::ReadSmallFile(path, 4096);
  if (!text) {
    if (text.error().sys_errno == ENOENT) return Error::NotFound(text.error().message);
    return text.error();
  }
  struct stat target {};
  if (::stat(path.c_str(), &target) != 0) return os::SysError("stat " + path);
  core::PidFileContents contents;
  contents.owner = target.st_uid;
  // A symlink owned by an unprivileged user that points at someone else's file is the kind of
  // chain systemd calls unsafe.
  contents.unsafe_symlink =
      S_ISLNK(link.st_mode) && link.st_uid != 0 && link.st_uid != target.st_uid;
  std::string_view digits = *text;
  while (!digits.empty() && (digits.front() == ' ' || digits.front() == '\t')) {
    digits.remove_prefix(1);
  }
  const size_t end = digits.find_first_not_of("0123456789");
  std::string_view number = digits.substr(0, end);
  std::string_view rest = end == std::string_view::npos ? "" : digits.substr(end);
  const bool rest_blank = rest.find_first_not_of(" \t\r\n") == std::string_view::npos;
  auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), contents.pid);
  if (number.empty() || ec != std::errc() || !rest_blank || contents.pid <= 0) {
    return Error::InvalidArgument(fmt::format("{} does not hold a process ID", path));
  }
  return contents;
}

core::ProcessOwner RealSpawner::OwnerOf(const config::ProgramSpec& spec, pid_t pid) {
  if (pid == ::getpid()) return core::ProcessOwner::kManager;
  if (!os::ProcessAlive(pid)) return core::ProcessOwner::kGone;
  return ServiceOf(pid) == spec.name ? core::ProcessOwner::kService : core::ProcessOwner::kOther;
}

std::string RealSpawner::ServiceOf(pid_t pid) const {
  if (settings_.cgroups) {
    std::optional<std::string> path = os::ReadCgroupPath(pid);
    if (!path) return "";
    for (const auto& [name, cgroup] : cgroups_) {
      if (cgroup.RelativePath() == *path) return name;
    }
    return "";
  }
  std::optional<os::ProcStat> stat = os::ReadProcStat(pid);
  if (!stat) return "";
  for (const auto& [name, sessions] : sessions_) {
    if (sessions.count(stat->session)) return name;
  }
  return "";
}

std::optional<pid_t> RealSpawner::GuessMainPid(const config::ProgramSpec& spec) {
  std::optional<pid_t> found;
  const pid_t self = ::getpid();
  for (pid_t pid : ServiceProcesses(spec.name)) {
    if (by_pid_.count(pid)) continue;  // already tracked (a control process)
    std::optional<os::ProcStat> stat = os::ReadProcStat(pid);
    if (!stat || stat->ppid != self || stat->state == 'Z') continue;
    if (found) return std::nullopt;  // more than one: systemd refuses to guess
    found = pid;
  }
  return found;
}

Result<core::SpawnedChild> RealSpawner::Adopt(const config::ProgramSpec& spec, pid_t pid) {
  if (auto known = by_pid_.find(pid); known != by_pid_.end()) {
    return core::SpawnedChild{known->second, pid};
  }
  Result<os::PidFd> pidfd = os::PidFd::Open(pid);
  if (!pidfd) return Error::NotFound(pidfd.error().message);
  return Track(config::Namespec(spec), std::move(*pidfd), UniqueFd(), nullptr, true);
}

void RealSpawner::Forget(core::ChildId child) {
  auto it = children_.find(child);
  if (it == children_.end()) return;
  by_pid_.erase(it->second.pidfd.pid());
  children_.erase(it);
}

void RealSpawner::WatchPidFile(const config::ProgramSpec& spec, const std::string& path, bool on) {
  const std::string& name = spec.name;
  if (auto existing = pid_file_watch_of_.find(name); existing != pid_file_watch_of_.end()) {
    std::set<std::string>& names = pid_file_watchers_[existing->second];
    names.erase(name);
    if (names.empty()) {
      inotify_->Unwatch(existing->second);
      pid_file_watchers_.erase(existing->second);
    }
    pid_file_watch_of_.erase(existing);
  }
  if (!on) return;
  if (!inotify_) {
    Result<os::Inotify> created = os::Inotify::Create();
    if (!created) {
      main_log_.Warn(
          fmt::format("{}: cannot watch for {}: {}", name, path, created.error().message));
      return;
    }
    inotify_ = std::move(*created);
    Result<std::unique_ptr<loop::Watch>> watch = loop_.WatchFd(
        inotify_->fd(), EPOLLIN, loop::Phase::kIo, [this](uint32_t) { OnPidFileEvents(); });
    if (!watch) {
      main_log_.Warn(fmt::format("{}: cannot watch for {}: {}", name, path, watch.error().message));
      inotify_.reset();
      return;
    }
    inotify_watch_ = std::move(*watch);
  }
  const size_t slash = path.rfind('/');
  const std::string directory = slash == 0 ? "/" : path.substr(0, slash);
  Result<int> watch = inotify_->WatchDirectory(directory);
  if (!watch) {
    main_log_.Warn(fmt::format("{}: cannot watch {} for its PID file: {}", name, directory,
                               watch.error().message));
    return;
  }
  pid_file_watchers_[*watch].insert(name);
  pid_file_watch_of_[name] = *watch;
}

void RealSpawner::OnPidFileEvents() {
  std::set<std::string> changed;
  for (int watch : inotify_->ReadEvents()) {
    auto it = pid_file_watchers_.find(watch);
    if (it != pid_file_watchers_.end()) changed.insert(it->second.begin(), it->second.end());
  }
  for (const std::string& name : changed) {
    if (on_pid_file_) on_pid_file_(name);
  }
}

}  // namespace vigil::daemon
