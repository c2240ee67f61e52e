#include "base/unique_fd.h"

#include <unistd.h>

namespace vigil {

void UniqueFd::Reset(int fd) {
  if (fd_ >= 0) {
    // close() must not be retried on EINTR on Linux: the descriptor is released either way.
    ::close(fd_);
  }
  fd_ = fd;
}

}  // namespace vigil
