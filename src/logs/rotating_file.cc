#include "logs/rotating_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "os/errors.h"

namespace vigil::logs {

Result<std::unique_ptr<RotatingFile>> RotatingFile::Open(std::string path, int64_t maxbytes,
                                                         int64_t backups) {
  std::unique_ptr<RotatingFile> file(new RotatingFile(std::move(path), maxbytes, backups));
  if (Result<void> opened = file->OpenFile(false); !opened) return opened.error();
  return file;
}

Result<void> RotatingFile::OpenFile(bool truncate) {
  const int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0);
  int fd = ::open(path_.c_str(), flags, 0644);
  if (fd < 0) return os::SysError("open " + path_);
  fd_.Reset(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return os::SysError("fstat " + path_);
  rotatable_ = S_ISREG(st.st_mode);
  size_ = rotatable_ ? st.st_size : 0;
  return Ok();
}

Result<void> RotatingFile::Write(std::string_view data) {
  if (!fd_ && !OpenFile(false)) {
    dropped_bytes_ += data.size();
    return os::SysError("open " + path_);
  }
  size_t written = 0;
  while (written < data.size()) {
    ssize_t n = ::write(fd_.get(), data.data() + written, data.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      dropped_bytes_ += data.size() - written;
      size_ += static_cast<int64_t>(written);
      return os::SysError("write " + path_, err);
    }
    written += static_cast<size_t>(n);
  }
  size_ += static_cast<int64_t>(written);
  if (rotatable_ && maxbytes_ > 0 && size_ >= maxbytes_) return Rotate();
  return Ok();
}

Result<void> RotatingFile::Rotate() {
  fd_.Reset();
  if (backups_ > 0) {
    for (int64_t i = backups_ - 1; i >= 1; --i) {
      const std::string from = path_ + "." + std::to_string(i);
      const std::string to = path_ + "." + std::to_string(i + 1);
      // rename() replaces the destination; a missing source just means fewer backups so far.
      if (::rename(from.c_str(), to.c_str()) != 0 && errno != ENOENT) {
        return os::SysError("rename " + from);
      }
    }
    const std::string first = path_ + ".1";
    if (::rename(path_.c_str(), first.c_str()) != 0 && errno != ENOENT) {
      return os::SysError("rename " + path_);
    }
  }
  return OpenFile(true);
}

Result<void> RotatingFile::Reopen() {
  fd_.Reset();
  return OpenFile(false);
}

Result<void> RotatingFile::Clear() {
  fd_.Reset();
  if (::unlink(path_.c_str()) != 0 && errno != ENOENT) return os::SysError("unlink " + path_);
  return OpenFile(false);
}

}  // namespace vigil::logs
