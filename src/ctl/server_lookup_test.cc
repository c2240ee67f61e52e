#include "ctl/server_lookup.h"

#include <gtest/gtest.h>

#include "tests/fakes/fake_host.h"

namespace vigil::ctl {
namespace {

TEST(ServerLookupTest, LikeSupervisorctl) {
  testing::FakeHost host;
  host.AddFile("/etc/s/a.conf",
               "[supervisorctl]\nserverurl=unix://%(here)s/../run/s.sock\nusername=u\n"
               "password=p\n");
  LookupOptions options;
  options.configuration = "/etc/s/a.conf";
  Result<ServerAddress> server = FindServer(options, host);
  ASSERT_TRUE(server) << server.error().message;
  EXPECT_EQ(server->url, "unix:///etc/run/s.sock");
  EXPECT_EQ(server->username, "u");
  EXPECT_EQ(server->password, "p");

  host.AddFile("/etc/s/b.conf", "[supervisord]\n[unix_http_server]\nfile=/run/v.sock\n");
  options.configuration = "/etc/s/b.conf";
  EXPECT_EQ(FindServer(options, host)->url, "unix:///run/v.sock");

  host.AddFile("/etc/s/c.conf", "[inet_http_server]\nport=:9001\n");
  options.configuration = "/etc/s/c.conf";
  EXPECT_EQ(FindServer(options, host)->url, "http://localhost:9001");

  options.serverurl = "http://h:1";
  options.username = "x";
  EXPECT_EQ(FindServer(options, host)->url, "http://h:1");

  host.AddFile("/etc/s/d.conf", "[supervisord]\n");
  options = LookupOptions{};
  options.configuration = "/etc/s/d.conf";
  EXPECT_FALSE(FindServer(options, host));
}

}  // namespace
}  // namespace vigil::ctl
