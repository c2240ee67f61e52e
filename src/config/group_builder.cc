// supervisord's process_groups_from_parser(): heterogeneous groups, homogeneous program groups,
// event listener pools and FastCGI groups, with its checks in its order.

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "base/strings.h"
#include "config/py_text.h"
#include "config/supervisord_builder.h"

namespace vigil::config {
namespace {

constexpr std::string_view kKnownEventTypes[] = {
    "EVENT",
    "PROCESS_COMMUNICATION",
    "PROCESS_COMMUNICATION_STDERR",
    "PROCESS_COMMUNICATION_STDOUT",
    "PROCESS_GROUP",
    "PROCESS_GROUP_ADDED",
    "PROCESS_GROUP_REMOVED",
    "PROCESS_LOG",
    "PROCESS_LOG_STDERR",
    "PROCESS_LOG_STDOUT",
    "PROCESS_STATE",
    "PROCESS_STATE_BACKOFF",
    "PROCESS_STATE_EXITED",
    "PROCESS_STATE_FATAL",
    "PROCESS_STATE_RUNNING",
    "PROCESS_STATE_STARTING",
    "PROCESS_STATE_STOPPED",
    "PROCESS_STATE_STOPPING",
    "PROCESS_STATE_UNKNOWN",
    "REMOTE_COMMUNICATION",
    "SUPERVISOR_STATE_CHANGE",
    "SUPERVISOR_STATE_CHANGE_RUNNING",
    "SUPERVISOR_STATE_CHANGE_STOPPING",
    "TICK",
    "TICK_3600",
    "TICK_5",
    "TICK_60",
};

constexpr std::string_view kDefaultResultHandler = "supervisor.dispatchers:default_handler";

std::string AfterColon(const std::string& section) { return section.substr(section.find(':') + 1); }

class GroupCollector {
 public:
  GroupCollector(const IniDocument& doc, BuildState& state) : doc_(doc), state_(state) {}

  Result<std::vector<GroupSpec>> Collect();

 private:
  Result<void> HeterogeneousGroups();
  Result<void> ProgramGroups();
  Result<void> EventListenerPools();
  Result<void> FcgiGroups();

  const IniDocument& doc_;
  BuildState& state_;
  std::set<std::string> grouped_sections_;  // program sections claimed by a [group:x]
  std::vector<GroupSpec> groups_;
};

Result<void> GroupCollector::HeterogeneousGroups() {
  for (const std::string& section : doc_.SectionNames()) {
    if (!section.starts_with("group:")) continue;
    SectionReader r = MakeSectionReader(doc_, state_, section);
    Result<std::string> name = ParseProcessOrGroupName(AfterColon(section));
    if (!name) return r.SectionError(name.error());
    Result<std::optional<std::string>> programs = r.Get("programs");
    if (!programs) return programs.error();
    Result<int64_t> priority = r.Typed("priority", "999", ParseInteger);
    if (!priority) return priority.error();
    GroupSpec group;
    group.name = *name;
    group.priority = *priority;
    group.where = r.HeaderWhere();
    for (const std::string& program : ParseListOfStrings(programs->value_or(""))) {
      const std::string program_section = "program:" + program;
      const std::string fcgi_section = "fcgi-program:" + program;
      const bool is_program = doc_.HasSection(program_section);
      const bool is_fcgi = doc_.HasSection(fcgi_section);
      if (!is_program && !is_fcgi) {
        return r.KeyError(
            "programs",
            SupervisordError(
                fmt::format("[{}] names unknown program or fcgi-program {}", section, program),
                "each name must have a [program:name] section"));
      }
      if (is_program && is_fcgi) {
        return r.KeyError(
            "programs",
            fmt::format("[{}] name {} is ambiguous (exists as program and fcgi-program)", section,
                        program));
      }
      const std::string& member = is_program ? program_section : fcgi_section;
      grouped_sections_.insert(member);
      Result<std::vector<ProgramSpec>> processes = ProgramsFromSection(
          doc_, member, group.name, is_program ? ProgramKind::kProgram : ProgramKind::kFcgiProgram,
          state_);
      if (!processes) return processes.error();
      for (ProgramSpec& p : *processes) group.processes.push_back(std::move(p));
    }
    groups_.push_back(std::move(group));
  }
  return Ok();
}

Result<void> GroupCollector::ProgramGroups() {
  for (const std::string& section : doc_.SectionNames()) {
    if (!section.starts_with("program:") || grouped_sections_.contains(section)) continue;
    SectionReader r = MakeSectionReader(doc_, state_, section);
    Result<std::string> name = ParseProcessOrGroupName(AfterColon(section));
    if (!name) return r.SectionError(name.error());
    Result<int64_t> priority = r.Typed("priority", "999", ParseInteger);
    if (!priority) return priority.error();
    Result<std::vector<ProgramSpec>> processes =
        ProgramsFromSection(doc_, section, *name, ProgramKind::kProgram, state_);
    if (!processes) return processes.error();
    GroupSpec group;
    group.name = *name;
    group.priority = *priority;
    group.where = r.HeaderWhere();
    group.processes = std::move(*processes);
    groups_.push_back(std::move(group));
  }
  return Ok();
}

Result<std::vector<std::string>> ParseEventNames(const SectionReader& r) {
  Result<std::string> text = r.Get("events", "");
  if (!text) return text.error();
  std::set<std::string> events;
  for (const std::string& event : ParseListOfStrings(*text)) events.insert(PyUpper(event));
  if (events.empty()) {
    return r.SectionError(
        SupervisordError(fmt::format("[{}] section requires an \"events\" line", r.section()),
                         "for example events=PROCESS_STATE"));
  }
  for (const std::string& event : events) {
    if (std::find(std::begin(kKnownEventTypes), std::end(kKnownEventTypes), event) ==
        std::end(kKnownEventTypes)) {
      std::vector<std::string> known(std::begin(kKnownEventTypes), std::end(kKnownEventTypes));
      return r.KeyError(
          "events",
          SupervisordError(fmt::format("Unknown event type {} in [{}] events", event, r.section()),
                           fmt::format("known types: {}", Join(known, ", "))));
    }
  }
  return std::vector<std::string>(events.begin(), events.end());
}

Result<void> GroupCollector::EventListenerPools() {
  for (const std::string& section : doc_.SectionNames()) {
    if (!section.starts_with("eventlistener:")) continue;
    SectionReader r = MakeSectionReader(doc_, state_, section);
    GroupSpec pool;
    pool.kind = GroupSpec::Kind::kEventListenerPool;
    pool.name = AfterColon(section);
    pool.where = r.HeaderWhere();
    Result<int64_t> priority = r.Typed("priority", "-1", ParseInteger);
    if (!priority) return priority.error();
    pool.priority = *priority;
    Result<int64_t> buffer_size = r.Typed("buffer_size", "10", ParseInteger);
    if (!buffer_size) return buffer_size.error();
    if (*buffer_size < 1) {
      return r.KeyError("buffer_size",
                        SupervisordError(fmt::format("[{}] section sets invalid buffer_size ({})",
                                                     section, *buffer_size),
                                         "expected 1 or more"));
    }
    pool.buffer_size = *buffer_size;
    Result<std::string> handler = r.Get("result_handler", kDefaultResultHandler);
    if (!handler) return handler.error();
    if (*handler != kDefaultResultHandler) {
      return r.KeyError("result_handler",
                        fmt::format("{} cannot be resolved within [{}] (vigil has no Python "
                                    "plugins; only {} is available)",
                                    *handler, section, kDefaultResultHandler));
    }
    Result<std::vector<std::string>> events = ParseEventNames(r);
    if (!events) return events.error();
    pool.events = std::move(*events);
    Result<bool> redirect_stderr = r.Typed("redirect_stderr", "false", ParseBoolean);
    if (!redirect_stderr) return redirect_stderr.error();
    if (*redirect_stderr) {
      return r.KeyError("redirect_stderr",
                        SupervisordError(fmt::format(
                            "[{}] section sets redirect_stderr=true but this is not allowed "
                            "because it will interfere with the eventlistener protocol",
                            section)));
    }
    Result<std::vector<ProgramSpec>> processes =
        ProgramsFromSection(doc_, section, pool.name, ProgramKind::kEventListener, state_);
    if (!processes) return processes.error();
    pool.processes = std::move(*processes);
    groups_.push_back(std::move(pool));
  }
  return Ok();
}

// parse_fcgi_socket(): unix:///absolute/path or tcp://host:port.
Result<std::string> ParseFcgiSocket(std::string_view socket, bool has_owner_or_mode) {
  if (socket.starts_with("unix://")) {
    std::string_view path = socket.substr(7);
    if (!path.starts_with('/')) {
      return Error::InvalidArgument(
          fmt::format("Unix socket path {} is not an absolute path", path));
    }
    return std::string(socket);
  }
  if (has_owner_or_mode) {
    return Error::InvalidArgument(
        "socket_owner and socket_mode params should only be used with a Unix domain socket");
  }
  if (socket.starts_with("tcp://")) {
    std::string_view rest = socket.substr(6);
    size_t colon = rest.find(':');
    const bool host_ok =
        colon != std::string_view::npos && colon > 0 &&
        rest.substr(0, colon).find_first_of(" \t\n\r\f\v:") == std::string_view::npos;
    std::string_view port = colon == std::string_view::npos ? "" : rest.substr(colon + 1);
    const bool port_ok =
        !port.empty() && port.find_first_not_of("0123456789") == std::string_view::npos;
    if (host_ok && port_ok) return std::string(socket);
  }
  return Error::InvalidArgument(fmt::format(
      "Bad socket format {} (expected unix:///absolute/path or tcp://host:port)", socket));
}

Result<void> GroupCollector::FcgiGroups() {
  for (const std::string& section : doc_.SectionNames()) {
    if (!section.starts_with("fcgi-program:") || grouped_sections_.contains(section)) continue;
    SectionReader r = MakeSectionReader(doc_, state_, section);
    Result<std::string> name = ParseProcessOrGroupName(AfterColon(section));
    if (!name) return r.SectionError(name.error());
    GroupSpec group;
    group.kind = GroupSpec::Kind::kFcgiGroup;
    group.name = *name;
    group.where = r.HeaderWhere();
    Result<int64_t> priority = r.Typed("priority", "999", ParseInteger);
    if (!priority) return priority.error();
    group.priority = *priority;
    Result<std::optional<std::string>> user = r.Get("user");
    if (!user) return user.error();
    if (*user) {
      if (Result<UserSpec> spec = LookupUser(state_.context.host, **user); !spec) {
        return r.KeyError("user", spec.error());
      }
    }
    Result<std::optional<std::string>> backlog = r.Get("socket_backlog");
    if (!backlog) return backlog.error();
    if (*backlog) {
      Result<int64_t> n = ParseInteger(**backlog);
      if (!n) return r.KeyError("socket_backlog", n.error().message);
      if (*n < 1 || *n > 65535) {
        return r.KeyError("socket_backlog",
                          fmt::format("Invalid socket_backlog value {} (expected 1 to 65535)", *n));
      }
    }
    Result<std::optional<std::string>> owner = r.Get("socket_owner");
    if (!owner) return owner.error();
    if (*owner && !ParseUserGroup(state_.context.host, **owner)) {
      return r.KeyError("socket_owner", fmt::format("Invalid socket_owner value {}", **owner));
    }
    Result<std::optional<std::string>> mode = r.Get("socket_mode");
    if (!mode) return mode.error();
    if (*mode && !ParseOctal(**mode)) {
      return r.KeyError("socket_mode", fmt::format("Invalid socket_mode value {}", **mode));
    }
    SectionReader socket_reader =
        MakeSectionReader(doc_, state_, section, Expansions{{"program_name", *name}});
    Result<std::optional<std::string>> socket = socket_reader.Get("socket");
    if (!socket) return socket.error();
    if (!*socket || (*socket)->empty()) {
      return r.SectionError(fmt::format(
          "[{}] section requires a \"socket\" line (unix:///path or tcp://host:port)", section));
    }
    Result<std::string> parsed = ParseFcgiSocket(**socket, *owner || *mode);
    if (!parsed) {
      return r.KeyError("socket",
                        fmt::format("{} in [{}] socket", parsed.error().message, section));
    }
    group.socket = *parsed;
    Result<std::vector<ProgramSpec>> processes =
        ProgramsFromSection(doc_, section, group.name, ProgramKind::kFcgiProgram, state_);
    if (!processes) return processes.error();
    group.processes = std::move(*processes);
    groups_.push_back(std::move(group));
  }
  return Ok();
}

Result<std::vector<GroupSpec>> GroupCollector::Collect() {
  if (Result<void> r = HeterogeneousGroups(); !r) return r.error();
  if (Result<void> r = ProgramGroups(); !r) return r.error();
  if (Result<void> r = EventListenerPools(); !r) return r.error();
  if (Result<void> r = FcgiGroups(); !r) return r.error();
  std::stable_sort(groups_.begin(), groups_.end(), [](const GroupSpec& a, const GroupSpec& b) {
    if (a.priority != b.priority) return a.priority < b.priority;
    return a.name < b.name;
  });
  return std::move(groups_);
}

}  // namespace

Result<std::vector<GroupSpec>> GroupsFromDocument(const IniDocument& doc, BuildState& state) {
  return GroupCollector(doc, state).Collect();
}

}  // namespace vigil::config
