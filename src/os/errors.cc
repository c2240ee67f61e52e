#include "os/errors.h"

#include <errno.h>
#include <fmt/format.h>

#include <cstring>

namespace vigil::os {

Error SysError(std::string_view what, int err) {
  return Error::Io(err, fmt::format("{}: {}", what, std::strerror(err)));
}

Error SysError(std::string_view what) { return SysError(what, errno); }

std::string ErrnoName(int err) {
  // strerrorname_np is glibc 2.32+; it returns null for unknown values.
  if (const char* name = ::strerrorname_np(err)) return name;
  return std::to_string(err);
}

}  // namespace vigil::os
