#include "os/files.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "base/unique_fd.h"
#include "os/errors.h"

namespace vigil::os {

namespace {

FileIdentity IdentityOf(const struct stat& st) {
  return FileIdentity{st.st_dev, st.st_ino, st.st_size, st.st_mtim.tv_sec, S_ISREG(st.st_mode)};
}

}  // namespace

bool SameFile(const FileIdentity& a, const FileIdentity& b) {
  return a.device == b.device && a.inode == b.inode;
}

std::optional<FileIdentity> StatFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return IdentityOf(st);
}

Result<FileIdentity> StatOpenFile(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return SysError("fstat");
  return IdentityOf(st);
}

Result<UniqueFd> OpenForReading(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd) return SysError("open " + path);
  return fd;
}

Result<std::string> ReadRange(const std::string& path, int64_t offset, int64_t length) {
  if (offset < 0 || length < 0) {
    return Error::InvalidArgument("read " + path + ": negative offset or length");
  }
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return SysError("open " + path);
  return ReadRange(fd.get(), path, offset, length);
}

Result<std::string> ReadRange(int fd, std::string_view name, int64_t offset, int64_t length) {
  if (offset < 0 || length < 0) {
    return Error::InvalidArgument(fmt::format("read {}: negative offset or length", name));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) return SysError(fmt::format("stat {}", name));
  std::string data;
  // The size now bounds the read: a file that grows meanwhile is read up to this size, one that
  // shrinks gives fewer bytes. offset < size here, so size - offset cannot overflow.
  const int64_t size = st.st_size;
  if (length == 0 || offset >= size) return data;
  data.resize(static_cast<size_t>(std::min(length, size - offset)));
  size_t got = 0;
  while (got < data.size()) {
    ssize_t n = ::pread(fd, data.data() + got, data.size() - got,
                        static_cast<off_t>(offset + static_cast<int64_t>(got)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return SysError(fmt::format("read {}", name));
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  data.resize(got);
  return data;
}

}  // namespace vigil::os
