#pragma once

// EventLoop: vigild's one thread of control. One epoll; every source is a file descriptor
// (signalfd, pidfds, pipes, sockets, one timerfd). Each iteration:
//   1. prepare: ask the owner for the next deadline and arm the timer to it;
//   2. wait until something is ready (no periodic wake-ups: idle means asleep);
//   3. dispatch what is ready in phase order: signals, then child exits, then I/O, then the
//      deadline. Within a phase, in the order epoll reported them.
// Watches are RAII handles; a callback may destroy any watch, including its own, and a watch
// destroyed during dispatch is never called afterwards.

#include <sys/epoll.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

#include "base/result.h"
#include "base/time.h"
#include "os/epoll.h"
#include "os/timer_fd.h"

namespace vigil::loop {

enum class Phase { kSignal = 0, kChildExit = 1, kIo = 2 };

class EventLoop;

// A registration; destroying it unregisters the fd (which must still be open then).
class Watch {
 public:
  ~Watch();
  Watch(const Watch&) = delete;
  Watch& operator=(const Watch&) = delete;

  // Changes the events watched (EPOLLIN, EPOLLOUT, ...).
  Result<void> SetEvents(uint32_t events);
  int fd() const { return fd_; }

 private:
  friend class EventLoop;
  Watch(EventLoop& loop, int fd, uint64_t id) : loop_(loop), fd_(fd), id_(id) {}
  EventLoop& loop_;
  int fd_;
  uint64_t id_;
};

class EventLoop {
 public:
  using Callback = std::function<void(uint32_t events)>;

  static Result<std::unique_ptr<EventLoop>> Create();
  ~EventLoop();

  // Watches `fd` (level-triggered). `callback` runs in `phase` with the epoll event bits.
  Result<std::unique_ptr<Watch>> WatchFd(int fd, uint32_t events, Phase phase, Callback callback);

  // Called before every wait: returns the next deadline, or nullopt for none.
  void SetPrepare(std::function<std::optional<MonotonicTime>()> prepare) {
    prepare_ = std::move(prepare);
  }
  // Called when the deadline from the last prepare has been reached.
  void SetDeadlineHandler(std::function<void()> handler) { on_deadline_ = std::move(handler); }

  // One iteration (prepare, wait, dispatch). Errors only for failures of epoll itself.
  Result<void> RunOnce();
  // Iterates until Quit().
  Result<void> Run();
  void Quit() { quit_ = true; }

 private:
  friend class Watch;
  struct Registration {
    int fd;
    Phase phase;
    Callback callback;
  };

  EventLoop(os::Epoll epoll, os::TimerFd timer);
  void Unregister(uint64_t id, int fd);
  Result<void> ModifyEvents(uint64_t id, int fd, uint32_t events);

  static constexpr uint64_t kTimerId = 0;
  os::Epoll epoll_;
  os::TimerFd timer_;
  std::unordered_map<uint64_t, Registration> registrations_;
  uint64_t next_id_ = 1;
  std::function<std::optional<MonotonicTime>()> prepare_;
  std::function<void()> on_deadline_;
  bool quit_ = false;
};

}  // namespace vigil::loop
