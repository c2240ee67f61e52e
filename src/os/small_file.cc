#include "os/small_file.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include "base/unique_fd.h"
#include "os/errors.h"

namespace vigil::os {

Result<std::string> ReadSmallFile(const std::string& path, size_t limit) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (!fd) return SysError("open " + path);
  std::string data;
  char buffer[4096];
  while (true) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return SysError("read " + path);
    if (n == 0) break;
    if (data.size() + static_cast<size_t>(n) > limit) {
      return Error::InvalidArgument(fmt::format("{} is larger than {} bytes", path, limit));
    }
    data.append(buffer, static_cast<size_t>(n));
  }
  return data;
}

}  // namespace vigil::os
