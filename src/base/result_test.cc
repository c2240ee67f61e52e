#include "base/result.h"

#include <gtest/gtest.h>

#include <memory>

namespace vigil {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Error::InvalidArgument("odd");
  return x / 2;
}

TEST(ResultTest, ValueAndError) {
  auto ok = Half(4);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 2);
  auto bad = Half(3);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message, "odd");
  EXPECT_EQ(bad.value_or(-1), -1);
}

TEST(ResultTest, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 7);
}

TEST(ResultTest, VoidResult) {
  Result<void> ok = Ok();
  EXPECT_TRUE(ok);
  Result<void> bad = Error::Io(2, "open x");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().sys_errno, 2);
}

TEST(ResultDeathTest, ValueOnErrorAborts) {
  EXPECT_DEATH(
      {
        auto bad = Half(3);
        static_cast<void>(bad.value());
      },
      "Result::value\\(\\) on an error");
}

}  // namespace
}  // namespace vigil
