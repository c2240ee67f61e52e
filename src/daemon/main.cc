// vigild: argv -> options -> configuration -> (check report | the daemon) -> exit code.

#include <signal.h>

#include <cstdio>
#include <string>

#include "base/exit_codes.h"
#include "config/loader.h"
#include "config/real_host.h"
#include "config/unit_loader.h"
#include "config/unit_lookup.h"
#include "config/unit_name.h"
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

// --check-unit: a template is checked as the instance "test_instance", as systemd-analyze
// verify does.
int CheckUnit(const vigil::daemon::Options& options, const vigil::config::Host& host,
              const char* argv0) {
  using namespace vigil;
  const std::string& path = *options.check_unit;
  std::optional<config::UnitName> name = config::ParseUnitName(config::BaseName(path));
  const bool is_template = name && name->form == config::UnitNameForm::kTemplate;
  Result<config::LoadedUnit> unit =
      config::LoadServiceUnitFile(path, {}, host, is_template ? "test_instance" : "");
  if (!unit) return ConfigError(unit.error().message, argv0);
  const std::string report = options.json ? daemon::CheckUnitReportJson(unit->spec, unit->warnings)
                                          : daemon::CheckUnitReportText(unit->spec, unit->warnings);
  std::fputs(report.c_str(), stdout);
  return exit_code::kOk;
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
  if (options.check_unit) return CheckUnit(options, host, argv[0]);
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
