#pragma once

// Reading parts of files, for the log-reading API (supervisord's readLog, tailProcessLog, and
// /logtail).

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/unique_fd.h"

namespace vigil::os {

struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  int64_t size = 0;
  int64_t mtime = 0;    // seconds since the epoch
  bool regular = true;  // a regular file (not a FIFO, a terminal, ...)
};

// Whether two identities are of the same file (device and inode). Only meaningful while that
// file is held open: the inode number of a deleted file is free to be given to a new one.
bool SameFile(const FileIdentity& a, const FileIdentity& b);

// Size and identity of the file at `path`; nullopt when it does not exist.
std::optional<FileIdentity> StatFile(const std::string& path);
// Size and identity of an open file. Errors: kIo.
Result<FileIdentity> StatOpenFile(int fd);

// Opens `path` for reading, close-on-exec and non-blocking (so that opening a FIFO does not
// wait for a writer). Errors: kIo.
Result<UniqueFd> OpenForReading(const std::string& path);

// Up to `length` bytes of `path` from `offset`: fewer at the end of the file, none from past
// it. Memory is sized by what the file holds, never by `length`, so any length is safe to pass
// (the API hands clients' numbers through). Errors: kInvalidArgument for a negative offset or
// length, kIo when the file cannot be opened or read.
Result<std::string> ReadRange(const std::string& path, int64_t offset, int64_t length);
// The same on an open file; `name` is for the error messages.
Result<std::string> ReadRange(int fd, std::string_view name, int64_t offset, int64_t length);

}  // namespace vigil::os
