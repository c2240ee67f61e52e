#pragma once

// A pipe whose ends are CLOEXEC; the end vigild keeps is also non-blocking.

#include "base/result.h"
#include "base/unique_fd.h"

namespace vigil::os {

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

enum class NonBlockingEnd { kRead, kWrite };

Result<Pipe> MakePipe(NonBlockingEnd non_blocking);

}  // namespace vigil::os
