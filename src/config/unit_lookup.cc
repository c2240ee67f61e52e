#include "config/unit_lookup.h"

#include <algorithm>
#include <map>

namespace vigil::config {
namespace {

constexpr std::string_view kDevNull = "/dev/null";

bool Exists(const std::string& path, const Host& host) {
  if (host.ReadLink(path)) return true;
  Result<std::string> text = host.ReadFile(path);
  return text.has_value();
}

// Whether `path` lies directly in one of `directories`.
bool InDirectories(const std::string& path, const std::vector<std::string>& directories) {
  const std::string dir = DirName(path);
  return std::any_of(directories.begin(), directories.end(),
                     [&](const std::string& d) { return NormPath(d) == NormPath(dir); });
}

// unit_file_find_dirs(): NAME.d, the template's and the dashed prefixes', recursively.
void AddNameDirectories(const std::string& directory, const std::string& name,
                        std::vector<std::string>& out) {
  out.push_back(JoinPath(directory, name + ".d"));
  std::optional<UnitName> parsed = ParseUnitName(name);
  if (!parsed) return;
  const bool instance = parsed->form == UnitNameForm::kInstance;
  if (instance) AddNameDirectories(directory, parsed->Template(), out);

  // "foo-bar-baz" -> "foo-bar-", and a prefix ending in '-' is chopped once more ("foo-bar-"
  // -> "foo-").
  std::string prefix = parsed->prefix;
  bool chopped = false;
  while (true) {
    size_t dash = prefix.rfind('-');
    if (dash == std::string::npos || dash == 0) return;
    if (dash + 1 != prefix.size() || chopped) {
      prefix.resize(dash + 1);
      break;
    }
    prefix.resize(dash);
    chopped = true;
  }
  std::string built =
      instance ? prefix + "@" + parsed->instance + "." + parsed->type : prefix + "." + parsed->type;
  if (!ParseUnitName(built)) return;
  AddNameDirectories(directory, built, out);
}

}  // namespace

std::string BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string FollowSymlinks(const std::string& path, const Host& host) {
  std::string current = path;
  for (int hops = 0; hops < 32; ++hops) {
    std::optional<std::string> target = host.ReadLink(current);
    if (!target) return current;
    if (*target == kDevNull) return "";
    current = NormPath(JoinPath(DirName(current), *target));
    if (current == kDevNull) return "";
  }
  return current;
}

FoundUnit ResolveUnitPath(const UnitName& name, const std::string& path,
                          const std::vector<std::string>& directories, const Host& host) {
  FoundUnit found;
  found.name = name;
  found.path = path;
  found.fragment = FollowSymlinks(path, host);
  if (found.fragment.empty()) {
    found.masked = true;
    return found;
  }
  Result<std::string> text = host.ReadFile(found.fragment);
  if (text && text->empty()) found.masked = true;
  // A link to another name inside the directories makes this name an alias of that unit; an
  // instance linked to its own template is simply that template's instance.
  if (found.fragment != path && InDirectories(found.fragment, directories)) {
    std::optional<UnitName> target = ParseUnitName(BaseName(found.fragment));
    if (target && target->type == name.type) {
      if (target->form == UnitNameForm::kTemplate && name.form == UnitNameForm::kInstance) {
        if (target->prefix == name.prefix) {
          found.from_template = true;
        } else {
          target->form = UnitNameForm::kInstance;
          target->instance = name.instance;
          found.name = *target;
          found.alias = true;
        }
      } else if (target->Full() != name.Full()) {
        found.name = *target;
        found.alias = true;
      }
    }
  }
  return found;
}

std::optional<FoundUnit> FindUnitFile(const UnitName& name,
                                      const std::vector<std::string>& directories,
                                      const Host& host) {
  for (const std::string& directory : directories) {
    std::string path = JoinPath(directory, name.Full());
    if (Exists(path, host)) return ResolveUnitPath(name, path, directories, host);
  }
  if (name.form != UnitNameForm::kInstance) return std::nullopt;
  for (const std::string& directory : directories) {
    std::string path = JoinPath(directory, name.Template());
    if (!Exists(path, host)) continue;
    FoundUnit found = ResolveUnitPath(name, path, directories, host);
    if (!found.alias) found.from_template = true;
    return found;
  }
  return std::nullopt;
}

std::vector<std::string> FindAliases(const std::string& name, const std::string& fragment,
                                     const std::vector<std::string>& directories,
                                     const Host& host) {
  std::vector<std::string> aliases;
  for (const std::string& directory : directories) {
    for (const std::string& entry : host.ListDirectory(directory)) {
      if (entry == name || !ParseUnitName(entry)) continue;
      std::string path = JoinPath(directory, entry);
      if (!host.ReadLink(path)) continue;
      if (FollowSymlinks(path, host) == fragment &&
          std::find(aliases.begin(), aliases.end(), entry) == aliases.end()) {
        aliases.push_back(entry);
      }
    }
  }
  std::sort(aliases.begin(), aliases.end());
  return aliases;
}

std::vector<std::string> DropinDirectories(const std::vector<std::string>& names,
                                           const std::vector<std::string>& directories) {
  std::vector<std::string> out;
  for (const std::string& name : names) {
    for (const std::string& directory : directories) AddNameDirectories(directory, name, out);
  }
  if (!names.empty()) {
    if (std::optional<UnitName> parsed = ParseUnitName(names.front())) {
      for (const std::string& directory : directories) {
        out.push_back(JoinPath(directory, parsed->type + ".d"));
      }
    }
  }
  return out;
}

std::vector<std::string> DropinFiles(const std::vector<std::string>& dropin_directories,
                                     const Host& host) {
  std::map<std::string, std::string> by_name;  // file name -> path; sorted by file name
  for (const std::string& directory : dropin_directories) {
    for (const std::string& entry : host.ListDirectory(directory)) {
      if (!entry.ends_with(".conf") || by_name.contains(entry)) continue;
      std::string path = JoinPath(directory, entry);
      if (host.IsDirectory(path)) continue;
      by_name.emplace(entry, path);
    }
  }
  std::vector<std::string> files;
  for (const auto& [name, path] : by_name) {
    std::string real = FollowSymlinks(path, host);
    if (real.empty()) continue;  // masked drop-in
    Result<std::string> text = host.ReadFile(real);
    if (!text || text->empty()) continue;
    files.push_back(path);
  }
  return files;
}

}  // namespace vigil::config
