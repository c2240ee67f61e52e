#pragma once

// Finding the file a command runs, with supervisord's checks before any fork (process.py
// get_execv_args and check_execv_args): a name without '/' is searched in `search_path`; the
// result must exist, not be a directory, have an execute bit, and be executable by us.

#include <string>
#include <vector>

#include "base/result.h"

namespace vigil::os {

// Errors (supervisord's spawnerr wording):
//   kNotFound            can't find command 'x'
//   kFailedPrecondition  command at 'x' is a directory / is not executable,
//                        no permission to run command 'x'
Result<std::string> ResolveCommand(const std::string& program,
                                   const std::vector<std::string>& search_path);

// $PATH split on ':', or supervisord's default /bin:/usr/bin:/usr/local/bin when unset/empty.
std::vector<std::string> SearchPath(const std::string* path_variable);

}  // namespace vigil::os
