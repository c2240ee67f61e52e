#include "api/http_server.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <functional>

#include "os/system_clock.h"

namespace vigil::api {
namespace {

TEST(HttpDateTest, IsAnImfFixdateInGmt) {
  // The values of supervisord's build_http_date(): strftime('%a, %d %b %Y %H:%M:%S GMT').
  EXPECT_EQ(HttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(HttpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(HttpDate(1764115200), "Wed, 26 Nov 2025 00:00:00 GMT");
}

// Keeps every exchange, answering none: the test decides when and how.
class KeepingHandler : public HttpHandler {
 public:
  void Handle(const HttpRequest&, std::shared_ptr<HttpExchange> exchange) override {
    exchanges.push_back(std::move(exchange));
  }
  std::vector<std::shared_ptr<HttpExchange>> exchanges;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/vigil-http-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    socket_path_ = dir_ + "/http.sock";
    Result<std::unique_ptr<loop::EventLoop>> loop = loop::EventLoop::Create();
    ASSERT_TRUE(loop);
    loop_ = std::move(*loop);
    Result<std::unique_ptr<HttpServer>> server = HttpServer::Create(*loop_, handler_);
    ASSERT_TRUE(server);
    server_ = std::move(*server);
    ASSERT_TRUE(server_->ListenUnix(socket_path_, 0600, std::nullopt, std::nullopt, 0));
    // Never asleep for long, so that RunUntil() can give up at its deadline.
    loop_->SetPrepare([this] {
      const MonotonicTime soon = clock_.Now() + std::chrono::milliseconds(50);
      std::optional<MonotonicTime> next = server_->NextDeadline(clock_);
      return next && *next < soon ? *next : soon;
    });
    loop_->SetDeadlineHandler([this] { server_->OnDeadline(); });
  }
  void TearDown() override {
    server_.reset();
    ::rmdir(dir_.c_str());
  }

  int Connect() {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socket_path_.c_str(), sizeof address.sun_path - 1);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    return fd;
  }
  // Runs the loop until `done`, for at most 10 s.
  bool RunUntil(const std::function<bool()>& done) {
    const MonotonicTime deadline = clock_.Now() + std::chrono::seconds(10);
    while (!done() && clock_.Now() < deadline) {
      if (!loop_->RunOnce()) return false;
    }
    return done();
  }

  std::string dir_;
  std::string socket_path_;
  os::SystemClock clock_;
  KeepingHandler handler_;
  std::unique_ptr<loop::EventLoop> loop_;
  std::unique_ptr<HttpServer> server_;
};

// A log tail whose reply starts only after its unix-socket client has gone (the handler was
// still working on it): nothing else would ever end that stream.
TEST_F(HttpServerTest, AStreamStartedAfterTheClientLeftEndsAtOnce) {
  const int client = Connect();
  const std::string request = "GET /logtail/x HTTP/1.1\r\nHost: localhost\r\n\r\n";
  ASSERT_EQ(::send(client, request.data(), request.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(request.size()));
  ASSERT_TRUE(RunUntil([&] { return handler_.exchanges.size() == 1; }));
  ::close(client);
  // The hang-up is already waiting in the loop's epoll: one round hands it to the relay.
  ASSERT_TRUE(loop_->RunOnce());
  std::shared_ptr<HttpExchange> exchange = handler_.exchanges.front();
  ASSERT_FALSE(exchange->finished());
  exchange->ReplyStreaming(200, {{"Content-Type", "text/plain"}});
  EXPECT_TRUE(RunUntil([&] { return exchange->finished(); }));
}

}  // namespace
}  // namespace vigil::api
