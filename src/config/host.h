#pragma once

// Host: what reading a configuration needs to know about the machine: files and globs for
// [include], users and groups for user=/chown=, directories that must exist, the environment
// for %(ENV_X)s, and for systemd units: directory listings and symlinks (unit search paths,
// drop-ins, aliases, masks, enablement links) and whether a command is executable. The parsers
// and builders are pure over this interface; RealHost answers from the real system, tests use a
// fake.

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace vigil::config {

struct UserRecord {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  std::string home;
  std::string shell;
};

struct GroupRecord {
  std::string name;
  gid_t gid = 0;
};

class Host {
 public:
  virtual ~Host() = default;

  virtual Result<std::string> ReadFile(const std::string& path) const = 0;
  // Paths matching a shell glob, in any order; hidden files match only an explicit '.'.
  virtual std::vector<std::string> Glob(const std::string& pattern) const = 0;
  virtual bool IsDirectory(const std::string& path) const = 0;
  // The names in directory `path` (without "." and ".."), in any order; empty when `path` is
  // not a readable directory. Symlinks are listed by their own name.
  virtual std::vector<std::string> ListDirectory(const std::string& path) const = 0;
  // The target of the symlink `path` as stored in it; nullopt when `path` is not a symlink.
  virtual std::optional<std::string> ReadLink(const std::string& path) const = 0;
  // Whether `path` (symlinks followed) could be executed: Ok, or an Io error whose sys_errno
  // says why (ENOENT, EACCES, EISDIR), as access(X_OK) and stat() judge it.
  virtual Result<void> CheckExecutable(const std::string& path) const = 0;

  virtual std::optional<UserRecord> UserByName(const std::string& name) const = 0;
  virtual std::optional<UserRecord> UserById(uid_t uid) const = 0;
  virtual std::optional<GroupRecord> GroupByName(const std::string& name) const = 0;
  virtual std::optional<GroupRecord> GroupById(gid_t gid) const = 0;

  // The environment vigild was started with, in order.
  virtual const std::vector<std::pair<std::string, std::string>>& Environment() const = 0;
  virtual std::string HostName() const = 0;  // platform.node()
  virtual std::string CurrentDirectory() const = 0;
  virtual uid_t CurrentUid() const = 0;
};

// Python's os.path helpers over a Host, as supervisord uses them.
std::optional<std::string> LookupEnv(const Host& host, std::string_view name);
std::string ExpandUser(const Host& host, std::string_view path);     // os.path.expanduser
std::string AbsolutePath(const Host& host, std::string_view path);   // os.path.abspath
std::string NormalizePath(const Host& host, std::string_view path);  // supervisord's
std::string DirName(std::string_view path);                          // os.path.dirname
std::string NormPath(std::string_view path);                         // os.path.normpath
std::string JoinPath(std::string_view base, std::string_view path);  // os.path.join
// tempfile.gettempdir(): $TMPDIR, $TEMP, $TMP, then /tmp, /var/tmp, /usr/tmp.
std::string TempDir(const Host& host);

}  // namespace vigil::config
