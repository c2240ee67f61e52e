#pragma once

// The value types of systemd unit settings, each accepting exactly what systemd 252 accepts
// (parse-util.c, time-util.c, rlimit-util.c, signal-util.c, exit-status.c). Failures are Errors
// whose sys_errno is the errno systemd reports (EINVAL, ERANGE), so callers can word messages as
// systemd does ("...: Invalid argument"). Pure.

#include <sys/resource.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "config/service_spec.h"

namespace vigil::config {

// An Error carrying `err` and its strerror() text.
Error ErrnoError(int err);

// parse_boolean(): 1/yes/y/true/t/on and 0/no/n/false/f/off, any case.
std::optional<bool> ParseUnitBoolean(std::string_view text);

// safe_atoi()/safe_atou64(): C's strtol with base 0 ("0x1f" is hex, "017" octal), leading
// whitespace and a sign allowed, nothing after the digits. Unsigned refuses a '-'.
Result<int64_t> ParseCInteger(std::string_view text, int64_t min, int64_t max);
Result<uint64_t> ParseCUnsigned(std::string_view text);

// parse_time(): a sum of numbers with optional units ("5min 20s", "1.5h"); a bare number is
// `default_unit` microseconds; "infinity" alone is kInfinityUsec. Units: us usec µs, ms msec,
// s sec second seconds, m min minute minutes, h hr hour hours, d day days, w week weeks,
// M month months (30.44 d), y year years (365.25 d).
inline constexpr uint64_t kInfinityUsec = UINT64_MAX;
inline constexpr uint64_t kUsecPerSec = 1000000;
Result<uint64_t> ParseTimeUsec(std::string_view text, uint64_t default_unit);
// parse_sec(): ParseTimeUsec with seconds as the default unit.
inline Result<uint64_t> ParseSecUsec(std::string_view text) {
  return ParseTimeUsec(text, kUsecPerSec);
}
// Microseconds as a Duration (saturating at Duration::max()).
Duration UsecToDuration(uint64_t usec);

// parse_size(text, 1024): a sum of numbers with optional K M G T P E (powers of 1024) or B
// suffixes, largest first ("1G 512M"); fractions allowed ("1.5K").
Result<uint64_t> ParseIecSize(std::string_view text);

// UMask=: octal, at most 07777.
Result<uint32_t> ParseFileMode(std::string_view text);

// The Limit*= keys: LimitCPU= -> RLIMIT_CPU, ... ; nullopt for other keys.
std::optional<int> RlimitFromKey(std::string_view key);
// The Limit*= key of a resource ("LimitNOFILE" for RLIMIT_NOFILE); "" for others.
std::string_view RlimitKey(int resource);
// rlimit_parse(): "value" or "soft:hard", each "infinity" or the resource's own unit: seconds
// (rounded up) for CPU, microseconds for RTTIME (both take time spans), bytes with K..E for the
// size limits, "+N"/"-N" nice levels or a raw 0..40 for NICE, plain counts otherwise. EILSEQ when
// soft > hard.
Result<ResourceLimit> ParseResourceLimit(int resource, std::string_view text);

// path_simplify(): drops repeated slashes, "." components and a trailing slash ("..", which
// would need the file system to resolve, stays).
std::string SimplifyPath(std::string_view path);
// path_is_normalized() after SimplifyPath(): no ".." component.
bool IsNormalizedPath(std::string_view path);

}  // namespace vigil::config
