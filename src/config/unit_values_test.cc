#include "config/unit_values.h"

#include <errno.h>
#include <gtest/gtest.h>

#include <sstream>

#include "config/unit_signals.h"

namespace vigil::config {
namespace {

struct TimeCase {
  const char* text;
  std::optional<uint64_t> usec;
};

// Each expected value is what `systemd-analyze timespan TEXT` (systemd 252) prints as "μs:", or
// nullopt where it fails to parse.
const TimeCase kTimeCases[] = {
    {"0", 0ULL},
    {"5", 5000000ULL},
    {"1.5", 1500000ULL},
    {".5", 500000ULL},
    {"5min 20s", 320000000ULL},
    {"5min20s", 320000000ULL},
    {"1 h", 3600000000ULL},
    {"1M", 2629800000000ULL},
    {"1month", 2629800000000ULL},
    {"1months", 2629800000000ULL},
    {"1y", 31557600000000ULL},
    {"1year", 31557600000000ULL},
    {"1years", 31557600000000ULL},
    {"2w", 1209600000000ULL},
    {"1week", 604800000000ULL},
    {"1weeks", 604800000000ULL},
    {"1d", 86400000000ULL},
    {"1day", 86400000000ULL},
    {"3days", 259200000000ULL},
    {"100ms", 100000ULL},
    {"100msec", 100000ULL},
    {"5us", 5ULL},
    {"5usec", 5ULL},
    {"5µs", 5ULL},
    {"1hr", 3600000000ULL},
    {"1hour", 3600000000ULL},
    {"1hours", 3600000000ULL},
    {"1m", 60000000ULL},
    {"1min", 60000000ULL},
    {"1minute", 60000000ULL},
    {"1minutes", 60000000ULL},
    {"1s", 1000000ULL},
    {"1sec", 1000000ULL},
    {"1second", 1000000ULL},
    {"1seconds", 1000000ULL},
    {"1s.5", 1500000ULL},
    {"+5", 5000000ULL},
    {"infinity", 18446744073709551615ULL},
    {" infinity ", 18446744073709551615ULL},
    {"1.5h", 5400000000ULL},
    {"5 s 3", 8000000ULL},
    {"0.000001", 1ULL},
    {"0.0000001", 0ULL},
    {"1 sec", 1000000ULL},
    {"1s 1s", 2000000ULL},
    {"5 min", 300000000ULL},
    {"1w1d", 691200000000ULL},
    {"1h30", 3630000000ULL},
    {"2.5 ms", 2500ULL},
    {"0.5us", 0ULL},
    {"1.999999999s", 1999999ULL},
    {"1m 1ms 1us", 60001001ULL},
    {"12h30m", 45000000000ULL},
    {"0.1 min", 6000000ULL},
    {"  7  ", 7000000ULL},
    {"1 .5", 1500000ULL},
    {"1.5.5", std::nullopt},
    {"1ns", std::nullopt},
    {"1nsec", std::nullopt},
    {"5 infinity", std::nullopt},
    {"", std::nullopt},
    {" ", std::nullopt},
    {"1.", std::nullopt},
    {"1e3", std::nullopt},
    {"1S", std::nullopt},
    {"1H", std::nullopt},
    {"1D", std::nullopt},
    {"5x", std::nullopt},
    {"+.5", std::nullopt},
    {"+ 5", std::nullopt},
    {"18446744073709551", std::nullopt},
    {"--1", std::nullopt},
    {"3.sec", std::nullopt},
    {"1s,", std::nullopt},
};

TEST(UnitValuesTest, TimeSpansMatchSystemdAnalyze) {
  for (const TimeCase& c : kTimeCases) {
    Result<uint64_t> usec = ParseSecUsec(c.text);
    if (c.usec) {
      ASSERT_TRUE(usec) << "'" << c.text << "': " << usec.error().message;
      EXPECT_EQ(*usec, *c.usec) << "'" << c.text << "'";
    } else {
      EXPECT_FALSE(usec) << "'" << c.text << "' gave " << *usec;
    }
  }
}

TEST(UnitValuesTest, TimeSpanDefaultUnitAndErrno) {
  EXPECT_EQ(*ParseTimeUsec("5", 1), 5u);  // LimitRTTIME=: bare microseconds
  EXPECT_EQ(*ParseTimeUsec("5ms", 1), 5000u);
  EXPECT_EQ(ParseSecUsec("-1").error().sys_errno, ERANGE);
  EXPECT_EQ(ParseSecUsec("x").error().sys_errno, EINVAL);
  EXPECT_EQ(UsecToDuration(1500), std::chrono::microseconds(1500));
  EXPECT_EQ(UsecToDuration(kInfinityUsec), Duration::max());
}

// The output of `systemd-analyze exit-status` on systemd 252, verbatim.
constexpr std::string_view kSystemdAnalyzeExitStatus = R"(NAME                    STATUS CLASS
SUCCESS                      0 libc
FAILURE                      1 libc
INVALIDARGUMENT              2 LSB
NOTIMPLEMENTED               3 LSB
NOPERMISSION                 4 LSB
NOTINSTALLED                 5 LSB
NOTCONFIGURED                6 LSB
NOTRUNNING                   7 LSB
USAGE                       64 BSD
DATAERR                     65 BSD
NOINPUT                     66 BSD
NOUSER                      67 BSD
NOHOST                      68 BSD
UNAVAILABLE                 69 BSD
SOFTWARE                    70 BSD
OSERR                       71 BSD
OSFILE                      72 BSD
CANTCREAT                   73 BSD
IOERR                       74 BSD
TEMPFAIL                    75 BSD
PROTOCOL                    76 BSD
NOPERM                      77 BSD
CONFIG                      78 BSD
CHDIR                      200 systemd
NICE                       201 systemd
FDS                        202 systemd
EXEC                       203 systemd
MEMORY                     204 systemd
LIMITS                     205 systemd
OOM_ADJUST                 206 systemd
SIGNAL_MASK                207 systemd
STDIN                      208 systemd
STDOUT                     209 systemd
CHROOT                     210 systemd
IOPRIO                     211 systemd
TIMERSLACK                 212 systemd
SECUREBITS                 213 systemd
SETSCHEDULER               214 systemd
CPUAFFINITY                215 systemd
GROUP                      216 systemd
USER                       217 systemd
CAPABILITIES               218 systemd
CGROUP                     219 systemd
SETSID                     220 systemd
CONFIRM                    221 systemd
STDERR                     222 systemd
PAM                        224 systemd
NETWORK                    225 systemd
NAMESPACE                  226 systemd
NO_NEW_PRIVILEGES          227 systemd
SECCOMP                    228 systemd
SELINUX_CONTEXT            229 systemd
PERSONALITY                230 systemd
APPARMOR                   231 systemd
ADDRESS_FAMILIES           232 systemd
RUNTIME_DIRECTORY          233 systemd
CHOWN                      235 systemd
SMACK_PROCESS_LABEL        236 systemd
KEYRING                    237 systemd
STATE_DIRECTORY            238 systemd
CACHE_DIRECTORY            239 systemd
LOGS_DIRECTORY             240 systemd
CONFIGURATION_DIRECTORY    241 systemd
NUMA_POLICY                242 systemd
CREDENTIALS                243 systemd
BPF                        244 systemd
EXCEPTION                  255 systemd
)";

TEST(UnitValuesTest, ExitStatusNamesMatchSystemdAnalyze) {
  std::istringstream lines{std::string(kSystemdAnalyzeExitStatus)};
  std::string header;
  std::getline(lines, header);
  size_t rows = 0;
  std::string name, exit_class;
  int status = 0;
  while (lines >> name >> status >> exit_class) {
    ++rows;
    EXPECT_EQ(ParseExitStatus(name), status) << name;
    bool listed = false;
    for (const ExitStatusName& entry : ExitStatusNames()) {
      if (entry.name == name) {
        listed = true;
        EXPECT_EQ(entry.status, status);
        EXPECT_EQ(entry.exit_class, exit_class);
      }
    }
    EXPECT_TRUE(listed) << name;
  }
  EXPECT_EQ(rows, ExitStatusNames().size());
}

TEST(UnitValuesTest, ExitStatusNumbersUseCSyntax) {
  EXPECT_EQ(ParseExitStatus("0"), 0);
  EXPECT_EQ(ParseExitStatus("255"), 255);
  EXPECT_EQ(ParseExitStatus("0x41"), 65);  // strtol base 0, as systemd's safe_atou8
  EXPECT_EQ(ParseExitStatus("0101"), 65);
  EXPECT_EQ(ParseExitStatus("+1"), 1);
  EXPECT_EQ(ParseExitStatus("256"), std::nullopt);
  EXPECT_EQ(ParseExitStatus("-1"), std::nullopt);
  EXPECT_EQ(ParseExitStatus("09"), std::nullopt);
  EXPECT_EQ(ParseExitStatus("usage"), std::nullopt);  // names are upper case
  EXPECT_EQ(ParseExitStatus("EX_USAGE"), std::nullopt);
}

TEST(UnitValuesTest, Signals) {
  EXPECT_EQ(*ParseUnitSignal("SIGKILL"), 9);
  EXPECT_EQ(*ParseUnitSignal("KILL"), 9);
  EXPECT_EQ(*ParseUnitSignal("9"), 9);
  EXPECT_EQ(*ParseUnitSignal("0x9"), 9);
  EXPECT_EQ(*ParseUnitSignal("011"), 9);
  EXPECT_EQ(*ParseUnitSignal("64"), 64);
  EXPECT_EQ(*ParseUnitSignal("STKFLT"), 16);
  EXPECT_EQ(*ParseUnitSignal("RTMIN"), SIGRTMIN);
  EXPECT_EQ(*ParseUnitSignal("SIGRTMIN+3"), SIGRTMIN + 3);
  EXPECT_EQ(*ParseUnitSignal("RTMAX-1"), SIGRTMAX - 1);
  EXPECT_EQ(*ParseUnitSignal("RTMIN+30"), SIGRTMAX);
  for (const char* bad : {"kill", "sigkill", "0", "65", "IOT", "CLD", "POLL", "RTMIN+31",
                          "RTMIN+-1", "RTMAX+1", "09", ""}) {
    EXPECT_FALSE(ParseUnitSignal(bad)) << bad;
  }
}

TEST(UnitValuesTest, Booleans) {
  for (const char* yes : {"1", "yes", "YES", "y", "true", "t", "on", "On"}) {
    EXPECT_EQ(ParseUnitBoolean(yes), true) << yes;
  }
  for (const char* no : {"0", "no", "n", "false", "F", "off"}) {
    EXPECT_EQ(ParseUnitBoolean(no), false) << no;
  }
  for (const char* bad : {"", "maybe", "2", "yes "}) EXPECT_EQ(ParseUnitBoolean(bad), std::nullopt);
}

TEST(UnitValuesTest, IecSizes) {
  EXPECT_EQ(*ParseIecSize("0"), 0u);
  EXPECT_EQ(*ParseIecSize("1K"), 1024u);
  EXPECT_EQ(*ParseIecSize("1.5K"), 1536u);
  EXPECT_EQ(*ParseIecSize("1G 512M"), (1ULL << 30) + (512ULL << 20));
  EXPECT_EQ(*ParseIecSize("1E"), 1ULL << 60);
  EXPECT_EQ(*ParseIecSize("10B"), 10u);
  EXPECT_EQ(*ParseIecSize("10.M"), 10ULL << 20);
  for (const char* bad : {"", "1KB", "1Ki", "1k", "1M 1G", "-1", "16E", "x"}) {
    EXPECT_FALSE(ParseIecSize(bad)) << bad;
  }
}

TEST(UnitValuesTest, ResourceLimits) {
  auto limit = [](int resource, const char* text) { return ParseResourceLimit(resource, text); };
  EXPECT_EQ(*limit(RLIMIT_NOFILE, "200000"), (ResourceLimit{RLIMIT_NOFILE, 200000, 200000}));
  EXPECT_EQ(*limit(RLIMIT_NOFILE, "1024:infinity"),
            (ResourceLimit{RLIMIT_NOFILE, 1024, RLIM_INFINITY}));
  EXPECT_EQ(*limit(RLIMIT_NOFILE, "0x100"), (ResourceLimit{RLIMIT_NOFILE, 256, 256}));
  EXPECT_EQ(*limit(RLIMIT_CORE, "infinity"),
            (ResourceLimit{RLIMIT_CORE, RLIM_INFINITY, RLIM_INFINITY}));
  EXPECT_EQ(*limit(RLIMIT_CORE, "1.5K"), (ResourceLimit{RLIMIT_CORE, 1536, 1536}));
  EXPECT_EQ(*limit(RLIMIT_STACK, "8M:infinity"),
            (ResourceLimit{RLIMIT_STACK, 8ULL << 20, RLIM_INFINITY}));
  EXPECT_EQ(*limit(RLIMIT_CPU, "10"), (ResourceLimit{RLIMIT_CPU, 10, 10}));  // seconds
  EXPECT_EQ(*limit(RLIMIT_CPU, "10min"), (ResourceLimit{RLIMIT_CPU, 600, 600}));
  EXPECT_EQ(*limit(RLIMIT_CPU, "1ms"), (ResourceLimit{RLIMIT_CPU, 1, 1}));      // rounded up
  EXPECT_EQ(*limit(RLIMIT_RTTIME, "5"), (ResourceLimit{RLIMIT_RTTIME, 5, 5}));  // µs
  EXPECT_EQ(*limit(RLIMIT_RTTIME, "5s"), (ResourceLimit{RLIMIT_RTTIME, 5000000, 5000000}));
  EXPECT_EQ(*limit(RLIMIT_NICE, "+5"), (ResourceLimit{RLIMIT_NICE, 15, 15}));
  EXPECT_EQ(*limit(RLIMIT_NICE, "-20"), (ResourceLimit{RLIMIT_NICE, 40, 40}));
  EXPECT_EQ(*limit(RLIMIT_NICE, "40"), (ResourceLimit{RLIMIT_NICE, 40, 40}));
  EXPECT_EQ(limit(RLIMIT_NOFILE, "2048:1024").error().sys_errno, EILSEQ);
  for (const char* bad : {"", "1K", "abc", "100:", ":100", "1 2", "1:2:3"}) {
    EXPECT_FALSE(limit(RLIMIT_NOFILE, bad)) << bad;
  }
  for (const char* bad : {"1KB", "16E", "0x100"}) EXPECT_FALSE(limit(RLIMIT_CORE, bad)) << bad;
  for (const char* bad : {"41", "+20", "-21"}) EXPECT_FALSE(limit(RLIMIT_NICE, bad)) << bad;
  EXPECT_EQ(RlimitFromKey("LimitNOFILE"), RLIMIT_NOFILE);
  EXPECT_EQ(RlimitFromKey("LimitFOO"), std::nullopt);
  EXPECT_EQ(RlimitKey(RLIMIT_CORE), "LimitCORE");
}

TEST(UnitValuesTest, FileModes) {
  EXPECT_EQ(*ParseFileMode("0022"), 022u);
  EXPECT_EQ(*ParseFileMode("22"), 022u);
  EXPECT_EQ(*ParseFileMode("07777"), 07777u);
  for (const char* bad : {"", "017777", "0x12", "999", "+22", "-1"}) {
    EXPECT_FALSE(ParseFileMode(bad)) << bad;
  }
}

TEST(UnitValuesTest, CIntegers) {
  EXPECT_EQ(*ParseCInteger("0x10", INT32_MIN, INT32_MAX), 16);
  EXPECT_EQ(*ParseCInteger("010", INT32_MIN, INT32_MAX), 8);
  EXPECT_EQ(*ParseCInteger("-5", INT32_MIN, INT32_MAX), -5);
  EXPECT_EQ(ParseCInteger("09", INT32_MIN, INT32_MAX).error().sys_errno, EINVAL);
  EXPECT_EQ(ParseCInteger("99999999999", INT32_MIN, INT32_MAX).error().sys_errno, ERANGE);
  EXPECT_EQ(*ParseCUnsigned("+3"), 3u);
  EXPECT_FALSE(ParseCUnsigned("-1"));
}

TEST(UnitValuesTest, Paths) {
  EXPECT_EQ(SimplifyPath("//bin//./true"), "/bin/true");
  EXPECT_EQ(SimplifyPath("/tmp/../x/"), "/tmp/../x");
  EXPECT_TRUE(IsNormalizedPath("/a/b"));
  EXPECT_FALSE(IsNormalizedPath("/a/../b"));
  EXPECT_FALSE(IsNormalizedPath("/a/.."));
}

}  // namespace
}  // namespace vigil::config
