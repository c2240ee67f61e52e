#include "config/program_spec.h"

namespace vigil::config {

std::string Namespec(const ProgramSpec& spec) {
  if (spec.group == spec.name) return spec.name;
  return spec.group + ":" + spec.name;
}

}  // namespace vigil::config
