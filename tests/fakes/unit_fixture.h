#pragma once

// UnitFixture: a SupervisorFixture for systemd services built directly as ServiceSpecs (no unit
// file text), with helpers to end their processes and look at their systemd state.

#include <functional>
#include <string>

#include "core/service.h"
#include "tests/fakes/supervisor_fixture.h"

namespace vigil::testing {

class UnitFixture : public SupervisorFixture {
 protected:
  using Configure = std::function<void(config::ServiceSpec&)>;

  // A service named `name` running /usr/bin/<name> (Type=simple, systemd's defaults), changed by
  // `configure`, added to the supervisor without starting it.
  void AddUnit(const std::string& name, const Configure& configure = nullptr) {
    config::ProgramSpec spec;
    spec.dialect = config::Dialect::kSystemd;
    spec.name = spec.group = spec.program = name;
    spec.autostart = false;
    config::ServiceSpec service;
    service.unit_name = name;
    service.exec_start.push_back(Command("/usr/bin/" + name));
    if (configure) configure(service);
    spec.service = std::move(service);
    config::GroupSpec group;
    group.name = name;
    group.processes.push_back(std::move(spec));
    ASSERT_TRUE(supervisor_.AddGroup(group));
  }

  static config::ExecCommand Command(const std::string& path) {
    config::ExecCommand command;
    command.path = path;
    command.argv = {path};
    return command;
  }

  const core::Service& Unit(const std::string& name) const {
    const core::Service* service = supervisor_.FindService(name);
    if (service == nullptr) {
      ADD_FAILURE() << "no unit " << name;
      std::abort();
    }
    return *service;
  }
  std::string Sub(const std::string& name) const {
    return std::string(core::ServiceStateName(Unit(name).service_state()));
  }
  std::string Active(const std::string& name) const {
    return std::string(core::ActiveStateName(Unit(name).active_state()));
  }
  std::string ResultOf(const std::string& name) const {
    return std::string(core::ServiceResultName(Unit(name).result()));
  }

  // Ends the last command started with path `path`.
  void EndCommand(const std::string& path, const core::ExitStatus& status) {
    for (auto it = spawner_.commands().rbegin(); it != spawner_.commands().rend(); ++it) {
      if (it->path == path) {
        supervisor_.OnChildExited(it->id, status);
        return;
      }
    }
    ADD_FAILURE() << "no command " << path;
  }
  // Ends the main process of `name`, whatever started it.
  void EndMain(const std::string& name, const core::ExitStatus& status) {
    std::optional<core::ChildId> child = Unit(name).main_child();
    ASSERT_TRUE(child.has_value()) << name << " has no main process";
    supervisor_.OnChildExited(*child, status);
  }
  // Every service log line of `name`.
  std::vector<std::string> Logs(const std::string& name) const {
    std::vector<std::string> lines;
    for (const core::ProgramEvent& e : events_.events()) {
      if (e.kind == core::ProgramEvent::Kind::kServiceLog && e.name == name) {
        lines.push_back(e.message);
      }
    }
    return lines;
  }
  bool Logged(const std::string& name, const std::string& fragment) const {
    for (const std::string& line : Logs(name)) {
      if (line.find(fragment) != std::string::npos) return true;
    }
    return false;
  }
};

}  // namespace vigil::testing
