#pragma once

// Check(cond, msg): an invariant that only a bug can break. On failure it prints the message and
// where it was violated, then aborts. Never use it for the environment (files, users, peers):
// those are expected failures and return Result.

#include <source_location>
#include <string_view>

namespace vigil {

[[noreturn]] void CheckFailed(std::string_view message, const std::source_location& where);

inline void Check(bool condition, std::string_view message,
                  const std::source_location& where = std::source_location::current()) {
  if (!condition) [[unlikely]] {
    CheckFailed(message, where);
  }
}

}  // namespace vigil
