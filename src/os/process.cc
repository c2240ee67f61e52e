#include "os/process.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/unique_fd.h"
#include "os/errors.h"

namespace vigil::os {

Result<void> BecomeChildSubreaper() {
  if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) return SysError("prctl(PR_SET_CHILD_SUBREAPER)");
  return Ok();
}

std::optional<pid_t> PeekExitedChild() {
  siginfo_t info{};
  if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0) return std::nullopt;
  if (info.si_pid == 0) return std::nullopt;
  return info.si_pid;
}

Result<int> ReapPid(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return SysError("waitpid " + std::to_string(pid));
  }
  return status;
}

Result<rlim_t> RaiseLimit(int resource, rlim_t minimum) {
  rlimit limit{};
  if (::getrlimit(resource, &limit) != 0) return SysError("getrlimit");
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < minimum) {
    rlimit wanted = limit;
    wanted.rlim_cur = minimum;
    if (wanted.rlim_max != RLIM_INFINITY && wanted.rlim_max < minimum) wanted.rlim_max = minimum;
    if (::setrlimit(resource, &wanted) != 0) {
      return Error::Io(
          errno, "the hard limit is " + std::to_string(limit.rlim_max) + " and cannot be raised");
    }
    limit = wanted;
  }
  return limit.rlim_cur;
}

Result<void> Daemonize(const std::optional<std::string>& directory, mode_t umask) {
  const pid_t pid = ::fork();
  if (pid < 0) return SysError("fork");
  if (pid > 0) ::_exit(0);
  if (directory && ::chdir(directory->c_str()) != 0) return SysError("chdir " + *directory);
  int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0) return SysError("open /dev/null");
  for (int fd = 0; fd < 3; ++fd) ::dup2(null, fd);
  if (null > 2) ::close(null);
  if (::setsid() < 0) return SysError("setsid");
  ::umask(umask);
  return Ok();
}

std::vector<gid_t> GroupsOf(const std::string& user, gid_t gid) {
  int count = 64;
  std::vector<gid_t> groups(static_cast<size_t>(count));
  while (::getgrouplist(user.c_str(), gid, groups.data(), &count) < 0) {
    groups.resize(static_cast<size_t>(count));
  }
  groups.resize(static_cast<size_t>(count));
  return groups;
}

Result<void> DropPrivileges(const std::string& user, uid_t uid, gid_t gid) {
  if (::getuid() == uid && ::geteuid() == uid) return Ok();
  if (::initgroups(user.c_str(), gid) != 0) return SysError("initgroups " + user);
  if (::setgid(gid) != 0) return SysError("setgid");
  if (::setuid(uid) != 0) return SysError("setuid");
  return Ok();
}

Result<void> WriteFileAtomically(const std::string& path, std::string_view contents, mode_t mode) {
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return SysError("open " + temporary);
  UniqueFd owner(fd);
  size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::unlink(temporary.c_str());
      return SysError("write " + temporary);
    }
    written += static_cast<size_t>(n);
  }
  owner.Reset();
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    ::unlink(temporary.c_str());
    return SysError("rename " + path);
  }
  return Ok();
}

Result<void> WritePidFile(const std::string& path, pid_t pid) {
  return WriteFileAtomically(path, std::to_string(pid) + "\n", 0644);
}

}  // namespace vigil::os
