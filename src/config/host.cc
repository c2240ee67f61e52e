#include "config/host.h"

#include "base/strings.h"

namespace vigil::config {

std::optional<std::string> LookupEnv(const Host& host, std::string_view name) {
  for (const auto& [key, value] : host.Environment()) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::string ExpandUser(const Host& host, std::string_view path) {
  if (!path.starts_with('~')) return std::string(path);
  size_t slash = path.find('/');
  std::string_view user =
      path.substr(1, slash == std::string_view::npos ? path.size() - 1 : slash - 1);
  std::string_view rest = slash == std::string_view::npos ? "" : path.substr(slash);
  std::optional<std::string> home;
  if (user.empty()) {
    home = LookupEnv(host, "HOME");
    if (!home) {
      // Without $HOME, Python uses the password entry of the current user.
      std::optional<UserRecord> me = host.UserById(host.CurrentUid());
      if (!me) return std::string(path);
      home = me->home;
    }
  } else if (std::optional<UserRecord> record = host.UserByName(std::string(user))) {
    home = record->home;
  } else {
    return std::string(path);
  }
  std::string expanded = *home;
  while (expanded.size() > 1 && expanded.back() == '/') expanded.pop_back();
  if (expanded == "/" && !rest.empty()) expanded.clear();
  return expanded + std::string(rest);
}

std::string NormPath(std::string_view path) {
  if (path.empty()) return ".";
  // POSIX allows exactly two leading slashes to mean something else; Python keeps them.
  int leading = 0;
  if (path.starts_with("//") && !path.starts_with("///")) {
    leading = 2;
  } else if (path.starts_with('/')) {
    leading = 1;
  }
  std::vector<std::string> parts;
  for (const std::string& part : Split(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part != ".." || (leading == 0 && parts.empty()) ||
        (!parts.empty() && parts.back() == "..")) {
      parts.push_back(part);
    } else if (!parts.empty()) {
      parts.pop_back();
    }
  }
  std::string out(static_cast<size_t>(leading), '/');
  out += Join(parts, "/");
  return out.empty() ? "." : out;
}

std::string JoinPath(std::string_view base, std::string_view path) {
  if (path.starts_with('/') || base.empty()) return std::string(path);
  std::string out(base);
  if (!out.ends_with('/')) out += '/';
  out += path;
  return out;
}

std::string AbsolutePath(const Host& host, std::string_view path) {
  return NormPath(JoinPath(host.CurrentDirectory(), path));
}

std::string NormalizePath(const Host& host, std::string_view path) {
  return AbsolutePath(host, ExpandUser(host, path));
}

std::string DirName(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return "";
  std::string_view head = path.substr(0, slash + 1);
  // Python strips trailing slashes from the head unless it is all slashes.
  if (head.find_first_not_of('/') != std::string_view::npos) {
    while (head.ends_with('/')) head.remove_suffix(1);
  }
  return std::string(head);
}

std::string TempDir(const Host& host) {
  for (const char* name : {"TMPDIR", "TEMP", "TMP"}) {
    if (std::optional<std::string> dir = LookupEnv(host, name); dir && !dir->empty()) {
      if (host.IsDirectory(*dir)) return AbsolutePath(host, *dir);
    }
  }
  for (const char* dir : {"/tmp", "/var/tmp", "/usr/tmp"}) {
    if (host.IsDirectory(dir)) return dir;
  }
  return host.CurrentDirectory();
}

}  // namespace vigil::config
