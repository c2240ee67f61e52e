#include "daemon/daemon.h"

#include <dirent.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>

#include "base/exit_codes.h"
#include "config/loader.h"
#include "config/supervisord_builder.h"
#include "daemon/event_log.h"
#include "os/process.h"

namespace vigil::daemon {
namespace {

std::string SignalLabel(int signo) { return config::SignalName(signo); }

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.starts_with("127.");
}

// A live process whose command is vigild, named by an existing pid file.
std::optional<pid_t> RunningVigild(const std::string& pidfile) {
  std::ifstream in(pidfile);
  pid_t pid = 0;
  if (!(in >> pid) || pid <= 0 || pid == ::getpid()) return std::nullopt;
  if (::kill(pid, 0) != 0 && errno != EPERM) return std::nullopt;
  std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  comm >> name;
  if (name != "vigild") return std::nullopt;
  return pid;
}

}  // namespace

Daemon::Daemon(const config::Host& host, std::string config_path, Options options,
               config::SupervisordConfig config)
    : host_(host),
      config_path_(std::move(config_path)),
      options_(std::move(options)),
      config_(std::move(config)) {}

Daemon::~Daemon() {
  // The HTTP side refers to the API, which refers to the access list and to this daemon;
  // programs' readers and watches refer to the loop: destroy them in that order, first.
  http_.reset();
  api_.reset();
  supervisor_.reset();
  outputs_.clear();
  events_.reset();
  spawner_.reset();
  signal_watch_.reset();
}

ProgramOutput* Daemon::OutputFor(const config::ProgramSpec& spec) {
  auto it = outputs_.find(config::Namespec(spec));
  return it == outputs_.end() ? nullptr : it->second.get();
}

void Daemon::CleanAutoLogs() {
  const config::SupervisordSection& s = config_.supervisord;
  if (s.nocleanup) return;
  DIR* dir = ::opendir(s.childlogdir.c_str());
  if (dir == nullptr) {
    log_->Warn("Could not clear childlog dir");
    return;
  }
  while (dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (!IsAutoLogName(name, s.identifier)) continue;
    const std::string path = s.childlogdir + "/" + name;
    if (::unlink(path.c_str()) != 0) log_->Warn(fmt::format("Failed to clean up '{}'", path));
  }
  ::closedir(dir);
}

Result<void> Daemon::CreateOutput(const config::ProgramSpec& process, bool listener) {
  OutputSettings settings{config_.supervisord.childlogdir, config_.supervisord.identifier,
                          config_.supervisord.strip_ansi,
                          [this](const std::string& path) { NotifyLog(path); }};
  Result<std::unique_ptr<ProgramOutput>> output =
      ProgramOutput::Create(process, settings, *loop_, *log_);
  if (!output) {
    return Error::Io(output.error().sys_errno,
                     fmt::format("{}: {}", config::Namespec(process), output.error().message));
  }
  const std::string namespec = config::Namespec(process);
  if (process.stdout_log.target == config::LogTarget::kAuto ||
      process.stderr_log.target == config::LogTarget::kAuto) {
    realized_auto_logs_[namespec] = {
        process.stdout_log.target == config::LogTarget::kAuto ? (*output)->stdout_path() : "",
        process.stderr_log.target == config::LogTarget::kAuto ? (*output)->stderr_path() : ""};
  }
  if (listener || process.stdout_log.events_enabled || process.stderr_log.events_enabled) {
    (*output)->SetTap([this, process](bool is_stderr, pid_t pid, std::string_view data) {
      events_->OnOutput(process, is_stderr, pid, data);
    });
  }
  outputs_[namespec] = std::move(*output);
  return Ok();
}

Result<void> Daemon::AddGroupFromSpec(const config::GroupSpec& group) {
  // Said each time such a group is added, so that no operator mistakes it for working.
  if (group.kind == config::GroupSpec::Kind::kFcgiGroup) {
    log_->Warn(fmt::format(
        "{}:{}: [fcgi-program:{}] runs as a plain program: vigild does not create its socket "
        "yet, so its processes get no listening socket on stdin",
        group.where.file, group.where.line, group.name));
  }
  const bool listeners = group.kind == config::GroupSpec::Kind::kEventListenerPool;
  for (const config::ProgramSpec& process : group.processes) {
    for (const config::LogSpec* log : {&process.stdout_log, &process.stderr_log}) {
      if (log->capture_maxbytes == 0) continue;
      log_->Warn(
          fmt::format("{}: {}_capture_maxbytes is set, but vigild does not implement capture mode "
                      "(PROCESS_COMMUNICATION events), ignoring",
                      config::Namespec(process), log == &process.stdout_log ? "stdout" : "stderr"));
    }
    if (Result<void> created = CreateOutput(process, listeners); !created) return created;
  }
  if (Result<void> added = supervisor_->AddGroup(group); !added) return added;
  events_->OnGroupAdded(group);
  return Ok();
}

Result<void> Daemon::LoadPrograms() {
  configured_groups_ = config_.groups;
  realized_auto_logs_.clear();
  for (const config::GroupSpec& group : config_.groups) {
    if (Result<void> added = AddGroupFromSpec(group); !added) return added;
  }
  return Ok();
}

Result<void> Daemon::StartServers() {
  access_ = std::make_unique<api::AccessControl>(config_.access, host_);
  api_ = std::make_unique<api::ApiServer>(
      *this, *access_, config_.servers,
      [this](config::LogLevel level, const std::string& message) { log_->Log(level, message); });
  Result<std::unique_ptr<api::HttpServer>> http = api::HttpServer::Create(*loop_, *api_);
  if (!http) return http.error();
  http_ = std::move(*http);
  for (size_t i = 0; i < config_.servers.size(); ++i) {
    const config::HttpServerSpec& server = config_.servers[i];
    if (!server.username) {
      // Anyone who can reach an unauthenticated TCP port controls every program: refused
      // beyond loopback, warned about on it.
      if (server.family == config::HttpServerSpec::Family::kInet && !IsLoopbackHost(server.host)) {
        return Error::FailedPrecondition(fmt::format(
            "[{}] listens on {}:{} without username and password; vigild refuses to offer "
            "unauthenticated control beyond loopback (set username= and password=, or "
            "port=127.0.0.1:{})",
            server.section, server.host.empty() ? "*" : server.host, server.port, server.port));
      }
      log_->Critical(fmt::format("Server '{}' running without any HTTP authentication checking",
                                 server.section));
    }
    Result<void> listening = server.family == config::HttpServerSpec::Family::kUnix
                                 ? http_->ListenUnix(server.file, static_cast<mode_t>(server.chmod),
                                                     server.chown_uid, server.chown_gid, i)
                                 : http_->ListenTcp(server.host, server.port, i);
    if (!listening) return listening;
  }
  return Ok();
}

Result<void> Daemon::Start() {
  const config::SupervisordSection& s = config_.supervisord;
  // Privileges first, as supervisord does, so that every file is created as the final user.
  std::string root_warning;
  if (s.user) {
    Result<config::UserSpec> user = config::LookupUser(host_, *s.user);
    if (!user) return user.error();
    if (::getuid() != 0 && ::getuid() != user->uid) {
      return Error::FailedPrecondition("Can't drop privilege as nonroot user");
    }
    if (Result<void> dropped = os::DropPrivileges(user->login, user->uid, user->gid); !dropped) {
      return dropped;
    }
  } else if (::getuid() == 0) {
    root_warning =
        "vigild is running as root.  Privileges were not dropped because no user is specified "
        "in the config file.  If you intend to run as root, you can set user=root in the "
        "config file to avoid this message.";
  }
  rlimit original_nofile{};
  ::getrlimit(RLIMIT_NOFILE, &original_nofile);
  if (Result<rlim_t> nofile = os::RaiseLimit(RLIMIT_NOFILE, static_cast<rlim_t>(s.minfds));
      !nofile) {
    return Error::FailedPrecondition(fmt::format(
        "The minimum number of file descriptors required to run this process is {} as per the "
        "\"minfds\" command-line argument or config file setting. The current environment will "
        "only allow you to open {} file descriptors ({}). Either raise the number of usable file "
        "descriptors in your environment or lower the minfds setting in the config file to "
        "allow the process to start.",
        s.minfds, original_nofile.rlim_max, nofile.error().message));
  }
  if (Result<rlim_t> nproc = os::RaiseLimit(RLIMIT_NPROC, static_cast<rlim_t>(s.minprocs));
      !nproc) {
    return Error::FailedPrecondition(fmt::format(
        "The minimum number of available processes required to run this program is {} as per "
        "the \"minprocs\" command-line argument or config file setting ({}).",
        s.minprocs, nproc.error().message));
  }
  // Children get max(their old soft limit, minfds); vigild itself takes all it may, since it
  // holds a few descriptors per program.
  rlimit raised{};
  ::getrlimit(RLIMIT_NOFILE, &raised);
  const rlim_t child_nofile = raised.rlim_cur;
  if (raised.rlim_cur < raised.rlim_max) {
    raised.rlim_cur = raised.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &raised);
  }

  if (std::optional<pid_t> other = RunningVigild(s.pidfile)) {
    return Error::AlreadyExists(
        fmt::format("another vigild (pid {}) is running with this configuration (pid file {})",
                    *other, s.pidfile));
  }

  Result<std::unique_ptr<logs::MainLog>> log =
      logs::MainLog::Open(logs::MainLogOptions{s.logfile, s.logfile_maxbytes, s.logfile_backups,
                                               s.loglevel, s.nodaemon && !s.silent},
                          clock_);
  if (!log) return log.error();
  log_ = std::move(*log);
  if (!root_warning.empty()) log_->Critical(root_warning);
  for (const std::string& info : config_.infos) log_->Info(info);
  for (const std::string& warning : config_.warnings) log_->Warn(warning);
  CleanAutoLogs();

  // Daemonize before the loop exists: an epoll registration of a signalfd stays bound to the
  // process that made it, so a forked child would never be woken by its own signals.
  if (!s.nodaemon) {
    if (Result<void> daemonized = os::Daemonize(s.directory, static_cast<mode_t>(s.umask));
        !daemonized) {
      return daemonized;
    }
  }

  Result<std::unique_ptr<loop::EventLoop>> loop = loop::EventLoop::Create();
  if (!loop) return loop.error();
  loop_ = std::move(*loop);
  Result<os::SignalFd> signals = os::SignalFd::Create(kHandledSignals);
  if (!signals) return signals.error();
  signals_ = std::move(*signals);
  Result<std::unique_ptr<loop::Watch>> watch =
      loop_->WatchFd(signals_->fd(), EPOLLIN, loop::Phase::kSignal, [this](uint32_t) {
        while (true) {
          Result<std::optional<int>> signo = signals_->Read();
          if (!signo || !*signo) return;
          OnSignal(**signo);
        }
      });
  if (!watch) return watch.error();
  signal_watch_ = std::move(*watch);

  if (Result<void> tracking = SetUpTracking(); !tracking) return tracking;
  SpawnerSettings settings;
  settings.base_environment = host_.Environment();
  settings.serverurl = config_.serverurl;
  settings.cgroups = cgroups_;
  settings.child_nofile_soft = child_nofile;
  settings.notify_socket = NotifySocketPath(s.pidfile, config::TempDir(host_));
  spawner_ = std::make_unique<RealSpawner>(
      *loop_, *log_, settings, [this](const config::ProgramSpec& spec) { return OutputFor(spec); });
  Result<std::unique_ptr<NotifyReceiver>> notify =
      NotifyReceiver::Create(settings.notify_socket, *loop_, *spawner_, *log_);
  if (!notify) {
    return Error::Io(notify.error().sys_errno,
                     fmt::format("cannot create the sd_notify socket {}: {}",
                                 settings.notify_socket, notify.error().message));
  }
  notify_ = std::move(*notify);
  events_ = std::make_unique<EventHub>(clock_, *log_, *spawner_, s.identifier, s.strip_ansi);
  spawner_->SetPidFileHandler(
      [this](const std::string& service) { supervisor_->OnPidFileChanged(service); });
  spawner_->SetExitHandler([this](core::ChildId id, const core::ExitStatus& status) {
    if (!supervisor_->OnChildExited(id, status)) {
      log_->Info(fmt::format("reaped unknown child ({})", status.Describe()));
    }
  });
  supervisor_ = std::make_unique<core::Supervisor>(clock_, *spawner_, *this);
  notify_->SetSupervisor(supervisor_.get());
  events_->SetSupervisor(supervisor_.get());
  if (Result<void> loaded = LoadPrograms(); !loaded) return loaded;
  log_->SetObserver([this] { NotifyLog(log_->path()); });
  if (Result<void> servers = StartServers(); !servers) return servers;

  // Not inherited across fork: only now, in the process that stays.
  if (Result<void> subreaper = os::BecomeChildSubreaper(); !subreaper) {
    log_->Warn(fmt::format("{}; orphaned descendants will not be reaped by vigild",
                           subreaper.error().message));
  }
  if (Result<void> written = os::WritePidFile(s.pidfile, ::getpid()); !written) {
    log_->Critical(
        fmt::format("could not write pidfile {}: {}", s.pidfile, written.error().message));
  } else {
    pidfile_written_ = true;
  }
  log_->Info(fmt::format("vigild started with pid {}", ::getpid()));

  loop_->SetPrepare([this] {
    std::optional<MonotonicTime> next = supervisor_->NextDeadline();
    std::optional<MonotonicTime> http = http_->NextDeadline(clock_);
    if (http && (!next || *http < *next)) next = http;
    if (drain_deadline_ && (!next || *drain_deadline_ < *next)) next = drain_deadline_;
    std::optional<MonotonicTime> api = api_->NextDeadline();
    if (api && (!next || *api < *next)) next = api;
    std::optional<MonotonicTime> tick = events_->NextDeadline();
    if (tick && (!next || *tick < *next)) next = tick;
    return next;
  });
  loop_->SetDeadlineHandler([this] {
    supervisor_->OnDeadline();
    http_->OnDeadline();
    events_->OnDeadline();
  });
  events_->OnSupervisorState(true);
  supervisor_->StartAutostart();
  return Ok();
}

void Daemon::OnProgramEvent(const core::ProgramEvent& event) {
  LogProgramEvent(*log_, event);
  events_->OnProgramEvent(event);
  if (event.kind == core::ProgramEvent::Kind::kServiceLog) RememberUnitMessage(event);
}

void Daemon::OnSignal(int signo) {
  switch (signo) {
    case SIGCHLD:
      spawner_->ReapExited();
      // A reaped orphan may have been the last process of a program that is stopping.
      supervisor_->CheckDrained();
      return;
    case SIGTERM:
    case SIGINT:
    case SIGQUIT:
      BeginShutdown(fmt::format("received {} indicating exit request", SignalLabel(signo)));
      return;
    case SIGHUP:
      if (mood_ == Mood::kShuttingDown) {
        log_->Warn("ignored SIGHUP: vigild is already shutting down");
        return;
      }
      log_->Warn("received SIGHUP indicating restart request");
      RequestReload();
      return;
    case SIGUSR2: {
      log_->Info("received SIGUSR2 indicating log reopen request");
      if (Result<void> r = log_->Reopen(); !r) log_->Error(r.error().message);
      for (auto& [name, output] : outputs_) {
        if (Result<void> r = output->Reopen(); !r) log_->Error(r.error().message);
      }
      return;
    }
    default:
      log_->Debug(fmt::format("ignored {}", SignalLabel(signo)));
  }
}

void Daemon::BeginShutdown(std::string_view why) {
  log_->Warn(std::string(why));
  if (mood_ == Mood::kRunning) events_->OnSupervisorState(false);
  mood_ = Mood::kShuttingDown;
  pending_config_.reset();
  supervisor_->BeginShutdown();
}

void Daemon::RequestReload() {
  // Unlike supervisord, a broken configuration is refused before anything is stopped.
  Result<config::SupervisordConfig> loaded = config::LoadSupervisordConfig(config_path_, host_);
  if (loaded) loaded = ApplyOverrides(options_, std::move(*loaded), host_);
  if (!loaded) {
    log_->Error(
        fmt::format("reload refused, the running configuration stays: {}", loaded.error().message));
    return;
  }
  pending_config_ = std::move(*loaded);
  if (mood_ == Mood::kRunning) events_->OnSupervisorState(false);
  mood_ = Mood::kReloading;
  supervisor_->BeginShutdown();
}

Result<void> Daemon::FinishReload() {
  config_ = std::move(*pending_config_);
  pending_config_.reset();
  supervisor_ = std::make_unique<core::Supervisor>(clock_, *spawner_, *this);
  notify_->SetSupervisor(supervisor_.get());
  events_->Reset();
  events_->SetSupervisor(supervisor_.get());
  outputs_.clear();
  access_->SetRules(config_.access);
  for (const std::string& info : config_.infos) log_->Info(info);
  for (const std::string& warning : config_.warnings) log_->Warn(warning);
  CleanAutoLogs();
  KillLeftovers();
  spawner_->PruneCgroups();
  if (Result<void> loaded = LoadPrograms(); !loaded) return loaded;
  mood_ = Mood::kRunning;
  log_->Info("configuration reloaded");
  events_->OnSupervisorState(true);
  supervisor_->StartAutostart();
  return Ok();
}

void Daemon::Cleanup() {
  if (http_) http_->CloseListeners();
  if (pidfile_written_) ::unlink(config_.supervisord.pidfile.c_str());
  notify_.reset();  // removes the socket file
  if (spawner_) {
    KillLeftovers();
    spawner_->PruneCgroups();
  }
  if (cgroups_) static_cast<void>(os::Cgroup(cgroups_->root()).Remove());
}

// The replies to the last requests (the "shutdown" that ended vigild, say) still go out: the
// listeners close, and the loop runs until every reply is sent or a second has passed.
void Daemon::FlushReplies() {
  http_->CloseListeners();
  drain_deadline_ = clock_.Now() + std::chrono::seconds(1);
  while (http_->busy() && clock_.Now() < *drain_deadline_) {
    if (!loop_->RunOnce()) break;
    api_->PollPending();
  }
  drain_deadline_.reset();
}

int Daemon::Run() {
  if (Result<void> started = Start(); !started) {
    const std::string message = started.error().message;
    if (log_) log_->Critical(message);
    std::fprintf(stderr, "Error: %s\n", message.c_str());
    Cleanup();
    return exit_code::kFailure;
  }
  while (true) {
    if (Result<void> once = loop_->RunOnce(); !once) {
      log_->Critical(fmt::format("event loop failed: {}", once.error().message));
      Cleanup();
      return exit_code::kFailure;
    }
    api_->PollPending();
    if (mood_ == Mood::kRunning || !supervisor_->IsShutDown()) continue;
    if (mood_ == Mood::kShuttingDown) {
      FlushReplies();
      break;
    }
    if (Result<void> reloaded = FinishReload(); !reloaded) {
      log_->Critical(fmt::format("reload failed: {}", reloaded.error().message));
      Cleanup();
      return exit_code::kFailure;
    }
  }
  log_->Info("vigild stopped every program; exiting");
  Cleanup();
  return exit_code::kOk;
}

}  // namespace vigil::daemon
