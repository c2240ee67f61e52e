// vigil-test-child: a scripted child process for vigil's integration tests.
//
// Usage: vigil-test-child [OPTION]...
//
// Every option is checked before anything runs; then the options run one after another in the
// order given, so a test can script a sequence ("print, sleep, crash"). When the options run out
// the program exits 0. Standard output and standard error are written with write(2) only, so
// nothing is ever buffered and a kill at any point loses no output that was "printed".
//
// Output
//   --print=TEXT          Write TEXT and "\n" to stdout in one write(2).
//   --eprint=TEXT         The same on stderr.
//   --lines=N             Write "line 1\n" ... "line N\n" to stdout, one write(2) per line.
//   --bytes=N             Write exactly N bytes to stdout: byte k (0-based within this option) is
//                         '\n' when k % 64 == 63 and 'a' + k % 26 otherwise. Written in chunks of
//                         up to 64 KiB, retrying after EINTR and partial writes.
//
// Time
//   --sleep=SECONDS       Sleep; fractions are allowed ("0.2"). Signals with a handler do not
//                         shorten the sleep.
//   --sleep=forever       pause(2) until a signal ends the process.
//   --wait-file=PATH      Poll every 10 ms, with no upper limit, until PATH exists.
//
// Exit and signals
//   --exit=N              _exit(N) at once (0 <= N <= 255).
//   --crash               Die by SIGSEGV: default disposition, unblocked, then raise it. The soft
//                         core limit is set to 0 first so tests do not litter core files.
//   --kill-self=SIG       kill(getpid(), SIG) with a signal number; the program goes on if SIG
//                         is ignored, handled or non-fatal.
//   --ignore=SIG          Set signal number SIG to SIG_IGN. --ignore-term is --ignore=15.
//   --on-term-exit=N      On SIGTERM write "got SIGTERM\n" to stdout and _exit(N).
//
// Processes
//   --fork-grandchild     Fork a child that stays in this process group, resets every signal to
//                         its default action, writes "grandchild <pid>\n" to stdout and sleeps
//                         forever. This process goes on only after that line is written.
//   --setsid-grandchild   The same, but the child calls setsid() first and writes
//                         "setsid-grandchild <pid>\n".
//   --daemonize=PIDFILE   Classic double fork. The child calls setsid() and forks again; the
//                         grandchild (the daemon) writes its pid and "\n" to PIDFILE (atomically),
//                         writes "daemon <pid>\n" to stderr and then runs the REMAINING options
//                         itself. The intermediate child exits 0 once the pid file is written,
//                         and this process reaps it, skips the remaining options and exits 0.
//                         So when this process has exited, PIDFILE exists. The daemon keeps the
//                         inherited stdio and working directory.
//
// Files (each dump is written to PATH.tmp and renamed to PATH, so PATH is complete once it exists)
//   --write-pidfile=PATH  Own pid and "\n".
//   --dump-env=PATH       The environment, one VAR=VALUE per line.
//   --dump-fds=PATH       The open file descriptors, one number per line in ascending order, as
//                         listed in /proc/self/fd before PATH is opened (the directory's own fd
//                         is left out).
//   --dump-limits=PATH    A copy of /proc/self/limits.
//   --dump-ids=PATH       One line: "uid=<ruid> euid=<euid> gid=<rgid> egid=<egid>
//                         groups=<g1,g2,...> pgid=<pgid> sid=<sid> ppid=<ppid> umask=<0022>
//                         cwd=<cwd>" (umask in octal with 4 digits; groups may be empty).
//   --read-stdin=PATH     Everything read from stdin up to EOF.
//   --touch=PATH          Create or truncate PATH as an empty file (a "reached here" marker).
//
// sd_notify (through libsystemd's sd_notify(3), a real client of the protocol)
//   --notify=MESSAGE      sd_notify(0, MESSAGE), with "\n" in MESSAGE standing for a newline
//                         ("READY=1\nSTATUS=up"). Fails unless the message was sent.
//   --watchdog=N          N times: sleep half of the watchdog interval (sd_watchdog_enabled),
//                         then send WATCHDOG=1. Fails when no watchdog is enabled for this pid.
//
// Exit status: 0 when the options run out, N for --exit=N, 2 for an unknown option or a bad
// value ("vigil-test-child: unknown option <opt>" on stderr, before any option runs), 3 when an
// option fails at run time (a message naming the failed call and errno is written to stderr).

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <climits>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

extern char** environ;

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitFailure = 3;
constexpr std::size_t kBytesChunk = std::size_t{64} * 1024;
constexpr std::chrono::milliseconds kWaitFilePollInterval{10};

enum class Action {
  Print,
  Eprint,
  Lines,
  Bytes,
  Sleep,
  SleepForever,
  Exit,
  Crash,
  KillSelf,
  Ignore,
  OnTermExit,
  ForkGrandchild,
  SetsidGrandchild,
  Daemonize,
  WritePidfile,
  DumpEnv,
  DumpFds,
  DumpLimits,
  DumpIds,
  Touch,
  WaitFile,
  ReadStdin,
  Notify,
  Watchdog,
};

// What the value after '=' must be.
enum class ValueKind { None, Text, Count, Seconds, Status, Signal };

struct OptionSpec {
  std::string_view name;
  Action action;
  ValueKind kind;
};

constexpr OptionSpec kOptions[] = {
    {"print", Action::Print, ValueKind::Text},
    {"eprint", Action::Eprint, ValueKind::Text},
    {"lines", Action::Lines, ValueKind::Count},
    {"bytes", Action::Bytes, ValueKind::Count},
    {"sleep", Action::Sleep, ValueKind::Seconds},
    {"exit", Action::Exit, ValueKind::Status},
    {"crash", Action::Crash, ValueKind::None},
    {"kill-self", Action::KillSelf, ValueKind::Signal},
    {"ignore-term", Action::Ignore, ValueKind::None},
    {"ignore", Action::Ignore, ValueKind::Signal},
    {"on-term-exit", Action::OnTermExit, ValueKind::Status},
    {"fork-grandchild", Action::ForkGrandchild, ValueKind::None},
    {"setsid-grandchild", Action::SetsidGrandchild, ValueKind::None},
    {"daemonize", Action::Daemonize, ValueKind::Text},
    {"write-pidfile", Action::WritePidfile, ValueKind::Text},
    {"dump-env", Action::DumpEnv, ValueKind::Text},
    {"dump-fds", Action::DumpFds, ValueKind::Text},
    {"dump-limits", Action::DumpLimits, ValueKind::Text},
    {"dump-ids", Action::DumpIds, ValueKind::Text},
    {"touch", Action::Touch, ValueKind::Text},
    {"wait-file", Action::WaitFile, ValueKind::Text},
    {"read-stdin", Action::ReadStdin, ValueKind::Text},
    {"notify", Action::Notify, ValueKind::Text},
    {"watchdog", Action::Watchdog, ValueKind::Count},
};

// One parsed option. Only the field that matches the option's ValueKind is meaningful.
struct Step {
  Action action;
  std::string text;
  std::uint64_t number = 0;
  std::chrono::duration<double> seconds{0};
};

// Whether the caller goes on with the next step or exits 0 (the original process of
// --daemonize).
enum class Flow { Continue, ExitSuccess };

// The exit status for --on-term-exit. A signal handler can only reach file-scope state.
volatile std::sig_atomic_t term_exit_status = 0;

// ---------------------------------------------------------------------------------------------
// sd_notify.

void Notify(const std::string& text) {
  std::string message;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == 'n') {
      message += '\n';
      ++i;
    } else {
      message += text[i];
    }
  }
  const int sent = sd_notify(0, message.c_str());
  if (sent <= 0) {
    const std::string why = sent == 0 ? "NOTIFY_SOCKET is not set" : std::strerror(-sent);
    const std::string line = "vigil-test-child: sd_notify " + text + ": " + why + "\n";
    [[maybe_unused]] ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
    _exit(kExitFailure);
  }
}

void FeedWatchdog(std::uint64_t times) {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) {
    const std::string line = "vigil-test-child: no watchdog is enabled for this process\n";
    [[maybe_unused]] ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
    _exit(kExitFailure);
  }
  for (std::uint64_t i = 0; i < times; ++i) {
    timespec half{static_cast<time_t>(usec / 2 / 1000000),
                  static_cast<long>(usec / 2 % 1000000 * 1000)};
    while (nanosleep(&half, &half) != 0 && errno == EINTR) {
    }
    if (sd_notify(0, "WATCHDOG=1") <= 0) {
      const std::string line = "vigil-test-child: sd_notify WATCHDOG=1 failed\n";
      [[maybe_unused]] ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
      _exit(kExitFailure);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Low-level I/O helpers. Any failure ends the process with kExitFailure.

[[noreturn]] void Fail(std::string_view what) {
  std::string message = "vigil-test-child: ";
  message.append(what).append(": ").append(std::strerror(errno)).append("\n");
  // Best effort: stderr may be the thing that failed.
  [[maybe_unused]] ssize_t ignored = write(STDERR_FILENO, message.data(), message.size());
  _exit(kExitFailure);
}

// write(2) until everything is out; EINTR and short writes are normal on pipes.
void WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t written = write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      Fail("write");
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
}

std::string ReadAll(int fd, std::string_view what) {
  std::string data;
  char buffer[kBytesChunk];
  for (;;) {
    ssize_t got = read(fd, buffer, sizeof buffer);
    if (got == 0) {
      return data;
    }
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      Fail(what);
    }
    data.append(buffer, static_cast<std::size_t>(got));
  }
}

std::string ReadFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    Fail("open " + path);
  }
  std::string data = ReadAll(fd, "read " + path);
  close(fd);
  return data;
}

// Writes to PATH.tmp and renames it, so a test polling for PATH never sees half a file.
void WriteFileAtomically(const std::string& path, std::string_view data) {
  std::string tmp_path = path + ".tmp";
  int fd = open(tmp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    Fail("open " + tmp_path);
  }
  WriteAll(fd, data);
  if (close(fd) != 0) {
    Fail("close " + tmp_path);
  }
  if (rename(tmp_path.c_str(), path.c_str()) != 0) {
    Fail("rename " + tmp_path);
  }
}

void SleepFor(std::chrono::duration<double> duration) {
  auto nanoseconds = std::chrono::duration_cast<std::chrono::nanoseconds>(duration).count();
  timespec remaining{static_cast<time_t>(nanoseconds / 1'000'000'000),
                     static_cast<long>(nanoseconds % 1'000'000'000)};
  // A handled signal interrupts nanosleep; keep sleeping for what is left.
  while (nanosleep(&remaining, &remaining) != 0) {
    if (errno != EINTR) {
      Fail("nanosleep");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing. Nothing here has side effects; errors are reported by main().

std::optional<std::uint64_t> ParseUnsigned(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return {};
  }
  return value;
}

std::optional<std::chrono::duration<double>> ParseSeconds(std::string_view text) {
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return {};
  }
  if (!(value >= 0 && value < 1e9)) {
    return {};  // Also rejects NaN.
  }
  return std::chrono::duration<double>(value);
}

const OptionSpec* FindSpec(std::string_view name, bool has_value) {
  for (const OptionSpec& spec : kOptions) {
    if (spec.name == name && (spec.kind != ValueKind::None) == has_value) {
      return &spec;
    }
  }
  return nullptr;
}

// The step for one option, or nothing if its value is malformed.
std::optional<Step> ParseStep(const OptionSpec& spec, std::string_view value) {
  Step step{spec.action, {}, 0, {}};
  switch (spec.kind) {
    case ValueKind::None:
      if (spec.action == Action::Ignore) {
        step.number = SIGTERM;  // --ignore-term
      }
      return step;
    case ValueKind::Text:
      if (value.empty() && spec.action != Action::Print && spec.action != Action::Eprint) {
        return {};
      }
      step.text = std::string(value);
      return step;
    case ValueKind::Seconds: {
      if (value == "forever") {
        step.action = Action::SleepForever;
        return step;
      }
      auto seconds = ParseSeconds(value);
      if (!seconds) {
        return {};
      }
      step.seconds = *seconds;
      return step;
    }
    case ValueKind::Count:
    case ValueKind::Status:
    case ValueKind::Signal: {
      auto number = ParseUnsigned(value);
      bool in_range = number && (spec.kind != ValueKind::Status || *number <= 255) &&
                      (spec.kind != ValueKind::Signal || (*number >= 1 && *number < NSIG));
      if (!in_range) {
        return {};
      }
      step.number = *number;
      return step;
    }
  }
  return {};
}

// Returns the steps, or the first bad argument.
struct ParseResult {
  std::vector<Step> steps;
  std::optional<std::string> bad_option;
};

ParseResult ParseArguments(int argc, char** argv) {
  ParseResult result;
  for (int i = 1; i < argc; ++i) {
    std::string_view argument = argv[i];
    if (argument.substr(0, 2) != "--") {
      return {{}, std::string(argument)};
    }
    std::string_view body = argument.substr(2);
    std::size_t equals = body.find('=');
    bool has_value = equals != std::string_view::npos;
    const OptionSpec* spec = FindSpec(body.substr(0, equals), has_value);
    std::string_view value = has_value ? body.substr(equals + 1) : std::string_view();
    std::optional<Step> step = spec ? ParseStep(*spec, value) : std::nullopt;
    if (!step) {
      return {{}, std::string(argument)};
    }
    result.steps.push_back(std::move(*step));
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Output actions.

void WriteLines(std::uint64_t count) {
  for (std::uint64_t i = 1; i <= count; ++i) {
    WriteAll(STDOUT_FILENO, "line " + std::to_string(i) + "\n");
  }
}

char PatternByte(std::uint64_t k) {
  if (k % 64 == 63) {
    return '\n';
  }
  return static_cast<char>('a' + k % 26);
}

void WriteBytes(std::uint64_t count) {
  std::string chunk;
  for (std::uint64_t k = 0; k < count;) {
    std::uint64_t chunk_size = std::min<std::uint64_t>(kBytesChunk, count - k);
    chunk.resize(chunk_size);
    for (std::uint64_t j = 0; j < chunk_size; ++j) {
      chunk[j] = PatternByte(k + j);
    }
    WriteAll(STDOUT_FILENO, chunk);
    k += chunk_size;
  }
}

// ---------------------------------------------------------------------------------------------
// Signal actions.

[[noreturn]] void SleepForever() {
  // pause() also returns after a handler ran; only a signal that ends the process stops us.
  for (;;) {
    pause();
  }
}

void SetDisposition(int signal_number, void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  if (sigaction(signal_number, &action, nullptr) != 0) {
    Fail("sigaction");
  }
}

void OnTerm(int) {
  constexpr std::string_view kMessage = "got SIGTERM\n";
  [[maybe_unused]] ssize_t ignored = write(STDOUT_FILENO, kMessage.data(), kMessage.size());
  _exit(term_exit_status);
}

[[noreturn]] void Crash() {
  // A core file per crash test would fill the test directory (core_pattern is often "core").
  rlimit limit{};
  if (getrlimit(RLIMIT_CORE, &limit) == 0) {
    limit.rlim_cur = 0;
    setrlimit(RLIMIT_CORE, &limit);
  }
  SetDisposition(SIGSEGV, SIG_DFL);
  sigset_t segv;
  sigemptyset(&segv);
  sigaddset(&segv, SIGSEGV);
  sigprocmask(SIG_UNBLOCK, &segv, nullptr);
  raise(SIGSEGV);
  _exit(128 + SIGSEGV);  // Not reached: the default action of SIGSEGV ends the process.
}

// ---------------------------------------------------------------------------------------------
// Process actions.

void ResetAllSignals() {
  for (int signal_number = 1; signal_number < NSIG; ++signal_number) {
    // SIGKILL, SIGSTOP and glibc's internal real-time signals refuse; that is fine.
    signal(signal_number, SIG_DFL);
  }
}

pid_t ForkOrFail() {
  pid_t pid = fork();
  if (pid < 0) {
    Fail("fork");
  }
  return pid;
}

// The parent returns once the grandchild has written its line, so output order is deterministic.
void ForkGrandchild(bool new_session) {
  int sync[2];
  if (pipe2(sync, O_CLOEXEC) != 0) {
    Fail("pipe2");
  }
  if (ForkOrFail() == 0) {
    close(sync[0]);
    ResetAllSignals();
    if (new_session && setsid() < 0) {
      Fail("setsid");
    }
    std::string label = new_session ? "setsid-grandchild " : "grandchild ";
    WriteAll(STDOUT_FILENO, label + std::to_string(getpid()) + "\n");
    close(sync[1]);  // EOF tells the parent the line is out.
    SleepForever();
  }
  close(sync[1]);
  ReadAll(sync[0], "read sync pipe");
  close(sync[0]);
}

// Runs in the first child of --daemonize: new session, second fork. Returns only in the daemon;
// the intermediate exits 0 once the daemon reports that its pid file is written.
void DetachIntoDaemon(const std::string& pidfile) {
  int ready[2];
  if (setsid() < 0) {
    Fail("setsid");
  }
  if (pipe2(ready, O_CLOEXEC) != 0) {
    Fail("pipe2");
  }
  if (ForkOrFail() == 0) {
    close(ready[0]);
    std::string pid = std::to_string(getpid());
    WriteFileAtomically(pidfile, pid + "\n");
    WriteAll(STDERR_FILENO, "daemon " + pid + "\n");
    WriteAll(ready[1], "k");
    close(ready[1]);
    return;
  }
  close(ready[1]);
  // A daemon that failed exits 3 without sending the byte.
  _exit(ReadAll(ready[0], "read ready pipe").empty() ? kExitFailure : 0);
}

// Returns ExitSuccess in the original process and Continue in the daemon.
Flow Daemonize(const std::string& pidfile) {
  pid_t intermediate = ForkOrFail();
  if (intermediate == 0) {
    DetachIntoDaemon(pidfile);
    return Flow::Continue;  // The daemon goes on with the remaining options.
  }
  int status = 0;
  while (waitpid(intermediate, &status, 0) < 0) {
    if (errno != EINTR) {
      Fail("waitpid");
    }
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    _exit(kExitFailure);
  }
  return Flow::ExitSuccess;
}

// ---------------------------------------------------------------------------------------------
// File actions.

std::string EnvironmentText() {
  std::string text;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    text.append(*entry).append("\n");
  }
  return text;
}

std::string OpenFdsText() {
  DIR* directory = opendir("/proc/self/fd");
  if (directory == nullptr) {
    Fail("opendir /proc/self/fd");
  }
  std::vector<int> fds;
  while (dirent* entry = readdir(directory)) {
    auto fd = ParseUnsigned(entry->d_name);
    if (fd && static_cast<int>(*fd) != dirfd(directory)) {
      fds.push_back(static_cast<int>(*fd));
    }
  }
  closedir(directory);
  std::sort(fds.begin(), fds.end());
  std::string text;
  for (int fd : fds) {
    text.append(std::to_string(fd)).append("\n");
  }
  return text;
}

std::string GroupsText() {
  int count = getgroups(0, nullptr);
  if (count < 0) {
    Fail("getgroups");
  }
  std::vector<gid_t> groups(static_cast<std::size_t>(count));
  if (getgroups(count, groups.data()) < 0) {
    Fail("getgroups");
  }
  std::string text;
  for (gid_t group : groups) {
    if (!text.empty()) {
      text.append(",");
    }
    text.append(std::to_string(group));
  }
  return text;
}

std::string UmaskText() {
  mode_t mask = umask(0);  // The only way to read the umask is to set it; restore at once.
  umask(mask);
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mask));
  return text;
}

std::string IdsText() {
  std::string cwd(PATH_MAX, '\0');
  if (getcwd(cwd.data(), cwd.size()) == nullptr) {
    Fail("getcwd");
  }
  cwd.resize(std::strlen(cwd.c_str()));
  return "uid=" + std::to_string(getuid()) + " euid=" + std::to_string(geteuid()) +
         " gid=" + std::to_string(getgid()) + " egid=" + std::to_string(getegid()) +
         " groups=" + GroupsText() + " pgid=" + std::to_string(getpgrp()) +
         " sid=" + std::to_string(getsid(0)) + " ppid=" + std::to_string(getppid()) +
         " umask=" + UmaskText() + " cwd=" + cwd + "\n";
}

void Touch(const std::string& path) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    Fail("open " + path);
  }
  close(fd);
}

void WaitForFile(const std::string& path) {
  struct stat info {};
  while (stat(path.c_str(), &info) != 0) {
    SleepFor(kWaitFilePollInterval);
  }
}

// ---------------------------------------------------------------------------------------------

Flow RunStep(const Step& step) {
  switch (step.action) {
    case Action::Print:
      WriteAll(STDOUT_FILENO, step.text + "\n");
      break;
    case Action::Eprint:
      WriteAll(STDERR_FILENO, step.text + "\n");
      break;
    case Action::Lines:
      WriteLines(step.number);
      break;
    case Action::Bytes:
      WriteBytes(step.number);
      break;
    case Action::Sleep:
      SleepFor(step.seconds);
      break;
    case Action::SleepForever:
      SleepForever();
    case Action::Exit:
      _exit(static_cast<int>(step.number));
    case Action::Crash:
      Crash();
    case Action::KillSelf:
      if (kill(getpid(), static_cast<int>(step.number)) != 0) {
        Fail("kill");
      }
      break;
    case Action::Ignore:
      SetDisposition(static_cast<int>(step.number), SIG_IGN);
      break;
    case Action::OnTermExit:
      term_exit_status = static_cast<std::sig_atomic_t>(step.number);
      SetDisposition(SIGTERM, OnTerm);
      break;
    case Action::ForkGrandchild:
      ForkGrandchild(/*new_session=*/false);
      break;
    case Action::SetsidGrandchild:
      ForkGrandchild(/*new_session=*/true);
      break;
    case Action::Daemonize:
      return Daemonize(step.text);
    case Action::WritePidfile:
      WriteFileAtomically(step.text, std::to_string(getpid()) + "\n");
      break;
    case Action::DumpEnv:
      WriteFileAtomically(step.text, EnvironmentText());
      break;
    case Action::DumpFds:
      WriteFileAtomically(step.text, OpenFdsText());
      break;
    case Action::DumpLimits:
      WriteFileAtomically(step.text, ReadFile("/proc/self/limits"));
      break;
    case Action::DumpIds:
      WriteFileAtomically(step.text, IdsText());
      break;
    case Action::Touch:
      Touch(step.text);
      break;
    case Action::WaitFile:
      WaitForFile(step.text);
      break;
    case Action::ReadStdin:
      WriteFileAtomically(step.text, ReadAll(STDIN_FILENO, "read stdin"));
      break;
    case Action::Notify:
      Notify(step.text);
      break;
    case Action::Watchdog:
      FeedWatchdog(step.number);
      break;
  }
  return Flow::Continue;
}

}  // namespace

int main(int argc, char** argv) {
  ParseResult parsed = ParseArguments(argc, argv);
  if (parsed.bad_option) {
    std::string message = "vigil-test-child: unknown option " + *parsed.bad_option + "\n";
    [[maybe_unused]] ssize_t ignored = write(STDERR_FILENO, message.data(), message.size());
    return kExitUsage;
  }
  for (const Step& step : parsed.steps) {
    if (RunStep(step) == Flow::ExitSuccess) {
      return 0;
    }
  }
  return 0;
}
