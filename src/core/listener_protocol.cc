#include "core/listener_protocol.h"

#include <algorithm>
#include <optional>

#include "base/check.h"

namespace vigil::core {
namespace {

constexpr std::string_view kReadyToken = "READY\n";
constexpr size_t kResultTokenLength = 7;  // "RESULT ": supervisord skips it unread
constexpr uint64_t kMaxResultLength = 1 << 20;

bool IsPythonSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Python's int() of bytes: surrounding whitespace, a sign, digits with single underscores
// between them. Negative lengths are refused here (Python would take them and then never
// complete the result).
std::optional<uint64_t> ParseLength(std::string_view text) {
  while (!text.empty() && IsPythonSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsPythonSpace(text.back())) text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty() || text.front() == '_' || text.back() == '_') return std::nullopt;
  uint64_t value = 0;
  char previous = 0;
  for (char c : text) {
    if (c == '_') {
      if (previous == '_') return std::nullopt;
    } else if (c >= '0' && c <= '9') {
      value = value * 10 + static_cast<uint64_t>(c - '0');
      if (value > kMaxResultLength) return std::nullopt;
    } else {
      return std::nullopt;
    }
    previous = c;
  }
  return value;
}

}  // namespace

void ListenerProtocol::Reset() {
  state_ = ListenerState::kAcknowledged;
  buffer_.clear();
  have_length_ = false;
  result_length_ = 0;
  result_.clear();
}

void ListenerProtocol::OnSent() {
  Check(state_ == ListenerState::kReady, "ListenerProtocol::OnSent while not READY");
  state_ = ListenerState::kBusy;
  have_length_ = false;
  result_.clear();
}

std::vector<ListenerOutcome> ListenerProtocol::Feed(std::string_view data) {
  std::vector<ListenerOutcome> outcomes;
  buffer_.append(data);
  while (!buffer_.empty() && Step(outcomes)) {
  }
  return outcomes;
}

bool ListenerProtocol::Step(std::vector<ListenerOutcome>& outcomes) {
  switch (state_) {
    case ListenerState::kUnknown:
      buffer_.clear();
      return false;
    case ListenerState::kAcknowledged:
      if (buffer_.size() < kReadyToken.size()) return false;
      if (std::string_view(buffer_).starts_with(kReadyToken)) {
        state_ = ListenerState::kReady;
        buffer_.erase(0, kReadyToken.size());
        outcomes.push_back({ListenerOutcome::Kind::kReady, ""});
        return true;
      }
      state_ = ListenerState::kUnknown;
      buffer_.clear();
      outcomes.push_back({ListenerOutcome::Kind::kViolation, ""});
      return false;
    case ListenerState::kReady:
      // Output while waiting for an event: supervisord is strict about it.
      state_ = ListenerState::kUnknown;
      buffer_.clear();
      outcomes.push_back({ListenerOutcome::Kind::kViolation, ""});
      return false;
    case ListenerState::kBusy:
      break;
  }
  if (!have_length_) {
    const size_t newline = buffer_.find('\n');
    if (newline == std::string::npos) return false;
    std::string line = buffer_.substr(0, newline);
    buffer_.erase(0, newline + 1);
    std::optional<uint64_t> length =
        ParseLength(std::string_view(line).substr(std::min(line.size(), kResultTokenLength)));
    if (!length) {
      state_ = ListenerState::kUnknown;
      buffer_.clear();
      outcomes.push_back({ListenerOutcome::Kind::kBadResult, std::move(line)});
      return false;
    }
    have_length_ = true;
    result_length_ = *length;
  }
  const size_t needed = result_length_ - result_.size();
  result_.append(buffer_, 0, needed);
  buffer_.erase(0, std::min(needed, buffer_.size()));
  if (result_.size() < result_length_) return false;
  state_ = ListenerState::kAcknowledged;
  have_length_ = false;
  if (result_ == "OK") {
    outcomes.push_back({ListenerOutcome::Kind::kAccepted, ""});
  } else {
    outcomes.push_back({ListenerOutcome::Kind::kRejected, std::move(result_)});
  }
  result_.clear();
  return true;
}

}  // namespace vigil::core
