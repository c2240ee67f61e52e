#pragma once

// %-specifiers in unit files (systemd.unit(5) "Specifiers"), as systemd 252 expands them. Which
// specifiers a setting accepts depends on the setting: dependency lists take only those that are
// safe in unit names, [Install] takes its own subset, most others take all. An unknown specifier
// makes the setting invalid (EBADSLT, "Invalid slot"); a '%' at the very end stays literal.
//
// %h %s %u %U %g %G describe the user vigild runs as (systemd's "the user running the service
// manager"), never User=; %t %S %C %L %E are /run /var/lib /var/cache /var/log /etc for vigild as
// root and the XDG directories otherwise, as for systemd's system and user managers.

#include <sys/types.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "config/host.h"
#include "config/unit_name.h"

namespace vigil::config {

// Everything the specifiers of one unit can expand to, gathered once per unit.
struct SpecifierContext {
  UnitName unit;
  std::string fragment_path;  // %y; "" when the unit has no fragment

  std::string hostname;         // %H (%l is its part before the first '.')
  std::string pretty_hostname;  // %q: PRETTY_HOSTNAME= of /etc/machine-info, else %l
  std::string machine_id;       // %m; "" when /etc/machine-id is missing (then %m fails)
  std::string boot_id;          // %b, 32 hex digits
  std::string kernel_release;   // %v
  std::string architecture;     // %a, systemd's name ("x86-64", "arm64", ...)
  std::map<std::string, std::string, std::less<>> os_release;  // %o %w %W %B %M %A

  std::string user_name, user_home, user_shell, group_name;  // %u %h %s %g
  uid_t uid = 0;                                             // %U
  gid_t gid = 0;                                             // %G

  std::string runtime_dir = "/run";      // %t
  std::string state_dir = "/var/lib";    // %S
  std::string cache_dir = "/var/cache";  // %C
  std::string logs_dir = "/var/log";     // %L
  std::string config_dir = "/etc";       // %E
  std::string tmp_dir = "/tmp";          // %T
  std::string var_tmp_dir = "/var/tmp";  // %V
  bool system_manager = true;            // vigild runs as root (for %c %r)
};

// Reads what the context needs through `host`: hostname, /etc/machine-id, the boot id and kernel
// release from /proc/sys/kernel, /etc/os-release (or /usr/lib/os-release), /etc/machine-info,
// and vigild's own user (Host::CurrentUid) with its group, home and shell.
SpecifierContext MakeSpecifierContext(const Host& host, const UnitName& unit,
                                      std::string fragment_path);

enum class SpecifierSet {
  kFull,      // unit_full_printf(): every specifier
  kUnitName,  // unit_name_printf(): %i %j %n %N %p, the machine ones and %g %G %u %U
  kInstall,   // [Install]: %a %b %B %g %G %H %i %j %l %m %n %N %o %p %u %U %v %w %W
};

struct ExpandedText {
  std::string text;
  // The deprecated cgroup specifiers used (%c %r %R): systemd still expands them but warns
  // "Specifier '%c' used in unit configuration, which is deprecated. ...".
  std::vector<char> deprecated;
};

// Errors carry systemd's errno: EBADSLT for an unknown specifier, EINVAL for %f on a name that
// is no valid escaped path, ENOENT for %m without a machine id or %y without a fragment.
Result<ExpandedText> ExpandSpecifiers(std::string_view text, const SpecifierContext& context,
                                      SpecifierSet set);

// systemd's message for a deprecated specifier.
std::string DeprecatedSpecifierMessage(char specifier);

}  // namespace vigil::config
