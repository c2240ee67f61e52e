// The relay over real unix sockets and the real loop: the test plays both the client and the
// server (libmicrohttpd's end of the socketpair).

#include "api/connection_relay.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "os/system_clock.h"

namespace vigil::api {
namespace {

class ConnectionRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<loop::EventLoop>> loop = loop::EventLoop::Create();
    ASSERT_TRUE(loop);
    loop_ = std::move(*loop);
    // Never block in the loop: each iteration handles what is ready and returns.
    loop_->SetPrepare([this] { return std::optional<MonotonicTime>(clock_.Now()); });
    int pair[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair), 0);
    client_ = UniqueFd(pair[0]);
    Result<std::unique_ptr<ConnectionRelay>> relay = ConnectionRelay::Create(
        *loop_, UniqueFd(pair[1]),
        ConnectionRelay::Callbacks{[this] { ++client_gone_; }, [this] { relay_.reset(); }},
        &server_);
    ASSERT_TRUE(relay);
    relay_ = std::move(*relay);
  }

  // Runs the loop until `done` holds (false after many iterations).
  bool RunUntil(const std::function<bool()>& done) {
    for (int i = 0; i < 10000; ++i) {
      if (done()) return true;
      if (!loop_->RunOnce()) return false;
    }
    return done();
  }

  // Everything readable from `fd` now; sets *eof when the peer closed its writing side.
  static std::string Drain(int fd, bool* eof = nullptr) {
    std::string data;
    char buffer[65536];
    while (true) {
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n > 0) {
        data.append(buffer, static_cast<size_t>(n));
        continue;
      }
      if (n == 0 && eof != nullptr) *eof = true;
      return data;
    }
  }

  // Reads from `fd` while running the loop, until `want` bytes and (if asked) the end came.
  std::string ReadAll(int fd, size_t want, bool until_eof) {
    std::string data;
    bool eof = false;
    RunUntil([&] {
      data += Drain(fd, &eof);
      return data.size() >= want && (!until_eof || eof);
    });
    return data;
  }

  os::SystemClock clock_;
  std::unique_ptr<loop::EventLoop> loop_;
  UniqueFd client_;
  UniqueFd server_;
  std::unique_ptr<ConnectionRelay> relay_;
  int client_gone_ = 0;
};

TEST_F(ConnectionRelayTest, ARequestSentWholeThenClosedStillReachesTheServer) {
  const std::string request = "POST /RPC2 HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi";
  ASSERT_EQ(::send(client_.get(), request.data(), request.size(), 0),
            static_cast<ssize_t>(request.size()));
  client_.Reset();  // as nc -U does, before the relay has read a byte
  // The server reads the whole request and then the end, as after a TCP FIN.
  EXPECT_EQ(ReadAll(server_.get(), request.size(), true), request);
  EXPECT_EQ(client_gone_, 1);
  // Its reply goes nowhere; once it closes, the relay is done.
  ASSERT_EQ(::send(server_.get(), "reply", 5, MSG_NOSIGNAL), 5);
  server_.Reset();
  EXPECT_TRUE(RunUntil([&] { return relay_ == nullptr; }));
}

TEST_F(ConnectionRelayTest, RepliesReachAClientThatStaysAndTheServersCloseEndsIt) {
  ASSERT_EQ(::send(client_.get(), "ping", 4, 0), 4);
  EXPECT_EQ(ReadAll(server_.get(), 4, false), "ping");
  ASSERT_EQ(::send(server_.get(), "pong", 4, MSG_NOSIGNAL), 4);
  EXPECT_TRUE(relay_->Flushing());
  EXPECT_EQ(ReadAll(client_.get(), 4, false), "pong");
  EXPECT_FALSE(relay_->Flushing());
  server_.Reset();
  EXPECT_EQ(ReadAll(client_.get(), 0, true), "");
  EXPECT_EQ(relay_, nullptr);
  EXPECT_EQ(client_gone_, 0);
}

TEST_F(ConnectionRelayTest, AClientThatOnlyStopsSendingStillGetsItsReply) {
  ASSERT_EQ(::send(client_.get(), "ask", 3, 0), 3);
  ASSERT_EQ(::shutdown(client_.get(), SHUT_WR), 0);
  EXPECT_EQ(ReadAll(server_.get(), 3, true), "ask");
  EXPECT_EQ(client_gone_, 0);
  ASSERT_EQ(::send(server_.get(), "answer", 6, MSG_NOSIGNAL), 6);
  server_.Reset();
  EXPECT_EQ(ReadAll(client_.get(), 6, true), "answer");
  EXPECT_EQ(relay_, nullptr);
}

TEST_F(ConnectionRelayTest, AClientThatLeavesIsReportedWhileTheServerStillTalks) {
  ASSERT_EQ(::send(client_.get(), "GET /logtail/x", 14, 0), 14);
  EXPECT_EQ(ReadAll(server_.get(), 14, false), "GET /logtail/x");
  client_.Reset();
  EXPECT_TRUE(RunUntil([&] { return client_gone_ == 1; }));
  // A stream that goes on is read and dropped, without bounds.
  const std::string chunk(100000, 'x');
  for (int i = 0; i < 20; ++i) {
    ssize_t sent = 0;
    RunUntil([&] {
      const ssize_t n = ::send(server_.get(), chunk.data(), chunk.size(), MSG_NOSIGNAL);
      if (n > 0) sent += n;
      return sent > 0;
    });
    ASSERT_GT(sent, 0);
  }
  server_.Reset();
  EXPECT_TRUE(RunUntil([&] { return relay_ == nullptr; }));
  EXPECT_EQ(client_gone_, 1);
}

TEST_F(ConnectionRelayTest, LargeTransfersBothWaysKeepEveryByteInOrder) {
  std::string up, down;
  for (int i = 0; up.size() < 3 * 1024 * 1024; ++i) up += std::to_string(i) + ",";
  for (int i = 0; down.size() < 3 * 1024 * 1024; ++i) down += std::to_string(i * 7) + ";";
  size_t up_sent = 0, down_sent = 0;
  std::string up_got, down_got;
  auto push = [](int fd, const std::string& data, size_t& sent) {
    if (sent == data.size()) return;
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n > 0) sent += static_cast<size_t>(n);
  };
  EXPECT_TRUE(RunUntil([&] {
    push(client_.get(), up, up_sent);
    push(server_.get(), down, down_sent);
    up_got += Drain(server_.get());
    down_got += Drain(client_.get());
    return up_got.size() == up.size() && down_got.size() == down.size();
  }));
  EXPECT_TRUE(up_got == up);
  EXPECT_TRUE(down_got == down);
}

TEST_F(ConnectionRelayTest, AServerThatDoesNotReadHoldsTheClientBack) {
  // The client sends until its socket is full, again and again while the loop runs: the relay
  // holds at most kBufferBytes of it, the rest waits in the sockets. A small send buffer keeps
  // what waits in the client's socket (at most its size) small next to that.
  int sndbuf = 4096;
  ASSERT_EQ(::setsockopt(client_.get(), SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf), 0);
  socklen_t size = sizeof sndbuf;
  ASSERT_EQ(::getsockopt(client_.get(), SOL_SOCKET, SO_SNDBUF, &sndbuf, &size), 0);
  const std::string block(64 * 1024, 'y');
  size_t sent = 0;
  // Until a round finds the client's socket still full after the loop ran (a relay that kept
  // reading would let this go on to the round limit and fail below).
  for (int round = 0; round < 1000; ++round) {
    size_t this_round = 0;
    while (true) {
      const ssize_t n = ::send(client_.get(), block.data(), block.size(), MSG_NOSIGNAL);
      if (n <= 0) break;
      this_round += static_cast<size_t>(n);
    }
    sent += this_round;
    if (round > 0 && this_round == 0) break;
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(loop_->RunOnce());
  }
  int readable_by_server = 0;
  ASSERT_EQ(::ioctl(server_.get(), SIOCINQ, &readable_by_server), 0);
  ASSERT_GT(readable_by_server, 0);
  // sent = what the server can read + what the relay holds + what waits in the client's socket.
  EXPECT_LE(sent - static_cast<size_t>(readable_by_server),
            ConnectionRelay::kBufferBytes + static_cast<size_t>(sndbuf));
  // Once the server reads, everything arrives.
  EXPECT_EQ(ReadAll(server_.get(), sent, false).size(), sent);
}

}  // namespace
}  // namespace vigil::api
