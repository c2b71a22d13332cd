// The plain-HTTP connection loop (server/connection_server.hpp): keep-alive, pipelining,
// "100 Continue", timeouts and stopping, spoken to over raw sockets. (The peer's address, which
// the loop looks up once per connection, is checked by auth_test's sign-in log.)
#include <catch2/catch.hpp>

#include <poll.h>

#include <chrono>
#include <string>
#include <vector>

#include "server/test_server.hpp"

using namespace probity;
using namespace probity::testing;

namespace {

using Clock = std::chrono::steady_clock;

// A client connection that reads responses as they come.
class Connection {
 public:
  explicit Connection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("cannot connect");
  }
  ~Connection() { ::close(fd_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void send(const std::string& bytes) { ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }

  /// Reads until `text` has arrived `times` times in all (returns everything read so far), or
  /// `timeout` passes or the server closes (returns what there is).
  std::string read_until(const std::string& text, std::size_t times = 1,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = Clock::now() + timeout;
    while (count(text) < times) {
      if (!read_some(deadline)) break;
    }
    return received_;
  }
  /// True when the server closed the connection within `timeout`.
  bool closed_within(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (::poll(&p, 1, static_cast<int>(std::max<long long>(left, 1))) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return true;
      received_.append(buf, static_cast<std::size_t>(n));
    }
    return false;
  }
  std::size_t count(const std::string& text) const {
    std::size_t n = 0;
    for (auto at = received_.find(text); at != std::string::npos; at = received_.find(text, at + 1)) ++n;
    return n;
  }

 private:
  bool read_some(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    received_.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string received_;
};

const std::string kHealth = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

}  // namespace

TEST_CASE("a keep-alive connection serves requests one after another, and pipelined ones in order") {
  TestServer s;
  Connection c(s.port);
  for (int i = 1; i <= 3; ++i) {
    c.send(kHealth);
    c.read_until("{\"status\":\"ok\"}", static_cast<std::size_t>(i));
    CHECK(c.count("HTTP/1.1 200 OK") == static_cast<std::size_t>(i));
  }
  // Three requests in one write: three answers, in the order asked (the 404 second).
  c.send(kHealth + "GET /no-such-page HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n" + kHealth);
  c.read_until("{\"status\":\"ok\"}", 5);
  CHECK(c.count("HTTP/1.1 200 OK") == 5);
  CHECK(c.count("HTTP/1.1 404") == 1);
  CHECK_FALSE(c.closed_within(std::chrono::milliseconds(100)));  // still open for more
}

TEST_CASE("a request asking to close gets its answer, then the connection closes") {
  TestServer s;
  Connection c(s.port);
  c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(c.closed_within(std::chrono::seconds(10)));
  CHECK(c.count("HTTP/1.1 200 OK") == 1);
  CHECK(c.count("Connection: close") == 1);
}

TEST_CASE("a connection is closed after keep_alive_max_count requests, the last answer saying so") {
  TestServer s([](Config& c) { c.keep_alive_max_count = 3; });
  Connection c(s.port);
  c.send(kHealth + kHealth + kHealth + kHealth);
  CHECK(c.closed_within(std::chrono::seconds(10)));
  CHECK(c.count("HTTP/1.1 200 OK") == 3);  // the fourth is never read
  CHECK(c.count("Connection: close") == 1);
}

TEST_CASE("a client waiting for 100 Continue gets it before it sends the body") {
  TestServer s;
  Connection c(s.port);
  const std::string body = R"({"category":"financial"})";
  c.send("POST /api/v1/my/interests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n");
  // Buffered and never sent, the interim answer would leave both sides waiting here.
  const auto interim = c.read_until("HTTP/1.1 100 Continue\r\n\r\n", 1, std::chrono::seconds(5));
  REQUIRE(interim.find("HTTP/1.1 100 Continue") != std::string::npos);
  c.send(body);
  const auto answer = c.read_until("\"error\"");
  CHECK(answer.find("HTTP/1.1 401") != std::string::npos);  // the body read, then refused: nobody signed in
}

TEST_CASE("a request that arrives in pieces is served; one left unfinished is dropped after the read timeout") {
  TestServer s([](Config& c) { c.read_timeout_seconds = 1; });
  SECTION("in pieces, within the timeout") {
    Connection c(s.port);
    c.send("GET /heal");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    c.send("thz HTTP/1.1\r\nHo");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    c.send("st: x\r\n\r\n");
    CHECK(c.read_until("{\"status\":\"ok\"}").find("HTTP/1.1 200 OK") != std::string::npos);
  }
  SECTION("unfinished") {
    Connection c(s.port);
    c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    CHECK(c.closed_within(std::chrono::seconds(5)));
    CHECK(c.count("HTTP/1.1 200") == 0);
  }
}

TEST_CASE("an idle keep-alive connection is closed after keep_alive_timeout") {
  TestServer s([](Config& c) { c.keep_alive_timeout_seconds = 1; });
  Connection c(s.port);
  c.send(kHealth);
  c.read_until("{\"status\":\"ok\"}");
  CHECK_FALSE(c.closed_within(std::chrono::milliseconds(300)));
  CHECK(c.closed_within(std::chrono::seconds(5)));
}

TEST_CASE("stopping the server does not wait for idle keep-alive connections to time out") {
  auto s = std::make_unique<TestServer>([](Config& c) {
    c.keep_alive_timeout_seconds = 60;
    c.read_timeout_seconds = 60;
  });
  std::vector<std::unique_ptr<Connection>> idle;
  for (int i = 0; i < 3; ++i) {  // fewer than the test server's 4 threads
    idle.push_back(std::make_unique<Connection>(s->port));
    idle.back()->send(kHealth);
    REQUIRE(idle.back()->read_until("{\"status\":\"ok\"}").find("200 OK") != std::string::npos);
  }
  const auto start = Clock::now();
  s.reset();  // stop() and join
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  CHECK(took < std::chrono::seconds(10));  // not the 60 s of the timeouts
  for (auto& c : idle) CHECK(c->closed_within(std::chrono::seconds(1)));
}

TEST_CASE("idle keep-alive connections hold no thread: more of them than threads still leave the server free") {
  TestServer s([](Config& c) {
    c.threads = 2;
    c.keep_alive_timeout_seconds = 60;
  });
  std::vector<std::unique_ptr<Connection>> idle;
  for (int i = 0; i < 6; ++i) {
    idle.push_back(std::make_unique<Connection>(s.port));
    idle.back()->send(kHealth);
    REQUIRE(idle.back()->read_until("{\"status\":\"ok\"}").find("200 OK") != std::string::npos);
  }
  // With a thread per open connection, this would wait for one of the six to time out (60 s).
  Connection late(s.port);
  late.send(kHealth);
  CHECK(late.read_until("{\"status\":\"ok\"}", 1, std::chrono::seconds(5)).find("200 OK") != std::string::npos);
  for (auto& c : idle) {  // and each idle one is still served
    c->send(kHealth);
    CHECK(c->read_until("{\"status\":\"ok\"}", 2, std::chrono::seconds(5)).find("200 OK") != std::string::npos);
  }
}

TEST_CASE("a client that stops halfway through a request does not hold up the others") {
  TestServer s([](Config& c) {
    c.threads = 2;
    c.read_timeout_seconds = 60;
  });
  Connection stalled(s.port);
  stalled.send("GET /healthz HTTP/1.1\r\nHo");  // and nothing more
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let a worker start reading it
  for (int i = 0; i < 4; ++i) {
    Connection c(s.port);
    c.send(kHealth);
    CHECK(c.read_until("{\"status\":\"ok\"}", 1, std::chrono::seconds(5)).find("200 OK") != std::string::npos);
  }
}
