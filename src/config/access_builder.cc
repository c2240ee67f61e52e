// vigil's access list: [access:NAME] sections (supervisord ignores sections it does not know, so
// a file with them still works under supervisord).
//
//   [access:doris-operators]
//   users = doris            ; user names or uids, comma-separated
//   groups = dorisops        ; group names or gids
//   verbs = read, start, stop
//   programs = doris-fe, doris-be, doris:*

#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "config/py_text.h"
#include "config/supervisord_builder.h"

namespace vigil::config {
namespace {

constexpr std::string_view kVerbs[] = {"read",   "start", "stop",   "restart",
                                       "signal", "tail",  "reload", "admin"};

// Items separated by commas and/or whitespace.
std::vector<std::string> Items(std::string_view text) {
  std::string spaced(text);
  std::replace(spaced.begin(), spaced.end(), ',', ' ');
  return SplitWhitespace(spaced);
}

}  // namespace

Result<std::vector<AccessRule>> AccessRulesFromDocument(const IniDocument& doc, BuildState& state) {
  std::vector<AccessRule> rules;
  const Host& host = state.context.host;
  for (const std::string& section : doc.SectionNames()) {
    if (!section.starts_with("access:")) continue;
    SectionReader r = MakeSectionReader(doc, state, section);
    AccessRule rule;
    rule.name = section.substr(section.find(':') + 1);
    rule.where = r.HeaderWhere();
    Result<std::string> users = r.Get("users", "");
    if (!users) return users.error();
    for (const std::string& user : Items(*users)) {
      Result<UserSpec> found = LookupUser(host, user);
      if (!found) return r.KeyError("users", found.error().message);
      rule.uids.push_back(found->uid);
    }
    Result<std::string> groups = r.Get("groups", "");
    if (!groups) return groups.error();
    for (const std::string& group : Items(*groups)) {
      std::optional<GroupRecord> record;
      if (std::optional<int64_t> gid = PyInt(group); gid && *gid >= 0) {
        record = host.GroupById(static_cast<gid_t>(*gid));
      } else {
        record = host.GroupByName(group);
      }
      if (!record) {
        return r.KeyError("groups", fmt::format("no such group {} (expected group names or gids "
                                                "from the group database)",
                                                group));
      }
      rule.gids.push_back(record->gid);
    }
    if (rule.uids.empty() && rule.gids.empty()) {
      return r.SectionError("names nobody: add users= and/or groups= (names or ids)");
    }
    Result<std::string> verbs = r.Get("verbs", "");
    if (!verbs) return verbs.error();
    for (const std::string& verb : Items(*verbs)) {
      const std::string lower = AsciiLower(verb);
      if (std::find(std::begin(kVerbs), std::end(kVerbs), lower) == std::end(kVerbs)) {
        return r.KeyError("verbs",
                          fmt::format("unknown verb {} (expected read, start, stop, restart, "
                                      "signal, tail, reload or admin)",
                                      PyRepr(verb)));
      }
      rule.verbs.push_back(lower);
    }
    if (rule.verbs.empty()) {
      return r.SectionError(
          "grants nothing: add verbs= (read, start, stop, restart, signal, "
          "tail, reload, admin)");
    }
    Result<std::string> programs = r.Get("programs", "*");
    if (!programs) return programs.error();
    for (const std::string& pattern : Items(*programs)) {
      rule.programs.push_back(pattern);
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

}  // namespace vigil::config
