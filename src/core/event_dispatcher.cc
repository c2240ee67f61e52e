#include "core/event_dispatcher.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "config/program_spec.h"

namespace vigil::core {
namespace {

// supervisord's new_serial(): 0, 1, ... up to maxint, then 0 again.
uint64_t NextSerial(std::optional<uint64_t>& last) {
  constexpr uint64_t kMax = std::numeric_limits<int64_t>::max();
  last = (!last || *last == kMax) ? 0 : *last + 1;
  return *last;
}

}  // namespace

EventDispatcher::EventDispatcher(std::string server, EventListenerHost& host)
    : server_(std::move(server)), host_(host) {}

EventDispatcher::Pool* EventDispatcher::FindPool(std::string_view name) {
  auto it = std::find_if(pools_.begin(), pools_.end(),
                         [&](const Pool& pool) { return pool.name == name; });
  return it == pools_.end() ? nullptr : &*it;
}

void EventDispatcher::AddPool(const config::GroupSpec& spec) {
  RemovePool(spec.name);
  Pool pool;
  pool.name = spec.name;
  pool.buffer_size = static_cast<size_t>(std::max<int64_t>(1, spec.buffer_size));
  for (const std::string& name : spec.events) {
    if (std::optional<EventType> type = ParseEventType(name)) pool.subscriptions.push_back(*type);
  }
  pools_.push_back(std::move(pool));
  for (const config::ProgramSpec& process : spec.processes) AddListener(process);
}

void EventDispatcher::RemovePool(std::string_view name) {
  Pool* pool = FindPool(name);
  if (pool == nullptr) return;
  for (const std::string& namespec : pool->listeners) listeners_.erase(namespec);
  std::erase_if(pools_, [&](const Pool& p) { return p.name == name; });
}

void EventDispatcher::Clear() {
  pools_.clear();
  listeners_.clear();
}

void EventDispatcher::AddListener(const config::ProgramSpec& spec) {
  Pool* pool = FindPool(spec.group);
  if (pool == nullptr) return;
  const std::string namespec = config::Namespec(spec);
  if (std::find(pool->listeners.begin(), pool->listeners.end(), namespec) ==
      pool->listeners.end()) {
    pool->listeners.push_back(namespec);
  }
  Listener& listener = listeners_[namespec];
  listener = Listener{};
  listener.pool = spec.group;
  listener.name = spec.name;
}

void EventDispatcher::RemoveListener(const std::string& namespec) {
  auto it = listeners_.find(namespec);
  if (it == listeners_.end()) return;
  Requeue(it->second);
  if (Pool* pool = FindPool(it->second.pool)) std::erase(pool->listeners, namespec);
  listeners_.erase(it);
}

bool EventDispatcher::IsSubscribed(EventType type) const {
  return std::any_of(pools_.begin(), pools_.end(), [&](const Pool& pool) {
    return std::any_of(pool.subscriptions.begin(), pool.subscriptions.end(),
                       [&](EventType subscribed) { return IsEventOfType(type, subscribed); });
  });
}

bool EventDispatcher::IsListener(const std::string& namespec) const {
  return listeners_.contains(namespec);
}

void EventDispatcher::Publish(const Event& event) {
  std::optional<uint64_t> serial;
  for (Pool& pool : pools_) {
    const bool wanted =
        std::any_of(pool.subscriptions.begin(), pool.subscriptions.end(),
                    [&](EventType subscribed) { return IsEventOfType(event.type, subscribed); });
    if (!wanted) continue;
    if (!serial) serial = NextSerial(serial_);
    Accept(pool, QueuedEvent{event, *serial, NextSerial(pool.serial)}, false);
  }
  for (Pool& pool : pools_) Dispatch(pool);
}

void EventDispatcher::Accept(Pool& pool, QueuedEvent event, bool at_head) {
  if (pool.buffer.size() >= pool.buffer_size) {
    host_.Notice(config::LogLevel::kError,
                 fmt::format("pool {} event buffer overflowed, discarding event {}", pool.name,
                             pool.buffer.front().serial));
    pool.buffer.pop_front();
  }
  if (at_head) {
    pool.buffer.push_front(std::move(event));
  } else {
    pool.buffer.push_back(std::move(event));
  }
}

void EventDispatcher::Requeue(Listener& listener) {
  if (!listener.in_flight) return;
  QueuedEvent event = std::move(*listener.in_flight);
  listener.in_flight.reset();
  Pool* pool = FindPool(listener.pool);
  if (pool == nullptr) return;
  host_.Notice(config::LogLevel::kDebug,
               fmt::format("rebuffering event {} for pool {} (buf size={}, max={})", event.serial,
                           pool->name, pool->buffer.size(), pool->buffer_size));
  Accept(*pool, std::move(event), true);
}

bool EventDispatcher::SendToReadyListener(Pool& pool, const QueuedEvent& event) {
  for (const std::string& namespec : pool.listeners) {
    Listener& listener = listeners_.at(namespec);
    if (listener.state != ProgramState::kRunning) continue;
    if (listener.protocol.state() != ListenerState::kReady) continue;
    const std::string envelope =
        Envelope(EnvelopeFields{server_, event.serial, pool.name, event.pool_serial}, event.event);
    if (!host_.WriteEvent(namespec, envelope)) {
      host_.Notice(config::LogLevel::kDebug,
                   fmt::format("epipe occurred while sending event {} to listener {}, listener "
                               "state unchanged",
                               event.serial, listener.name));
      continue;
    }
    listener.protocol.OnSent();
    listener.in_flight = event;
    host_.Notice(config::LogLevel::kDebug,
                 fmt::format("event {} sent to listener {}", event.serial, listener.name));
    return true;
  }
  return false;
}

void EventDispatcher::Dispatch(Pool& pool) {
  while (!pool.buffer.empty()) {
    if (!SendToReadyListener(pool, pool.buffer.front())) return;
    pool.buffer.pop_front();
  }
}

void EventDispatcher::OnProcessState(const std::string& namespec, ProgramState to) {
  auto it = listeners_.find(namespec);
  if (it == listeners_.end()) return;
  Listener& listener = it->second;
  listener.state = to;
  switch (to) {
    case ProgramState::kStarting:
      listener.protocol.Reset();
      break;
    case ProgramState::kBackoff:
    case ProgramState::kExited:
    case ProgramState::kStopped:
      Requeue(listener);
      break;
    case ProgramState::kRunning:
    case ProgramState::kStopping:
    case ProgramState::kFatal:
    case ProgramState::kUnknown:
      break;
  }
  if (Pool* pool = FindPool(listener.pool)) Dispatch(*pool);
}

void EventDispatcher::OnListenerOutput(const std::string& namespec, std::string_view data) {
  auto it = listeners_.find(namespec);
  if (it == listeners_.end()) return;
  Listener& listener = it->second;
  const std::string unknown = fmt::format(
      "{}: has entered the UNKNOWN state and will no longer receive events, this usually "
      "indicates the process violated the eventlistener protocol",
      listener.name);
  for (ListenerOutcome& outcome : listener.protocol.Feed(data)) {
    switch (outcome.kind) {
      case ListenerOutcome::Kind::kReady:
        break;
      case ListenerOutcome::Kind::kAccepted:
        host_.Notice(config::LogLevel::kDebug,
                     fmt::format("{}: event was processed", listener.name));
        listener.in_flight.reset();
        break;
      case ListenerOutcome::Kind::kRejected:
        host_.Notice(config::LogLevel::kWarn, fmt::format("{}: event was rejected", listener.name));
        Requeue(listener);
        break;
      case ListenerOutcome::Kind::kBadResult:
        host_.Notice(config::LogLevel::kWarn,
                     fmt::format("{}: bad result line: '{}'", listener.name, outcome.text));
        host_.Notice(config::LogLevel::kWarn, unknown);
        Requeue(listener);
        break;
      case ListenerOutcome::Kind::kViolation:
        host_.Notice(config::LogLevel::kWarn, unknown);
        listener.in_flight.reset();
        break;
    }
  }
  if (Pool* pool = FindPool(listener.pool)) Dispatch(*pool);
}

std::optional<ListenerState> EventDispatcher::ListenerStateOf(const std::string& namespec) const {
  auto it = listeners_.find(namespec);
  if (it == listeners_.end()) return std::nullopt;
  return it->second.protocol.state();
}

size_t EventDispatcher::BufferedEvents(std::string_view pool) const {
  for (const Pool& p : pools_) {
    if (p.name == pool) return p.buffer.size();
  }
  return 0;
}

}  // namespace vigil::core
