// The [Service] settings of the execution environment (systemd.exec(5)) that vigil applies:
// credentials, directory, umask, priority, environment and resource limits, with systemd 252's
// parsers' rules and messages (load-fragment.c). Output settings are in output_settings.cc.

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "config/service_draft.h"
#include "config/unit_values.h"
#include "config/unit_words.h"

namespace vigil::config {
namespace {

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool AllDigits(std::string_view s) { return std::all_of(s.begin(), s.end(), IsAsciiDigit); }

// parse_uid(): decimal, and not one of the two "invalid" ids (16-bit and 32-bit -1).
bool IsNumericUid(std::string_view s) {
  if (s.empty() || !AllDigits(s) || s.size() > 10) return false;
  uint64_t value = std::stoull(std::string(s));
  return value < 0xffffffffULL && value != 0xffffULL;
}

// valid_user_group_name() in strict mode: [a-zA-Z_][a-zA-Z0-9_-]*, at most 31 characters.
bool IsStrictUserName(std::string_view s) {
  if (s.empty() || s.size() > 31 || !(IsAsciiAlpha(s[0]) || s[0] == '_')) return false;
  return std::all_of(s.begin() + 1, s.end(), [](char c) {
    return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '_' || c == '-';
  });
}

// valid_user_group_name() with VALID_USER_RELAX | VALID_USER_ALLOW_NUMERIC.
bool IsRelaxedUserName(std::string_view s) {
  if (s.empty()) return false;
  if (IsNumericUid(s)) return true;
  if (s.front() == ' ' || s.back() == ' ') return false;
  for (char c : s) {
    if ((c >= 0 && c < ' ') || c == '\x7f' || c == ':' || c == '/') return false;
  }
  if (AllDigits(s)) return false;
  if (s.front() == '-' && AllDigits(s.substr(1))) return false;
  return s != "." && s != "..";
}

// A User=, Group= or SupplementaryGroups= word: specifiers, then the name rules. systemd refuses
// the unit for a name it cannot use at all.
Result<std::string> UserOrGroupName(const SettingContext& context, std::string_view word) {
  Result<std::string> name = context.Expand(word, SpecifierSet::kFull);
  if (!name) {
    return context.Fatal(
        fmt::format("Failed to resolve unit specifiers in {}: {}", word, name.error().message));
  }
  if (!IsRelaxedUserName(*name)) {
    return context.Fatal(fmt::format(
        "Invalid user/group name or numeric ID: {} (use a name from the password or group "
        "database, or a number)",
        *name));
  }
  if (!IsNumericUid(*name) && !IsStrictUserName(*name)) {
    context.Warn(fmt::format(
        "Accepting user/group name '{}', which does not match strict user/group name rules.",
        *name));
  }
  return name;
}

Result<void> User(ServiceDraft& draft, const SettingContext& context, std::string_view value) {
  std::string& target = context.key == "User" ? draft.user : draft.spec.group_name;
  if (value.empty()) {
    target.clear();
    return Ok();
  }
  Result<std::string> name = UserOrGroupName(context, value);
  if (!name) return name.error();
  if (context.key == "User" && *name == "nobody") {
    context.Warn("Special user nobody configured, this is not safe!");
  }
  target = std::move(*name);
  (context.key == "User" ? draft.user_where : draft.group_where) = context.where;
  return Ok();
}

Result<void> SupplementaryGroups(ServiceDraft& draft, const SettingContext& context,
                                 std::string_view value) {
  if (value.empty()) {
    draft.supplementary_group_names.clear();
    return Ok();
  }
  std::string_view p = value;
  while (true) {
    Result<std::optional<std::string>> word = ExtractFirstWord(p, kUnitWhitespace, 0);
    if (!word) {
      context.Warn(fmt::format("Invalid syntax, ignoring: {}", value));
      return Ok();
    }
    if (!*word) break;
    Result<std::string> name = UserOrGroupName(context, **word);
    if (!name) return name.error();
    draft.supplementary_group_names.push_back(std::move(*name));
  }
  draft.supplementary_groups_where = context.where;
  return Ok();
}

Result<void> WorkingDirectory(ServiceDraft& draft, const SettingContext& context,
                              std::string_view value) {
  if (value.empty()) {
    draft.working_directory.reset();
    draft.spec.working_directory_optional = false;
    return Ok();
  }
  const bool optional = value.front() == '-';
  if (optional) value.remove_prefix(1);
  const std::string_view ignoring = optional ? ", ignoring" : "";
  if (value == "~") {
    // (emplace: g++ 12 at -O2 gives a false -Wrestrict for assigning a literal here.)
    draft.working_directory.emplace(1, '~');
  } else {
    Result<std::string> path = context.Expand(value, SpecifierSet::kFull);
    if (!path) {
      std::string message =
          fmt::format("Failed to resolve unit specifiers in working directory path '{}'{}: {}",
                      value, ignoring, path.error().message);
      if (optional) {
        context.Warn(message);
        return Ok();
      }
      return context.Fatal(message);
    }
    Result<std::string> checked = CheckedPath("WorkingDirectory", *path, !optional);
    if (!checked) {
      if (optional) {
        context.Warn(checked.error().message);
        return Ok();
      }
      return context.Fatal(checked.error().message +
                           " (use an absolute path, or ~ for the home of User=)");
    }
    draft.working_directory = std::move(*checked);
  }
  draft.spec.working_directory_optional = optional;
  return Ok();
}

Result<void> UMask(ServiceDraft& draft, const SettingContext& context, std::string_view value) {
  Result<uint32_t> mode = ParseFileMode(value);
  if (!mode) {
    context.Warn(fmt::format("Failed to parse mode value, ignoring: {}", value));
    return Ok();
  }
  draft.umask = *mode;
  return Ok();
}

// An integer setting within [low, high], as systemd reads Nice= and OOMScoreAdjust=: empty
// resets it; out of range or unparsable is warned about and ignored. `what` and `what_parsed`
// name it as systemd's two messages do.
struct BoundedIntegerNames {
  std::string_view what;         // "<what> out of range, ignoring: <value>"
  std::string_view what_parsed;  // "Failed to parse <what_parsed> '<value>', ignoring: <why>"
};

void BoundedInteger(std::optional<int>& setting, const SettingContext& context,
                    std::string_view value, int64_t low, int64_t high,
                    const BoundedIntegerNames& names) {
  if (value.empty()) {
    setting.reset();
    return;
  }
  Result<int64_t> number = ParseCInteger(value, INT32_MIN, INT32_MAX);
  if (number && (*number < low || *number > high)) number = ErrnoError(ERANGE);
  if (!number) {
    if (number.error().sys_errno == ERANGE) {
      context.Warn(fmt::format("{} out of range, ignoring: {}", names.what, value));
    } else {
      context.Warn(fmt::format("Failed to parse {} '{}', ignoring: {}", names.what_parsed, value,
                               number.error().message));
    }
    return;
  }
  setting = static_cast<int>(*number);
}

Result<void> Nice(ServiceDraft& draft, const SettingContext& context, std::string_view value) {
  BoundedInteger(draft.spec.nice, context, value, -20, 19, {"Nice priority", "nice priority"});
  return Ok();
}

Result<void> OomScoreAdjust(ServiceDraft& draft, const SettingContext& context,
                            std::string_view value) {
  BoundedInteger(draft.spec.oom_score_adjust, context, value, -1000, 1000,
                 {"OOM score adjust value", "the OOM score adjust value"});
  return Ok();
}

// env_name_is_valid(): [A-Za-z_][A-Za-z0-9_]*.
bool IsEnvironmentName(std::string_view name) {
  if (name.empty() || IsAsciiDigit(name.front())) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '_'; });
}

// env_assignment_is_valid(): NAME=value, any value (control characters included) but NUL.
bool IsEnvironmentAssignment(std::string_view text) {
  size_t eq = text.find('=');
  return eq != std::string_view::npos && IsEnvironmentName(text.substr(0, eq));
}

Result<void> Environment(ServiceDraft& draft, const SettingContext& context,
                         std::string_view value) {
  if (value.empty()) {
    draft.environment.clear();
    return Ok();
  }
  std::string_view p = value;
  while (true) {
    Result<std::optional<std::string>> word =
        ExtractFirstWord(p, kUnitWhitespace, kExtractCUnescape | kExtractUnquote);
    if (!word) {
      context.Warn(fmt::format("Invalid syntax, ignoring: {}", value));
      return Ok();
    }
    if (!*word) return Ok();
    std::optional<std::string> resolved =
        context.ExpandOrWarn(**word, SpecifierSet::kFull, SettingContext::Wording::kListWord);
    if (!resolved) continue;
    if (!IsEnvironmentAssignment(*resolved)) {
      context.Warn(fmt::format("Invalid environment assignment, ignoring: {}", *resolved));
      continue;
    }
    size_t eq = resolved->find('=');
    SetVariable(draft.environment, resolved->substr(0, eq), resolved->substr(eq + 1));
  }
}

Result<void> EnvironmentFileSetting(ServiceDraft& draft, const SettingContext& context,
                                    std::string_view value) {
  if (value.empty()) {
    draft.spec.environment_files.clear();
    return Ok();
  }
  std::optional<std::string> resolved = context.ExpandOrWarn(value, SpecifierSet::kFull);
  if (!resolved) return Ok();
  const bool optional = resolved->starts_with('-');
  Result<std::string> path =
      CheckedPath("EnvironmentFile", std::string_view(*resolved).substr(optional ? 1 : 0), false);
  if (!path) {
    context.Warn(path.error().message);
    return Ok();
  }
  draft.spec.environment_files.push_back(EnvironmentFile{std::move(*path), optional});
  return Ok();
}

Result<void> PassEnvironment(ServiceDraft& draft, const SettingContext& context,
                             std::string_view value) {
  std::vector<std::string>& list = draft.spec.pass_environment;
  if (value.empty()) {
    list.clear();
    return Ok();
  }
  std::string_view p = value;
  while (true) {
    Result<std::optional<std::string>> word = ExtractFirstWord(p, kUnitWhitespace, kExtractUnquote);
    if (!word) {
      context.Warn(fmt::format("Trailing garbage in {}, ignoring: {}", context.key, value));
      return Ok();
    }
    if (!*word) return Ok();
    std::optional<std::string> name =
        context.ExpandOrWarn(**word, SpecifierSet::kFull, SettingContext::Wording::kListWord);
    if (!name) continue;
    if (!IsEnvironmentName(*name)) {
      context.Warn(
          fmt::format("Invalid environment name for {}, ignoring: {}", context.key, *name));
      continue;
    }
    if (std::find(list.begin(), list.end(), *name) == list.end()) list.push_back(*name);
  }
}

Result<void> UnsetEnvironment(ServiceDraft& draft, const SettingContext& context,
                              std::string_view value) {
  std::vector<std::string>& list = draft.spec.unset_environment;
  if (value.empty()) {
    list.clear();
    return Ok();
  }
  std::string_view p = value;
  while (true) {
    Result<std::optional<std::string>> word =
        ExtractFirstWord(p, kUnitWhitespace, kExtractCUnescape | kExtractUnquote);
    if (!word) {
      context.Warn(fmt::format("Trailing garbage in {}, ignoring: {}", context.key, value));
      return Ok();
    }
    if (!*word) return Ok();
    std::optional<std::string> entry =
        context.ExpandOrWarn(**word, SpecifierSet::kFull, SettingContext::Wording::kUnquoted);
    if (!entry) continue;
    if (!IsEnvironmentName(*entry) && !IsEnvironmentAssignment(*entry)) {
      context.Warn(fmt::format("Invalid environment name or assignment {}, ignoring: {}",
                               context.key, *entry));
      continue;
    }
    if (std::find(list.begin(), list.end(), *entry) == list.end()) list.push_back(*entry);
  }
}

Result<void> Limit(ServiceDraft& draft, const SettingContext& context, std::string_view value) {
  const int resource = *RlimitFromKey(context.key);
  Result<ResourceLimit> limit = ParseResourceLimit(resource, value);
  if (!limit) {
    if (limit.error().sys_errno == EILSEQ) {
      context.Warn(
          fmt::format("Soft resource limit chosen higher than hard limit, ignoring: {}", value));
    } else {
      context.Warn(fmt::format("Failed to parse resource value, ignoring: {}", value));
    }
    return Ok();
  }
  std::vector<ResourceLimit>& limits = draft.spec.limits;
  auto same = std::find_if(limits.begin(), limits.end(),
                           [&](const ResourceLimit& l) { return l.resource == resource; });
  if (same != limits.end()) {
    *same = *limit;
  } else {
    limits.push_back(*limit);
  }
  return Ok();
}

Result<void> PamName(ServiceDraft& draft, const SettingContext& context, std::string_view value) {
  draft.pam_name = std::string(value);
  if (!value.empty()) {
    context.Warn("PAMName= is not supported by vigil, ignoring (no PAM session is opened)");
  }
  return Ok();
}

struct NamedHandler {
  std::string_view key;
  SettingHandler handler;
};

constexpr NamedHandler kExecHandlers[] = {
    {"User", User},
    {"Group", User},
    {"SupplementaryGroups", SupplementaryGroups},
    {"WorkingDirectory", WorkingDirectory},
    {"UMask", UMask},
    {"Nice", Nice},
    {"OOMScoreAdjust", OomScoreAdjust},
    {"Environment", Environment},
    {"EnvironmentFile", EnvironmentFileSetting},
    {"PassEnvironment", PassEnvironment},
    {"UnsetEnvironment", UnsetEnvironment},
    {"PAMName", PamName},
};

}  // namespace

SettingHandler FindExecContextHandler(std::string_view key) {
  for (const NamedHandler& entry : kExecHandlers) {
    if (entry.key == key) return entry.handler;
  }
  if (RlimitFromKey(key)) return Limit;
  return FindOutputHandler(key);
}

}  // namespace vigil::config
