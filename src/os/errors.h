#pragma once

// Turning a failed syscall into a Result: SysError("open /x") -> Error{kIo, "open /x: No such
// file or directory", ENOENT}.

#include <string>
#include <string_view>

#include "base/result.h"

namespace vigil::os {

Error SysError(std::string_view what, int err);
Error SysError(std::string_view what);  // uses errno
// "ENOENT", "EACCES": the symbolic name, as supervisord prints errno in spawn errors.
std::string ErrnoName(int err);

}  // namespace vigil::os
