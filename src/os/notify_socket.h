#pragma once

// NotifySocket: the receiving end of systemd's sd_notify protocol. An AF_UNIX datagram socket
// bound to a path (passed to services as $NOTIFY_SOCKET); each datagram is one message of
// newline-separated KEY=VALUE lines, at most 4096 bytes, and the kernel attaches the sender's
// credentials (SO_PASSCRED). File descriptors sent along (FDSTORE=1) are closed: vigil has no
// fd store.

#include <sys/types.h>

#include <optional>
#include <string>

#include "base/result.h"
#include "base/unique_fd.h"

namespace vigil::os {

struct NotifyDatagram {
  pid_t pid = 0;  // the sender, as the kernel saw it
  uid_t uid = 0;
  gid_t gid = 0;
  std::string payload;
  bool truncated = false;  // longer than 4096 bytes: dropped by systemd, and by vigil
};

class NotifySocket {
 public:
  // Binds `path` (replacing a stale socket file), world-writable like systemd's, so services
  // running as any user can send.
  static Result<NotifySocket> Bind(const std::string& path);
  ~NotifySocket();
  NotifySocket(NotifySocket&&) = default;
  NotifySocket& operator=(NotifySocket&&) = default;

  int fd() const { return fd_.get(); }
  const std::string& path() const { return path_; }
  // The next waiting datagram; nullopt when none is waiting.
  std::optional<NotifyDatagram> Receive();

 private:
  NotifySocket(UniqueFd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
  UniqueFd fd_;
  std::string path_;
};

}  // namespace vigil::os
