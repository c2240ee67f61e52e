#include "base/check.h"

#include <cstdio>
#include <cstdlib>

namespace vigil {

void CheckFailed(std::string_view message, const std::source_location& where) {
  std::fprintf(stderr, "vigil: invariant violated at %s:%u (%s): %.*s\n", where.file_name(),
               static_cast<unsigned>(where.line()), where.function_name(),
               static_cast<int>(message.size()), message.data());
  std::abort();
}

}  // namespace vigil
