// vigilctl: control vigild. See docs/vigilctl.md.

#include <curl/curl.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "base/exit_codes.h"
#include "config/real_host.h"
#include "ctl/commands.h"
#include "ctl/server_lookup.h"

int main(int argc, char** argv) {
  using namespace vigil;
  CLI::App app{"vigilctl: control vigild (and see what it runs)."};
  app.set_version_flag("-v,--version-of-vigilctl", std::string(VIGIL_VERSION));
  ctl::LookupOptions lookup;
  lookup.argv0 = argv[0];
  ctl::Command command;
  app.add_option("-c,--configuration", lookup.configuration,
                 "configuration file to find vigild's socket in");
  app.add_option("-s,--serverurl", lookup.serverurl,
                 "vigild's URL: unix:///path/to/socket or http://host:port");
  app.add_option("-u,--username", lookup.username, "user name for vigild's server");
  app.add_option("-p,--password", lookup.password, "password for vigild's server");
  app.add_flag("--json", command.json, "print JSON");
  app.require_subcommand(1);

  auto names = [&](CLI::App* sub, const char* what) {
    sub->add_option("names", command.args, what);
  };
  names(app.add_subcommand("status", "show programs and their state"), "programs, group:* ...");
  for (const char* verb : {"start", "stop", "restart"}) {
    CLI::App* sub = app.add_subcommand(verb, std::string(verb) + " programs (name, group:*, all)");
    names(sub, "programs");
    sub->add_flag("--no-wait", command.no_wait, "do not wait for the state change");
  }
  names(app.add_subcommand("signal", "send a signal: signal HUP NAME..."), "signal, programs");
  names(app.add_subcommand("pid", "vigild's pid, or programs' pids"), "programs");
  CLI::App* tail =
      app.add_subcommand("tail", "show the end of a program's log: tail NAME [stderr]");
  tail->add_flag("-f,--follow", command.follow, "keep printing what is written");
  tail->add_option("-n,--bytes", command.bytes, "how many bytes");
  names(tail, "program [stdout|stderr]");
  names(app.add_subcommand("info", "one program: state, settings and log files"), "program");
  CLI::App* wait = app.add_subcommand("wait", "wait until a program is in a state");
  names(wait, "program [STATE]");
  wait->add_option("--timeout", command.timeout, "seconds to wait (default 30)");
  // systemd units (systemctl's verbs); start, stop, restart, status take units too.
  names(app.add_subcommand("try-restart", "restart units that are running"), "units");
  names(app.add_subcommand("reset-failed", "clear units' failed state and start limit"), "units");
  for (const char* verb : {"enable", "disable"}) {
    CLI::App* sub = app.add_subcommand(
        verb, std::string(verb) + " units: start (or not) whenever vigild starts");
    names(sub, "units");
    sub->add_flag("--now", command.now, "also start (or stop) them now");
  }
  for (const char* verb : {"is-active", "is-failed", "is-enabled"}) {
    CLI::App* sub = app.add_subcommand(verb, "print units' state; exit 0 as systemctl does");
    names(sub, "units");
    sub->add_flag("-q,--quiet", command.quiet, "print nothing, only the exit code");
  }
  CLI::App* show = app.add_subcommand("show", "units' properties: show [-p KEY,...] NAME");
  names(show, "units");
  show->add_option("-p,--property", command.properties, "only these properties");
  show->add_flag("--value", command.value_only, "print only the values");
  app.add_subcommand("daemon-reload", "read the unit files again");
  app.add_subcommand("list-units", "every unit and its state");
  app.add_subcommand("reread", "show what the configuration file changes");
  app.add_subcommand("update", "apply the configuration file's changes, per process");
  names(app.add_subcommand("reload",
                           "reload units (ExecReload=); without names: stop everything and "
                           "start again from the configuration"),
        "units");
  app.add_subcommand("shutdown", "stop every program and vigild");
  app.add_subcommand("version", "vigild's version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? exit_code::kCtlOk : exit_code::kCtlUsage;
  }
  command.verb = app.get_subcommands().front()->get_name();
  if (command.verb == "tail" && command.args.size() == 2) {
    command.stream = command.args[1];
    command.args.resize(1);
  }
  if (command.verb == "wait" && command.args.size() == 2) {
    command.state = command.args[1];
    command.args.resize(1);
  }

  config::RealHost host;
  Result<ctl::ServerAddress> server = ctl::FindServer(lookup, host);
  if (!server) {
    std::cerr << "vigilctl: " << server.error().message << "\n";
    return exit_code::kCtlUnreachable;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const int code = ctl::RunCommand(command, ctl::Client(*server), std::cout, std::cerr);
  curl_global_cleanup();
  return code;
}
