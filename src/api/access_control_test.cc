#include "api/access_control.h"

#include <gtest/gtest.h>

#include "tests/fakes/fake_host.h"

namespace vigil::api {
namespace {

class AccessControlTest : public ::testing::Test {
 protected:
  AccessControlTest() {
    host_.AddUser("doris", 1000, 1000, "/home/doris");
    host_.AddUser("eve", 1001, 1001, "/home/eve");
  }
  static Peer Unix(uid_t uid, gid_t gid) {
    Peer peer;
    peer.unix_socket = true;
    peer.uid = uid;
    peer.gid = gid;
    return peer;
  }
  testing::FakeHost host_;
};

TEST_F(AccessControlTest, SeedScenario) {
  config::AccessRule rule;
  rule.uids = {1000};
  rule.verbs = {"read", "start", "stop"};
  rule.programs = {"doris-fe", "doris-be"};
  AccessControl access({rule}, host_);
  const Peer doris = Unix(1000, 1000);
  EXPECT_TRUE(access.Allowed(doris, Verb::kStart, "doris-fe"));
  EXPECT_TRUE(access.Allowed(doris, Verb::kStop, "doris-be"));
  EXPECT_TRUE(access.Allowed(doris, Verb::kRead, "doris-be"));
  EXPECT_FALSE(access.Allowed(doris, Verb::kStart, "broker"));
  EXPECT_FALSE(access.Allowed(doris, Verb::kSignal, "doris-fe"));
  EXPECT_FALSE(access.Allowed(doris, Verb::kTail, "doris-fe"));
  EXPECT_FALSE(access.AllowedAnywhere(doris, Verb::kAdmin));
  EXPECT_FALSE(access.Allowed(Unix(1001, 1001), Verb::kRead, "doris-fe"));
  EXPECT_TRUE(access.Allowed(Unix(0, 0), Verb::kAdmin, "anything"));
}

TEST_F(AccessControlTest, GroupsGlobsRestartAndAdmin) {
  config::AccessRule ops;
  ops.gids = {1001};
  ops.verbs = {"restart"};
  ops.programs = {"web:*", "db*"};
  config::AccessRule admin;
  admin.uids = {1000};
  admin.verbs = {"admin"};
  admin.programs = {"*"};
  AccessControl access({ops, admin}, host_);
  const Peer eve = Unix(1001, 1001);
  EXPECT_TRUE(access.Allowed(eve, Verb::kStart, "web:w1"));
  EXPECT_TRUE(access.Allowed(eve, Verb::kStop, "web"));
  EXPECT_TRUE(access.Allowed(eve, Verb::kStop, "db-main"));
  EXPECT_FALSE(access.Allowed(eve, Verb::kRead, "web:w1"));
  EXPECT_TRUE(access.Allowed(Unix(1000, 1000), Verb::kSignal, "web:w1"));
  EXPECT_TRUE(access.AllowedAnywhere(Unix(1000, 1000), Verb::kReload));
}

TEST_F(AccessControlTest, NoRulesMeansSupervisordsBehaviour) {
  AccessControl access({}, host_);
  EXPECT_FALSE(access.enforcing());
  EXPECT_TRUE(access.Allowed(Unix(1001, 1001), Verb::kAdmin, "x"));
}

TEST_F(AccessControlTest, DescribesPeers) {
  AccessControl access({}, host_);
  Peer doris = Unix(1000, 1000);
  doris.pid = 42;
  EXPECT_EQ(access.Describe(doris), "uid 1000 (doris, pid 42)");
  Peer tcp;
  tcp.address = "127.0.0.1:5000";
  EXPECT_EQ(access.Describe(tcp), "TCP client 127.0.0.1:5000");
}

}  // namespace
}  // namespace vigil::api
