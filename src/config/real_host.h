#pragma once

// RealHost: Host answered by the running system (files, glob(3), the password and group
// databases, the process environment and hostname).

#include "config/host.h"

namespace vigil::config {

class RealHost : public Host {
 public:
  RealHost();

  Result<std::string> ReadFile(const std::string& path) const override;
  std::vector<std::string> Glob(const std::string& pattern) const override;
  bool IsDirectory(const std::string& path) const override;
  std::vector<std::string> ListDirectory(const std::string& path) const override;
  std::optional<std::string> ReadLink(const std::string& path) const override;
  Result<void> CheckExecutable(const std::string& path) const override;
  std::optional<UserRecord> UserByName(const std::string& name) const override;
  std::optional<UserRecord> UserById(uid_t uid) const override;
  std::optional<GroupRecord> GroupByName(const std::string& name) const override;
  std::optional<GroupRecord> GroupById(gid_t gid) const override;
  const std::vector<std::pair<std::string, std::string>>& Environment() const override {
    return environment_;
  }
  std::string HostName() const override;
  std::string CurrentDirectory() const override;
  uid_t CurrentUid() const override;

 private:
  std::vector<std::pair<std::string, std::string>> environment_;
};

}  // namespace vigil::config
