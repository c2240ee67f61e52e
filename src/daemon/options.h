#pragma once

// vigild's command line: supervisord's options (a value given here beats the config file's),
// plus vigil's own --check, --check-unit and --json.

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "config/host.h"
#include "config/supervisord_config.h"

namespace vigil::daemon {

struct Options {
  std::optional<std::string> configuration;     // -c
  bool nodaemon = false;                        // -n
  bool silent = false;                          // -s
  std::optional<std::string> user;              // -u
  std::optional<std::string> umask;             // -m
  std::optional<std::string> directory;         // -d
  std::optional<std::string> logfile;           // -l
  std::optional<std::string> logfile_maxbytes;  // -y
  std::optional<std::string> logfile_backups;   // -z
  std::optional<std::string> loglevel;          // -e
  std::optional<std::string> pidfile;           // -j
  std::optional<std::string> identifier;        // -i
  std::optional<std::string> childlogdir;       // -q
  bool nocleanup = false;                       // -k
  std::optional<std::string> minfds;            // -a
  std::optional<std::string> minprocs;          // --minprocs
  bool strip_ansi = false;                      // -t
  bool check = false;                           // --check: validate, print, exit
  std::optional<std::string> check_unit;        // --check-unit PATH: validate one unit file
  bool json = false;                            // --json: with --check(-unit), print JSON
  bool version = false;                         // -v
};

// The outcome of parsing argv: the options, or (for --help, --version and usage errors) what to
// print and the exit code to end with.
struct ParsedCommandLine {
  Options options;
  std::optional<int> exit_code;  // set when parsing already decided the outcome (help, usage)
  std::string output;            // what to print in that case
};
ParsedCommandLine ParseCommandLine(int argc, char** argv);

// The configuration with the command line's values over its [supervisord] section, checked by
// the same rules as the file's.
Result<config::SupervisordConfig> ApplyOverrides(const Options& options,
                                                 config::SupervisordConfig config,
                                                 const config::Host& host);

}  // namespace vigil::daemon
