#include "core/exit_status.h"

#include <fmt/format.h>
#include <sys/wait.h>

#include "config/supervisord_types.h"

namespace vigil::core {

ExitStatus ExitStatus::FromWaitStatus(int status) {
  if (WIFEXITED(status)) return Exited(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return Killed(WTERMSIG(status), WCOREDUMP(status));
  return Killed(0);
}

std::string ExitStatus::Describe() const {
  if (exited) return fmt::format("exit status {}", code);
  return fmt::format("terminated by {}{}", config::SignalName(signal),
                     core_dumped ? " (core dumped)" : "");
}

}  // namespace vigil::core
