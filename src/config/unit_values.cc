#include "config/unit_values.h"

#include <errno.h>
#include <signal.h>

#include <array>
#include <cstdlib>
#include <cstring>

namespace vigil::config {
namespace {

constexpr std::string_view kWhitespace = " \t\n\r";

std::string_view SkipWhitespace(std::string_view s) {
  while (!s.empty() && kWhitespace.find(s.front()) != std::string_view::npos) s.remove_prefix(1);
  return s;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

// A run of decimal digits at the start of `s`, as strtoull would read it; nullopt on overflow.
struct Digits {
  uint64_t value = 0;
  size_t length = 0;
  bool overflow = false;
};
Digits ReadDigits(std::string_view s) {
  Digits d;
  while (d.length < s.size() && IsDigit(s[d.length])) {
    uint64_t digit = static_cast<uint64_t>(s[d.length] - '0');
    if (d.value > (UINT64_MAX - digit) / 10) d.overflow = true;
    d.value = d.value * 10 + digit;
    ++d.length;
  }
  return d;
}

struct TimeUnit {
  std::string_view suffix;
  uint64_t usec;
};

constexpr uint64_t kUsecPerMinute = 60 * kUsecPerSec;
constexpr uint64_t kUsecPerHour = 60 * kUsecPerMinute;
constexpr uint64_t kUsecPerDay = 24 * kUsecPerHour;
constexpr uint64_t kUsecPerWeek = 7 * kUsecPerDay;
constexpr uint64_t kUsecPerMonth = 2629800 * kUsecPerSec;  // 30.44 days
constexpr uint64_t kUsecPerYear = 31557600 * kUsecPerSec;  // 365.25 days

// The order matters: the first suffix that the text starts with wins (time-util.c).
constexpr std::array<TimeUnit, 29> kTimeUnits = {{
    {"seconds", kUsecPerSec},
    {"second", kUsecPerSec},
    {"sec", kUsecPerSec},
    {"s", kUsecPerSec},
    {"minutes", kUsecPerMinute},
    {"minute", kUsecPerMinute},
    {"min", kUsecPerMinute},
    {"months", kUsecPerMonth},
    {"month", kUsecPerMonth},
    {"M", kUsecPerMonth},
    {"msec", 1000},
    {"ms", 1000},
    {"m", kUsecPerMinute},
    {"hours", kUsecPerHour},
    {"hour", kUsecPerHour},
    {"hr", kUsecPerHour},
    {"h", kUsecPerHour},
    {"days", kUsecPerDay},
    {"day", kUsecPerDay},
    {"d", kUsecPerDay},
    {"weeks", kUsecPerWeek},
    {"week", kUsecPerWeek},
    {"w", kUsecPerWeek},
    {"years", kUsecPerYear},
    {"year", kUsecPerYear},
    {"y", kUsecPerYear},
    {"usec", 1},
    {"us", 1},
    {"\xc2\xb5s", 1},
}};

struct RlimitKeyName {
  std::string_view key;
  int resource;
};
constexpr RlimitKeyName kRlimitKeys[] = {
    {"LimitCPU", RLIMIT_CPU},           {"LimitFSIZE", RLIMIT_FSIZE},
    {"LimitDATA", RLIMIT_DATA},         {"LimitSTACK", RLIMIT_STACK},
    {"LimitCORE", RLIMIT_CORE},         {"LimitRSS", RLIMIT_RSS},
    {"LimitNOFILE", RLIMIT_NOFILE},     {"LimitAS", RLIMIT_AS},
    {"LimitNPROC", RLIMIT_NPROC},       {"LimitMEMLOCK", RLIMIT_MEMLOCK},
    {"LimitLOCKS", RLIMIT_LOCKS},       {"LimitSIGPENDING", RLIMIT_SIGPENDING},
    {"LimitMSGQUEUE", RLIMIT_MSGQUEUE}, {"LimitNICE", RLIMIT_NICE},
    {"LimitRTPRIO", RLIMIT_RTPRIO},     {"LimitRTTIME", RLIMIT_RTTIME},
};

Result<rlim_t> ParseRlimitValue(int resource, std::string_view text) {
  if (text == "infinity") return static_cast<rlim_t>(RLIM_INFINITY);
  switch (resource) {
    case RLIMIT_CPU: {
      Result<uint64_t> usec = ParseSecUsec(text);
      if (!usec) return usec.error();
      if (*usec == kInfinityUsec) return static_cast<rlim_t>(RLIM_INFINITY);
      return static_cast<rlim_t>((*usec + kUsecPerSec - 1) / kUsecPerSec);
    }
    case RLIMIT_RTTIME: {
      Result<uint64_t> usec = ParseTimeUsec(text, 1);
      if (!usec) return usec.error();
      if (*usec == kInfinityUsec) return static_cast<rlim_t>(RLIM_INFINITY);
      return static_cast<rlim_t>(*usec);
    }
    case RLIMIT_FSIZE:
    case RLIMIT_DATA:
    case RLIMIT_STACK:
    case RLIMIT_CORE:
    case RLIMIT_RSS:
    case RLIMIT_AS:
    case RLIMIT_MEMLOCK:
    case RLIMIT_MSGQUEUE: {
      Result<uint64_t> bytes = ParseIecSize(text);
      if (!bytes) return bytes.error();
      if (*bytes >= static_cast<uint64_t>(RLIM_INFINITY)) return ErrnoError(ERANGE);
      return static_cast<rlim_t>(*bytes);
    }
    case RLIMIT_NICE: {
      // Nice levels -20..19 are the raw limits 40..1; "+N" takes 0..19, "-N" takes -20..0, a
      // bare number is the raw limit 0..40 (rlimit-util.c explains the asymmetry).
      if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        Result<int64_t> nice = ParseCInteger(text, INT32_MIN, INT32_MAX);
        if (!nice) return nice.error();
        if (text.front() == '+' && (*nice < 0 || *nice > 19)) return ErrnoError(ERANGE);
        if (text.front() == '-' && (*nice < -20 || *nice > 0)) return ErrnoError(ERANGE);
        return static_cast<rlim_t>(20 - *nice);
      }
      Result<uint64_t> raw = ParseCUnsigned(text);
      if (!raw) return raw.error();
      if (*raw > 40) return ErrnoError(ERANGE);
      return static_cast<rlim_t>(*raw);
    }
    default: {
      Result<uint64_t> count = ParseCUnsigned(text);
      if (!count) return count.error();
      if (*count >= static_cast<uint64_t>(RLIM_INFINITY)) return ErrnoError(ERANGE);
      return static_cast<rlim_t>(*count);
    }
  }
}

}  // namespace

Error ErrnoError(int err) { return Error{ErrorCode::kInvalidArgument, std::strerror(err), err}; }

std::optional<bool> ParseUnitBoolean(std::string_view text) {
  for (std::string_view yes : {"1", "yes", "y", "true", "t", "on"}) {
    if (EqualsIgnoringCase(text, yes)) return true;
  }
  for (std::string_view no : {"0", "no", "n", "false", "f", "off"}) {
    if (EqualsIgnoringCase(text, no)) return false;
  }
  return std::nullopt;
}

Result<int64_t> ParseCInteger(std::string_view text, int64_t min, int64_t max) {
  std::string copy(text);
  errno = 0;
  char* end = nullptr;
  long long value = std::strtoll(copy.c_str(), &end, 0);
  if (errno != 0) return ErrnoError(errno);
  if (end == copy.c_str() || *end != '\0') return ErrnoError(EINVAL);
  if (value < min || value > max) return ErrnoError(ERANGE);
  return static_cast<int64_t>(value);
}

Result<uint64_t> ParseCUnsigned(std::string_view text) {
  std::string copy(SkipWhitespace(text));
  errno = 0;
  char* end = nullptr;
  unsigned long long value = std::strtoull(copy.c_str(), &end, 0);
  if (errno != 0) return ErrnoError(errno);
  if (end == copy.c_str() || *end != '\0') return ErrnoError(EINVAL);
  if (!copy.empty() && copy.front() == '-') return ErrnoError(ERANGE);
  return static_cast<uint64_t>(value);
}

Result<uint64_t> ParseTimeUsec(std::string_view text, uint64_t default_unit) {
  std::string_view p = SkipWhitespace(text);
  if (p.starts_with("infinity")) {
    if (!SkipWhitespace(p.substr(8)).empty()) return ErrnoError(EINVAL);
    return kInfinityUsec;
  }
  uint64_t total = 0;
  bool something = false;
  while (true) {
    p = SkipWhitespace(p);
    if (p.empty()) {
      if (!something) return ErrnoError(EINVAL);
      return total;
    }
    if (p.front() == '-') return ErrnoError(ERANGE);  // not even "-0"
    // strtoll(): an optional '+', then digits.
    std::string_view number = p;
    const bool plus = number.front() == '+';
    if (plus) number.remove_prefix(1);
    Digits whole = ReadDigits(number);
    if (whole.overflow || whole.value > static_cast<uint64_t>(INT64_MAX)) {
      return ErrnoError(ERANGE);
    }
    if (plus && whole.length == 0) return ErrnoError(EINVAL);  // strtoll() converts nothing
    std::string_view after = number.substr(whole.length);
    std::string_view fraction;
    if (!after.empty() && after.front() == '.') {
      after.remove_prefix(1);
      size_t n = 0;
      while (n < after.size() && IsDigit(after[n])) ++n;
      fraction = after.substr(0, n);
      after.remove_prefix(n);
      // "3." and "3.sec" are refused; ".5" is 0.5.
      if (fraction.empty()) return ErrnoError(EINVAL);
    } else if (whole.length == 0) {
      return ErrnoError(EINVAL);
    }
    uint64_t multiplier = default_unit;
    std::string_view unit_text = SkipWhitespace(after);
    bool matched = false;
    for (const TimeUnit& unit : kTimeUnits) {
      if (unit_text.starts_with(unit.suffix)) {
        multiplier = unit.usec;
        unit_text.remove_prefix(unit.suffix.size());
        matched = true;
        break;
      }
    }
    // "12.34.56" is refused, "12.34 .56" and "12.34s.56" are sums.
    if (!matched && !after.empty() && after.front() != ' ' && after.front() != '\t' &&
        after.front() != '\n' && after.front() != '\r') {
      return ErrnoError(EINVAL);
    }
    p = matched ? unit_text : after;
    if (whole.value >= kInfinityUsec / multiplier) return ErrnoError(ERANGE);
    uint64_t k = whole.value * multiplier;
    if (k >= kInfinityUsec - total) return ErrnoError(ERANGE);
    total += k;
    uint64_t m = multiplier / 10;
    for (char digit : fraction) {
      k = static_cast<uint64_t>(digit - '0') * m;
      if (k >= kInfinityUsec - total) return ErrnoError(ERANGE);
      total += k;
      m /= 10;
    }
    something = true;
  }
}

Duration UsecToDuration(uint64_t usec) {
  constexpr uint64_t kMaxUsec = static_cast<uint64_t>(Duration::max().count() / 1000);
  if (usec >= kMaxUsec) return Duration::max();
  return std::chrono::microseconds(static_cast<int64_t>(usec));
}

Result<uint64_t> ParseIecSize(std::string_view text) {
  struct Suffix {
    std::string_view text;
    uint64_t factor;
  };
  static constexpr std::array<Suffix, 8> kSuffixes = {{
      {"E", 1ULL << 60},
      {"P", 1ULL << 50},
      {"T", 1ULL << 40},
      {"G", 1ULL << 30},
      {"M", 1ULL << 20},
      {"K", 1ULL << 10},
      {"B", 1},
      {"", 1},
  }};
  std::string_view p = text;
  uint64_t total = 0;
  size_t start = 0;
  do {
    p = SkipWhitespace(p);
    if (p.starts_with("-")) return ErrnoError(ERANGE);
    std::string_view number = p;
    if (!number.empty() && number.front() == '+') number.remove_prefix(1);
    Digits whole = ReadDigits(number);
    if (whole.length == 0) return ErrnoError(EINVAL);
    if (whole.overflow) return ErrnoError(ERANGE);
    std::string_view e = number.substr(whole.length);
    double fraction = 0;
    if (!e.empty() && e.front() == '.') {
      e.remove_prefix(1);
      Digits decimals = ReadDigits(e);
      double scale = 1;
      for (size_t i = 0; i < decimals.length; ++i) {
        scale *= 10;
        fraction = fraction * 10 + (e[i] - '0');
      }
      fraction /= scale;
      e.remove_prefix(decimals.length);
    }
    e = SkipWhitespace(e);
    size_t i = start;
    while (i < kSuffixes.size() && !e.starts_with(kSuffixes[i].text)) ++i;
    if (i >= kSuffixes.size()) return ErrnoError(EINVAL);
    const uint64_t factor = kSuffixes[i].factor;
    if (whole.value + (fraction > 0 ? 1 : 0) > UINT64_MAX / factor) return ErrnoError(ERANGE);
    uint64_t value =
        whole.value * factor + static_cast<uint64_t>(fraction * static_cast<double>(factor));
    if (value > UINT64_MAX - total) return ErrnoError(ERANGE);
    total += value;
    p = e.substr(kSuffixes[i].text.size());
    start = i + 1;
  } while (!p.empty());
  return total;
}

Result<uint32_t> ParseFileMode(std::string_view text) {
  if (text.empty() || text.front() == '+' || text.front() == '-') return ErrnoError(EINVAL);
  std::string_view digits = SkipWhitespace(text);
  if (digits.empty() || digits.front() == '+' || digits.front() == '-') {
    return ErrnoError(EINVAL);
  }
  uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '7') return ErrnoError(EINVAL);
    value = value * 8 + static_cast<uint64_t>(c - '0');
    if (value > 07777) return ErrnoError(ERANGE);
  }
  return static_cast<uint32_t>(value);
}

std::optional<int> RlimitFromKey(std::string_view key) {
  for (const RlimitKeyName& entry : kRlimitKeys) {
    if (entry.key == key) return entry.resource;
  }
  return std::nullopt;
}

std::string_view RlimitKey(int resource) {
  for (const RlimitKeyName& entry : kRlimitKeys) {
    if (entry.resource == resource) return entry.key;
  }
  return "";
}

Result<ResourceLimit> ParseResourceLimit(int resource, std::string_view text) {
  const size_t colon = text.find(':');
  Result<rlim_t> soft = ParseRlimitValue(resource, text.substr(0, colon));
  if (!soft) return soft.error();
  ResourceLimit limit{resource, *soft, *soft};
  if (colon == std::string_view::npos) return limit;
  std::string_view hard_text = text.substr(colon + 1);
  if (hard_text.find(':') != std::string_view::npos) return ErrnoError(EINVAL);
  Result<rlim_t> hard = ParseRlimitValue(resource, hard_text);
  if (!hard) return hard.error();
  if (*soft > *hard) return ErrnoError(EILSEQ);
  limit.hard = *hard;
  return limit;
}

std::string SimplifyPath(std::string_view path) {
  std::string out;
  size_t i = 0;
  const bool absolute = !path.empty() && path.front() == '/';
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t end = path.find('/', i);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(i, end - i);
    i = end;
    if (part.empty() || part == ".") continue;
    if (!out.empty() || absolute) out += '/';
    out += part;
  }
  if (out.empty()) return absolute ? "/" : ".";
  return out;
}

bool IsNormalizedPath(std::string_view path) {
  return path != ".." && !path.starts_with("../") && path.find("/../") == std::string_view::npos &&
         !path.ends_with("/..");
}

}  // namespace vigil::config
