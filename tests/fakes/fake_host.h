#pragma once

// FakeHost: an in-memory machine for config tests: files, directories, users, groups and an
// environment, all set up by the test. Globs support '*', '?' and [...] like fnmatch.

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
  void AddDirectory(const std::string& path);
  void AddUser(const std::string& name, uid_t uid, gid_t gid, const std::string& home);
  void AddGroup(const std::string& name, gid_t gid);
  void SetEnv(const std::string& key, const std::string& value);
  void SetCurrentDirectory(std::string cwd) { cwd_ = std::move(cwd); }

  Result<std::string> ReadFile(const std::string& path) const override;
  std::vector<std::string> Glob(const std::string& pattern) const override;
  bool IsDirectory(const std::string& path) const override;
  std::optional<config::UserRecord> UserByName(const std::string& name) const override;
  std::optional<config::UserRecord> UserById(uid_t uid) const override;
  std::optional<config::GroupRecord> GroupByName(const std::string& name) const override;
  std::optional<config::GroupRecord> GroupById(gid_t gid) const override;
  const std::vector<std::pair<std::string, std::string>>& Environment() const override {
    return environment_;
  }
  std::string HostName() const override { return "testhost"; }
  std::string CurrentDirectory() const override { return cwd_; }
  uid_t CurrentUid() const override { return 0; }

 private:
  std::map<std::string, std::string> files_;
  std::set<std::string> directories_;
  std::vector<config::UserRecord> users_;
  std::vector<config::GroupRecord> groups_;
  std::vector<std::pair<std::string, std::string>> environment_;
  std::string cwd_ = "/";
};

}  // namespace vigil::testing
