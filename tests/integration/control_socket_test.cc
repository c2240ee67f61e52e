// The control socket from clients that do not wait for their answers: a request sent whole on
// the unix socket, which the client closes at once, is carried out (as supervisord does), and
// clients that leave in any state leave nothing behind in vigild.

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <vector>

#include "tests/integration/harness.h"

namespace vigil::testing {
namespace {

// A connected unix-socket client, closed when destroyed.
class Client {
 public:
  explicit Client(const std::string& path) : fd_(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~Client() { Close(); }
  bool connected() const { return connected_; }
  bool Send(const std::string& data) const {
    return ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
  }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
  bool connected_ = false;
};

std::string RpcRequest(const std::string& method, const std::string& params) {
  const std::string body = "<?xml version=\"1.0\"?><methodCall><methodName>" + method +
                           "</methodName><params>" + params + "</params></methodCall>";
  return "POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string Param(const std::string& value) {
  return "<param><value>" + value + "</value></param>";
}

std::string Config(const std::string& socket) {
  return Vigild::Config("[unix_http_server]\nfile=" + socket +
                        "\n"
                        "[program:manual]\ncommand=" +
                        TestChildPath() +
                        " --sleep=forever\nautostart=false\nstartsecs=0\n"
                        "[program:talker]\ncommand=" +
                        TestChildPath() +
                        " --lines=100 --sleep=forever\nstartsecs=0\n"
                        "stdout_logfile=%(here)s/talker.out\n");
}

TEST(ControlSocketTest, ARequestSentWholeIsCarriedOutWhenTheClientClosesAtOnce) {
  TempDir dir;
  Vigild vigild(dir);
  vigild.Start(Config(dir / "vigil.sock"));
  {
    Client client(dir / "vigil.sock");
    ASSERT_TRUE(client.connected());
    ASSERT_TRUE(
        client.Send(RpcRequest("supervisor.startProcess",
                               Param("<string>manual</string>") + Param("<boolean>0</boolean>"))));
  }  // closed before vigild could read a byte, as `nc -U` does
  EXPECT_TRUE(vigild.WaitForLog("spawned: 'manual'", 1, seconds(20))) << vigild.Log();
  // Pipelined requests, then a close: each is carried out, in order.
  {
    Client client(dir / "vigil.sock");
    ASSERT_TRUE(client.connected());
    ASSERT_TRUE(
        client.Send(RpcRequest("supervisor.stopProcess", Param("<string>manual</string>")) +
                    RpcRequest("supervisor.startProcess",
                               Param("<string>manual</string>") + Param("<boolean>0</boolean>"))));
  }
  EXPECT_TRUE(vigild.WaitForLog("spawned: 'manual'", 2, seconds(20))) << vigild.Log();
  EXPECT_EQ(vigild.Stop(), 0);
}

TEST(ControlSocketTest, ClientsThatLeaveInAnyStateLeaveNothingBehind) {
  TempDir dir;
  Vigild vigild(dir);
  vigild.Start(Config(dir / "vigil.sock"));
  ASSERT_TRUE(
      WaitUntil([&] { return Count(ReadFile(dir / "talker.out"), "line") == 100; }, seconds(20)));
  const int baseline = CountFds(vigild.pid());
  ASSERT_GT(baseline, 0);
  {
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < 10; ++i) {
      auto client = std::make_unique<Client>(dir / "vigil.sock");
      ASSERT_TRUE(client->connected());
      switch (i % 5) {
        case 0:  // following a log, which never ends by itself
          ASSERT_TRUE(client->Send("GET /logtail/talker HTTP/1.1\r\nHost: localhost\r\n\r\n"));
          break;
        case 1:  // following the main log
          ASSERT_TRUE(client->Send("GET /mainlogtail HTTP/1.1\r\nHost: localhost\r\n\r\n"));
          break;
        case 2:  // half a request
          ASSERT_TRUE(client->Send("POST /RPC2 HTTP/1.1\r\nContent-Length: 500\r\n\r\n<met"));
          break;
        case 3:  // a request whose answer is never read
          ASSERT_TRUE(client->Send(RpcRequest("system.listMethods", "")));
          break;
        default:  // nothing at all
          break;
      }
      clients.push_back(std::move(client));
    }
    // Every client is relayed (its socket, the relay's end and libmicrohttpd's end), and each
    // tail follows its file, before the clients leave.
    ASSERT_TRUE(
        WaitUntil([&] { return CountFds(vigild.pid()) >= baseline + 3 * 10 + 4; }, seconds(20)));
  }  // all of them leave
  EXPECT_TRUE(WaitUntil([&] { return CountFds(vigild.pid()) == baseline; }, seconds(20)))
      << CountFds(vigild.pid()) << " descriptors, " << baseline << " before";
  EXPECT_EQ(vigild.Stop(), 0);
}

}  // namespace
}  // namespace vigil::testing
