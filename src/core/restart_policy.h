#pragma once

// RestartPolicy: the decisions that differ between dialects, kept apart from the state machine
// (program.h) so that one machine serves supervisord's rules now and systemd's Restart= table,
// RestartSec and start limits later. A policy object belongs to one program and keeps that
// program's counters.

#include <cstdint>
#include <memory>
#include <optional>

#include "base/time.h"
#include "config/program_spec.h"
#include "core/exit_status.h"

namespace vigil::core {

struct ExitVerdict {
  bool expected = true;  // shown in logs and events ("expected" / "not expected")
  bool restart = false;  // start again on its own
  Duration delay{0};     // after this long
};

class RestartPolicy {
 public:
  virtual ~RestartPolicy() = default;

  // How long a new child must stay up before it counts as started (RUNNING).
  virtual Duration StartGrace() const = 0;
  // A start failed (spawn error, or exit within StartGrace). Returns how long to wait before
  // the next attempt, or nullopt to give up (FATAL).
  virtual std::optional<Duration> OnStartFailed() = 0;
  // Failed start attempts since the last success or give-up ("tries" in events).
  virtual int64_t FailedStarts() const = 0;
  // The program reached RUNNING.
  virtual void OnStarted() = 0;
  // The program gave up (FATAL): counters start over.
  virtual void OnGaveUp() = 0;
  // A child that had reached RUNNING exited on its own.
  virtual ExitVerdict OnExit(const ExitStatus& status) = 0;
  // Whether `status` counts as expected (for the "stopped:" log level).
  virtual bool IsExpected(const ExitStatus& status) const = 0;
};

// supervisord 4.2.5 (process.py): after the N-th consecutive failed start the next attempt
// waits N seconds (1 s, 2 s, 3 s, ...; no cap); more than `startretries` failures give up;
// reaching RUNNING resets the count. An exit after RUNNING restarts at once if autorestart is
// true, or if it is "unexpected" and the code is not in `exitcodes`; a signal is never
// expected. The counter is deliberately not reset by a stop from BACKOFF, as in supervisord.
class SupervisordRestartPolicy : public RestartPolicy {
 public:
  explicit SupervisordRestartPolicy(const config::SupervisordRestart& settings)
      : settings_(settings) {}

  Duration StartGrace() const override { return settings_.startsecs; }
  std::optional<Duration> OnStartFailed() override;
  int64_t FailedStarts() const override { return backoff_; }
  void OnStarted() override { backoff_ = 0; }
  void OnGaveUp() override { backoff_ = 0; }
  ExitVerdict OnExit(const ExitStatus& status) override;
  bool IsExpected(const ExitStatus& status) const override;

 private:
  config::SupervisordRestart settings_;
  int64_t backoff_ = 0;
};

std::unique_ptr<RestartPolicy> MakeRestartPolicy(const config::ProgramSpec& spec);

}  // namespace vigil::core
