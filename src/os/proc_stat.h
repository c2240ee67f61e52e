#pragma once

// Reading another process's facts from /proc: its parent, session and state
// (/proc/PID/stat), its cgroup v2 path (/proc/PID/cgroup), and every process of some sessions.
// All of these race with the process exiting; a vanished process reads as nullopt.

#include <sys/types.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace vigil::os {

struct ProcStat {
  pid_t pid = 0;
  char state = '?';  // 'R', 'S', 'Z', ...
  pid_t ppid = 0;
  pid_t session = 0;
};

std::optional<ProcStat> ReadProcStat(pid_t pid);
// The process's cgroup v2 path relative to the hierarchy's root ("/vigil/x/doris-be.service"),
// from the "0::" line of /proc/PID/cgroup.
std::optional<std::string> ReadCgroupPath(pid_t pid);
// Whether `pid` exists and is not a zombie.
bool ProcessAlive(pid_t pid);
// Every live process whose session is one of `sessions` (a scan of /proc).
std::vector<pid_t> ProcessesInSessions(const std::set<pid_t>& sessions);

}  // namespace vigil::os
