#pragma once

// Exec*= command lines (systemd.service(5) "Command lines"), as systemd 252's config_parse_exec()
// reads them:
// - words are unquoted and C-unescaped (an unknown escape is kept and warned about), then
//   %-specifiers are expanded; $VAR and ${VAR} are left for exec time;
// - the first word may start with the prefixes '-' (failure ignored), '@' (the next word is
//   argv[0]), ':' (no $VAR expansion), '+' (full privileges), '!' (no credential change) or
//   '!!' (the same, for systems without ambient capabilities), in any order, each at most once,
//   '+' never with '!'; a prefix repeated or misplaced ends the prefixes and is part of the path;
// - the executable is an absolute path or a bare file name (resolved later in the fixed search
//   path), never a variable to expand;
// - a word ";" alone separates two commands on one line; "\;" is a literal ";" argument.
// Errors make the unit fail to load, unless the command has the '-' prefix, in which case systemd
// logs them with ", ignoring" and skips the command; both are reproduced.

#include <string_view>
#include <vector>

#include "base/result.h"
#include "config/service_spec.h"
#include "config/unit_setting.h"

namespace vigil::config {

// The commands of one non-empty Exec*= value, in order.
Result<std::vector<ExecCommand>> ParseExecLine(const SettingContext& context,
                                               std::string_view value);

}  // namespace vigil::config
