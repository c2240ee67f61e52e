#pragma once

// The integration-test harness: a real vigild in a fresh temporary directory, with waits that
// poll a condition until a deadline (never fixed sleeps), and helpers that read /proc. Every
// process a test starts is ended by pid when the test ends.

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace vigil::testing {

using std::chrono::seconds;

// Paths of the binaries under test (set by CMake).
std::string VigildPath();
std::string VigilctlPath();
std::string TestChildPath();

// Runs a command to its end (with no stdin); its exit status and what it printed.
struct CommandResult {
  int exit_code = -1;  // 128 + N when killed by signal N
  std::string out;
  std::string err;
};
CommandResult RunCommand(const std::vector<std::string>& argv);

// Polls `condition` every few milliseconds until it holds or `timeout` passes.
bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& contents);
bool FileExists(const std::string& path);
bool ProcessExists(pid_t pid);  // alive, or a zombie nobody has reaped
bool IsZombie(pid_t pid);
// Direct children of `parent`, from /proc.
std::vector<pid_t> ChildrenOf(pid_t parent);
// Open file descriptors of `pid`.
int CountFds(pid_t pid);
// Occurrences of `needle` in `haystack`.
int Count(const std::string& haystack, const std::string& needle);

class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A vigild running in the foreground (-n) on `config_text`, written to <dir>/supervisord.conf
// with "%(here)s" available as in any config. Its main log is <dir>/vigild.log.
class Vigild {
 public:
  // `body` is appended to a [supervisord] section that sets nodaemon, logfile, pidfile and
  // childlogdir inside the directory.
  static std::string Config(const std::string& body, const std::string& supervisord_extra = "");

  // `log` is the main log's path relative to `dir` (as the configuration names it).
  explicit Vigild(const TempDir& dir, std::string log = "vigild.log")
      : dir_(dir), log_(std::move(log)) {}
  ~Vigild();

  // Writes the config and starts vigild with `extra_args`; waits until it logs that it started.
  void Start(const std::string& config_text, const std::vector<std::string>& extra_args = {});
  pid_t pid() const { return pid_; }
  std::string Log() const;
  std::string LogPath() const { return dir_ / log_; }
  // Waits until the main log contains `text` at least `times` times.
  bool WaitForLog(const std::string& text, int times = 1,
                  std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;
  // Sends `signo` to vigild.
  void Signal(int signo) const;
  // SIGTERM, then waits for vigild to exit; its exit status (or -1 on timeout).
  int Stop(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Waits for vigild to exit on its own; its raw wait status or nullopt.
  std::optional<int> WaitExit(std::chrono::milliseconds timeout);
  // The pid in a "spawned: 'NAME' with pid N" line: the latest one.
  std::optional<pid_t> LatestPidOf(const std::string& name) const;

 private:
  const TempDir& dir_;
  std::string log_;
  pid_t pid_ = 0;
  bool exited_ = false;
};

}  // namespace vigil::testing
