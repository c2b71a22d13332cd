// The request-head scanner (server/http/request_head.hpp): where a request ends, and what is refused
// before the application sees it.
#include <catch2/catch.hpp>

#include <string>

#include "server/http/request_head.hpp"

using namespace probity;
using State = HeadScan::State;

namespace {
HeadScan scan(const std::string& bytes, const HeadLimits& limits = {}) {
  std::size_t searched = 0;
  return scan_request_head(bytes, limits, searched);
}
}  // namespace

TEST_CASE("request head: a whole head gives its length and the body's") {
  const std::string head = "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n";
  const auto s = scan(head + "hello" + "GET / HTTP/1.1\r\n");
  REQUIRE(s.state == State::complete);
  CHECK(s.head_bytes == head.size());
  CHECK(s.body_bytes == 5);
  CHECK_FALSE(s.close_after);
  CHECK(scan("GET / HTTP/1.1\r\nHost: a\r\n").state == State::incomplete);
  CHECK(scan("\r\n\r\nGET / HTTP/1.1\r\n\r\n").head_bytes == 22);  // blank lines before are skipped
}

TEST_CASE("request head: a head arriving a byte at a time is found once, searching on from where it stopped") {
  const std::string head = "GET /healthz HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n";
  std::size_t searched = 0;
  for (std::size_t n = 1; n < head.size(); ++n) {
    CAPTURE(n);
    REQUIRE(scan_request_head(std::string_view(head).substr(0, n), {}, searched).state == State::incomplete);
    CHECK(searched == n);
  }
  const auto s = scan_request_head(head, {}, searched);
  REQUIRE(s.state == State::complete);
  CHECK(s.head_bytes == head.size());
}

TEST_CASE("request head: limits on size, lines and the target") {
  HeadLimits limits;
  limits.max_head_bytes = 1024;
  limits.max_header_lines = 5;
  limits.max_target_bytes = 100;
  SECTION("a head with no end, past the size limit") {
    const auto s = scan("GET / HTTP/1.1\r\nX: " + std::string(2000, 'a'), limits);
    CHECK(s.state == State::refused);
    CHECK(s.status == 431);
  }
  SECTION("a whole head larger than the limit") {
    const auto s = scan("GET / HTTP/1.1\r\nX: " + std::string(2000, 'a') + "\r\n\r\n", limits);
    CHECK(s.status == 431);
  }
  SECTION("too many header lines") {
    std::string head = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 5; ++i) head += "X-" + std::to_string(i) + ": 1\r\n";
    CHECK(scan(head + "\r\n", limits).state == State::complete);
    const auto s = scan(head + "X-6: 1\r\n\r\n", limits);
    CHECK(s.state == State::refused);
    CHECK(s.status == 431);
  }
  SECTION("a long target") {
    CHECK(scan("GET /" + std::string(100, 'a') + " HTTP/1.1\r\n\r\n", limits).status == 414);
  }
}

TEST_CASE("request head: framing that two parsers could read differently is refused") {
  auto [head, status] = GENERATE(table<std::string, int>({
      {"POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 5\r\ncontent-length: 6\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nNo colon here\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nX-A: 1\r\n folded\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nX-A: 1\r\n\tfolded\r\n\r\n", 400},
      {"GET / HTTP/1.1\nHost: a\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nX-A: a\x01b\r\n\r\n", 400},
      {std::string("GET / HTTP/1.1\r\nX-A: a\0b\r\n\r\n", 28), 400},
      {"GET  / HTTP/1.1\r\n\r\n", 400},
      {"GET / HTTP/1.1 x\r\n\r\n", 400},
      {"G(T / HTTP/1.1\r\n\r\n", 400},
      {"GET / HTTP/2.0\r\n\r\n", 505},
      {"GET / FTP/1.1\r\n\r\n", 400},
  }));
  CAPTURE(head);
  const auto s = scan(head);
  CHECK(s.state == State::refused);
  CHECK(s.status == status);
  CHECK_FALSE(s.message.empty());
}

TEST_CASE("request head: framing the application refuses is handed over head only, and closes") {
  auto head = GENERATE(as<std::string>{},
                       "POST / HTTP/1.1\r\nHost: a\r\n\r\n",                                 // 411
                       "PUT / HTTP/1.1\r\nHost: a\r\n\r\n",                                  // 411
                       "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",              // 411
                       "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",  // 400
                       "POST / HTTP/1.1\r\nContent-Encoding: gzip\r\nContent-Length: 5\r\n\r\n",      // 415
                       "POST / HTTP/1.1\r\nContent-Length: 2000000\r\nExpect: 100-continue\r\n\r\n");  // 413
  CAPTURE(head);
  const auto s = scan(head);
  REQUIRE(s.state == State::complete);
  CHECK(s.close_after);
  CHECK(s.body_bytes == 0);
  CHECK_FALSE(s.expects_continue);  // no "go ahead" for a body that will be refused
}

TEST_CASE("request head: a body on any method is framed by its Content-Length, so it can be discarded") {
  const auto s = scan("GET / HTTP/1.1\r\nContent-Length: 40\r\n\r\n");
  REQUIRE(s.state == State::complete);
  CHECK(s.body_bytes == 40);
  CHECK_FALSE(s.close_after);
  CHECK(scan("GET / HTTP/1.1\r\n\r\n").body_bytes == 0);
  CHECK(scan("POST / HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n").expects_continue);
}

TEST_CASE("request head: a refusal is a short answer that closes the connection") {
  const auto r = refusal_response(431, "Too large.");
  CHECK_THAT(r, Catch::StartsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
  CHECK_THAT(r, Catch::Contains("Connection: close\r\n"));
  CHECK_THAT(r, Catch::Contains("Content-Length: 11\r\n"));
  CHECK_THAT(r, Catch::EndsWith("\r\n\r\nToo large.\n"));
  CHECK_THAT(refusal_response(503, "Busy."), Catch::Contains("Retry-After: "));
}
