#include "core/config_diff.h"

#include <algorithm>
#include <map>

namespace vigil::core {
namespace {

std::map<std::string, const config::GroupSpec*> ByName(const std::vector<config::GroupSpec>& gs) {
  std::map<std::string, const config::GroupSpec*> map;
  for (const config::GroupSpec& g : gs) map[g.name] = &g;
  return map;
}

const config::ProgramSpec* FindProcess(const config::GroupSpec& group, const std::string& name) {
  for (const config::ProgramSpec& p : group.processes) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

GroupChange Compare(const config::GroupSpec& before, const config::GroupSpec& after) {
  GroupChange change;
  change.group = after.name;
  change.group_settings_changed = before.priority != after.priority || before.kind != after.kind ||
                                  before.buffer_size != after.buffer_size ||
                                  before.events != after.events || before.socket != after.socket;
  for (const config::ProgramSpec& p : after.processes) {
    const config::ProgramSpec* old = FindProcess(before, p.name);
    if (old == nullptr) {
      change.added.push_back(p.name);
    } else if (!config::SameSettings(*old, p)) {
      change.changed.push_back(p.name);
    }
  }
  for (const config::ProgramSpec& p : before.processes) {
    if (FindProcess(after, p.name) == nullptr) change.removed.push_back(p.name);
  }
  for (auto* list : {&change.added, &change.changed, &change.removed}) {
    std::sort(list->begin(), list->end());
  }
  return change;
}

}  // namespace

std::vector<std::string> ConfigDiff::ChangedGroups() const {
  std::vector<std::string> names;
  for (const GroupChange& change : changed) names.push_back(change.group);
  return names;
}

ConfigDiff DiffGroups(const std::vector<config::GroupSpec>& running,
                      const std::vector<config::GroupSpec>& next) {
  ConfigDiff diff;
  const auto before = ByName(running);
  const auto after = ByName(next);
  for (const auto& [name, group] : after) {
    auto it = before.find(name);
    if (it == before.end()) {
      diff.added.push_back(name);
      continue;
    }
    GroupChange change = Compare(*it->second, *group);
    if (change.group_settings_changed || !change.added.empty() || !change.changed.empty() ||
        !change.removed.empty()) {
      diff.changed.push_back(std::move(change));
    }
  }
  for (const auto& [name, group] : before) {
    if (!after.contains(name)) diff.removed.push_back(name);
  }
  return diff;  // std::map iteration already sorted every list by name
}

}  // namespace vigil::core
