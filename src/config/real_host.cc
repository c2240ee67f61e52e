#include "config/real_host.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>

extern char** environ;

namespace vigil::config {
namespace {

// Files larger than this are not configuration; refuse them instead of reading gigabytes.
constexpr std::streamsize kMaxConfigFileBytes = 64 * 1024 * 1024;

UserRecord ToUserRecord(const passwd& pw) {
  return UserRecord{pw.pw_name, pw.pw_uid, pw.pw_gid, pw.pw_dir ? pw.pw_dir : "",
                    pw.pw_shell ? pw.pw_shell : ""};
}

}  // namespace

RealHost::RealHost() {
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    size_t eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    environment_.emplace_back(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
  }
}

Result<std::string> RealHost::ReadFile(const std::string& path) const {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Error::Io(errno, std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return Error::Io(EISDIR, std::strerror(EISDIR));
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Io(errno, std::strerror(errno != 0 ? errno : EIO));
  std::ostringstream out;
  char buffer[65536];
  std::streamsize total = 0;
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    total += in.gcount();
    if (total > kMaxConfigFileBytes) {
      return Error::Io(EFBIG, "larger than 64 MiB; not a configuration file");
    }
    out.write(buffer, in.gcount());
  }
  if (in.bad()) return Error::Io(EIO, "read error");
  return out.str();
}

std::vector<std::string> RealHost::Glob(const std::string& pattern) const {
  // Python's glob does not treat backslash as an escape; GLOB_NOESCAPE matches it.
  glob_t matches{};
  std::vector<std::string> paths;
  if (::glob(pattern.c_str(), GLOB_NOESCAPE, nullptr, &matches) == 0) {
    for (size_t i = 0; i < matches.gl_pathc; ++i) paths.emplace_back(matches.gl_pathv[i]);
  }
  ::globfree(&matches);
  return paths;
}

bool RealHost::IsDirectory(const std::string& path) const {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::vector<std::string> RealHost::ListDirectory(const std::string& path) const {
  std::vector<std::string> names;
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) return names;
  while (const dirent* entry = ::readdir(dir)) {
    std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  ::closedir(dir);
  return names;
}

std::optional<std::string> RealHost::ReadLink(const std::string& path) const {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return std::nullopt;
  std::string target(static_cast<size_t>(st.st_size > 0 ? st.st_size : 4096) + 1, '\0');
  ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
  if (n < 0) return std::nullopt;
  target.resize(static_cast<size_t>(n));
  return target;
}

Result<void> RealHost::CheckExecutable(const std::string& path) const {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Error::Io(errno, std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return Error::Io(EISDIR, std::strerror(EISDIR));
  if (::access(path.c_str(), X_OK) != 0) return Error::Io(errno, std::strerror(errno));
  return Ok();
}

std::optional<UserRecord> RealHost::UserByName(const std::string& name) const {
  passwd pw{};
  passwd* found = nullptr;
  char buffer[16384];
  if (::getpwnam_r(name.c_str(), &pw, buffer, sizeof buffer, &found) != 0 || found == nullptr) {
    return std::nullopt;
  }
  return ToUserRecord(pw);
}

std::optional<UserRecord> RealHost::UserById(uid_t uid) const {
  passwd pw{};
  passwd* found = nullptr;
  char buffer[16384];
  if (::getpwuid_r(uid, &pw, buffer, sizeof buffer, &found) != 0 || found == nullptr) {
    return std::nullopt;
  }
  return ToUserRecord(pw);
}

std::optional<GroupRecord> RealHost::GroupByName(const std::string& name) const {
  group gr{};
  group* found = nullptr;
  char buffer[65536];
  if (::getgrnam_r(name.c_str(), &gr, buffer, sizeof buffer, &found) != 0 || found == nullptr) {
    return std::nullopt;
  }
  return GroupRecord{gr.gr_name, gr.gr_gid};
}

std::optional<GroupRecord> RealHost::GroupById(gid_t gid) const {
  group gr{};
  group* found = nullptr;
  char buffer[65536];
  if (::getgrgid_r(gid, &gr, buffer, sizeof buffer, &found) != 0 || found == nullptr) {
    return std::nullopt;
  }
  return GroupRecord{gr.gr_name, gr.gr_gid};
}

std::string RealHost::HostName() const {
  utsname name{};
  if (::uname(&name) != 0) return "";
  return name.nodename;
}

std::string RealHost::CurrentDirectory() const {
  char buffer[4096];
  if (::getcwd(buffer, sizeof buffer) == nullptr) return "/";
  return buffer;
}

uid_t RealHost::CurrentUid() const { return ::getuid(); }

}  // namespace vigil::config
