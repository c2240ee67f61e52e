#pragma once

// Loading a supervisord configuration from disk: the main file, then every file its [include]
// section names (globs relative to the main file's directory, each glob's matches in sorted
// order; includes inside included files are not followed, as in supervisord). The only file
// I/O of the config module goes through Host. vigil's extension: [include] matches ending in
// ".service" and the [units] section's directories are systemd units (config_units.h).

#include <string>

#include "base/result.h"
#include "config/host.h"
#include "config/supervisord_config.h"

namespace vigil::config {

Result<SupervisordConfig> LoadSupervisordConfig(const std::string& path, const Host& host);

// supervisord's search when no -c is given: ../etc/supervisord.conf and ../supervisord.conf
// next to the binary, ./supervisord.conf, ./etc/supervisord.conf, /etc/supervisord.conf,
// /etc/supervisor/supervisord.conf. Returns the first that exists, or an error listing them.
Result<std::string> FindDefaultConfigFile(const Host& host, const std::string& argv0);

}  // namespace vigil::config
