#include "config/unit_specifiers.h"

#include <errno.h>
#include <gtest/gtest.h>

#include "tests/fakes/fake_host.h"

namespace vigil::config {
namespace {

class UnitSpecifiersTest : public ::testing::Test {
 protected:
  UnitSpecifiersTest() {
    host_.AddFile("/etc/machine-id", "0123456789abcdef0123456789abcdef\n");
    host_.AddFile("/proc/sys/kernel/random/boot_id", "01234567-89ab-cdef-0123-456789abcdef\n");
    host_.AddFile("/proc/sys/kernel/osrelease", "6.1.0-test\n");
    host_.AddFile("/etc/os-release",
                  "ID=debian\nVERSION_ID=\"12\"\nVARIANT_ID=server\nBUILD_ID=b1\n"
                  "IMAGE_ID=img\nIMAGE_VERSION=7\n");
  }

  std::string Expand(std::string_view unit, std::string_view text,
                     SpecifierSet set = SpecifierSet::kFull) {
    SpecifierContext context = MakeSpecifierContext(host_, *ParseUnitName(unit),
                                                    "/etc/systemd/system/" + std::string(unit));
    Result<ExpandedText> expanded = ExpandSpecifiers(text, context, set);
    if (!expanded) return "error: " + expanded.error().message;
    return expanded->text;
  }

  testing::FakeHost host_;
};

TEST_F(UnitSpecifiersTest, UnitNames) {
  const char* unit = "foo-bar@a\\x2db-c.service";
  EXPECT_EQ(Expand(unit, "%n|%N|%p|%P|%i|%I|%j|%J"),
            "foo-bar@a\\x2db-c.service|foo-bar@a\\x2db-c|foo-bar|foo/bar|a\\x2db-c|a-b/c|bar|bar");
  EXPECT_EQ(Expand(unit, "%f"), "/a-b/c");
  EXPECT_EQ(Expand("var-lib-x.service", "%f|%i|%j"), "/var/lib/x||x");
  EXPECT_EQ(Expand("plain.service", "%p|%j|%N"), "plain|plain|plain");
  EXPECT_EQ(Expand("plain.service", "%y|%Y"),
            "/etc/systemd/system/plain.service|/etc/systemd/system");
}

TEST_F(UnitSpecifiersTest, TheManagersUserNotUserEquals) {
  EXPECT_EQ(Expand("x.service", "%u|%U|%g|%G|%h|%s"), "root|0|root|0|/root|/bin/sh");
  host_.AddUser("vigil", 990, 990, "/var/lib/vigil", "/usr/sbin/nologin");
  host_.AddGroup("vigil", 990);
  host_.SetCurrentUid(990);
  host_.SetEnv("XDG_RUNTIME_DIR", "/run/user/990");
  EXPECT_EQ(Expand("x.service", "%u|%U|%g|%G|%h|%s|%t|%S|%C|%E"),
            "vigil|990|vigil|990|/var/lib/vigil|/usr/sbin/nologin|/run/user/990|"
            "/var/lib/vigil/.local/state|/var/lib/vigil/.cache|/var/lib/vigil/.config");
}

TEST_F(UnitSpecifiersTest, Machine) {
  EXPECT_EQ(Expand("x.service", "%H|%l|%q|%m|%b|%v|%o|%w|%W|%B|%M|%A"),
            "testhost|testhost|testhost|0123456789abcdef0123456789abcdef|"
            "0123456789abcdef0123456789abcdef|6.1.0-test|debian|12|server|b1|img|7");
  EXPECT_FALSE(Expand("x.service", "%a").empty());
  EXPECT_EQ(Expand("x.service", "%t|%S|%C|%L|%E|%T|%V|%d"),
            "/run|/var/lib|/var/cache|/var/log|/etc|/tmp|/var/tmp|/run/credentials/x.service");
}

TEST_F(UnitSpecifiersTest, PercentAndErrors) {
  EXPECT_EQ(Expand("x.service", "100%%"), "100%");
  EXPECT_EQ(Expand("x.service", "100%"), "100%");  // a trailing '%' stays
  EXPECT_EQ(Expand("x.service", "%Z"), "error: Invalid slot");
  EXPECT_EQ(Expand("x.service", "%k"), "error: Invalid slot");
  EXPECT_EQ(Expand("a--b.service", "%f"), "error: Invalid argument");
}

TEST_F(UnitSpecifiersTest, Sets) {
  // Dependency names take only what is safe in unit names.
  EXPECT_EQ(Expand("x@i.service", "%i-%H-%u.target", SpecifierSet::kUnitName),
            "i-testhost-root.target");
  for (const char* bad : {"%h", "%I", "%T", "%f", "%t"}) {
    EXPECT_EQ(Expand("x@i.service", bad, SpecifierSet::kUnitName), "error: Invalid slot") << bad;
  }
  EXPECT_EQ(Expand("x@i.service", "%i %p %n", SpecifierSet::kInstall), "i x x@i.service");
  EXPECT_EQ(Expand("x@i.service", "%t", SpecifierSet::kInstall), "error: Invalid slot");
}

TEST_F(UnitSpecifiersTest, DeprecatedCgroupSpecifiers) {
  SpecifierContext context = MakeSpecifierContext(host_, *ParseUnitName("x.service"), "");
  Result<ExpandedText> expanded = ExpandSpecifiers("%c %r %R", context, SpecifierSet::kFull);
  ASSERT_TRUE(expanded);
  EXPECT_EQ(expanded->text, "/system.slice/x.service /system.slice /");
  EXPECT_EQ(expanded->deprecated, (std::vector<char>{'c', 'r', 'R'}));
  EXPECT_EQ(DeprecatedSpecifierMessage('c'),
            "Specifier '%c' used in unit configuration, which is deprecated. Please update your "
            "unit file, as it does not work as intended.");
  EXPECT_EQ(ExpandSpecifiers("%y", context, SpecifierSet::kFull).error().sys_errno, ENOENT);
}

}  // namespace
}  // namespace vigil::config
