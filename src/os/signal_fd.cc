#include "os/signal_fd.h"

#include <errno.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "os/errors.h"

namespace vigil::os {
namespace {

sigset_t MakeSet(std::initializer_list<int> signals) {
  sigset_t set;
  sigemptyset(&set);
  for (int signo : signals) sigaddset(&set, signo);
  return set;
}

}  // namespace

Result<void> BlockSignals(std::initializer_list<int> signals) {
  sigset_t set = MakeSet(signals);
  if (int err = ::pthread_sigmask(SIG_BLOCK, &set, nullptr); err != 0) {
    return SysError("pthread_sigmask", err);
  }
  return Ok();
}

Result<SignalFd> SignalFd::Create(std::initializer_list<int> signals) {
  sigset_t set = MakeSet(signals);
  int fd = ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd < 0) return SysError("signalfd");
  return SignalFd(UniqueFd(fd));
}

Result<std::optional<int>> SignalFd::Read() {
  signalfd_siginfo info{};
  ssize_t n = ::read(fd_.get(), &info, sizeof info);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return std::optional<int>();
    return SysError("read signalfd");
  }
  if (n != sizeof info) return Error::Internal("short read from signalfd");
  return std::optional<int>(static_cast<int>(info.ssi_signo));
}

}  // namespace vigil::os
