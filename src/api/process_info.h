#pragma once

// supervisord's process info struct (getProcessInfo: 14 fields, in supervisord's order) and
// its human description ("pid 4242, uptime 1 day, 2:11:57", "Not started", ...).

#include <string>

#include "core/program.h"
#include "protocol/xml_rpc.h"

namespace vigil::api {

struct ProcessInfo {
  std::string name;
  std::string group;
  int64_t start = 0;  // epoch seconds of the last start, 0 = never
  int64_t stop = 0;   // epoch seconds of the last exit, 0 = never
  int64_t now = 0;
  int state = 0;
  std::string statename;
  std::string spawnerr;
  int exitstatus = 0;
  std::string stdout_logfile;
  std::string stderr_logfile;
  pid_t pid = 0;
  std::string description;
};

ProcessInfo DescribeProgram(const core::Program& program, WallTime now,
                            const std::string& stdout_logfile, const std::string& stderr_logfile);

// _interpretProcessInfo(): the description column of `supervisorctl status`.
std::string ProcessDescription(const ProcessInfo& info);

// Python's str(timedelta(seconds=n)): "0:00:05", "1 day, 2:11:57", "3 days, 0:00:00".
std::string TimedeltaString(int64_t seconds);

protocol::XmlRpcValue ProcessInfoValue(const ProcessInfo& info);

}  // namespace vigil::api
