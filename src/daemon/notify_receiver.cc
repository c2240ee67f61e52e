#include "daemon/notify_receiver.h"

#include <fmt/format.h>
#include <sys/un.h>
#include <unistd.h>

namespace vigil::daemon {

Result<std::unique_ptr<NotifyReceiver>> NotifyReceiver::Create(const std::string& path,
                                                               loop::EventLoop& loop,
                                                               RealSpawner& spawner,
                                                               logs::MainLog& log) {
  Result<os::NotifySocket> socket = os::NotifySocket::Bind(path);
  if (!socket) return socket.error();
  std::unique_ptr<NotifyReceiver> receiver(new NotifyReceiver(std::move(*socket), spawner, log));
  NotifyReceiver* self = receiver.get();
  Result<std::unique_ptr<loop::Watch>> watch = loop.WatchFd(
      self->socket_.fd(), EPOLLIN, loop::Phase::kIo, [self](uint32_t) { self->OnReadable(); });
  if (!watch) return watch.error();
  receiver->watch_ = std::move(*watch);
  return receiver;
}

void NotifyReceiver::OnReadable() {
  // A bounded batch per wake-up, so a flood of messages cannot starve the rest of the loop.
  for (int i = 0; i < 64; ++i) {
    std::optional<os::NotifyDatagram> datagram = socket_.Receive();
    if (!datagram) return;
    if (datagram->truncated) {
      log_.Warn(fmt::format("notify message from PID {} is longer than 4096 bytes, ignoring",
                            datagram->pid));
      continue;
    }
    if (datagram->pid <= 0) {
      log_.Warn("notify message without sender credentials, ignoring");
      continue;
    }
    const std::string service = spawner_.ServiceOf(datagram->pid);
    if (service.empty() || supervisor_ == nullptr) {
      log_.Warn(
          fmt::format("Cannot find unit for notify message of PID {}, ignoring.", datagram->pid));
      continue;
    }
    supervisor_->OnNotify(service, datagram->pid, datagram->uid, datagram->payload);
  }
}

std::string NotifySocketPath(const std::string& pidfile, const std::string& temp_dir) {
  std::string path = pidfile;
  if (path.ends_with(".pid")) path.resize(path.size() - 4);
  path += ".notify";
  if (path.size() < sizeof(sockaddr_un{}.sun_path)) return path;
  return fmt::format("{}/vigild-{}.notify", temp_dir, ::getpid());
}

}  // namespace vigil::daemon
