#include "config/unit_specifiers.h"

#include <errno.h>
#include <fmt/format.h>

#include <optional>

#include "base/strings.h"
#include "config/unit_values.h"

namespace vigil::config {
namespace {

std::string_view SystemdArchitecture() {
#if defined(__x86_64__)
  return "x86-64";
#elif defined(__i386__)
  return "x86";
#elif defined(__aarch64__)
  return "arm64";
#elif defined(__arm__)
  return "arm";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return "ppc64-le";
#elif defined(__powerpc64__)
  return "ppc64";
#elif defined(__s390x__)
  return "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
  return "riscv64";
#else
  return "unknown";
#endif
}

std::string FirstLine(std::string text) {
  size_t newline = text.find('\n');
  if (newline != std::string::npos) text.resize(newline);
  return std::string(TrimAscii(text));
}

// os-release(5) and machine-info(5): KEY=value lines, values possibly quoted.
std::map<std::string, std::string, std::less<>> ParseEnvFileLines(std::string_view text) {
  std::map<std::string, std::string, std::less<>> values;
  for (const std::string& raw : Split(text, '\n')) {
    std::string_view line = TrimAscii(raw);
    if (line.empty() || line.front() == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view value = line.substr(eq + 1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    values.emplace(std::string(line.substr(0, eq)), std::string(value));
  }
  return values;
}

std::string LastComponent(const std::string& prefix) {
  size_t dash = prefix.rfind('-');
  return dash == std::string::npos ? prefix : prefix.substr(dash + 1);
}

bool InSet(char c, SpecifierSet set) {
  constexpr std::string_view kUnitNameSet = "ijnNpaAbBHlmMoqvwWgGuU";
  constexpr std::string_view kInstallSet = "abBgGHijlmnNopuUvwW";
  switch (set) {
    case SpecifierSet::kFull:
      return true;
    case SpecifierSet::kUnitName:
      return kUnitNameSet.find(c) != std::string_view::npos;
    case SpecifierSet::kInstall:
      return kInstallSet.find(c) != std::string_view::npos;
  }
  return false;
}

std::string OsReleaseField(const SpecifierContext& context, std::string_view key) {
  auto it = context.os_release.find(key);
  return it == context.os_release.end() ? "" : it->second;
}

// The value of one specifier, or the errno that makes it fail.
Result<std::string> Resolve(char c, const SpecifierContext& context) {
  const UnitName& unit = context.unit;
  switch (c) {
    case 'n':
      return unit.Full();
    case 'N': {
      std::string full = unit.Full();
      return full.substr(0, full.rfind('.'));
    }
    case 'p':
      return unit.prefix;
    case 'P':
      return UnescapeUnitName(unit.prefix);
    case 'i':
      return unit.instance;
    case 'I':
      return UnescapeUnitName(unit.instance);
    case 'j':
      return LastComponent(unit.prefix);
    case 'J':
      return UnescapeUnitName(LastComponent(unit.prefix));
    case 'f':
      return UnescapeUnitPath(unit.form == UnitNameForm::kInstance ? unit.instance : unit.prefix);
    case 'y':
      if (context.fragment_path.empty()) return ErrnoError(ENOENT);
      return context.fragment_path;
    case 'Y':
      if (context.fragment_path.empty()) return ErrnoError(ENOENT);
      return DirName(context.fragment_path);
    case 'c':
      return fmt::format("{}/{}", context.system_manager ? "/system.slice" : "", unit.Full());
    case 'r':
      return std::string(context.system_manager ? "/system.slice" : "");
    case 'R':
      return std::string("/");
    case 'd':
      return fmt::format("{}/credentials/{}", context.runtime_dir, unit.Full());
    case 'C':
      return context.cache_dir;
    case 'E':
      return context.config_dir;
    case 'L':
      return context.logs_dir;
    case 'S':
      return context.state_dir;
    case 't':
      return context.runtime_dir;
    case 'h':
      return context.user_home;
    case 's':
      return context.user_shell;
    case 'u':
      return context.user_name;
    case 'U':
      return std::to_string(context.uid);
    case 'g':
      return context.group_name;
    case 'G':
      return std::to_string(context.gid);
    case 'a':
      return context.architecture;
    case 'A':
      return OsReleaseField(context, "IMAGE_VERSION");
    case 'b':
      if (context.boot_id.empty()) return ErrnoError(ENOENT);
      return context.boot_id;
    case 'B':
      return OsReleaseField(context, "BUILD_ID");
    case 'H':
      return context.hostname;
    case 'l':
      return context.hostname.substr(0, context.hostname.find('.'));
    case 'm':
      if (context.machine_id.empty()) return ErrnoError(ENOENT);
      return context.machine_id;
    case 'M':
      return OsReleaseField(context, "IMAGE_ID");
    case 'o':
      return OsReleaseField(context, "ID");
    case 'q':
      return context.pretty_hostname.empty()
                 ? context.hostname.substr(0, context.hostname.find('.'))
                 : context.pretty_hostname;
    case 'v':
      return context.kernel_release;
    case 'w':
      return OsReleaseField(context, "VERSION_ID");
    case 'W':
      return OsReleaseField(context, "VARIANT_ID");
    case 'T':
      return context.tmp_dir;
    case 'V':
      return context.var_tmp_dir;
    default:
      return ErrnoError(EBADSLT);
  }
}

}  // namespace

SpecifierContext MakeSpecifierContext(const Host& host, const UnitName& unit,
                                      std::string fragment_path) {
  SpecifierContext context;
  context.unit = unit;
  context.fragment_path = std::move(fragment_path);
  context.hostname = host.HostName();
  context.architecture = std::string(SystemdArchitecture());
  if (Result<std::string> id = host.ReadFile("/etc/machine-id")) {
    context.machine_id = FirstLine(*id);
  }
  if (Result<std::string> boot = host.ReadFile("/proc/sys/kernel/random/boot_id")) {
    std::string id = FirstLine(*boot);
    std::erase(id, '-');
    context.boot_id = id;
  }
  if (Result<std::string> release = host.ReadFile("/proc/sys/kernel/osrelease")) {
    context.kernel_release = FirstLine(*release);
  }
  Result<std::string> os_release = host.ReadFile("/etc/os-release");
  if (!os_release) os_release = host.ReadFile("/usr/lib/os-release");
  if (os_release) context.os_release = ParseEnvFileLines(*os_release);
  if (Result<std::string> info = host.ReadFile("/etc/machine-info")) {
    auto values = ParseEnvFileLines(*info);
    if (auto it = values.find("PRETTY_HOSTNAME"); it != values.end()) {
      context.pretty_hostname = it->second;
    }
  }

  const uid_t uid = host.CurrentUid();
  context.uid = uid;
  context.system_manager = uid == 0;
  if (std::optional<UserRecord> me = host.UserById(uid)) {
    context.user_name = me->name;
    context.user_home = me->home;
    context.user_shell = me->shell;
    context.gid = me->gid;
  } else {
    context.user_name = std::to_string(uid);
  }
  if (uid == 0) {
    // systemd's system manager is root with a fixed home and shell, whatever passwd says.
    context.user_name = "root";
    context.user_home = "/root";
    context.user_shell = "/bin/sh";
    context.gid = 0;
  }
  std::optional<GroupRecord> group = host.GroupById(context.gid);
  context.group_name = group ? group->name : std::to_string(context.gid);

  auto env_or = [&](std::string_view name, std::string fallback) {
    std::optional<std::string> value = LookupEnv(host, name);
    return value && !value->empty() ? *value : fallback;
  };
  if (!context.system_manager) {
    const std::string& home = context.user_home;
    context.runtime_dir = env_or("XDG_RUNTIME_DIR", fmt::format("/run/user/{}", uid));
    context.state_dir = env_or("XDG_STATE_HOME", home + "/.local/state");
    context.cache_dir = env_or("XDG_CACHE_HOME", home + "/.cache");
    context.logs_dir = context.state_dir + "/log";
    context.config_dir = env_or("XDG_CONFIG_HOME", home + "/.config");
  }
  context.tmp_dir = env_or("TMPDIR", "/tmp");
  context.var_tmp_dir = env_or("TMPDIR", "/var/tmp");
  return context;
}

Result<ExpandedText> ExpandSpecifiers(std::string_view text, const SpecifierContext& context,
                                      SpecifierSet set) {
  ExpandedText out;
  out.text.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.text += text[i];
      continue;
    }
    if (i + 1 == text.size()) {  // a trailing '%' is kept
      out.text += '%';
      break;
    }
    const char c = text[++i];
    if (c == '%') {
      out.text += '%';
      continue;
    }
    if (!InSet(c, set)) return ErrnoError(EBADSLT);
    Result<std::string> value = Resolve(c, context);
    if (!value) return value.error();
    if (c == 'c' || c == 'r' || c == 'R') out.deprecated.push_back(c);
    out.text += *value;
  }
  return out;
}

std::string DeprecatedSpecifierMessage(char specifier) {
  return fmt::format(
      "Specifier '%{}' used in unit configuration, which is deprecated. Please update your unit "
      "file, as it does not work as intended.",
      specifier);
}

}  // namespace vigil::config
