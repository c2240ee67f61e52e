#include "os/epoll.h"

#include <errno.h>

#include "os/errors.h"

namespace vigil::os {

Result<Epoll> Epoll::Create() {
  int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) return SysError("epoll_create1");
  return Epoll(UniqueFd(fd));
}

Result<void> Epoll::Add(int fd, uint32_t events, uint64_t tag) {
  epoll_event event{};
  event.events = events;
  event.data.u64 = tag;
  if (::epoll_ctl(fd_.get(), EPOLL_CTL_ADD, fd, &event) != 0) return SysError("epoll_ctl add");
  return Ok();
}

Result<void> Epoll::Modify(int fd, uint32_t events, uint64_t tag) {
  epoll_event event{};
  event.events = events;
  event.data.u64 = tag;
  if (::epoll_ctl(fd_.get(), EPOLL_CTL_MOD, fd, &event) != 0) return SysError("epoll_ctl mod");
  return Ok();
}

void Epoll::Remove(int fd) { ::epoll_ctl(fd_.get(), EPOLL_CTL_DEL, fd, nullptr); }

Result<int> Epoll::Wait(std::span<epoll_event> events, int timeout_ms) {
  int n = ::epoll_wait(fd_.get(), events.data(), static_cast<int>(events.size()), timeout_ms);
  if (n < 0) {
    if (errno == EINTR) return 0;
    return SysError("epoll_wait");
  }
  return n;
}

}  // namespace vigil::os
