#pragma once

// Reading parts of files, for the log-reading API (supervisord's readLog, tailProcessLog, and
// /logtail).

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include "base/result.h"

namespace vigil::os {

struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  int64_t size = 0;
  int64_t mtime = 0;  // seconds since the epoch
};

// Size and identity of the file at `path`; nullopt when it does not exist.
std::optional<FileIdentity> StatFile(const std::string& path);

// Up to `length` bytes of `path` from `offset`: fewer at the end of the file, none from past
// it. Memory is sized by what the file holds, never by `length`, so any length is safe to pass
// (the API hands clients' numbers through). Errors: kInvalidArgument for a negative offset or
// length, kIo when the file cannot be opened or read.
Result<std::string> ReadRange(const std::string& path, int64_t offset, int64_t length);

}  // namespace vigil::os
