#include "tests/integration/harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace vigil::testing {

std::string VigildPath() { return VIGILD_PATH; }
std::string TestChildPath() { return TEST_CHILD_PATH; }
std::string VigilctlPath() { return VIGILCTL_PATH; }

CommandResult RunCommand(const std::vector<std::string>& argv) {
  CommandResult result;
  char out_name[] = "/tmp/vigil-test-out-XXXXXX";
  char err_name[] = "/tmp/vigil-test-err-XXXXXX";
  const int out = ::mkstemp(out_name);
  const int err = ::mkstemp(err_name);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = ReadFile(out_name);
  result.err = ReadFile(err_name);
  ::close(out);
  ::close(err);
  ::unlink(out_name);
  ::unlink(err_name);
  return result;
}

bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream(path) << contents;
}

bool FileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

bool ProcessExists(pid_t pid) { return pid > 0 && ::kill(pid, 0) == 0; }

static std::optional<std::string> StatFields(pid_t pid) {
  std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  return stat.substr(close + 2);  // "S ppid ..."
}

bool IsZombie(pid_t pid) {
  std::optional<std::string> fields = StatFields(pid);
  return fields && !fields->empty() && (*fields)[0] == 'Z';
}

std::vector<pid_t> ChildrenOf(pid_t parent) {
  std::vector<pid_t> children;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return children;
  while (dirent* entry = ::readdir(proc)) {
    pid_t pid = static_cast<pid_t>(std::strtol(entry->d_name, nullptr, 10));
    if (pid <= 0) continue;
    std::optional<std::string> fields = StatFields(pid);
    if (!fields) continue;
    std::istringstream in(*fields);
    char state;
    pid_t ppid = 0;
    in >> state >> ppid;
    if (ppid == parent) children.push_back(pid);
  }
  ::closedir(proc);
  return children;
}

int CountFds(pid_t pid) {
  int count = 0;
  std::error_code ec;
  for (const auto& entry :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    static_cast<void>(entry);
    ++count;
  }
  return count;
}

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

TempDir::TempDir() {
  char pattern[] = "/tmp/vigil-it-XXXXXX";
  char* made = ::mkdtemp(pattern);
  EXPECT_NE(made, nullptr);
  path_ = made ? made : "/tmp";
  ::chmod(path_.c_str(), 0755);  // programs may run as other users
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string Vigild::Config(const std::string& body, const std::string& supervisord_extra) {
  return "[supervisord]\nnodaemon=true\nlogfile=%(here)s/vigild.log\npidfile=%(here)s/vigild.pid\n"
         "childlogdir=%(here)s\nloglevel=info\n" +
         supervisord_extra + "\n" + body;
}

void Vigild::Start(const std::string& config_text, const std::vector<std::string>& extra_args) {
  WriteFile(dir_ / "supervisord.conf", config_text);
  std::vector<std::string> args = {VigildPath(), "-c", dir_ / "supervisord.conf"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  const std::string out = dir_ / "vigild.stdout";
  pid_ = ::fork();
  ASSERT_GE(pid_, 0);
  if (pid_ == 0) {
    int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  exited_ = false;
  ASSERT_TRUE(WaitForLog("vigild started with pid")) << ReadFile(out) << Log();
}

Vigild::~Vigild() {
  if (pid_ > 0 && !exited_) {
    ::kill(pid_, SIGTERM);
    if (!WaitExit(std::chrono::seconds(30))) {
      ::kill(pid_, SIGKILL);
      WaitExit(std::chrono::seconds(10));
    }
  }
  // A vigild that was killed cannot remove its (now empty) cgroups; the test does it.
  const std::string log = Log();
  const std::string marker = "in its own cgroup under ";
  const size_t at = log.find(marker);
  if (at == std::string::npos) return;
  const std::string root = log.substr(at + marker.size(), log.find('\n', at) - at - marker.size());
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(root, ec)) {
    if (entry.is_directory()) ::rmdir(entry.path().c_str());
  }
  ::rmdir(root.c_str());
}

std::string Vigild::Log() const { return ReadFile(LogPath()); }

bool Vigild::WaitForLog(const std::string& text, int times,
                        std::chrono::milliseconds timeout) const {
  return WaitUntil([&] { return Count(Log(), text) >= times; }, timeout);
}

void Vigild::Signal(int signo) const { ::kill(pid_, signo); }

std::optional<int> Vigild::WaitExit(std::chrono::milliseconds timeout) {
  if (exited_) return std::nullopt;
  int status = 0;
  const bool done = WaitUntil([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, timeout);
  if (!done) return std::nullopt;
  exited_ = true;
  return status;
}

int Vigild::Stop(std::chrono::milliseconds timeout) {
  Signal(SIGTERM);
  std::optional<int> status = WaitExit(timeout);
  if (!status) return -1;
  return WIFEXITED(*status) ? WEXITSTATUS(*status) : 128 + WTERMSIG(*status);
}

std::optional<pid_t> Vigild::LatestPidOf(const std::string& name) const {
  const std::string log = Log();
  const std::regex line("spawned: '" + name + "' with pid ([0-9]+)");
  std::optional<pid_t> latest;
  for (auto it = std::sregex_iterator(log.begin(), log.end(), line); it != std::sregex_iterator();
       ++it) {
    latest = static_cast<pid_t>(std::stol((*it)[1]));
  }
  return latest;
}

}  // namespace vigil::testing
