#pragma once

// The parts of a systemd command's environment that are decided just before exec:
// EnvironmentFile= contents, and $VAR/${VAR} in Exec*= arguments (systemd's replace_env_argv).

#include <string>
#include <string_view>
#include <vector>

#include "config/program_spec.h"

namespace vigil::config {

// systemd.exec(5)'s EnvironmentFile= format: one VAR=value per line; empty lines, lines
// without '=' and lines starting with '#' or ';' are ignored; unquoted values lose leading
// and trailing whitespace and take shell backslash escapes, a trailing '\' continues the
// line; '...' values take no escapes, "..." values take \" \\ \` \$ and both may span lines.
// Invalid variable names are skipped and reported in `warnings` as "path:line: ...".
Environment ParseEnvironmentFile(std::string_view text, std::string_view path,
                                 std::vector<std::string>* warnings);

// Expands one command's arguments against `env`: an argument that is exactly "$NAME" becomes
// the value split at whitespace (0..n arguments; quotes in the value group words), "${NAME}"
// anywhere becomes the value as is, "$$" a literal '$'; unknown variables are empty. Any other
// '$' is kept.
std::vector<std::string> ExpandExecArguments(const std::vector<std::string>& argv,
                                             const Environment& env);

}  // namespace vigil::config
