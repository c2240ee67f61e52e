#pragma once

// Turns a parsed supervisord configuration into a validated SupervisordConfig, applying every
// rule of supervisord 4.2.5's options.py (read_config, process_groups_from_parser,
// _processes_from_section, server_configs_from_parser, realize): defaults, %-expansions,
// datatypes, numprocs, groups, event listener pools. What supervisord rejects is rejected here
// with a located message; what supervisord silently mangles is accepted the same way and
// reported in `warnings`.

#include <string>
#include <vector>

#include "base/result.h"
#include "config/host.h"
#include "config/ini_document.h"
#include "config/py_format.h"
#include "config/section_reader.h"
#include "config/supervisord_config.h"

namespace vigil::config {

struct BuildContext {
  const Host& host;
  std::string path;  // the main config file, absolute
  std::string here;  // its directory
};

Result<SupervisordConfig> BuildSupervisordConfig(const IniDocument& doc,
                                                 const BuildContext& context);

// What every program section's builder shares: the machine, %(here)s, the ENV_ expansions
// (from the environment and [supervisord] environment=), and the warnings collected so far.
struct BuildState {
  const BuildContext& context;
  Expansions environ_expansions;
  std::vector<std::string> warnings;
};

// A reader for `section` whose expansions are %(here)s, the ENV_ names, and `extra`.
SectionReader MakeSectionReader(const IniDocument& doc, const BuildState& state,
                                const std::string& section, const Expansions& extra = {});

// Every process group: [group:x] sections first, then the remaining [program:x], then
// [eventlistener:x] pools and [fcgi-program:x]; sorted by (priority, name) as supervisord
// sorts them.
Result<std::vector<GroupSpec>> GroupsFromDocument(const IniDocument& doc, BuildState& state);

// Every [inet_http_server*] section, then every [unix_http_server*] section.
Result<std::vector<HttpServerSpec>> ServersFromDocument(const IniDocument& doc, BuildState& state);

// vigil's [access:NAME] sections.
Result<std::vector<AccessRule>> AccessRulesFromDocument(const IniDocument& doc, BuildState& state);

// supervisord's _processes_from_section(): the processes of one [program:x],
// [eventlistener:x] or [fcgi-program:x] section, in group `group_name`, sorted by priority.
Result<std::vector<ProgramSpec>> ProgramsFromSection(const IniDocument& doc,
                                                     const std::string& section,
                                                     const std::string& group_name,
                                                     ProgramKind kind, BuildState& state);

// supervisord's name_to_uid(): a user name or a numeric uid that must exist.
Result<UserSpec> LookupUser(const Host& host, std::string_view name);
// colon_separated_user_group(): "user" or "user:group", names or ids that must exist.
struct UserGroup {
  uid_t uid = 0;
  std::optional<gid_t> gid;
};
Result<UserGroup> ParseUserGroup(const Host& host, std::string_view text);
// existing_dirpath(): the directory part of `path` (after ~) must exist, if it has one.
Result<std::string> ExistingDirPath(const Host& host, std::string_view path);
// existing_directory(): `path` (after ~) must be a directory.
Result<std::string> ExistingDirectory(const Host& host, std::string_view path);

}  // namespace vigil::config
