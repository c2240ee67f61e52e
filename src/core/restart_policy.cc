#include "core/restart_policy.h"

#include <algorithm>

namespace vigil::core {

std::optional<Duration> SupervisordRestartPolicy::OnStartFailed() {
  ++backoff_;
  if (backoff_ > settings_.startretries) return std::nullopt;
  return std::chrono::seconds(backoff_);
}

bool SupervisordRestartPolicy::IsExpected(const ExitStatus& status) const {
  const int code = status.SupervisordCode();
  return std::find(settings_.exitcodes.begin(), settings_.exitcodes.end(), code) !=
         settings_.exitcodes.end();
}

ExitVerdict SupervisordRestartPolicy::OnExit(const ExitStatus& status) {
  backoff_ = 0;
  ExitVerdict verdict;
  verdict.expected = IsExpected(status);
  switch (settings_.autorestart) {
    case config::AutoRestart::kAlways:
      verdict.restart = true;
      break;
    case config::AutoRestart::kUnexpected:
      verdict.restart = !verdict.expected;
      break;
    case config::AutoRestart::kNever:
      verdict.restart = false;
      break;
  }
  return verdict;
}

std::unique_ptr<RestartPolicy> MakeRestartPolicy(const config::ProgramSpec& spec) {
  return std::make_unique<SupervisordRestartPolicy>(spec.restart);
}

}  // namespace vigil::core
