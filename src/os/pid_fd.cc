#include "os/pid_fd.h"

#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "os/errors.h"

// glibc 2.36's <sys/pidfd.h> lacks extern "C" (STYLE.md 2.1); the raw syscalls avoid it.
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

namespace vigil::os {

Result<PidFd> PidFd::Open(pid_t pid) {
  int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return SysError("pidfd_open " + std::to_string(pid));
  // pidfd_open sets O_CLOEXEC on the new descriptor.
  return PidFd(UniqueFd(fd), pid);
}

Result<void> PidFd::SendSignal(int signo) {
  if (::syscall(SYS_pidfd_send_signal, fd_.get(), signo, nullptr, 0) != 0) {
    if (errno == ESRCH) return Ok();
    return SysError("pidfd_send_signal " + std::to_string(pid_));
  }
  return Ok();
}

Result<std::optional<int>> PidFd::TryReap() {
  siginfo_t info{};
  if (::waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(fd_.get()), &info,
               WEXITED | WNOHANG) != 0) {
    return SysError("waitid " + std::to_string(pid_));
  }
  if (info.si_pid == 0) return std::optional<int>();
  // Rebuild a classic wait status so callers can use the W* macros.
  int status = 0;
  switch (info.si_code) {
    case CLD_EXITED:
      status = (info.si_status & 0xff) << 8;
      break;
    case CLD_KILLED:
      status = info.si_status & 0x7f;
      break;
    case CLD_DUMPED:
      status = (info.si_status & 0x7f) | 0x80;
      break;
    default:
      status = info.si_status & 0x7f;
      break;
  }
  return std::optional<int>(status);
}

}  // namespace vigil::os
