#pragma once

// AccessControl: who may do what to which program, from the configuration's [access:NAME]
// rules (docs/access.md). Decisions are made on the unix socket's peer credentials:
// - root may do everything;
// - with no [access:*] rule at all, everyone who can open the socket may do everything, as with
//   supervisord (the socket's chmod/chown is then the only gate);
// - otherwise a verb is allowed on a program only if some rule names the caller (by uid, by
//   primary gid or by supplementary group) with that verb and a pattern matching the program.
// TCP callers are authenticated with the server's username/password and are not subject to
// the rules (they hold the server's credentials, as with supervisord).

#include <sys/types.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_server.h"
#include "config/host.h"
#include "config/supervisord_config.h"

namespace vigil::api {

enum class Verb { kRead, kStart, kStop, kSignal, kTail, kReload, kAdmin };

std::string_view VerbName(Verb verb);

class AccessControl {
 public:
  // `host` (for supplementary groups) must outlive this.
  AccessControl(std::vector<config::AccessRule> rules, const config::Host& host);

  // After a reload.
  void SetRules(std::vector<config::AccessRule> rules) {
    rules_ = std::move(rules);
    groups_.clear();
  }

  bool enforcing() const { return !rules_.empty(); }
  // `target` is a namespec ("group:name", or "name") or a group name.
  bool Allowed(const Peer& peer, Verb verb, std::string_view target) const;
  // Allowed on something, whatever it is (for verbs that have no program, like reload).
  bool AllowedAnywhere(const Peer& peer, Verb verb) const;
  // "uid 1000 (doris)": who the peer is, for denial messages and logs.
  std::string Describe(const Peer& peer) const;

 private:
  bool Names(const config::AccessRule& rule, const Peer& peer) const;
  bool Grants(const config::AccessRule& rule, Verb verb) const;
  const std::vector<gid_t>& GroupsOf(uid_t uid, gid_t gid) const;

  std::vector<config::AccessRule> rules_;
  const config::Host& host_;
  mutable std::map<uid_t, std::vector<gid_t>> groups_;  // supplementary groups, cached
};

}  // namespace vigil::api
