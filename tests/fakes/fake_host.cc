#include "tests/fakes/fake_host.h"

#include <errno.h>
#include <fnmatch.h>

#include <cstring>

#include "config/host.h"

namespace vigil::testing {

FakeHost::FakeHost() {
  for (const char* dir : {"/", "/tmp", "/etc", "/var", "/var/log", "/root", "/home", "/dev"}) {
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

void FakeHost::AddExecutable(const std::string& path, std::string contents) {
  AddFile(path, std::move(contents));
  executables_.insert(path);
}

void FakeHost::AddSymlink(const std::string& path, const std::string& target) {
  symlinks_[config::NormPath(path)] = target;
  AddDirectory(config::DirName(path));
}

void FakeHost::AddUser(const std::string& name, uid_t uid, gid_t gid, const std::string& home,
                       const std::string& shell) {
  users_.push_back(config::UserRecord{name, uid, gid, home, shell});
}

std::string FakeHost::Resolve(const std::string& path) const {
  std::string current = config::AbsolutePath(*this, path);
  for (int hops = 0; hops < 40; ++hops) {
    // Find the first prefix of `current` that is a symlink and splice its target in.
    bool replaced = false;
    size_t end = 0;
    while (end != std::string::npos && !replaced) {
      end = current.find('/', end + 1);
      std::string prefix = current.substr(0, end);
      auto link = symlinks_.find(prefix);
      if (link == symlinks_.end()) continue;
      std::string rest = end == std::string::npos ? "" : current.substr(end);
      std::string target = config::JoinPath(config::DirName(prefix), link->second);
      current = config::NormPath(target + rest);
      replaced = true;
    }
    if (!replaced) return current;
  }
  return current;
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
  const std::string resolved = Resolve(path);
  if (resolved == "/dev/null") return std::string();
  auto it = files_.find(resolved);
  if (it != files_.end()) return it->second;
  if (directories_.contains(resolved)) return Error::Io(EISDIR, std::strerror(EISDIR));
  return Error::Io(ENOENT, std::strerror(ENOENT));
}

std::vector<std::string> FakeHost::Glob(const std::string& pattern) const {
  // glob(3) lists directory entries, so symlinks (even dangling ones) match like files.
  std::vector<std::string> matches;
  auto match = [&](const std::string& path) {
    if (::fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME | FNM_PERIOD | FNM_NOESCAPE) == 0) {
      matches.push_back(path);
    }
  };
  for (const auto& [path, contents] : files_) match(path);
  for (const auto& [path, target] : symlinks_) match(path);
  return matches;
}

bool FakeHost::IsDirectory(const std::string& path) const {
  return directories_.contains(Resolve(path));
}

std::vector<std::string> FakeHost::ListDirectory(const std::string& path) const {
  std::vector<std::string> names;
  const std::string dir = Resolve(path);
  if (!directories_.contains(dir)) return names;
  const std::string prefix = dir == "/" ? "/" : dir + "/";
  auto add_if_child = [&](const std::string& child) {
    if (child.size() > prefix.size() && child.starts_with(prefix) &&
        child.find('/', prefix.size()) == std::string::npos) {
      names.push_back(child.substr(prefix.size()));
    }
  };
  for (const auto& [file, contents] : files_) add_if_child(file);
  for (const std::string& directory : directories_) add_if_child(directory);
  for (const auto& [link, target] : symlinks_) add_if_child(link);
  return names;
}

std::optional<std::string> FakeHost::ReadLink(const std::string& path) const {
  // Like lstat(): the directories leading to the link are resolved, the link itself is not.
  const std::string absolute = config::AbsolutePath(*this, path);
  std::string parent = config::DirName(absolute);
  std::string name = absolute.substr(absolute.rfind('/') + 1);
  std::string resolved_parent = Resolve(parent);
  auto it = symlinks_.find(config::JoinPath(resolved_parent, name));
  if (it == symlinks_.end()) it = symlinks_.find(absolute);
  if (it == symlinks_.end()) return std::nullopt;
  return it->second;
}

Result<void> FakeHost::CheckExecutable(const std::string& path) const {
  const std::string resolved = Resolve(path);
  if (directories_.contains(resolved)) return Error::Io(EISDIR, std::strerror(EISDIR));
  if (!files_.contains(resolved)) return Error::Io(ENOENT, std::strerror(ENOENT));
  if (!executables_.contains(resolved)) return Error::Io(EACCES, std::strerror(EACCES));
  return Ok();
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
