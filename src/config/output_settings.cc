// The [Service] settings about standard input, output and error (systemd.exec(5) "Logging and
// standard input/output"), with systemd 252's parsers' rules and messages (load-fragment.c).

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "config/service_draft.h"

namespace vigil::config {
namespace {

struct OutputName {
  std::string_view name;
  OutputKind kind;
};
constexpr std::array<OutputName, 12> kOutputNames = {{
    {"inherit", OutputKind::kInherit},
    {"null", OutputKind::kNull},
    {"tty", OutputKind::kTty},
    {"journal", OutputKind::kJournal},
    {"kmsg", OutputKind::kKmsg},
    {"journal+console", OutputKind::kJournalConsole},
    {"kmsg+console", OutputKind::kKmsgConsole},
    {"socket", OutputKind::kSocket},
    {"fd", OutputKind::kNamedFd},
    {"file", OutputKind::kFile},
    {"append", OutputKind::kAppend},
    {"truncate", OutputKind::kTruncate},
}};

// fdname_is_valid(): printable ASCII without ':', at most 255 characters.
bool IsFdName(std::string_view name) {
  return name.size() <= 255 && std::all_of(name.begin(), name.end(),
                                           [](char c) { return c >= ' ' && c < 0x7f && c != ':'; });
}

Result<void> StandardOutput(ServiceDraft& draft, const SettingContext& context,
                            std::string_view value) {
  OutputSetting& setting =
      context.key == "StandardOutput" ? draft.standard_output : draft.standard_error;
  const bool is_stdout = context.key == "StandardOutput";
  OutputSetting parsed;
  parsed.where = context.where;
  if (value.starts_with("fd:")) {
    std::optional<std::string> name = context.ExpandOrWarn(value.substr(3), SpecifierSet::kFull,
                                                           SettingContext::Wording::kUnquoted);
    if (!name) return Ok();
    if (name->empty()) {
      *name = is_stdout ? "stdout" : "stderr";
    } else if (!IsFdName(*name)) {
      context.Warn(fmt::format("Invalid file descriptor name, ignoring: {}", *name));
      return Ok();
    }
    parsed.kind = OutputKind::kNamedFd;
    parsed.path = std::move(*name);
  } else if (value.starts_with("file:") || value.starts_with("append:") ||
             value.starts_with("truncate:")) {
    const size_t colon = value.find(':');
    std::string_view path_text = value.substr(colon + 1);
    std::optional<std::string> path =
        context.ExpandOrWarn(path_text, SpecifierSet::kFull, SettingContext::Wording::kUnquoted);
    if (!path) return Ok();
    // systemd words this like a fatal error but only ignores the setting.
    Result<std::string> checked = CheckedPath(context.key, *path, true);
    if (!checked) {
      context.Warn(checked.error().message);
      return Ok();
    }
    parsed.kind = value.starts_with("file:")     ? OutputKind::kFile
                  : value.starts_with("append:") ? OutputKind::kAppend
                                                 : OutputKind::kTruncate;
    parsed.path = std::move(*checked);
  } else if (value == "syslog" || value == "syslog+console") {
    context.Warn(fmt::format(
        "Standard output type {} is obsolete, automatically updating to {}. Please update your "
        "unit file, and consider removing the setting altogether.",
        value, value == "syslog" ? "journal" : "journal+console"));
    parsed.kind = value == "syslog" ? OutputKind::kJournal : OutputKind::kJournalConsole;
  } else {
    auto known = std::find_if(kOutputNames.begin(), kOutputNames.end(),
                              [&](const OutputName& o) { return o.name == value; });
    if (known == kOutputNames.end()) {
      context.Warn(fmt::format("Failed to parse output specifier, ignoring: {}", value));
      return Ok();
    }
    parsed.kind = known->kind;
    if (parsed.kind == OutputKind::kNamedFd) parsed.path = is_stdout ? "stdout" : "stderr";
  }
  setting = std::move(parsed);
  return Ok();
}

Result<void> StandardInput(ServiceDraft&, const SettingContext& context, std::string_view value) {
  static constexpr std::array<std::string_view, 7> kInputs = {
      "null", "tty", "tty-force", "tty-fail", "socket", "data", "fd"};
  const bool known = std::find(kInputs.begin(), kInputs.end(), value) != kInputs.end() ||
                     value.starts_with("fd:") || value.starts_with("file:");
  if (!known) {
    context.Warn(fmt::format("Failed to parse input specifier, ignoring: {}", value));
  } else if (value != "null") {
    context.Warn(fmt::format(
        "StandardInput={} is not supported by vigil, ignoring (standard input is /dev/null)",
        value));
  }
  return Ok();
}

Result<void> SyslogIdentifier(ServiceDraft& draft, const SettingContext& context,
                              std::string_view value) {
  std::optional<std::string> text = context.ExpandOrWarn(value, SpecifierSet::kFull);
  if (!text) return Ok();
  draft.spec.syslog_identifier = std::move(*text);
  return Ok();
}

struct NamedHandler {
  std::string_view key;
  SettingHandler handler;
};

constexpr NamedHandler kOutputHandlers[] = {
    {"StandardOutput", StandardOutput},
    {"StandardError", StandardOutput},
    {"StandardInput", StandardInput},
    {"SyslogIdentifier", SyslogIdentifier},
};

}  // namespace

SettingHandler FindOutputHandler(std::string_view key) {
  for (const NamedHandler& entry : kOutputHandlers) {
    if (entry.key == key) return entry.handler;
  }
  return nullptr;
}

}  // namespace vigil::config
