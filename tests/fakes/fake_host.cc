#include "tests/fakes/fake_host.h"

#include <fnmatch.h>

#include "config/host.h"

namespace vigil::testing {

FakeHost::FakeHost() {
  for (const char* dir : {"/", "/tmp", "/etc", "/var", "/var/log", "/root", "/home"}) {
    directories_.insert(dir);
  }
  AddUser("root", 0, 0, "/root");
  AddGroup("root", 0);
  environment_ = {{"HOME", "/root"}, {"PATH", "/usr/bin:/bin"}};
}

void FakeHost::AddDirectory(const std::string& path) {
  std::string dir = config::NormPath(path);
  while (!dir.empty() && dir != "/" && dir != ".") {
    directories_.insert(dir);
    dir = config::DirName(dir);
  }
}

void FakeHost::AddFile(const std::string& path, std::string contents) {
  files_[path] = std::move(contents);
  AddDirectory(config::DirName(path));
}

void FakeHost::AddUser(const std::string& name, uid_t uid, gid_t gid, const std::string& home) {
  users_.push_back(config::UserRecord{name, uid, gid, home});
}

void FakeHost::AddGroup(const std::string& name, gid_t gid) {
  groups_.push_back(config::GroupRecord{name, gid});
}

void FakeHost::SetEnv(const std::string& key, const std::string& value) {
  for (auto& [k, v] : environment_) {
    if (k == key) {
      v = value;
      return;
    }
  }
  environment_.emplace_back(key, value);
}

Result<std::string> FakeHost::ReadFile(const std::string& path) const {
  auto it = files_.find(config::AbsolutePath(*this, path));
  if (it == files_.end()) return Error::Io(2, "No such file or directory");
  return it->second;
}

std::vector<std::string> FakeHost::Glob(const std::string& pattern) const {
  std::vector<std::string> matches;
  for (const auto& [path, contents] : files_) {
    if (::fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME | FNM_PERIOD | FNM_NOESCAPE) == 0) {
      matches.push_back(path);
    }
  }
  return matches;
}

bool FakeHost::IsDirectory(const std::string& path) const {
  return directories_.contains(config::AbsolutePath(*this, path));
}

std::optional<config::UserRecord> FakeHost::UserByName(const std::string& name) const {
  for (const auto& user : users_) {
    if (user.name == name) return user;
  }
  return std::nullopt;
}

std::optional<config::UserRecord> FakeHost::UserById(uid_t uid) const {
  for (const auto& user : users_) {
    if (user.uid == uid) return user;
  }
  return std::nullopt;
}

std::optional<config::GroupRecord> FakeHost::GroupByName(const std::string& name) const {
  for (const auto& group : groups_) {
    if (group.name == name) return group;
  }
  return std::nullopt;
}

std::optional<config::GroupRecord> FakeHost::GroupById(gid_t gid) const {
  for (const auto& group : groups_) {
    if (group.gid == gid) return group;
  }
  return std::nullopt;
}

}  // namespace vigil::testing
