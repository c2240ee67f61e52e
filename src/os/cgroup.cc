#include "os/cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "base/strings.h"
#include "os/errors.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

namespace vigil::os {
namespace {

bool IsCgroup2(const std::string& path) {
  struct statfs fs {};
  return ::statfs(path.c_str(), &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
}

std::optional<std::string> ReadSmallFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// vigild's own cgroup v2 path, from the "0::/path" line of /proc/self/cgroup.
std::string OwnCgroupPath() {
  std::optional<std::string> text = ReadSmallFile("/proc/self/cgroup");
  if (!text) return "/";
  for (const std::string& line : Split(*text, '\n')) {
    if (line.starts_with("0::")) return line.substr(3);
  }
  return "/";
}

bool MakeDirectory(const std::string& path) {
  return ::mkdir(path.c_str(), 0755) == 0 || errno == EEXIST;
}

// A cgroup directory is usable when we can create a child and move a process into it;
// creating and removing a probe directory checks the first, which is what fails in practice.
bool CanCreateIn(const std::string& dir) {
  const std::string probe = dir + "/vigil-probe." + std::to_string(::getpid());
  if (::mkdir(probe.c_str(), 0755) != 0) return false;
  ::rmdir(probe.c_str());
  return ::access((dir + "/cgroup.procs").c_str(), W_OK) == 0;
}

Result<void> WriteString(const std::string& path, std::string_view value) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return SysError("open " + path);
  UniqueFd owner(fd);
  if (::write(fd, value.data(), value.size()) != static_cast<ssize_t>(value.size())) {
    return SysError("write " + path);
  }
  return Ok();
}

}  // namespace

Result<UniqueFd> Cgroup::Open() const {
  int fd = ::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return SysError("open " + path_);
  return UniqueFd(fd);
}

Result<std::vector<pid_t>> Cgroup::Pids() const {
  std::optional<std::string> text = ReadSmallFile(path_ + "/cgroup.procs");
  if (!text) return SysError("read " + path_ + "/cgroup.procs");
  std::vector<pid_t> pids;
  for (const std::string& line : SplitWhitespace(*text)) {
    pid_t pid = 0;
    auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), pid);
    if (ec == std::errc() && end == line.data() + line.size()) pids.push_back(pid);
  }
  return pids;
}

bool Cgroup::Populated() const {
  std::optional<std::string> text = ReadSmallFile(path_ + "/cgroup.events");
  if (!text) return false;
  return text->find("populated 1") != std::string::npos;
}

Result<void> Cgroup::KillAll() const {
  if (::access((path_ + "/cgroup.kill").c_str(), W_OK) == 0) {
    return WriteString(path_ + "/cgroup.kill", "1");
  }
  return SignalAll(SIGKILL);
}

Result<void> Cgroup::SignalAll(int signo) const {
  // A process may fork while we scan; a few rescans catch the newcomers.
  std::set<pid_t> signalled;
  for (int round = 0; round < 4; ++round) {
    Result<std::vector<pid_t>> pids = Pids();
    if (!pids) return pids.error();
    bool any_new = false;
    for (pid_t pid : *pids) {
      if (!signalled.insert(pid).second) continue;
      any_new = true;
      if (::kill(pid, signo) != 0 && errno != ESRCH) {
        return SysError("kill " + std::to_string(pid));
      }
    }
    if (!any_new) break;
  }
  return Ok();
}

std::string Cgroup::RelativePath() const {
  if (mount_.empty() || !path_.starts_with(mount_)) return path_;
  const std::string relative = path_.substr(mount_.size());
  return relative.empty() ? "/" : relative;
}

Result<void> Cgroup::Remove() const {
  if (::rmdir(path_.c_str()) != 0 && errno != ENOENT) return SysError("rmdir " + path_);
  return Ok();
}

std::optional<CgroupTree> CgroupTree::Probe(const std::string& instance, std::string* why) {
  std::string mount;
  for (const char* candidate : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"}) {
    if (IsCgroup2(candidate)) {
      mount = candidate;
      break;
    }
  }
  if (mount.empty()) {
    *why = "no cgroup v2 hierarchy at /sys/fs/cgroup or /sys/fs/cgroup/unified";
    return std::nullopt;
  }
  // Root can keep all of vigil's cgroups in one well-known place, which also lets a restarted
  // vigild find what an earlier one left behind.
  const std::string shared = mount + "/vigil";
  if (MakeDirectory(shared) && CanCreateIn(shared)) {
    const std::string root = shared + "/" + instance;
    if (MakeDirectory(root)) return CgroupTree(mount, root);
  }
  const std::string own = mount + OwnCgroupPath();
  if (CanCreateIn(own)) {
    const std::string root = (own.ends_with('/') ? own : own + "/") + "vigil." + instance;
    if (MakeDirectory(root)) return CgroupTree(mount, root);
  }
  *why = "cgroup v2 at " + mount + " is not writable by vigild";
  return std::nullopt;
}

Result<Cgroup> CgroupTree::Create(const std::string& name) const {
  const std::string path = root_ + "/" + name;
  if (!MakeDirectory(path)) return SysError("mkdir " + path);
  return Cgroup(path, mount_);
}

std::vector<Cgroup> CgroupTree::Children() const {
  std::vector<Cgroup> children;
  DIR* dir = ::opendir(root_.c_str());
  if (dir == nullptr) return children;
  while (dirent* entry = ::readdir(dir)) {
    if (entry->d_type != DT_DIR || entry->d_name[0] == '.') continue;
    children.emplace_back(root_ + "/" + entry->d_name, mount_);
  }
  ::closedir(dir);
  return children;
}

}  // namespace vigil::os
