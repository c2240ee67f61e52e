#include "base/check.h"

#include <cstdio>
#include <cstdlib>

namespace vigil {

void CheckFailed(std::string_view message, const CodeLocation& where) {
  std::fprintf(stderr, "vigil: invariant violated at %s:%d (%s): %.*s\n", where.file, where.line,
               where.function, static_cast<int>(message.size()), message.data());
  std::abort();
}

}  // namespace vigil
