#include "os/command.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <optional>

#include "base/strings.h"

namespace vigil::os {

std::vector<std::string> SearchPath(const std::string* path_variable) {
  if (path_variable == nullptr || path_variable->empty()) {
    return {"/bin", "/usr/bin", "/usr/local/bin"};
  }
  return Split(*path_variable, ':');
}

Result<std::string> ResolveCommand(const std::string& program,
                                   const std::vector<std::string>& search_path) {
  std::string filename = program;
  std::optional<struct stat> info;
  struct stat st {};
  if (program.find('/') != std::string::npos) {
    if (::stat(program.c_str(), &st) == 0) info = st;
  } else {
    for (const std::string& dir : search_path) {
      std::string candidate = dir.empty() ? program : dir + "/" + program;
      if (::stat(candidate.c_str(), &st) == 0) {
        filename = candidate;
        info = st;
        break;
      }
    }
  }
  // Python's %r of the name; names are plain paths in practice.
  const std::string quoted = PyRepr(filename);
  if (!info) return Error::NotFound(fmt::format("can't find command {}", quoted));
  if (S_ISDIR(info->st_mode)) {
    return Error::FailedPrecondition(fmt::format("command at {} is a directory", quoted));
  }
  if ((info->st_mode & 0111) == 0) {
    return Error::FailedPrecondition(fmt::format("command at {} is not executable", quoted));
  }
  if (::access(filename.c_str(), X_OK) != 0) {
    return Error::FailedPrecondition(fmt::format("no permission to run command {}", quoted));
  }
  return filename;
}

}  // namespace vigil::os
