#include "config/program_spec.h"

namespace vigil::config {

void SetVariable(Environment& environment, std::string_view key, std::string value) {
  for (auto& variable : environment) {
    if (variable.first == key) {
      variable.second = std::move(value);
      return;
    }
  }
  environment.emplace_back(std::string(key), std::move(value));
}

std::string Namespec(const ProgramSpec& spec) {
  if (spec.group == spec.name) return spec.name;
  return spec.group + ":" + spec.name;
}

}  // namespace vigil::config

namespace vigil::config {

bool SameSettings(const ProgramSpec& a, const ProgramSpec& b) {
  ProgramSpec left = a;
  ProgramSpec right = b;
  left.where = right.where = SourceLocation{};
  // A unit's enablement is not one of its settings: `enable` must not make update or
  // daemon-reload treat it as changed.
  if (left.dialect == Dialect::kSystemd && right.dialect == Dialect::kSystemd) {
    left.autostart = right.autostart = false;
  }
  return left == right;
}

}  // namespace vigil::config
