#include "config/exit_status_names.h"

namespace vigil::config {
namespace {

struct NamedStatus {
  int status;
  std::string_view name;
};

// Generated from systemd 252's `systemd-analyze exit-status`.
constexpr NamedStatus kNamedStatuses[] = {
    {0, "SUCCESS"},
    {1, "FAILURE"},
    {2, "INVALIDARGUMENT"},
    {3, "NOTIMPLEMENTED"},
    {4, "NOPERMISSION"},
    {5, "NOTINSTALLED"},
    {6, "NOTCONFIGURED"},
    {7, "NOTRUNNING"},
    {64, "USAGE"},
    {65, "DATAERR"},
    {66, "NOINPUT"},
    {67, "NOUSER"},
    {68, "NOHOST"},
    {69, "UNAVAILABLE"},
    {70, "SOFTWARE"},
    {71, "OSERR"},
    {72, "OSFILE"},
    {73, "CANTCREAT"},
    {74, "IOERR"},
    {75, "TEMPFAIL"},
    {76, "PROTOCOL"},
    {77, "NOPERM"},
    {78, "CONFIG"},
    {200, "CHDIR"},
    {201, "NICE"},
    {202, "FDS"},
    {203, "EXEC"},
    {204, "MEMORY"},
    {205, "LIMITS"},
    {206, "OOM_ADJUST"},
    {207, "SIGNAL_MASK"},
    {208, "STDIN"},
    {209, "STDOUT"},
    {210, "CHROOT"},
    {211, "IOPRIO"},
    {212, "TIMERSLACK"},
    {213, "SECUREBITS"},
    {214, "SETSCHEDULER"},
    {215, "CPUAFFINITY"},
    {216, "GROUP"},
    {217, "USER"},
    {218, "CAPABILITIES"},
    {219, "CGROUP"},
    {220, "SETSID"},
    {221, "CONFIRM"},
    {222, "STDERR"},
    {224, "PAM"},
    {225, "NETWORK"},
    {226, "NAMESPACE"},
    {227, "NO_NEW_PRIVILEGES"},
    {228, "SECCOMP"},
    {229, "SELINUX_CONTEXT"},
    {230, "PERSONALITY"},
    {231, "APPARMOR"},
    {232, "ADDRESS_FAMILIES"},
    {233, "RUNTIME_DIRECTORY"},
    {235, "CHOWN"},
    {236, "SMACK_PROCESS_LABEL"},
    {237, "KEYRING"},
    {238, "STATE_DIRECTORY"},
    {239, "CACHE_DIRECTORY"},
    {240, "LOGS_DIRECTORY"},
    {241, "CONFIGURATION_DIRECTORY"},
    {242, "NUMA_POLICY"},
    {243, "CREDENTIALS"},
    {244, "BPF"},
    {255, "EXCEPTION"},
};

}  // namespace

std::optional<std::string_view> ExitStatusName(int status) {
  for (const NamedStatus& entry : kNamedStatuses) {
    if (entry.status == status) return entry.name;
  }
  return std::nullopt;
}

std::optional<int> ExitStatusByName(std::string_view name) {
  for (const NamedStatus& entry : kNamedStatuses) {
    if (entry.name == name) return entry.status;
  }
  return std::nullopt;
}

}  // namespace vigil::config
