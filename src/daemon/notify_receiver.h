#pragma once

// NotifyReceiver: vigild's $NOTIFY_SOCKET. Reads each sd_notify datagram, finds the service the
// sender belongs to (by its cgroup, or its session without cgroups), and hands the message to
// the supervisor, which decides per NotifyAccess= whether to believe it.

#include <functional>
#include <memory>
#include <string>

#include "base/result.h"
#include "core/supervisor.h"
#include "daemon/real_spawner.h"
#include "logs/main_log.h"
#include "loop/event_loop.h"
#include "os/notify_socket.h"

namespace vigil::daemon {

class NotifyReceiver {
 public:
  // Binds `path` and watches it on `loop`. All references must outlive the receiver.
  static Result<std::unique_ptr<NotifyReceiver>> Create(const std::string& path,
                                                        loop::EventLoop& loop, RealSpawner& spawner,
                                                        logs::MainLog& log);
  void SetSupervisor(core::Supervisor* supervisor) { supervisor_ = supervisor; }
  const std::string& path() const { return socket_.path(); }

 private:
  NotifyReceiver(os::NotifySocket socket, RealSpawner& spawner, logs::MainLog& log)
      : socket_(std::move(socket)), spawner_(spawner), log_(log) {}
  void OnReadable();

  os::NotifySocket socket_;
  RealSpawner& spawner_;
  logs::MainLog& log_;
  core::Supervisor* supervisor_ = nullptr;
  std::unique_ptr<loop::Watch> watch_;
};

// Where a vigild whose pid file is `pidfile` puts its notify socket: beside the pid file, with
// ".notify" for ".pid"; in the temporary directory when that path would be too long.
std::string NotifySocketPath(const std::string& pidfile, const std::string& temp_dir);

}  // namespace vigil::daemon
