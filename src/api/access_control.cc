#include "api/access_control.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>

#include "os/process.h"

namespace vigil::api {

std::string_view VerbName(Verb verb) {
  switch (verb) {
    case Verb::kRead:
      return "read";
    case Verb::kStart:
      return "start";
    case Verb::kStop:
      return "stop";
    case Verb::kSignal:
      return "signal";
    case Verb::kTail:
      return "tail";
    case Verb::kReload:
      return "reload";
    case Verb::kAdmin:
      return "admin";
  }
  return "?";
}

AccessControl::AccessControl(std::vector<config::AccessRule> rules, const config::Host& host)
    : rules_(std::move(rules)), host_(host) {}

const std::vector<gid_t>& AccessControl::GroupsOf(uid_t uid, gid_t gid) const {
  auto it = groups_.find(uid);
  if (it != groups_.end()) return it->second;
  std::vector<gid_t> groups{gid};
  if (std::optional<config::UserRecord> user = host_.UserById(uid)) {
    for (gid_t g : os::GroupsOf(user->name, user->gid)) groups.push_back(g);
  }
  return groups_.emplace(uid, std::move(groups)).first->second;
}

bool AccessControl::Names(const config::AccessRule& rule, const Peer& peer) const {
  if (std::find(rule.uids.begin(), rule.uids.end(), peer.uid) != rule.uids.end()) return true;
  const std::vector<gid_t>& groups = GroupsOf(peer.uid, peer.gid);
  return std::any_of(rule.gids.begin(), rule.gids.end(), [&](gid_t gid) {
    return std::find(groups.begin(), groups.end(), gid) != groups.end();
  });
}

bool AccessControl::Grants(const config::AccessRule& rule, Verb verb) const {
  for (const std::string& name : rule.verbs) {
    if (name == "admin" || name == VerbName(verb)) return true;
    // "restart" is stop and start together.
    if (name == "restart" && (verb == Verb::kStart || verb == Verb::kStop)) return true;
  }
  return false;
}

bool AccessControl::Allowed(const Peer& peer, Verb verb, std::string_view target) const {
  if (!peer.unix_socket || peer.uid == 0 || !enforcing()) return true;
  const std::string name(target);
  // A namespec "g:p" is also matched by patterns on its group ("g" or "g:*").
  const std::string group = name.substr(0, name.find(':'));
  for (const config::AccessRule& rule : rules_) {
    if (!Grants(rule, verb) || !Names(rule, peer)) continue;
    for (const std::string& pattern : rule.programs) {
      if (::fnmatch(pattern.c_str(), name.c_str(), 0) == 0 ||
          ::fnmatch(pattern.c_str(), group.c_str(), 0) == 0 || (pattern == group + ":*")) {
        return true;
      }
    }
  }
  return false;
}

bool AccessControl::AllowedAnywhere(const Peer& peer, Verb verb) const {
  if (!peer.unix_socket || peer.uid == 0 || !enforcing()) return true;
  return std::any_of(rules_.begin(), rules_.end(), [&](const config::AccessRule& rule) {
    return Grants(rule, verb) && Names(rule, peer);
  });
}

std::string AccessControl::Describe(const Peer& peer) const {
  if (!peer.unix_socket) return fmt::format("TCP client {}", peer.address);
  if (std::optional<config::UserRecord> user = host_.UserById(peer.uid)) {
    return fmt::format("uid {} ({}, pid {})", peer.uid, user->name, peer.pid);
  }
  return fmt::format("uid {} (pid {})", peer.uid, peer.pid);
}

}  // namespace vigil::api
