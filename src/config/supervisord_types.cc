#include "config/supervisord_types.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <csignal>

#include "base/strings.h"
#include "config/py_text.h"
#include "config/shlex.h"

namespace vigil::config {
namespace {

struct NamedSignal {
  std::string_view name;
  int number;
};

// Every attribute of Python's signal module that starts with "SIG", which is what supervisord's
// signal_number() looks names up in (so SIG_DFL, spelled "_DFL", is 0, like the bare number).
constexpr std::array<NamedSignal, 41> kSignals = {{
    {"SIGHUP", SIGHUP},   {"SIGINT", SIGINT},       {"SIGQUIT", SIGQUIT}, {"SIGILL", SIGILL},
    {"SIGTRAP", SIGTRAP}, {"SIGABRT", SIGABRT},     {"SIGBUS", SIGBUS},   {"SIGFPE", SIGFPE},
    {"SIGKILL", SIGKILL}, {"SIGUSR1", SIGUSR1},     {"SIGSEGV", SIGSEGV}, {"SIGUSR2", SIGUSR2},
    {"SIGPIPE", SIGPIPE}, {"SIGALRM", SIGALRM},     {"SIGTERM", SIGTERM}, {"SIGSTKFLT", SIGSTKFLT},
    {"SIGCHLD", SIGCHLD}, {"SIGCONT", SIGCONT},     {"SIGSTOP", SIGSTOP}, {"SIGTSTP", SIGTSTP},
    {"SIGTTIN", SIGTTIN}, {"SIGTTOU", SIGTTOU},     {"SIGURG", SIGURG},   {"SIGXCPU", SIGXCPU},
    {"SIGXFSZ", SIGXFSZ}, {"SIGVTALRM", SIGVTALRM}, {"SIGPROF", SIGPROF}, {"SIGWINCH", SIGWINCH},
    {"SIGIO", SIGIO},     {"SIGPWR", SIGPWR},       {"SIGSYS", SIGSYS},   {"SIGCLD", SIGCHLD},
    {"SIGPOLL", SIGIO},   {"SIGIOT", SIGABRT},      {"SIGRTMIN", 34},     {"SIGRTMAX", 64},
    {"SIG_DFL", 0},       {"SIG_IGN", 1},           {"SIG_BLOCK", 0},     {"SIG_UNBLOCK", 1},
    {"SIG_SETMASK", 2},
}};

bool IsValidSignalNumber(int64_t n) { return (n >= 0 && n <= 31) || n == 34 || n == 64; }

constexpr std::string_view kBooleanHint = "expected true/false, yes/no, on/off or 1/0";

}  // namespace

Error SupervisordError(std::string text, std::string_view advice) {
  Error error =
      Error::InvalidArgument(advice.empty() ? text : fmt::format("{} ({})", text, advice));
  error.compat_message = std::move(text);
  return error;
}

Result<int64_t> ParseInteger(std::string_view text) {
  if (std::optional<int64_t> n = PyInt(text)) return *n;
  return SupervisordError(fmt::format("invalid literal for int() with base 10: {}", PyRepr(text)),
                          "expected a whole number");
}

Result<bool> ParseBoolean(std::string_view text) {
  const std::string lower = PyLower(text);
  if (lower == "yes" || lower == "true" || lower == "on" || lower == "1") return true;
  if (lower == "no" || lower == "false" || lower == "off" || lower == "0") return false;
  return SupervisordError(fmt::format("not a valid boolean value: {}", PyRepr(text)), kBooleanHint);
}

Result<int64_t> ParseByteSize(std::string_view text) {
  const std::string lower = PyLower(text);
  struct Suffix {
    std::string_view text;
    int64_t multiplier;
  };
  static constexpr Suffix kSuffixes[] = {
      {"kb", 1024}, {"mb", 1024 * 1024}, {"gb", int64_t{1024} * 1024 * 1024}};
  // Python slices the last two characters (code points) off; the suffixes are ASCII, so a
  // byte comparison of the tail finds the same matches.
  std::string_view number = lower;
  int64_t multiplier = 1;
  for (const Suffix& suffix : kSuffixes) {
    if (lower.size() >= 2 && std::string_view(lower).substr(lower.size() - 2) == suffix.text) {
      number = std::string_view(lower).substr(0, lower.size() - 2);
      multiplier = suffix.multiplier;
      break;
    }
  }
  std::optional<int64_t> n = PyInt(number);
  if (!n) {
    return SupervisordError(
        fmt::format("invalid literal for int() with base 10: {}", PyRepr(number)),
        "expected a number of bytes with an optional KB, MB or GB suffix, such as 50MB");
  }
  if (*n > INT64_MAX / multiplier || *n < INT64_MIN / multiplier) {
    return Error::InvalidArgument(fmt::format("{} is too large", PyRepr(text)));
  }
  return *n * multiplier;
}

Result<int> ParseSignal(std::string_view text) {
  int64_t number = 0;
  if (std::optional<int64_t> n = PyInt(text)) {
    number = *n;
  } else {
    std::string name = PyUpper(PyStrip(text));
    if (!name.starts_with("SIG")) name = "SIG" + name;
    bool found = false;
    for (const NamedSignal& s : kSignals) {
      if (s.name == name) {
        number = s.number;
        found = true;
        break;
      }
    }
    if (!found) {
      return SupervisordError(
          fmt::format("value {} is not a valid signal name", PyRepr(text)),
          "expected a name such as TERM, HUP, INT, QUIT, KILL, USR1 or USR2, or a signal number");
    }
  }
  if (!IsValidSignalNumber(number)) {
    return SupervisordError(fmt::format("value {} is not a valid signal number", PyRepr(text)),
                            "expected 0-31, 34 or 64, or a signal name");
  }
  return static_cast<int>(number);
}

std::string SignalName(int signo) {
  for (const NamedSignal& s : kSignals) {
    // The first spelling of each number is the canonical one (SIGCHLD before SIGCLD).
    if (s.number == signo && !s.name.starts_with("SIG_")) return std::string(s.name);
  }
  return fmt::format("signal {}", signo);
}

Result<std::vector<int>> ParseExitCodes(std::string_view text) {
  std::vector<int> codes;
  if (text.empty()) return codes;
  for (const std::string& piece : Split(text, ',')) {
    std::optional<int64_t> n = PyInt(piece);
    if (!n || *n < 0 || *n > 255) {
      return SupervisordError(fmt::format("not a valid list of exit codes: {}", PyRepr(text)),
                              "expected numbers from 0 to 255 separated by commas, such as 0,2");
    }
    codes.push_back(static_cast<int>(*n));
  }
  return codes;
}

Result<uint32_t> ParseOctal(std::string_view text) {
  std::optional<int64_t> n = PyOctal(text);
  if (!n || *n < 0 || *n > 0xffffffff) {
    // supervisord prints the raw value, not its repr.
    return SupervisordError(fmt::format("{} can not be converted to an octal type", text),
                            "expected octal digits such as 022 or 0700");
  }
  return static_cast<uint32_t>(*n);
}

Result<AutoRestart> ParseAutoRestart(std::string_view text) {
  const std::string lower = PyLower(text);
  if (lower == "unexpected") return AutoRestart::kUnexpected;
  if (lower == "yes" || lower == "true" || lower == "on" || lower == "1") {
    return AutoRestart::kAlways;
  }
  if (lower == "no" || lower == "false" || lower == "off" || lower == "0") {
    return AutoRestart::kNever;
  }
  return SupervisordError(fmt::format("invalid 'autorestart' value {}", PyRepr(lower)),
                          "expected true, false or unexpected");
}

std::string_view AutoRestartName(AutoRestart value) {
  switch (value) {
    case AutoRestart::kNever:
      return "false";
    case AutoRestart::kUnexpected:
      return "unexpected";
    case AutoRestart::kAlways:
      return "true";
  }
  return "?";
}

Result<LogLevel> ParseLogLevel(std::string_view text) {
  static constexpr std::pair<std::string_view, LogLevel> kLevels[] = {
      {"critical", LogLevel::kCritical}, {"error", LogLevel::kError}, {"warn", LogLevel::kWarn},
      {"info", LogLevel::kInfo},         {"debug", LogLevel::kDebug}, {"trace", LogLevel::kTrace},
      {"blather", LogLevel::kBlather}};
  const std::string lower = PyLower(text);
  for (const auto& [name, level] : kLevels) {
    if (name == lower) return level;
  }
  return SupervisordError(fmt::format("bad logging level name {}", PyRepr(text)),
                          "expected critical, error, warn, info, debug, trace or blather");
}

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kCritical:
      return "critical";
    case LogLevel::kError:
      return "error";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kTrace:
      return "trace";
    case LogLevel::kBlather:
      return "blather";
  }
  return "?";
}

std::string_view LogLevelTag(LogLevel level) {
  switch (level) {
    case LogLevel::kCritical:
      return "CRIT";
    case LogLevel::kError:
      return "ERRO";
    case LogLevel::kWarn:
      return "WARN";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kDebug:
      return "DEBG";
    case LogLevel::kTrace:
      return "TRAC";
    case LogLevel::kBlather:
      return "BLAT";
  }
  return "?";
}

Result<std::string> ParseProcessOrGroupName(std::string_view text) {
  std::string_view name = PyStrip(text);
  for (char bad : {' ', ':', '/'}) {
    if (name.find(bad) != std::string_view::npos) {
      return SupervisordError(fmt::format("Invalid name: {} because of character: {}", PyRepr(text),
                                          PyRepr(std::string(1, bad))),
                              "names may not contain spaces, ':' or '/'");
    }
  }
  return std::string(name);
}

Result<KeyValuePairs> ParseKeyValuePairs(std::string_view text) {
  auto unexpected_end = [&]() {
    return SupervisordError(
        fmt::format("Unexpected end of key/value pairs in value '{}'", text),
        "expected KEY=value pairs separated by commas; quote values that hold commas or "
        "spaces: KEY=\"a, b\"");
  };
  Result<LegacyTokens> lexed = ShlexLegacyTokens(text);
  if (!lexed) {
    // Python's shlex raises ValueError("No closing quotation"), which supervisord lets through.
    return Error::InvalidArgument(
        fmt::format("{} in {} (expected KEY=value pairs; a quote opened in a value must be closed)",
                    lexed.error().message, PyRepr(text)));
  }
  KeyValuePairs result;
  result.mangled = lexed->dropped_comment;
  const std::vector<std::string>& t = lexed->tokens;
  for (size_t i = 0; i < t.size(); i += 4) {
    if (i + 3 > t.size() || t[i + 1] != "=") return unexpected_end();
    const std::string& token = t[i + 2];
    // Python's strip('\'"') removes every leading and trailing quote character.
    size_t first = token.find_first_not_of("'\"");
    size_t last = token.find_last_not_of("'\"");
    std::string value =
        first == std::string::npos ? std::string() : token.substr(first, last - first + 1);
    // What the author meant: the token without one pair of enclosing quotes.
    const bool enclosed = token.size() >= 2 && (token.front() == '\'' || token.front() == '"') &&
                          token.back() == token.front();
    if (value != (enclosed ? token.substr(1, token.size() - 2) : token)) result.mangled = true;
    // supervisord takes any token between pairs as the separator: "A=hello world" reads as
    // A=hello with "world" as the separator, "A=$HOME" as A=$ with "HOME" as the separator.
    if (i + 3 < t.size() && t[i + 3] != ",") result.mangled = true;
    bool replaced = false;
    for (auto& pair : result.pairs) {
      if (pair.first == t[i]) {
        pair.second = value;
        replaced = true;
      }
    }
    if (!replaced) result.pairs.emplace_back(t[i], std::move(value));
  }
  return result;
}

Result<InetAddress> ParseInetAddress(std::string_view text) {
  InetAddress address;
  auto port_number = [&](std::string_view p) -> Result<int> {
    std::optional<int64_t> n = PyInt(p);
    if (!n) {
      return Error::InvalidArgument(
          fmt::format("invalid literal for int() with base 10: {} (expected a port number from "
                      "1 to 65535)",
                      PyRepr(p)));
    }
    if (*n < 1) {
      return Error::InvalidArgument(fmt::format("{} is below lower bound (1)", *n));
    }
    if (*n > 65535) {
      return Error::InvalidArgument(fmt::format("{} is above upper bound (65535)", *n));
    }
    return static_cast<int>(*n);
  };
  size_t colon = text.rfind(':');
  if (colon != std::string_view::npos) {
    std::string_view port = text.substr(colon + 1);
    if (port.empty()) {
      return Error::InvalidArgument(
          "no port number specified in '' (expected host:port, such as 127.0.0.1:9001)");
    }
    Result<int> n = port_number(port);
    if (!n) return n.error();
    address.port = *n;
    address.host = PyLower(text.substr(0, colon));
  } else {
    Result<int> n = port_number(text);
    if (!n) {
      return Error::InvalidArgument(
          fmt::format("not a valid port number: {}  (expected a port from 1 to 65535 or host:port)",
                      PyRepr(text)));
    }
    address.port = *n;
  }
  if (address.host == "*") address.host.clear();
  return address;
}

std::vector<std::string> ParseListOfStrings(std::string_view text) {
  std::vector<std::string> list;
  if (text.empty()) return list;
  for (const std::string& piece : Split(text, ',')) list.emplace_back(PyStrip(piece));
  return list;
}

Result<std::string> ParseUrl(std::string_view text) {
  // urlparse: a scheme is letters/digits/+-. starting with a letter, before ':'.
  size_t colon = text.find(':');
  bool has_scheme = false;
  if (colon != std::string_view::npos && colon > 0) {
    has_scheme = (text[0] >= 'a' && text[0] <= 'z') || (text[0] >= 'A' && text[0] <= 'Z');
    for (size_t i = 1; i < colon && has_scheme; ++i) {
      char c = text[i];
      has_scheme = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '+' || c == '-' || c == '.';
    }
  }
  if (has_scheme) {
    std::string_view rest = text.substr(colon + 1);
    // netloc or path: anything after "scheme:" other than only a query or fragment.
    size_t end = rest.find_first_of("?#");
    std::string_view netloc_and_path = rest.substr(0, end);
    if (netloc_and_path.starts_with("//")) netloc_and_path.remove_prefix(2);
    if (!netloc_and_path.empty() || rest.substr(0, end).size() > 2) return std::string(text);
  }
  return Error::InvalidArgument(fmt::format(
      "value {} is not a URL (expected unix:///path/to/socket or http://host:port)", PyRepr(text)));
}

}  // namespace vigil::config
