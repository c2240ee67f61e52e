#include "os/pipe.h"

#include <fcntl.h>
#include <unistd.h>

#include "os/errors.h"

namespace vigil::os {

Result<Pipe> MakePipe(NonBlockingEnd non_blocking) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return SysError("pipe2");
  Pipe pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
  const int fd = non_blocking == NonBlockingEnd::kRead ? pipe.read.get() : pipe.write.get();
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) return SysError("fcntl");
  return pipe;
}

}  // namespace vigil::os
