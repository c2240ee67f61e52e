#pragma once

// Reading a whole small file (/proc entries, pid files) in one go.

#include <cstddef>
#include <string>

#include "base/result.h"

namespace vigil::os {

// The contents of `path`, at most `limit` bytes (a longer file is an InvalidArgument error,
// never a huge allocation). /proc files, whose size stat() reports as 0, work.
Result<std::string> ReadSmallFile(const std::string& path, size_t limit = 64 * 1024);

}  // namespace vigil::os
