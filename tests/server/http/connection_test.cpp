// The plain-HTTP connection loop (server/http/connection_server.hpp): keep-alive, pipelining,
// "100 Continue", timeouts and stopping, and what a hostile client gets (unbounded bodies and
// heads, slow clients, smuggling, byte ranges), spoken to over raw sockets. (The peer's address, which
// the loop looks up once per connection, is checked by auth_test's sign-in log.)
#include <catch2/catch.hpp>

#include <poll.h>

#include <chrono>
#include <string>
#include <vector>

#include "server/raw_connection.hpp"
#include "server/test_server.hpp"

using namespace probity;
using namespace probity::testing;

namespace {

using Clock = std::chrono::steady_clock;

// A client connection that reads responses as they come.
class Connection : public RawConnection {
 public:
  using RawConnection::RawConnection;

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
  std::size_t count(const std::string& text) const {
    std::size_t n = 0;
    for (auto at = received_.find(text); at != std::string::npos; at = received_.find(text, at + 1)) ++n;
    return n;
  }
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

TEST_CASE("a request that arrives in pieces is served; one left unfinished is dropped after the head timeout") {
  TestServer s([](Config& c) { c.head_timeout_seconds = 1; });
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
    c.head_timeout_seconds = 60;
    c.request_timeout_seconds = 60;
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

// ---------------------------------------------------------------- hostile clients

namespace {
// Sends `bytes` in pieces while the server reads; false once the server has closed the socket.
bool send_all_or_closed(Connection& c, const std::string& bytes) {
  c.send(bytes);
  return !c.closed_within(std::chrono::milliseconds(1));
}

// Goes on sending 16 KB every 10 ms; true when the server closes the connection within `limit`.
bool closed_while_sending(Connection& c, std::chrono::seconds limit) {
  const auto start = Clock::now();
  while (Clock::now() - start < limit) {
    if (!send_all_or_closed(c, std::string(16 * 1024, 'a'))) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

std::string health_from_another_client(int port) {
  Connection c(port);
  c.send(kHealth);
  return c.read_until("{\"status\":\"ok\"}", 1, std::chrono::seconds(5));
}
}  // namespace

TEST_CASE("hostile: a POST without Content-Length gets 411 at once and the connection closes, nothing read past the head") {
  TestServer s;
  for (const char* path : {"/sign-in", "/api/v1/my/interests", "/no-such-page"}) {
    CAPTURE(path);
    Connection c(s.port);
    c.send(std::string("POST ") + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n");
    // Answered without waiting for a body: one read until the client stopped once took the
    // server to 2.1 GB.
    REQUIRE(c.read_until("HTTP/1.1 411", 1, std::chrono::seconds(5)).find("HTTP/1.1 411") != std::string::npos);
    // What the client goes on sending is dropped, never kept as a body, and the connection
    // closes after a few seconds (the answer is not lost to a reset meanwhile).
    CHECK(closed_while_sending(c, std::chrono::seconds(10)));
    CHECK(c.count("HTTP/1.1 ") == 1);
  }
  CHECK(health_from_another_client(s.port).find("200 OK") != std::string::npos);
}

TEST_CASE("hostile: a declared body over max_body_bytes gets 413 without being read, and the connection closes") {
  TestServer s([](Config& c) { c.max_body_bytes = 4096; });
  Connection c(s.port);
  c.send("POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000000\r\nExpect: 100-continue\r\n\r\n");
  CHECK(c.closed_within(std::chrono::seconds(5)));
  CHECK(c.count("HTTP/1.1 413") == 1);
  CHECK(c.count("100 Continue") == 0);
}

TEST_CASE("hostile: many byte ranges of a static file return the file once, never more bytes than it has") {
  TestServer s;
  auto whole = s.client().Get("/assets/nhsuk-frontend.min.css");
  REQUIRE(whole);
  REQUIRE(whole->status == 200);
  std::string ranges = "bytes=0-";
  while (ranges.size() < 8000) ranges += ",0-";
  auto many = s.client().Get("/assets/nhsuk-frontend.min.css", {{"Range", ranges}});
  REQUIRE(many);
  CHECK(many->status == 200);
  CHECK(many->body.size() == whole->body.size());
  // One range is still served (resuming a download).
  auto one = s.client().Get("/assets/nhsuk-frontend.min.css", {{"Range", "bytes=0-99"}});
  REQUIRE(one);
  CHECK(one->status == 206);
  CHECK(one->body == whole->body.substr(0, 100));
  auto two = s.client().Get("/assets/nhsuk-frontend.min.css", {{"Range", "bytes=0-0,5-5"}});
  REQUIRE(two);
  CHECK(two->status == 200);
  CHECK(two->body.size() == whole->body.size());
}

TEST_CASE("hostile: a head sent a line at a time must arrive whole within head_timeout, and holds no worker meanwhile") {
  TestServer s([](Config& c) {
    c.threads = 2;
    c.head_timeout_seconds = 2;
    c.keep_alive_timeout_seconds = 60;
  });
  // Eight slow clients, more than the server's threads, each sending a header line every 300 ms
  // (a read timeout restarted by every line never fires for them).
  std::vector<std::unique_ptr<Connection>> slow;
  for (int i = 0; i < 8; ++i) {
    slow.push_back(std::make_unique<Connection>(s.port));
    slow.back()->send("GET /healthz HTTP/1.1\r\n");
  }
  const auto start = Clock::now();
  int line = 0;
  std::size_t served_meanwhile = 0;
  while (Clock::now() - start < std::chrono::milliseconds(3500)) {
    for (auto& c : slow) c->send("X-Line-" + std::to_string(line) + ": 1\r\n");
    ++line;
    if (health_from_another_client(s.port).find("200 OK") != std::string::npos) ++served_meanwhile;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  CHECK(served_meanwhile >= 5);  // each try above answered while the slow ones trickled
  for (auto& c : slow) {
    CHECK(c->closed_within(std::chrono::seconds(3)));
    CHECK(c->count("HTTP/1.1 408") == 1);
    CHECK(c->count("HTTP/1.1 200") == 0);
  }
}

TEST_CASE("hostile: a body must arrive within request_timeout") {
  TestServer s([](Config& c) {
    c.head_timeout_seconds = 1;
    c.request_timeout_seconds = 2;
  });
  Connection c(s.port);
  c.send("POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n");
  const auto start = Clock::now();
  while (Clock::now() - start < std::chrono::seconds(4) && send_all_or_closed(c, "a"))
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(c.closed_within(std::chrono::seconds(3)));
  CHECK(c.count("HTTP/1.1 408") == 1);
}

TEST_CASE("hostile: an over-long head or too many header lines get 431 and the connection closes") {
  TestServer s;
  SECTION("one long header line") {
    Connection c(s.port);
    c.send("GET /healthz HTTP/1.1\r\nX-Long: " + std::string(17 * 1024, 'a'));
    REQUIRE(c.read_until("HTTP/1.1 431", 1, std::chrono::seconds(5)).find("HTTP/1.1 431") != std::string::npos);
    CHECK(closed_while_sending(c, std::chrono::seconds(10)));  // one 400 MB line once added 400 MB
  }
  SECTION("many short header lines") {
    Connection c(s.port);
    std::string head = "GET /healthz HTTP/1.1\r\n";
    for (int i = 0; i < 101; ++i) head += "A:1\r\n";
    c.send(head + "\r\n");
    CHECK(c.closed_within(std::chrono::seconds(5)));
    CHECK(c.count("HTTP/1.1 431") == 1);
    CHECK(c.count("HTTP/1.1 200") == 0);
  }
}

TEST_CASE("hostile: a body the application does not read is discarded, never parsed as the next request") {
  TestServer s;
  const std::string smuggled = "GET /smuggled-request HTTP/1.1\r\nHost: x\r\n\r\n";
  SECTION("a GET with a body: answered, the body dropped, the connection still serves the next request") {
    Connection c(s.port);
    c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled);
    c.read_until("{\"status\":\"ok\"}");
    CHECK_FALSE(c.closed_within(std::chrono::milliseconds(300)));
    c.send(kHealth);
    c.read_until("{\"status\":\"ok\"}", 2);
    CHECK(c.count("HTTP/1.1 200 OK") == 2);
    CHECK(c.count("HTTP/1.1 404") == 0);  // the smuggled request was never answered
  }
  SECTION("a request refused before its body is read: the connection closes after the answer") {
    for (const std::string& head : {
             std::string("POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: ") +
                 std::to_string(smuggled.size()) + "\r\n\r\n",
             std::string("POST /sign-in HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"),
             std::string("POST /sign-in HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: ") +
                 std::to_string(smuggled.size()) + "\r\n\r\n",
         }) {
      CAPTURE(head);
      Connection c(s.port);
      c.send(head + smuggled);
      CHECK(c.closed_within(std::chrono::seconds(5)));
      CHECK(c.count("HTTP/1.1 ") == 1);
      CHECK(c.count("Connection: close") == 1);
    }
  }
  SECTION("a refusal by the application after reading the body keeps the connection in step") {
    Connection c(s.port);
    const std::string body = "email=a%40b.example&password=x";  // no CSRF token: 403
    c.send("POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body + kHealth);
    c.read_until("{\"status\":\"ok\"}");
    CHECK(c.count("HTTP/1.1 403") == 1);
    CHECK(c.count("HTTP/1.1 200 OK") == 1);
  }
}

TEST_CASE("hostile: ambiguous framing gets 400 and the connection closes, the rest never read as a request") {
  TestServer s;
  const std::string smuggled = "GET /smuggled-request HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const std::string& head : {
           std::string("POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 44\r\n\r\n"),
           std::string("GET /healthz HTTP/1.1\r\nHost: x\r\nX-No-Colon\r\n\r\n"),
           std::string("GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  folded: 2\r\n\r\n"),
           std::string("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length : 44\r\n\r\n"),
           std::string("GET /healthz HTTP/1.1\nHost: x\n\n"),
       }) {
    CAPTURE(head);
    Connection c(s.port);
    c.send(head + smuggled);
    CHECK(c.closed_within(std::chrono::seconds(5)));
    CHECK(c.count("HTTP/1.1 400") == 1);
    CHECK(c.count("HTTP/1.1 ") == 1);
  }
}

TEST_CASE("hostile: a client waiting for 100 Continue gets exactly one") {
  TestServer s;
  Connection c(s.port);
  const std::string body = "email=a&password=b";
  c.send("POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nExpect: 100-continue\r\n"
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n");
  REQUIRE(c.read_until("100 Continue\r\n\r\n").find("100 Continue") != std::string::npos);
  c.send(body);
  c.read_until("HTTP/1.1 403");
  CHECK(c.count("100 Continue") == 1);
}

TEST_CASE("hostile: the bodies being received together are bounded; past that a request gets 503") {
  TestServer s([](Config& c) {
    c.max_body_bytes = 1000;
    c.max_buffered_body_bytes = 1500;
  });
  const std::string head = "POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n";
  Connection first(s.port);
  first.send(head + "a=" + std::string(8, 'a'));  // its body still arriving
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  Connection second(s.port);
  second.send(head);
  CHECK(second.closed_within(std::chrono::seconds(5)));
  CHECK(second.count("HTTP/1.1 503") == 1);
  CHECK(second.count("Retry-After") == 1);
  first.send(std::string(990, 'a'));  // the first completes and is answered (403: no CSRF token)
  CHECK(first.read_until("HTTP/1.1 403").find("HTTP/1.1 403") != std::string::npos);
  Connection third(s.port);  // and the room it took is given back
  third.send(head + "a=" + std::string(998, 'a'));
  const auto answer = third.read_until("HTTP/1.1 403");
  CAPTURE(answer);
  CHECK(answer.find("HTTP/1.1 403") != std::string::npos);
}
