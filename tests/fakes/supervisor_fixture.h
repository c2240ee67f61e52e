#pragma once

// SupervisorFixture: a Supervisor over a FakeClock, FakeSpawner and CapturingEventSink, loaded
// from supervisord ini text, with helpers that play out time.

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>

#include "config/loader.h"
#include "core/supervisor.h"
#include "tests/fakes/capturing_event_sink.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_host.h"
#include "tests/fakes/fake_spawner.h"

namespace vigil::testing {

class SupervisorFixture : public ::testing::Test {
 protected:
  // Loads "[supervisord]\n" + `programs` and adds every group (without starting anything).
  void Load(const std::string& programs) {
    host_.AddFile("/etc/test.conf", "[supervisord]\n" + programs);
    Result<config::SupervisordConfig> config =
        config::LoadSupervisordConfig("/etc/test.conf", host_);
    ASSERT_TRUE(config) << config.error().message;
    for (const config::GroupSpec& group : config->groups) {
      ASSERT_TRUE(supervisor_.AddGroup(group));
    }
  }

  core::ProgramState StateOf(const std::string& namespec) const {
    const core::Program* program = supervisor_.FindProcess(namespec);
    EXPECT_NE(program, nullptr) << namespec;
    return program ? program->state() : core::ProgramState::kUnknown;
  }

  // Moves the clock to each deadline in turn, up to `seconds` from now, acting on each. Every
  // spawn not yet shown to an `on_spawn` (including those before this call) is shown to it,
  // and it may end the child at once (a command like /bin/false).
  void RunFor(double seconds,
              std::function<std::optional<core::ExitStatus>(const FakeSpawner::SpawnRecord&)>
                  on_spawn = nullptr) {
    const MonotonicTime end =
        clock_.Now() + std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds));
    auto end_new_children = [&] {
      while (on_spawn && handled_spawns_ < spawner_.spawns().size()) {
        const FakeSpawner::SpawnRecord record = spawner_.spawns()[handled_spawns_++];
        if (std::optional<core::ExitStatus> status = on_spawn(record)) {
          supervisor_.OnChildExited(record.id, *status);
        }
      }
    };
    while (true) {
      end_new_children();
      std::optional<MonotonicTime> next = supervisor_.NextDeadline();
      if (!next || *next > end) break;
      if (*next > clock_.Now()) clock_.Advance(*next - clock_.Now());
      supervisor_.OnDeadline();
    }
    if (clock_.Now() < end) clock_.Advance(end - clock_.Now());
  }

  size_t handled_spawns_ = 0;
  FakeHost host_;
  FakeClock clock_;
  FakeSpawner spawner_{clock_};
  CapturingEventSink events_;
  core::Supervisor supervisor_{clock_, spawner_, events_};
};

}  // namespace vigil::testing
