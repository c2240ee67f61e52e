#include "loop/event_loop.h"

#include <algorithm>
#include <array>
#include <vector>

namespace vigil::loop {

Watch::~Watch() { loop_.Unregister(id_, fd_); }

Result<void> Watch::SetEvents(uint32_t events) { return loop_.ModifyEvents(id_, fd_, events); }

Result<std::unique_ptr<EventLoop>> EventLoop::Create() {
  Result<os::Epoll> epoll = os::Epoll::Create();
  if (!epoll) return epoll.error();
  Result<os::TimerFd> timer = os::TimerFd::Create();
  if (!timer) return timer.error();
  if (Result<void> added = epoll->Add(timer->fd(), EPOLLIN, kTimerId); !added) {
    return added.error();
  }
  return std::unique_ptr<EventLoop>(new EventLoop(std::move(*epoll), std::move(*timer)));
}

EventLoop::EventLoop(os::Epoll epoll, os::TimerFd timer)
    : epoll_(std::move(epoll)), timer_(std::move(timer)) {}

EventLoop::~EventLoop() = default;

Result<std::unique_ptr<Watch>> EventLoop::WatchFd(int fd, uint32_t events, Phase phase,
                                                  Callback callback) {
  const uint64_t id = next_id_++;
  if (Result<void> added = epoll_.Add(fd, events, id); !added) return added.error();
  registrations_.emplace(id, Registration{fd, phase, std::move(callback)});
  return std::unique_ptr<Watch>(new Watch(*this, fd, id));
}

void EventLoop::Unregister(uint64_t id, int fd) {
  if (registrations_.erase(id) > 0) epoll_.Remove(fd);
}

Result<void> EventLoop::ModifyEvents(uint64_t id, int fd, uint32_t events) {
  return epoll_.Modify(fd, events, id);
}

Result<void> EventLoop::RunOnce() {
  std::optional<MonotonicTime> deadline;
  if (prepare_) deadline = prepare_();
  if (Result<void> armed = timer_.Arm(deadline); !armed) return armed.error();

  std::array<epoll_event, 64> ready{};
  Result<int> count = epoll_.Wait(ready, -1);
  if (!count) return count.error();

  struct Ready {
    uint64_t id;
    uint32_t events;
    int phase;
  };
  std::vector<Ready> batch;
  bool deadline_reached = false;
  for (int i = 0; i < *count; ++i) {
    const uint64_t id = ready[i].data.u64;
    if (id == kTimerId) {
      deadline_reached = true;
      continue;
    }
    auto it = registrations_.find(id);
    if (it == registrations_.end()) continue;
    batch.push_back(Ready{id, ready[i].events, static_cast<int>(it->second.phase)});
  }
  std::stable_sort(batch.begin(), batch.end(),
                   [](const Ready& a, const Ready& b) { return a.phase < b.phase; });
  for (const Ready& item : batch) {
    // Looked up again: an earlier callback may have destroyed this watch.
    auto it = registrations_.find(item.id);
    if (it == registrations_.end()) continue;
    // A copy, so that the callback may destroy its own watch while running.
    Callback callback = it->second.callback;
    callback(item.events);
  }
  if (deadline_reached) {
    timer_.Drain();
    if (on_deadline_) on_deadline_();
  }
  return Ok();
}

Result<void> EventLoop::Run() {
  while (!quit_) {
    if (Result<void> once = RunOnce(); !once) return once;
  }
  return Ok();
}

}  // namespace vigil::loop
