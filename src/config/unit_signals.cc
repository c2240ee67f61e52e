#include "config/unit_signals.h"

#include <errno.h>
#include <signal.h>

#include <array>
#include <cstdint>

#include "config/unit_values.h"

namespace vigil::config {
namespace {

constexpr std::array<std::string_view, 32> kSignalNames = {
    "",     "HUP",  "INT",  "QUIT", "ILL",    "TRAP",   "ABRT",  "BUS",  "FPE",  "KILL", "USR1",
    "SEGV", "USR2", "PIPE", "ALRM", "TERM",   "STKFLT", "CHLD",  "CONT", "STOP", "TSTP", "TTIN",
    "TTOU", "URG",  "XCPU", "XFSZ", "VTALRM", "PROF",   "WINCH", "IO",   "PWR",  "SYS"};

constexpr ExitStatusName kExitStatusNames[] = {
    {"SUCCESS", 0, "libc"},
    {"FAILURE", 1, "libc"},
    {"INVALIDARGUMENT", 2, "LSB"},
    {"NOTIMPLEMENTED", 3, "LSB"},
    {"NOPERMISSION", 4, "LSB"},
    {"NOTINSTALLED", 5, "LSB"},
    {"NOTCONFIGURED", 6, "LSB"},
    {"NOTRUNNING", 7, "LSB"},
    {"USAGE", 64, "BSD"},
    {"DATAERR", 65, "BSD"},
    {"NOINPUT", 66, "BSD"},
    {"NOUSER", 67, "BSD"},
    {"NOHOST", 68, "BSD"},
    {"UNAVAILABLE", 69, "BSD"},
    {"SOFTWARE", 70, "BSD"},
    {"OSERR", 71, "BSD"},
    {"OSFILE", 72, "BSD"},
    {"CANTCREAT", 73, "BSD"},
    {"IOERR", 74, "BSD"},
    {"TEMPFAIL", 75, "BSD"},
    {"PROTOCOL", 76, "BSD"},
    {"NOPERM", 77, "BSD"},
    {"CONFIG", 78, "BSD"},
    {"CHDIR", 200, "systemd"},
    {"NICE", 201, "systemd"},
    {"FDS", 202, "systemd"},
    {"EXEC", 203, "systemd"},
    {"MEMORY", 204, "systemd"},
    {"LIMITS", 205, "systemd"},
    {"OOM_ADJUST", 206, "systemd"},
    {"SIGNAL_MASK", 207, "systemd"},
    {"STDIN", 208, "systemd"},
    {"STDOUT", 209, "systemd"},
    {"CHROOT", 210, "systemd"},
    {"IOPRIO", 211, "systemd"},
    {"TIMERSLACK", 212, "systemd"},
    {"SECUREBITS", 213, "systemd"},
    {"SETSCHEDULER", 214, "systemd"},
    {"CPUAFFINITY", 215, "systemd"},
    {"GROUP", 216, "systemd"},
    {"USER", 217, "systemd"},
    {"CAPABILITIES", 218, "systemd"},
    {"CGROUP", 219, "systemd"},
    {"SETSID", 220, "systemd"},
    {"CONFIRM", 221, "systemd"},
    {"STDERR", 222, "systemd"},
    {"PAM", 224, "systemd"},
    {"NETWORK", 225, "systemd"},
    {"NAMESPACE", 226, "systemd"},
    {"NO_NEW_PRIVILEGES", 227, "systemd"},
    {"SECCOMP", 228, "systemd"},
    {"SELINUX_CONTEXT", 229, "systemd"},
    {"PERSONALITY", 230, "systemd"},
    {"APPARMOR", 231, "systemd"},
    {"ADDRESS_FAMILIES", 232, "systemd"},
    {"RUNTIME_DIRECTORY", 233, "systemd"},
    {"CHOWN", 235, "systemd"},
    {"SMACK_PROCESS_LABEL", 236, "systemd"},
    {"KEYRING", 237, "systemd"},
    {"STATE_DIRECTORY", 238, "systemd"},
    {"CACHE_DIRECTORY", 239, "systemd"},
    {"LOGS_DIRECTORY", 240, "systemd"},
    {"CONFIGURATION_DIRECTORY", 241, "systemd"},
    {"NUMA_POLICY", 242, "systemd"},
    {"CREDENTIALS", 243, "systemd"},
    {"BPF", 244, "systemd"},
    {"EXCEPTION", 255, "systemd"},
};

}  // namespace

Result<int> ParseUnitSignal(std::string_view text) {
  if (Result<int64_t> number = ParseCInteger(text, INT32_MIN, INT32_MAX)) {
    if (*number >= 1 && *number <= 64) return static_cast<int>(*number);
    return ErrnoError(ERANGE);
  }
  std::string_view name = text;
  if (name.starts_with("SIG")) name.remove_prefix(3);
  for (size_t signo = 1; signo < kSignalNames.size(); ++signo) {
    if (kSignalNames[signo] == name) return static_cast<int>(signo);
  }
  const int rtmin = SIGRTMIN;
  const int rtmax = SIGRTMAX;
  if (name.starts_with("RTMIN")) {
    std::string_view rest = name.substr(5);
    if (rest.empty()) return rtmin;
    if (rest.front() != '+') return ErrnoError(EINVAL);
    Result<int64_t> n = ParseCInteger(rest, INT32_MIN, INT32_MAX);
    if (!n) return n.error();
    if (*n < 0 || *n > rtmax - rtmin) return ErrnoError(ERANGE);
    return rtmin + static_cast<int>(*n);
  }
  if (name.starts_with("RTMAX")) {
    std::string_view rest = name.substr(5);
    if (rest.empty()) return rtmax;
    if (rest.front() != '-') return ErrnoError(EINVAL);
    Result<int64_t> n = ParseCInteger(rest, INT32_MIN, INT32_MAX);
    if (!n) return n.error();
    if (*n > 0 || *n < rtmin - rtmax) return ErrnoError(ERANGE);
    return rtmax + static_cast<int>(*n);
  }
  return ErrnoError(EINVAL);
}

std::span<const ExitStatusName> ExitStatusNames() { return kExitStatusNames; }

std::optional<int> ParseExitStatus(std::string_view text) {
  for (const ExitStatusName& entry : kExitStatusNames) {
    if (entry.name == text) return entry.status;
  }
  Result<int64_t> number = ParseCInteger(text, 0, 255);
  if (!number) return std::nullopt;
  return static_cast<int>(*number);
}

}  // namespace vigil::config
