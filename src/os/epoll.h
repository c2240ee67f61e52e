#pragma once

// Epoll: an epoll instance (CLOEXEC). Each registration carries a 64-bit tag that comes back
// with its events.

#include <sys/epoll.h>

#include <cstdint>
#include <span>

#include "base/result.h"
#include "base/unique_fd.h"

namespace vigil::os {

class Epoll {
 public:
  static Result<Epoll> Create();

  Result<void> Add(int fd, uint32_t events, uint64_t tag);
  Result<void> Modify(int fd, uint32_t events, uint64_t tag);
  // Removing an fd that is not registered (or already closed) is not an error.
  void Remove(int fd);
  // Waits up to `timeout_ms` (-1: forever). Returns how many entries of `events` were filled;
  // an interrupted wait returns 0.
  Result<int> Wait(std::span<epoll_event> events, int timeout_ms);

 private:
  explicit Epoll(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace vigil::os
