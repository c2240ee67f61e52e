// vigild: argv -> options -> configuration -> (check report | the daemon) -> exit code.

#include <signal.h>

#include <cstdio>
#include <string>

#include "base/exit_codes.h"
#include "config/loader.h"
#include "config/real_host.h"
#include "daemon/check_report.h"
#include "daemon/daemon.h"
#include "daemon/options.h"
#include "os/signal_fd.h"

namespace {

int ConfigError(const std::string& message, const char* argv0) {
  // supervisord's usage(): "Error: <message>" and a pointer to -h, exit status 2.
  std::fprintf(stderr, "Error: %s\nFor help, use %s -h\n", message.c_str(), argv0);
  return vigil::exit_code::kConfigError;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vigil;
  // Before anything else, so no signal can arrive unhandled: they are read from a signalfd.
  if (Result<void> blocked = os::BlockSignals(daemon::kHandledSignals); !blocked) {
    std::fprintf(stderr, "vigild: %s\n", blocked.error().message.c_str());
    return exit_code::kFailure;
  }
  // A write to a pipe whose reader is gone must fail with EPIPE, not kill vigild.
  ::signal(SIGPIPE, SIG_IGN);

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
  // Reloads read the same file again, so it is remembered as an absolute path.
  std::string absolute_path = config->path;
  daemon::Daemon vigild(host, std::move(absolute_path), options, std::move(*config));
  return vigild.Run();
}
