// vigild: argv -> options -> configuration -> (check report | the daemon) -> exit code.

#include <cstdio>
#include <string>

#include "base/exit_codes.h"
#include "config/loader.h"
#include "config/real_host.h"
#include "daemon/check_report.h"
#include "daemon/options.h"

namespace {

int ConfigError(const std::string& message, const char* argv0) {
  // supervisord's usage(): "Error: <message>" and a pointer to -h, exit status 2.
  std::fprintf(stderr, "Error: %s\nFor help, use %s -h\n", message.c_str(), argv0);
  return vigil::exit_code::kConfigError;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vigil;
  daemon::ParsedCommandLine parsed = daemon::ParseCommandLine(argc, argv);
  if (parsed.exit_code) {
    std::fputs(parsed.output.c_str(), *parsed.exit_code == 0 ? stdout : stderr);
    return *parsed.exit_code;
  }
  const daemon::Options& options = parsed.options;
  config::RealHost host;
  std::string path;
  if (options.configuration) {
    path = *options.configuration;
  } else {
    Result<std::string> found = config::FindDefaultConfigFile(host, argv[0]);
    if (!found) return ConfigError(found.error().message, argv[0]);
    path = *found;
  }
  Result<config::SupervisordConfig> loaded = config::LoadSupervisordConfig(path, host);
  if (!loaded) return ConfigError(loaded.error().message, argv[0]);
  Result<config::SupervisordConfig> config =
      daemon::ApplyOverrides(options, std::move(*loaded), host);
  if (!config) return ConfigError(config.error().message, argv[0]);

  if (options.check) {
    const std::string report =
        options.json ? daemon::CheckReportJson(*config) : daemon::CheckReportText(*config);
    std::fputs(report.c_str(), stdout);
    return exit_code::kOk;
  }
  std::fprintf(stderr,
               "vigild: this build validates configurations only (use --check); running "
               "programs arrives with the daemon\n");
  return exit_code::kFailure;
}
