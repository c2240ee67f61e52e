#pragma once

// What a re-read configuration changes, group by group and process by process (supervisord's
// reloadConfig/update; vigil also reports the processes inside a changed group, so that an
// update can leave the unchanged ones alone).

#include <string>
#include <vector>

#include "config/supervisord_config.h"

namespace vigil::core {

struct GroupChange {
  std::string group;
  std::vector<std::string> added;  // process names
  std::vector<std::string> changed;
  std::vector<std::string> removed;
  bool group_settings_changed = false;  // priority or kind of the group itself
};

struct ConfigDiff {
  std::vector<std::string> added;    // group names, sorted
  std::vector<GroupChange> changed;  // sorted by group name
  std::vector<std::string> removed;  // group names, sorted

  bool empty() const { return added.empty() && changed.empty() && removed.empty(); }
  std::vector<std::string> ChangedGroups() const;
};

ConfigDiff DiffGroups(const std::vector<config::GroupSpec>& running,
                      const std::vector<config::GroupSpec>& next);

}  // namespace vigil::core
