#pragma once

// ServiceDraft: a .service unit while its assignments are being applied, in file order (the
// fragment, then each drop-in). It holds the ServiceSpec being filled, the settings that end up
// in ProgramSpec's common fields, and what systemd's load-time checks (service_verify) need to
// know. Internal to the unit builder (service_builder.cc and the *_settings.cc files).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "config/ini_document.h"
#include "config/program_spec.h"
#include "config/service_spec.h"
#include "config/unit_setting.h"

namespace vigil::config {

// StandardOutput= / StandardError= as written, before vigil maps them onto LogSpec.
enum class OutputKind {
  kInherit,
  kNull,
  kTty,
  kJournal,
  kKmsg,
  kJournalConsole,
  kKmsgConsole,
  kFile,
  kAppend,
  kTruncate,
  kSocket,
  kNamedFd,
};

struct OutputSetting {
  OutputKind kind = OutputKind::kJournal;
  std::string path;  // kFile, kAppend, kTruncate: absolute; kNamedFd: the name
  SourceLocation where;
};

struct ServiceDraft {
  ServiceSpec spec;

  // Common settings, mapped onto ProgramSpec at the end.
  std::string user;  // User= after specifiers; "" = unset
  SourceLocation user_where;
  std::optional<std::string> working_directory;  // absolute, or "~"
  uint32_t umask = 022;
  Environment environment;
  std::vector<std::string> supplementary_group_names;
  SourceLocation supplementary_groups_where;
  SourceLocation group_where;
  OutputSetting standard_output{OutputKind::kJournal, "", {}};
  OutputSetting standard_error{OutputKind::kInherit, "", {}};

  // Inputs of the load-time checks.
  bool start_timeout_defined = false;
  std::string bus_name;
  std::string pam_name;
  bool exit_type_cgroup = false;
  bool has_success_action = false;
  SourceLocation type_where;
  SourceLocation restart_where;
};

// Applies one assignment's value. An Error means systemd would refuse the unit; everything else
// it merely logs is added to the context's warnings.
using SettingHandler = Result<void> (*)(ServiceDraft& draft, const SettingContext& context,
                                        std::string_view value);

// The handlers, by section (unit_settings.cc, service_settings.cc, exec_settings.cc,
// output_settings.cc). FindExecContextHandler() includes the output handlers.
SettingHandler FindUnitSectionHandler(std::string_view key);
SettingHandler FindInstallSectionHandler(std::string_view key);
SettingHandler FindServiceLifecycleHandler(std::string_view key);
SettingHandler FindExecContextHandler(std::string_view key);
SettingHandler FindOutputHandler(std::string_view key);

// Shared helpers of the handlers.
// systemd's "Failed to parse boolean value, ignoring: X" parser; nullopt after warning.
std::optional<bool> ParseBooleanSetting(const SettingContext& context, std::string_view value);
// config_parse_sec(): "Failed to parse sec value, ignoring: X"; nullopt after warning.
std::optional<uint64_t> ParseSecSetting(const SettingContext& context, std::string_view value);
// path_simplify_and_warn(): `path` with repeated slashes and "." components removed; it must be
// absolute, free of ".." and at most PATH_MAX long. The Error's message is systemd's, unlocated
// ("X= path is not absolute: P"; with ", ignoring" before the colon unless `fatal_wording`).
Result<std::string> CheckedPath(std::string_view key, std::string_view path, bool fatal_wording);

}  // namespace vigil::config
