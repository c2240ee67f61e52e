#pragma once

// RotatingFile: a log file with supervisord's rotation (loggers.py RotatingFileHandler):
// after each write, when the file has reached `maxbytes`, it is closed, name.N-1 -> name.N ...
// name -> name.1, and a new empty name is opened. So a file may exceed maxbytes by one write,
// and no write is ever split across files. maxbytes 0 never rotates; backups 0 truncates
// instead of keeping anything. Files that cannot be rotated (a pipe, /dev/stdout) are simply
// appended to, where supervisord would fail with "Illegal seek".

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/unique_fd.h"

namespace vigil::logs {

class RotatingFile {
 public:
  // Opens `path` for appending, creating it with mode 0644 (less the umask).
  static Result<std::unique_ptr<RotatingFile>> Open(std::string path, int64_t maxbytes,
                                                    int64_t backups);

  // Appends all of `data`, then rotates if due. On an error (ENOSPC, EIO, ...) the bytes that
  // could not be written are counted in dropped_bytes() and the error is returned; the next
  // write tries again.
  Result<void> Write(std::string_view data);
  // Closes and reopens the same path, appending (SIGUSR2, or after logrotate moved the file).
  Result<void> Reopen();
  // Deletes the file and starts a new empty one (supervisord's clearLog).
  Result<void> Clear();

  const std::string& path() const { return path_; }
  int64_t size() const { return size_; }
  uint64_t dropped_bytes() const { return dropped_bytes_; }

 private:
  RotatingFile(std::string path, int64_t maxbytes, int64_t backups)
      : path_(std::move(path)), maxbytes_(maxbytes), backups_(backups) {}
  Result<void> OpenFile(bool truncate);
  Result<void> Rotate();

  std::string path_;
  int64_t maxbytes_;
  int64_t backups_;
  UniqueFd fd_;
  bool rotatable_ = true;  // a regular file
  int64_t size_ = 0;
  uint64_t dropped_bytes_ = 0;
};

}  // namespace vigil::logs
