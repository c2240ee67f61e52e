#include "api/process_info.h"

#include <fmt/format.h>
#include <time.h>

namespace vigil::api {
namespace {

int64_t EpochSeconds(WallTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string TimedeltaString(int64_t seconds) {
  if (seconds < 0) seconds = 0;
  const int64_t days = seconds / 86400;
  const int64_t rest = seconds % 86400;
  std::string clock = fmt::format("{}:{:02d}:{:02d}", rest / 3600, (rest / 60) % 60, rest % 60);
  if (days == 0) return clock;
  return fmt::format("{} day{}, {}", days, days == 1 ? "" : "s", clock);
}

std::string ProcessDescription(const ProcessInfo& info) {
  using core::ProgramState;
  switch (static_cast<ProgramState>(info.state)) {
    case ProgramState::kRunning:
      return fmt::format("pid {}, uptime {}", info.pid, TimedeltaString(info.now - info.start));
    case ProgramState::kFatal:
    case ProgramState::kBackoff:
      if (!info.spawnerr.empty()) return info.spawnerr;
      return fmt::format("unknown error (try \"tail {}\")", info.name);
    case ProgramState::kStopped:
    case ProgramState::kExited: {
      if (info.start == 0) return "Not started";
      const time_t stop = static_cast<time_t>(info.stop);
      tm local{};
      ::localtime_r(&stop, &local);
      char text[64];
      ::strftime(text, sizeof text, "%b %d %I:%M %p", &local);
      return text;
    }
    case ProgramState::kStarting:
    case ProgramState::kStopping:
    case ProgramState::kUnknown:
      return "";
  }
  return "";
}

ProcessInfo DescribeProgram(const core::Program& program, WallTime now,
                            const std::string& stdout_logfile, const std::string& stderr_logfile) {
  ProcessInfo info;
  info.name = program.spec().name;
  info.group = program.spec().group;
  info.start = program.last_start() ? EpochSeconds(*program.last_start()) : 0;
  info.stop = program.last_stop() ? EpochSeconds(*program.last_stop()) : 0;
  info.now = EpochSeconds(now);
  info.state = static_cast<int>(program.state());
  info.statename = std::string(core::StateName(program.state()));
  info.spawnerr = program.spawn_error();
  info.exitstatus = program.exit_status();
  info.stdout_logfile = stdout_logfile;
  info.stderr_logfile = stderr_logfile;
  info.pid = program.pid();
  info.description = ProcessDescription(info);
  return info;
}

protocol::XmlRpcValue ProcessInfoValue(const ProcessInfo& info) {
  using protocol::CappedXmlRpcInt;
  return protocol::XmlRpcStruct{{"name", info.name},
                                {"group", info.group},
                                {"start", CappedXmlRpcInt(info.start)},
                                {"stop", CappedXmlRpcInt(info.stop)},
                                {"now", CappedXmlRpcInt(info.now)},
                                {"state", info.state},
                                {"statename", info.statename},
                                {"spawnerr", info.spawnerr},
                                {"exitstatus", info.exitstatus},
                                {"logfile", info.stdout_logfile},
                                {"stdout_logfile", info.stdout_logfile},
                                {"stderr_logfile", info.stderr_logfile},
                                {"pid", info.pid},
                                {"description", info.description}};
}

}  // namespace vigil::api
