#include "os/proc_stat.h"

#include <dirent.h>

#include <charconv>
#include <fstream>
#include <sstream>

#include "os/small_file.h"

namespace vigil::os {
namespace {

std::optional<pid_t> ParsePid(std::string_view text) {
  pid_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

}  // namespace

std::optional<ProcStat> ReadProcStat(pid_t pid) {
  Result<std::string> text = ReadSmallFile("/proc/" + std::to_string(pid) + "/stat");
  if (!text) return std::nullopt;
  // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses, so parse
  // from the last ')'.
  const size_t close = text->rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(text->substr(close + 1));
  ProcStat stat;
  stat.pid = pid;
  pid_t pgrp = 0;
  if (!(rest >> stat.state >> stat.ppid >> pgrp >> stat.session)) return std::nullopt;
  return stat;
}

std::optional<std::string> ReadCgroupPath(pid_t pid) {
  Result<std::string> text = ReadSmallFile("/proc/" + std::to_string(pid) + "/cgroup");
  if (!text) return std::nullopt;
  std::istringstream lines(*text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with("0::")) return line.substr(3);
  }
  return std::nullopt;
}

bool ProcessAlive(pid_t pid) {
  std::optional<ProcStat> stat = ReadProcStat(pid);
  return stat && stat->state != 'Z' && stat->state != 'X';
}

std::vector<pid_t> ProcessesInSessions(const std::set<pid_t>& sessions) {
  std::vector<pid_t> found;
  if (sessions.empty()) return found;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return found;
  while (dirent* entry = ::readdir(proc)) {
    std::optional<pid_t> pid = ParsePid(entry->d_name);
    if (!pid) continue;
    std::optional<ProcStat> stat = ReadProcStat(*pid);
    if (stat && stat->state != 'Z' && sessions.count(stat->session)) found.push_back(*pid);
  }
  ::closedir(proc);
  return found;
}

}  // namespace vigil::os
