#include "config/unit_name.h"

#include <gtest/gtest.h>

namespace vigil::config {
namespace {

TEST(UnitNameTest, Parse) {
  std::optional<UnitName> plain = ParseUnitName("doris-fe.service");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->prefix, "doris-fe");
  EXPECT_EQ(plain->form, UnitNameForm::kPlain);
  EXPECT_EQ(plain->Full(), "doris-fe.service");

  std::optional<UnitName> instance = ParseUnitName("getty@tty1.service");
  ASSERT_TRUE(instance);
  EXPECT_EQ(instance->prefix, "getty");
  EXPECT_EQ(instance->instance, "tty1");
  EXPECT_EQ(instance->form, UnitNameForm::kInstance);
  EXPECT_EQ(instance->Template(), "getty@.service");

  std::optional<UnitName> tmpl = ParseUnitName("getty@.service");
  ASSERT_TRUE(tmpl);
  EXPECT_EQ(tmpl->form, UnitNameForm::kTemplate);
  EXPECT_EQ(tmpl->Full(), "getty@.service");

  EXPECT_EQ(ParseUnitName("a@b@c.service")->instance, "b@c");  // systemd allows this
  EXPECT_EQ(ParseUnitName("multi-user.target")->type, "target");
  EXPECT_EQ(ParseUnitName("a\\x2db:c_d.e.service")->prefix, "a\\x2db:c_d.e");
}

TEST(UnitNameTest, Invalid) {
  for (const char* bad : {"", "foo", ".service", "@x.service", "foo.bogus", "a b.service",
                          "a/b.service", "a$.service"}) {
    EXPECT_FALSE(ParseUnitName(bad)) << bad;
  }
  EXPECT_TRUE(ParseUnitName(std::string(247, 'a') + ".service"));  // 255 characters
  EXPECT_FALSE(ParseUnitName(std::string(248, 'a') + ".service"));
}

TEST(UnitNameTest, NormalizeServiceName) {
  EXPECT_EQ(*NormalizeServiceName("doris-fe"), "doris-fe.service");
  EXPECT_EQ(*NormalizeServiceName("doris-fe.service"), "doris-fe.service");
  EXPECT_EQ(*NormalizeServiceName("getty@tty1"), "getty@tty1.service");
  EXPECT_EQ(*NormalizeServiceName("doris.fe"), "doris.fe.service");
  EXPECT_EQ(NormalizeServiceName("getty@").error().message,
            "'getty@.service' is a template; name an instance of it, such as "
            "getty@NAME.service");
  EXPECT_EQ(NormalizeServiceName("multi-user.target").error().message,
            "'multi-user.target' is a .target unit; vigil runs .service units only");
  EXPECT_EQ(NormalizeServiceName("a b").error().message,
            "invalid unit name 'a b.service': unit names consist of letters, digits and the "
            "characters \":-_.\\@\" (systemd-escape makes any text into one)");
  EXPECT_FALSE(NormalizeServiceName(std::string(250, 'a')));
  EXPECT_FALSE(NormalizeServiceName(""));
}

TEST(UnitNameTest, Unescape) {
  EXPECT_EQ(*UnescapeUnitName("dev-sda\\x2d1"), "dev/sda-1");
  EXPECT_FALSE(UnescapeUnitName("a\\x2"));
  EXPECT_FALSE(UnescapeUnitName("a\\y20"));
  EXPECT_EQ(*UnescapeUnitPath("-"), "/");
  EXPECT_EQ(*UnescapeUnitPath("var-lib-foo"), "/var/lib/foo");
  EXPECT_FALSE(UnescapeUnitPath(""));
  EXPECT_FALSE(UnescapeUnitPath("a--b"));  // "//"
}

}  // namespace
}  // namespace vigil::config
