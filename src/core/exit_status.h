#pragma once

// How a child ended: a normal exit with a code, or death by a signal (maybe with a core dump).

#include <string>

namespace vigil::core {

struct ExitStatus {
  bool exited = true;  // false: killed by `signal`
  int code = 0;        // when exited
  int signal = 0;      // when killed
  bool core_dumped = false;

  static ExitStatus Exited(int code) { return {true, code, 0, false}; }
  static ExitStatus Killed(int signal, bool core_dumped = false) {
    return {false, 0, signal, core_dumped};
  }
  // From a waitpid() status word.
  static ExitStatus FromWaitStatus(int status);

  // supervisord's exitstatus: the code, or -1 for a signal.
  int SupervisordCode() const { return exited ? code : -1; }
  // supervisord's wording: "exit status 1", "terminated by SIGKILL (core dumped)".
  std::string Describe() const;

  bool operator==(const ExitStatus&) const = default;
};

}  // namespace vigil::core
