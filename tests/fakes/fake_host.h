#pragma once

// FakeHost: an in-memory machine for config tests: files, directories, symlinks, executables,
// users, groups and an environment, all set up by the test. Globs support '*', '?' and [...] like
// fnmatch. Symlinks are followed wherever the real calls follow them (every component of a path
// for ReadFile, IsDirectory, ListDirectory and CheckExecutable); "/dev/null" reads as empty.

#include <map>
#include <set>
#include <string>

#include "config/host.h"

namespace vigil::testing {

class FakeHost : public config::Host {
 public:
  FakeHost();

  // Adds a file (and its parent directories).
  void AddFile(const std::string& path, std::string contents);
  // Adds a file with the executable bit (and its parent directories).
  void AddExecutable(const std::string& path, std::string contents = "");
  void AddDirectory(const std::string& path);
  // Adds a symlink at `path` (and its parent directories) whose stored target is `target`.
  void AddSymlink(const std::string& path, const std::string& target);
  void AddUser(const std::string& name, uid_t uid, gid_t gid, const std::string& home,
               const std::string& shell = "/bin/sh");
  void AddGroup(const std::string& name, gid_t gid);
  void SetEnv(const std::string& key, const std::string& value);
  void SetCurrentDirectory(std::string cwd) { cwd_ = std::move(cwd); }

  Result<std::string> ReadFile(const std::string& path) const override;
  std::vector<std::string> Glob(const std::string& pattern) const override;
  bool IsDirectory(const std::string& path) const override;
  std::vector<std::string> ListDirectory(const std::string& path) const override;
  std::optional<std::string> ReadLink(const std::string& path) const override;
  Result<void> CheckExecutable(const std::string& path) const override;
  std::optional<config::UserRecord> UserByName(const std::string& name) const override;
  std::optional<config::UserRecord> UserById(uid_t uid) const override;
  std::optional<config::GroupRecord> GroupByName(const std::string& name) const override;
  std::optional<config::GroupRecord> GroupById(gid_t gid) const override;
  const std::vector<std::pair<std::string, std::string>>& Environment() const override {
    return environment_;
  }
  std::string HostName() const override { return "testhost"; }
  std::string CurrentDirectory() const override { return cwd_; }
  uid_t CurrentUid() const override { return current_uid_; }
  void SetCurrentUid(uid_t uid) { current_uid_ = uid; }

 private:
  // `path` made absolute and normal, with every symlink in it replaced by its target.
  std::string Resolve(const std::string& path) const;

  std::map<std::string, std::string> files_;
  std::set<std::string> executables_;
  std::map<std::string, std::string> symlinks_;
  std::set<std::string> directories_;
  std::vector<config::UserRecord> users_;
  std::vector<config::GroupRecord> groups_;
  std::vector<std::pair<std::string, std::string>> environment_;
  std::string cwd_ = "/";
  uid_t current_uid_ = 0;
};

}  // namespace vigil::testing
