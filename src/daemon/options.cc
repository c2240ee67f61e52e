#include "daemon/options.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "base/exit_codes.h"
#include "config/supervisord_builder.h"
#include "config/supervisord_types.h"

namespace vigil::daemon {

ParsedCommandLine ParseCommandLine(int argc, char** argv) {
  ParsedCommandLine parsed;
  Options& o = parsed.options;
  CLI::App app{
      "vigild: keeps programs running. Reads supervisord configuration files (and runs them "
      "the way supervisord does)."};
  app.set_version_flag("-v,--version", std::string(VIGIL_VERSION));
  app.add_option("-c,--configuration", o.configuration, "configuration file path");
  app.add_flag("-n,--nodaemon", o.nodaemon, "run in the foreground");
  app.add_flag("-s,--silent", o.silent, "in the foreground, do not echo the main log");
  app.add_option("-u,--user", o.user, "run as this user (or numeric uid)");
  app.add_option("-m,--umask", o.umask, "umask for the daemon (e.g. 022)");
  app.add_option("-d,--directory", o.directory, "directory to chdir to when daemonized");
  app.add_option("-l,--logfile", o.logfile, "main log file path");
  app.add_option("-y,--logfile_maxbytes", o.logfile_maxbytes, "rotate the main log at this size");
  app.add_option("-z,--logfile_backups", o.logfile_backups, "rotated main logs to keep");
  app.add_option("-e,--loglevel", o.loglevel,
                 "critical, error, warn, info, debug, trace or blather");
  app.add_option("-j,--pidfile", o.pidfile, "pid file path");
  app.add_option("-i,--identifier", o.identifier, "identifier used by the RPC interface");
  app.add_option("-q,--childlogdir", o.childlogdir, "directory for AUTO child log files");
  app.add_flag("-k,--nocleanup", o.nocleanup, "keep AUTO child logs of earlier runs");
  app.add_option("-a,--minfds", o.minfds, "minimum number of open files to allow");
  app.add_option("--minprocs", o.minprocs, "minimum number of processes to allow");
  app.add_flag("-t,--strip_ansi", o.strip_ansi, "strip ANSI escape sequences from child output");
  app.add_flag("--check", o.check,
               "read and validate the configuration, print what it means, and exit (0 valid, "
               "2 invalid)");
  app.add_option("--check-unit", o.check_unit,
                 "read and validate one systemd .service unit file as vigil would run it (with "
                 "its drop-ins), print what it means, and exit (0 valid, 2 invalid)");
  app.add_flag("--json", o.json, "with --check or --check-unit: print the result as JSON");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    parsed.exit_code = exit_code::kOk;
    parsed.output = app.help();
  } catch (const CLI::CallForVersion&) {
    parsed.exit_code = exit_code::kOk;
    parsed.output = fmt::format("{}\n", VIGIL_VERSION);
  } catch (const CLI::ParseError& error) {
    parsed.exit_code = exit_code::kConfigError;
    parsed.output = fmt::format("Error: {}\nFor help, use {} -h\n", error.what(), argv[0]);
  }
  return parsed;
}

Result<config::SupervisordConfig> ApplyOverrides(const Options& o, config::SupervisordConfig config,
                                                 const config::Host& host) {
  config::SupervisordSection& s = config.supervisord;
  auto fail = [](std::string_view option, const Error& error) {
    return Error::InvalidArgument(fmt::format("command line {}: {}", option, error.message));
  };
  if (o.nodaemon) s.nodaemon = true;
  if (o.silent) s.silent = true;
  if (o.nocleanup) s.nocleanup = true;
  if (o.strip_ansi) s.strip_ansi = true;
  if (o.user) {
    if (Result<config::UserSpec> user = config::LookupUser(host, *o.user); !user) {
      return fail("--user", user.error());
    }
    s.user = *o.user;
  }
  if (o.umask) {
    Result<uint32_t> umask = config::ParseOctal(*o.umask);
    if (!umask) return fail("--umask", umask.error());
    s.umask = *umask;
  }
  if (o.directory) {
    Result<std::string> dir = config::ExistingDirectory(host, *o.directory);
    if (!dir) return fail("--directory", dir.error());
    s.directory = *dir;
  }
  if (o.logfile) {
    Result<std::string> path = config::ExistingDirPath(host, *o.logfile);
    if (!path) return fail("--logfile", path.error());
    s.logfile = *path == "syslog" ? *path : config::NormalizePath(host, *path);
  }
  if (o.logfile_maxbytes) {
    Result<int64_t> n = config::ParseByteSize(*o.logfile_maxbytes);
    if (!n) return fail("--logfile_maxbytes", n.error());
    s.logfile_maxbytes = *n;
  }
  if (o.logfile_backups) {
    Result<int64_t> n = config::ParseInteger(*o.logfile_backups);
    if (!n) return fail("--logfile_backups", n.error());
    s.logfile_backups = *n;
  }
  if (o.loglevel) {
    Result<config::LogLevel> level = config::ParseLogLevel(*o.loglevel);
    if (!level) return fail("--loglevel", level.error());
    s.loglevel = *level;
  }
  if (o.pidfile) {
    Result<std::string> path = config::ExistingDirPath(host, *o.pidfile);
    if (!path) return fail("--pidfile", path.error());
    s.pidfile = config::NormalizePath(host, *path);
  }
  if (o.identifier) s.identifier = *o.identifier;
  if (o.childlogdir) {
    Result<std::string> dir = config::ExistingDirectory(host, *o.childlogdir);
    if (!dir) return fail("--childlogdir", dir.error());
    s.childlogdir = *dir;
  }
  if (o.minfds) {
    Result<int64_t> n = config::ParseInteger(*o.minfds);
    if (!n) return fail("--minfds", n.error());
    s.minfds = *n;
  }
  if (o.minprocs) {
    Result<int64_t> n = config::ParseInteger(*o.minprocs);
    if (!n) return fail("--minprocs", n.error());
    s.minprocs = *n;
  }
  return config;
}

}  // namespace vigil::daemon
