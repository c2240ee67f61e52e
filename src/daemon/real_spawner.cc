#include "daemon/real_spawner.h"

#include <errno.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "os/command.h"
#include "os/pipe.h"
#include "os/process.h"
#include "os/spawn.h"

namespace vigil::daemon {
namespace {

const std::string* FindVariable(const config::Environment& env, std::string_view key) {
  for (const auto& [k, v] : env) {
    if (k == key) return &v;
  }
  return nullptr;
}

}  // namespace

RealSpawner::RealSpawner(loop::EventLoop& loop, logs::MainLog& main_log, SpawnerSettings settings,
                         OutputLookup outputs)
    : loop_(loop),
      main_log_(main_log),
      settings_(std::move(settings)),
      outputs_(std::move(outputs)) {}

RealSpawner::~RealSpawner() = default;

Result<std::vector<std::string>> RealSpawner::Environment(const config::ProgramSpec& spec) const {
  // supervisord: its own environment, then SUPERVISOR_*, then the program's (which wins).
  config::Environment env = settings_.base_environment;
  config::SetVariable(env, "SUPERVISOR_ENABLED", "1");
  const std::optional<std::string> url = spec.serverurl ? spec.serverurl : settings_.serverurl;
  if (url && !url->empty()) config::SetVariable(env, "SUPERVISOR_SERVER_URL", *url);
  config::SetVariable(env, "SUPERVISOR_PROCESS_NAME", spec.name);
  config::SetVariable(env, "SUPERVISOR_GROUP_NAME", spec.group);
  for (const auto& [key, value] : spec.environment) config::SetVariable(env, key, value);
  std::vector<std::string> flat;
  flat.reserve(env.size());
  for (const auto& [key, value] : env) flat.push_back(key + "=" + value);
  return flat;
}

Result<const os::Cgroup*> RealSpawner::CgroupFor(const std::string& namespec) {
  if (!settings_.cgroups) return static_cast<const os::Cgroup*>(nullptr);
  auto it = cgroups_.find(namespec);
  if (it == cgroups_.end()) {
    Result<os::Cgroup> created = settings_.cgroups->Create(namespec);
    if (!created) return created.error();
    it = cgroups_.emplace(namespec, std::move(*created)).first;
  }
  return &it->second;
}

const os::Cgroup* RealSpawner::CgroupOf(const std::string& namespec) const {
  auto it = cgroups_.find(namespec);
  return it == cgroups_.end() ? nullptr : &it->second;
}

Result<std::string> RealSpawner::ResolveFor(const config::ProgramSpec& spec) const {
  // PATH comes from the program's environment, else vigild's, else supervisord's default.
  const std::string* path_variable = FindVariable(spec.environment, "PATH");
  if (path_variable == nullptr) path_variable = FindVariable(settings_.base_environment, "PATH");
  return os::ResolveCommand(spec.argv.at(0), os::SearchPath(path_variable));
}

Result<void> RealSpawner::CheckCommand(const config::ProgramSpec& spec) {
  Result<std::string> filename = ResolveFor(spec);
  if (!filename) return filename.error();
  return Ok();
}

Result<core::SpawnedChild> RealSpawner::Spawn(const config::ProgramSpec& spec) {
  const std::string namespec = config::Namespec(spec);
  ProgramOutput* output = outputs_(spec);

  os::SpawnRequest request;
  if (spec.user) {
    if (::geteuid() != 0 && ::geteuid() != spec.user->uid) {
      return Error::Spawn(EPERM, fmt::format("couldn't setuid to {}: Can't drop privilege as "
                                             "nonroot user",
                                             spec.user->uid));
    }
    if (::geteuid() != spec.user->uid || ::getegid() != spec.user->gid) {
      request.credentials = os::Credentials{spec.user->uid, spec.user->gid,
                                            os::GroupsOf(spec.user->login, spec.user->gid)};
    }
  }
  Result<std::string> filename = ResolveFor(spec);
  if (!filename) return filename.error();
  request.path = *filename;
  request.argv = spec.argv;
  Result<std::vector<std::string>> env = Environment(spec);
  if (!env) return env.error();
  request.environment = std::move(*env);
  request.directory = spec.directory;
  if (spec.umask) request.umask = static_cast<mode_t>(*spec.umask);
  if (settings_.child_nofile_soft > 0) {
    rlimit current{};
    ::getrlimit(RLIMIT_NOFILE, &current);
    request.limits.push_back(
        os::ResourceLimit{RLIMIT_NOFILE, settings_.child_nofile_soft, current.rlim_max});
  }
  request.parent_death_signal = settings_.parent_death_signal;

  Result<os::Pipe> in = os::MakePipe(os::NonBlockingEnd::kWrite);
  if (!in) return in.error();
  Result<os::Pipe> out = os::MakePipe(os::NonBlockingEnd::kRead);
  if (!out) return out.error();
  std::optional<os::Pipe> err;
  if (!spec.redirect_stderr) {
    Result<os::Pipe> made = os::MakePipe(os::NonBlockingEnd::kRead);
    if (!made) return made.error();
    err = std::move(*made);
  }
  request.stdin_fd = in->read.get();
  request.stdout_fd = out->write.get();
  request.stderr_fd = err ? err->write.get() : out->write.get();

  Result<const os::Cgroup*> cgroup = CgroupFor(namespec);
  if (!cgroup) return cgroup.error();
  UniqueFd cgroup_dir;
  if (*cgroup != nullptr) {
    Result<UniqueFd> opened = (*cgroup)->Open();
    if (!opened) return opened.error();
    cgroup_dir = std::move(*opened);
    request.cgroup_fd = cgroup_dir.get();
  }

  Result<os::SpawnedProcess> process = os::SpawnProcess(request);
  if (!process) {
    // As supervisord's child writes it to the program's log.
    if (output) {
      output->WriteNotice(fmt::format("vigild: {}\nvigild: child process was not spawned\n",
                                      process.error().message));
    }
    return process.error();
  }
  const pid_t pid = process->pidfd.pid();
  Result<core::SpawnedChild> tracked =
      Track(namespec, std::move(process->pidfd), std::move(in->write), output, false);
  if (!tracked) return tracked.error();
  if (output) {
    Result<void> attached =
        output->Attach(std::move(out->read), err ? std::move(err->read) : UniqueFd(), pid);
    if (!attached) {
      main_log_.Error(
          fmt::format("{}: cannot capture output: {}", namespec, attached.error().message));
    }
  }
  return tracked;
}

Result<core::SpawnedChild> RealSpawner::Track(const std::string& namespec, os::PidFd pidfd,
                                              UniqueFd stdin, ProgramOutput* output, bool adopted) {
  const core::ChildId id{next_id_++};
  const pid_t pid = pidfd.pid();
  Child child{id, namespec, std::move(pidfd), nullptr, std::move(stdin),
              {}, nullptr,  output,           adopted};
  Result<std::unique_ptr<loop::Watch>> watch = loop_.WatchFd(
      child.pidfd.fd(), EPOLLIN, loop::Phase::kChildExit, [this, id](uint32_t) { HandleExit(id); });
  if (!watch) {
    // Without a watch the exit could go unnoticed: better not to have started it.
    if (!adopted) {
      static_cast<void>(child.pidfd.SendSignal(SIGKILL));
      ::waitpid(pid, nullptr, 0);
    }
    return watch.error();
  }
  child.watch = std::move(*watch);
  by_pid_[pid] = id;
  children_.emplace(id, std::move(child));
  return core::SpawnedChild{id, pid};
}

Result<void> RealSpawner::Signal(core::ChildId id, int signo, bool to_group) {
  auto it = children_.find(id);
  if (it == children_.end()) return Ok();  // already gone; its exit is being reported
  Child& child = it->second;
  if (!to_group) return child.pidfd.SendSignal(signo);
  if (const os::Cgroup* cgroup = CgroupOf(child.namespec)) {
    return signo == SIGKILL ? cgroup->KillAll() : cgroup->SignalAll(signo);
  }
  // Process-group mode: the child is a session and process group leader; while it is unreaped
  // its pid (and so the group id) cannot be reused.
  if (::kill(-child.pidfd.pid(), signo) != 0 && errno != ESRCH) {
    return Error::Io(
        errno, fmt::format("kill -{} -{}: {}", signo, child.pidfd.pid(), std::strerror(errno)));
  }
  return Ok();
}

Result<void> RealSpawner::WriteStdin(core::ChildId id, std::string_view data) {
  auto it = children_.find(id);
  if (it == children_.end() || !it->second.stdin_write) {
    return Error::NotFound("the process's stdin is closed");
  }
  it->second.stdin_pending.append(data);
  FlushStdin(id);
  auto again = children_.find(id);
  if (again == children_.end() || !again->second.stdin_write) {
    return Error::NotFound("the process's stdin is closed");
  }
  return Ok();
}

void RealSpawner::FlushStdin(core::ChildId id) {
  auto it = children_.find(id);
  if (it == children_.end()) return;
  Child& child = it->second;
  while (!child.stdin_pending.empty()) {
    ssize_t n =
        ::write(child.stdin_write.get(), child.stdin_pending.data(), child.stdin_pending.size());
    if (n > 0) {
      child.stdin_pending.erase(0, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      if (!child.stdin_watch) {
        Result<std::unique_ptr<loop::Watch>> watch =
            loop_.WatchFd(child.stdin_write.get(), EPOLLOUT, loop::Phase::kIo,
                          [this, id](uint32_t) { FlushStdin(id); });
        if (watch) child.stdin_watch = std::move(*watch);
      }
      return;
    }
    // EPIPE or another error: the child no longer reads its stdin.
    child.stdin_watch.reset();
    child.stdin_write.Reset();
    child.stdin_pending.clear();
    return;
  }
  child.stdin_watch.reset();
}

void RealSpawner::HandleExit(core::ChildId id) {
  auto it = children_.find(id);
  if (it == children_.end()) return;
  Result<std::optional<int>> status = it->second.pidfd.TryReap();
  if (!status && it->second.adopted && status.error().sys_errno == ECHILD) {
    // A main process vigild adopted without being its parent (MAINPID= of a grandchild): it
    // has exited (its pidfd is readable) but only its parent can learn how.
    main_log_.Warn(
        fmt::format("{}: main process {} exited; its exit status is unknown (it is "
                    "not vigild's child)",
                    it->second.namespec, it->second.pidfd.pid()));
    by_pid_.erase(it->second.pidfd.pid());
    children_.erase(it);
    if (on_exit_) on_exit_(id, core::ExitStatus::Exited(0));
    return;
  }
  if (!status) {
    main_log_.Critical(
        fmt::format("cannot reap {}: {}", it->second.namespec, status.error().message));
    return;
  }
  if (!*status) return;  // not exited yet (a spurious wake-up)
  // The last output first, so it is in the log before anything reacts to the exit.
  if (it->second.output) it->second.output->Drain();
  by_pid_.erase(it->second.pidfd.pid());
  children_.erase(it);  // before the handler, which may spawn the next child
  if (on_exit_) on_exit_(id, core::ExitStatus::FromWaitStatus(**status));
}

void RealSpawner::ReapExited() {
  while (std::optional<pid_t> pid = os::PeekExitedChild()) {
    if (auto known = by_pid_.find(*pid); known != by_pid_.end()) {
      const size_t before = children_.size();
      HandleExit(known->second);
      if (children_.size() == before && by_pid_.contains(*pid)) break;  // could not reap it
      continue;
    }
    Result<int> status = os::ReapPid(*pid);
    if (!status) break;
    main_log_.Info(fmt::format("reaped unknown pid {} ({})", *pid,
                               core::ExitStatus::FromWaitStatus(*status).Describe()));
  }
}

bool RealSpawner::HasLeftovers(const config::ProgramSpec& spec) {
  const os::Cgroup* cgroup = CgroupOf(config::Namespec(spec));
  return cgroup != nullptr && cgroup->Populated();
}

Result<void> RealSpawner::SignalLeftovers(const config::ProgramSpec& spec, int signo) {
  const os::Cgroup* cgroup = CgroupOf(config::Namespec(spec));
  if (cgroup == nullptr) return Ok();
  return signo == SIGKILL ? cgroup->KillAll() : cgroup->SignalAll(signo);
}

void RealSpawner::RemoveCgroups(const std::vector<std::string>& namespecs) {
  for (const std::string& namespec : namespecs) {
    auto it = cgroups_.find(namespec);
    if (it != cgroups_.end() && !it->second.Populated() && it->second.Remove()) cgroups_.erase(it);
  }
}

std::vector<RealSpawner::Leftovers> RealSpawner::KillLeftovers() {
  std::vector<Leftovers> killed;
  for (const auto& [name, cgroup] : cgroups_) {
    if (!cgroup.Populated()) continue;
    Result<std::vector<pid_t>> pids = cgroup.Pids();
    killed.push_back({cgroup.path(), pids ? pids->size() : 0});
    static_cast<void>(cgroup.KillAll());  // a failure shows up as a cgroup that stays busy
  }
  return killed;
}

void RealSpawner::PruneCgroups() {
  // cgroup.kill is asynchronous: give killed processes a moment to leave.
  for (int i = 0; i < 100; ++i) {
    bool busy = false;
    for (const auto& [name, cgroup] : cgroups_) busy = busy || cgroup.Populated();
    if (!busy) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (auto it = cgroups_.begin(); it != cgroups_.end();) {
    if (!it->second.Populated() && it->second.Remove()) {
      it = cgroups_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace vigil::daemon
