#include "daemon/event_log.h"

#include <fmt/format.h>

namespace vigil::daemon {

void LogProgramEvent(logs::MainLog& log, const core::ProgramEvent& e) {
  using Kind = core::ProgramEvent::Kind;
  switch (e.kind) {
    case Kind::kStateChanged:
      log.Debug(fmt::format("{} state: {} -> {}", e.namespec, core::StateName(e.from),
                            core::StateName(e.to)));
      return;
    case Kind::kSpawned:
      log.Info(fmt::format("spawned: '{}' with pid {}", e.name, e.pid));
      return;
    case Kind::kSpawnError:
      log.Info(fmt::format("spawnerr: {}", e.message));
      return;
    case Kind::kRunning:
      log.Info(
          fmt::format("success: {} entered RUNNING state, process has stayed up for > than "
                      "{} seconds (startsecs)",
                      e.name, e.startsecs));
      return;
    case Kind::kExited: {
      const std::string line = fmt::format("exited: {} ({}; {})", e.name, e.status.Describe(),
                                           e.expected ? "expected" : "not expected");
      e.expected ? log.Info(line) : log.Warn(line);
      return;
    }
    case Kind::kStopped: {
      const std::string line = fmt::format("stopped: {} ({})", e.name, e.status.Describe());
      e.expected ? log.Info(line) : log.Warn(line);
      return;
    }
    case Kind::kGaveUp:
      log.Info(fmt::format("gave up: {} entered FATAL state, too many start retries too quickly",
                           e.name));
      return;
    case Kind::kKilling:
      if (e.pid != 0) {
        log.Warn(fmt::format("killing '{}' ({}) with SIGKILL", e.name, e.pid));
      } else {
        log.Warn(fmt::format("killing what is left of '{}' with SIGKILL", e.name));
      }
      return;
    case Kind::kServiceLog:
      // As journald shows a unit's messages: "doris-be.service: Main process exited, ...".
      log.Info(fmt::format("{}: {}", e.name, e.message));
      return;
    case Kind::kSignalError:
      log.Critical(fmt::format("unknown problem signalling {} ({}): {}", e.name, e.pid, e.message));
      return;
  }
}

}  // namespace vigil::daemon
