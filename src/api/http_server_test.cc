#include "api/http_server.h"

#include <gtest/gtest.h>

namespace vigil::api {
namespace {

TEST(HttpDateTest, IsAnImfFixdateInGmt) {
  // The values of supervisord's build_http_date(): strftime('%a, %d %b %Y %H:%M:%S GMT').
  EXPECT_EQ(HttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(HttpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(HttpDate(1764115200), "Wed, 26 Nov 2025 00:00:00 GMT");
}

}  // namespace
}  // namespace vigil::api
