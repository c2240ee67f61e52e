#pragma once

// Check(cond, msg): an invariant that only a bug can break. On failure it prints the message and
// where it was violated, then aborts. Never use it for the environment (files, users, peers):
// those are expected failures and return Result.
//
// The caller's location comes from __builtin_FILE()/__builtin_LINE() default arguments rather
// than std::source_location, which clang 14 (our fuzzing compiler) cannot use with libstdc++ 12.

#include <string_view>

namespace vigil {

struct CodeLocation {
  const char* file;
  int line;
  const char* function;

  static constexpr CodeLocation Current(const char* file = __builtin_FILE(),
                                        int line = __builtin_LINE(),
                                        const char* function = __builtin_FUNCTION()) {
    return {file, line, function};
  }
};

[[noreturn]] void CheckFailed(std::string_view message, const CodeLocation& where);

inline void Check(bool condition, std::string_view message,
                  const CodeLocation& where = CodeLocation::Current()) {
  if (!condition) [[unlikely]] {
    CheckFailed(message, where);
  }
}

}  // namespace vigil
