#include "os/notify_socket.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "os/errors.h"

namespace vigil::os {
namespace {

constexpr size_t kMaxMessage = 4096;  // systemd's NOTIFY_BUFFER_MAX (PIPE_BUF)
constexpr size_t kMaxFds = 768;       // systemd's NOTIFY_FD_MAX

}  // namespace

Result<NotifySocket> NotifySocket::Bind(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path) {
    return Error::InvalidArgument("notify socket path too long: " + path);
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  UniqueFd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return SysError("socket");
  const int on = 1;
  if (::setsockopt(fd.get(), SOL_SOCKET, SO_PASSCRED, &on, sizeof on) != 0) {
    return SysError("setsockopt SO_PASSCRED");
  }
  ::unlink(path.c_str());
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    return SysError("bind " + path);
  }
  ::chmod(path.c_str(), 0777);
  return NotifySocket(std::move(fd), path);
}

NotifySocket::~NotifySocket() {
  if (fd_) ::unlink(path_.c_str());
}

std::optional<NotifyDatagram> NotifySocket::Receive() {
  char buffer[kMaxMessage + 1];
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred)) + CMSG_SPACE(sizeof(int) * kMaxFds)];
  iovec iov{buffer, sizeof buffer};
  msghdr message{};
  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  ssize_t n;
  do {
    n = ::recvmsg(fd_.get(), &message, MSG_DONTWAIT | MSG_CMSG_CLOEXEC | MSG_TRUNC);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return std::nullopt;

  NotifyDatagram datagram;
  for (cmsghdr* header = CMSG_FIRSTHDR(&message); header != nullptr;
       header = CMSG_NXTHDR(&message, header)) {
    if (header->cmsg_level != SOL_SOCKET) continue;
    if (header->cmsg_type == SCM_CREDENTIALS && header->cmsg_len == CMSG_LEN(sizeof(ucred))) {
      ucred credentials{};
      std::memcpy(&credentials, CMSG_DATA(header), sizeof credentials);
      datagram.pid = credentials.pid;
      datagram.uid = credentials.uid;
      datagram.gid = credentials.gid;
    } else if (header->cmsg_type == SCM_RIGHTS) {
      const size_t count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      for (size_t i = 0; i < count; ++i) {
        int passed = -1;
        std::memcpy(&passed, CMSG_DATA(header) + i * sizeof(int), sizeof(int));
        if (passed >= 0) ::close(passed);
      }
    }
  }
  if (static_cast<size_t>(n) > kMaxMessage || (message.msg_flags & MSG_TRUNC) != 0) {
    datagram.truncated = true;
    return datagram;
  }
  datagram.payload.assign(buffer, static_cast<size_t>(n));
  return datagram;
}

}  // namespace vigil::os
