#include "os/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <grp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>

#include "base/unique_fd.h"
#include "os/errors.h"

namespace vigil::os {
namespace {

// The kernel's struct sigaction for rt_sigaction(2) on x86-64 and aarch64: handler, flags,
// restorer, then a 64-bit mask. All zero means SIG_DFL with an empty mask.
struct KernelSigaction {
  void* handler;
  unsigned long flags;
  void* restorer;
  uint64_t mask;
};
constexpr int kLastSignal = 64;

// clone3()'s argument (linux/sched.h's struct clone_args up to `cgroup`, Linux 5.7), spelled
// out here because that header clashes with glibc's <sched.h>.
struct CloneArgs {
  uint64_t flags;
  uint64_t pidfd;
  uint64_t child_tid;
  uint64_t parent_tid;
  uint64_t exit_signal;
  uint64_t stack;
  uint64_t stack_size;
  uint64_t tls;
  uint64_t set_tid;
  uint64_t set_tid_size;
  uint64_t cgroup;
};
constexpr uint64_t kCloneIntoCgroup = 0x200000000ULL;

struct ChildFailure {
  int step;
  int err;
  int limit_index;
};

std::vector<char*> CStrings(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (const std::string& s : strings) pointers.push_back(const_cast<char*>(s.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

// In the child: report the failing step to the parent and exit like supervisord's child does.
[[noreturn]] void Fail(int report_fd, SpawnStep step, int limit_index = 0) {
  ChildFailure failure{static_cast<int>(step), errno, limit_index};
  // Nothing useful can be done if this write fails: the parent then sees exit status 127.
  [[maybe_unused]] ssize_t n = ::write(report_fd, &failure, sizeof failure);
  ::_exit(127);
}

// In the child: fills the room after the '=' of `entry` with the decimal pid, without any
// library call that might allocate.
void WriteOwnPid(char* entry) {
  char* value = entry;
  while (*value != '=' && *value != '\0') ++value;
  if (*value != '=') return;
  ++value;
  char digits[24];
  int count = 0;
  for (unsigned long pid = static_cast<unsigned long>(::getpid()); pid > 0 || count == 0;
       pid /= 10) {
    digits[count++] = static_cast<char>('0' + pid % 10);
  }
  while (count > 0) *value++ = digits[--count];
  *value = '\0';
}

// In the child: moves `fd` above the stdio range so the dup2s below cannot clobber it.
int LiftAboveStdio(int fd) {
  if (fd < 0 || fd > 2) return fd;
  return ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

// In the child, after fork: only async-signal-safe calls from here on.
// `join_fd`: the cgroup.procs to join first, when the child was not created in its cgroup.
[[noreturn]] void RunChild(const SpawnRequest& r, char* const* argv, char* const* envp,
                           const gid_t* groups, size_t group_count, pid_t parent, int report_fd,
                           int join_fd, const char* oom_text, size_t oom_text_length) {
  if (join_fd >= 0 && ::write(join_fd, "0", 1) != 1) Fail(report_fd, SpawnStep::kCgroup);
  if (::setsid() < 0) Fail(report_fd, SpawnStep::kSession);
  const int in = LiftAboveStdio(r.stdin_fd);
  const int out = LiftAboveStdio(r.stdout_fd);
  const int err = LiftAboveStdio(r.stderr_fd);
  if ((in >= 0 && ::dup2(in, 0) < 0) || (out >= 0 && ::dup2(out, 1) < 0) ||
      (err >= 0 && ::dup2(err, 2) < 0)) {
    Fail(report_fd, SpawnStep::kStdio);
  }
  if (r.directory && ::chdir(r.directory->c_str()) != 0 && !r.directory_optional) {
    Fail(report_fd, SpawnStep::kDirectory);
  }
  if (r.umask) ::umask(*r.umask);
  if (r.nice && ::setpriority(PRIO_PROCESS, 0, *r.nice) != 0) Fail(report_fd, SpawnStep::kNice);
  if (r.oom_score_adjust) {
    // The value was formatted before fork; here only open and write.
    const int fd = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd < 0 || ::write(fd, oom_text, oom_text_length) < 0) {
      Fail(report_fd, SpawnStep::kOomAdjust);
    }
    ::close(fd);
  }
  for (size_t i = 0; i < r.limits.size(); ++i) {
    rlimit value{r.limits[i].soft, r.limits[i].hard};
    if (::setrlimit(r.limits[i].resource, &value) != 0) {
      Fail(report_fd, SpawnStep::kLimits, static_cast<int>(i));
    }
  }
  if (r.credentials) {
    if (::setgroups(group_count, groups) != 0) Fail(report_fd, SpawnStep::kGroups);
    if (::setgid(r.credentials->gid) != 0) Fail(report_fd, SpawnStep::kGid);
    if (::setuid(r.credentials->uid) != 0) Fail(report_fd, SpawnStep::kUid);
  }
  // After the credentials: changing them clears the parent-death signal.
  if (r.parent_death_signal != 0) {
    if (::prctl(PR_SET_PDEATHSIG, r.parent_death_signal) != 0) {
      Fail(report_fd, SpawnStep::kParentDeath);
    }
    // vigild may have died between fork and prctl; then nobody would send the signal.
    if (::getppid() != parent) ::_exit(127);
  }
  // The raw system call, because glibc's sigaction() refuses the two real-time signals it
  // keeps for itself (32 and 33), and an ignored disposition of those survives exec too.
  KernelSigaction default_action{};
  for (int signo = 1; signo <= kLastSignal; ++signo) {
    if (signo == SIGKILL || signo == SIGSTOP) continue;
    ::syscall(SYS_rt_sigaction, signo, &default_action, nullptr, sizeof(uint64_t));
  }
  if (r.ignore_sigpipe) ::signal(SIGPIPE, SIG_IGN);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (r.own_pid_variable) WriteOwnPid(envp[*r.own_pid_variable]);
  // Every inherited descriptor but stdio and the report pipe (CLOEXEC: closed by exec).
  if (report_fd > 3) ::close_range(3, static_cast<unsigned>(report_fd) - 1, 0);
  ::close_range(static_cast<unsigned>(report_fd) + 1, ~0U, 0);
  ::execve(r.path.c_str(), argv, envp);
  Fail(report_fd, SpawnStep::kExec);
}

// fork(), or with a cgroup clone3() straight into it: moving a running process into a cgroup
// takes the kernel's cgroup_threadgroup_rwsem for writing, which waits for an RCU grace period
// (about 15 ms per restart on the test machine, bench/results.md). Where clone3 cannot (a kernel
// before 5.7, a cgroup that refuses), `join_fd` gets the cgroup's cgroup.procs for the child to
// join after a plain fork, which reports the real error if it fails too.
pid_t ForkInto(int cgroup_fd, UniqueFd& join_fd) {
  if (cgroup_fd < 0) return ::fork();
  CloneArgs args{};
  args.flags = kCloneIntoCgroup;
  args.exit_signal = SIGCHLD;
  args.cgroup = static_cast<uint64_t>(cgroup_fd);
  const long pid = ::syscall(SYS_clone3, &args, sizeof args);
  if (pid >= 0) return static_cast<pid_t>(pid);
  const int fd = ::openat(cgroup_fd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  join_fd = UniqueFd(fd);
  return ::fork();
}

}  // namespace

std::string DescribeSpawnFailure(SpawnStep step, int err, const SpawnRequest& request) {
  const std::string code = ErrnoName(err);
  switch (step) {
    case SpawnStep::kCgroup:
      return fmt::format("couldn't join the program's cgroup: {}", code);
    case SpawnStep::kSession:
      return fmt::format("couldn't start a new session: {}", code);
    case SpawnStep::kStdio:
      return fmt::format("couldn't set up stdin/stdout/stderr: {}", code);
    case SpawnStep::kDirectory:
      return fmt::format("couldn't chdir to {}: {}", request.directory.value_or(""), code);
    case SpawnStep::kUmask:
      return fmt::format("couldn't set the umask: {}", code);
    case SpawnStep::kLimits:
      return fmt::format("couldn't set resource limits: {}", code);
    case SpawnStep::kGroups:
      return fmt::format("couldn't set supplementary groups: {}", code);
    case SpawnStep::kGid:
      return fmt::format("couldn't setgid to {}: {}",
                         request.credentials ? request.credentials->gid : 0, code);
    case SpawnStep::kUid:
      return fmt::format("couldn't setuid to {}: {}",
                         request.credentials ? request.credentials->uid : 0, code);
    case SpawnStep::kParentDeath:
      return fmt::format("couldn't set the parent-death signal: {}", code);
    case SpawnStep::kExec:
      return fmt::format("couldn't exec {}: {}",
                         request.argv.empty() ? request.path : request.argv[0], code);
    case SpawnStep::kNice:
      return fmt::format("couldn't set the nice level to {}: {}", request.nice.value_or(0), code);
    case SpawnStep::kOomAdjust:
      return fmt::format("couldn't set the OOM score adjustment to {}: {}",
                         request.oom_score_adjust.value_or(0), code);
  }
  return fmt::format("couldn't start: {}", code);
}

int SystemdExitCode(SpawnStep step) {
  switch (step) {
    case SpawnStep::kDirectory:
      return 200;  // CHDIR
    case SpawnStep::kNice:
      return 201;  // NICE
    case SpawnStep::kExec:
      return 203;  // EXEC
    case SpawnStep::kLimits:
      return 205;  // LIMITS
    case SpawnStep::kOomAdjust:
      return 206;  // OOM_ADJUST
    case SpawnStep::kStdio:
      return 209;  // STDOUT
    case SpawnStep::kGroups:
    case SpawnStep::kGid:
      return 216;  // GROUP
    case SpawnStep::kUid:
      return 217;  // USER
    case SpawnStep::kCgroup:
      return 219;  // CGROUP
    case SpawnStep::kSession:
      return 220;  // SETSID
    case SpawnStep::kUmask:
    case SpawnStep::kParentDeath:
      return 207;  // SIGNAL_MASK: closest of systemd's codes
  }
  return 203;
}

Result<SpawnedProcess> SpawnProcess(const SpawnRequest& request, SpawnFailure* details) {
  std::vector<char*> argv = CStrings(request.argv);
  // The child may fill in its own pid in one entry: give it a private, writable copy.
  std::vector<std::string> environment = request.environment;
  if (request.own_pid_variable && *request.own_pid_variable < environment.size()) {
    environment[*request.own_pid_variable].append(24, '\0');
  }
  std::vector<char*> envp = CStrings(environment);
  const std::string oom_text =
      request.oom_score_adjust ? std::to_string(*request.oom_score_adjust) : std::string();
  const std::vector<gid_t> groups =
      request.credentials ? request.credentials->groups : std::vector<gid_t>();
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) return SysError("pipe2");
  UniqueFd report_read(report[0]);
  UniqueFd report_write(report[1]);
  const pid_t parent = ::getpid();

  UniqueFd join;
  const pid_t pid = ForkInto(request.cgroup_fd, join);
  if (pid < 0 && request.cgroup_fd >= 0 && !join) {
    const int err = errno;
    if (details != nullptr) *details = SpawnFailure{SpawnStep::kCgroup, err, 0};
    return Error::Spawn(err, DescribeSpawnFailure(SpawnStep::kCgroup, err, request));
  }
  if (pid < 0) return SysError("fork");
  if (pid == 0) {
    RunChild(request, argv.data(), envp.data(), groups.data(), groups.size(), parent,
             report_write.get(), join.get(), oom_text.c_str(), oom_text.size());
  }
  join.Reset();
  report_write.Reset();
  // Take the pidfd before anything can reap the child, so it names exactly this process.
  Result<PidFd> pidfd = PidFd::Open(pid);

  ChildFailure failure{};
  ssize_t n;
  do {
    n = ::read(report_read.get(), &failure, sizeof failure);
  } while (n < 0 && errno == EINTR);
  if (n == 0) {
    if (!pidfd) {
      // Without a pidfd vigild cannot watch the child: end it rather than lose track of it.
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      return pidfd.error();
    }
    return SpawnedProcess{pid, std::move(*pidfd)};
  }
  // The child reported a failure and is exiting with 127: reap it here.
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (n != sizeof failure) return Error::Spawn(EIO, "child process was not spawned");
  const auto step = static_cast<SpawnStep>(failure.step);
  if (details != nullptr) {
    *details = SpawnFailure{step, failure.err, static_cast<size_t>(failure.limit_index)};
  }
  return Error::Spawn(failure.err, DescribeSpawnFailure(step, failure.err, request));
}

}  // namespace vigil::os
