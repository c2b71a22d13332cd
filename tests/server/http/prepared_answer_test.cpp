// Cached public reads answered in the poller from prepared bytes (server/http/prepared_answer.hpp):
// byte for byte what the normal path (cpp-httplib's parser, the route, its writer) sends for the
// same request, in every form (identity and gzip, 200 and 304, GET and HEAD); pipelined and
// keep-alive requests in order; a write seen at once; anything unusual served as before.
#include <catch2/catch.hpp>

#include <poll.h>

#include <chrono>
#include <string>
#include <vector>

#include "server/http/prepared_answer.hpp"
#include "server/raw_connection.hpp"
#include "server/public_fixture.hpp"

using namespace probity;
using namespace probity::testing;

namespace {

using Clock = std::chrono::steady_clock;

// A header the application ignores but the fast path does not know: the request goes the
// normal way, through cpp-httplib and the route, and its answer is the reference.
const std::string kNormal = "X-Take-The-Normal-Path: yes\r\n";

// Every response carries a request id of its own (16 hex digits): the one part of the bytes that
// differs between the two paths and between two answers. The client checks it is there, keeps it
// (last_request_id) and blanks it in the response it returns, so whole responses can be compared.
std::string blank_request_id(std::string response, std::string& id) {
  const std::string field = "\r\nX-Request-Id: ";
  const auto head_end = response.find("\r\n\r\n");
  const auto at = response.find(field);
  id.clear();
  if (at == std::string::npos || at > head_end) return response;
  const auto from = at + field.size();
  id = response.substr(from, response.find("\r\n", from) - from);
  response.replace(from, id.size(), "-");
  return response;
}

// Ours (16 hex digits), or a client's own that the server accepted (X-Request-Id: short and safe).
bool is_request_id(const std::string& id) {
  return !id.empty() && id.size() <= 64 &&
         id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:") == std::string::npos;
}

// A keep-alive client that reads whole responses (Content-Length framed; none for HEAD and 304).
class Client : public RawConnection {
 public:
  using RawConnection::RawConnection;

  std::string last_request_id;  // of the last whole response read

  /// The next whole response (head and body), or what arrived before 10 s or the server closed.
  std::string response(bool head_only = false) {
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    for (;;) {
      const auto end = received_.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::size_t length = 0;
        const auto at = received_.find("Content-Length: ");
        if (at != std::string::npos && at < end) length = std::stoul(received_.substr(at + 16));
        const bool no_body = head_only || received_.rfind("HTTP/1.1 304", 0) == 0;
        const std::size_t whole = end + 4 + (no_body ? 0 : length);
        if (received_.size() >= whole) {
          std::string out = blank_request_id(received_.substr(0, whole), last_request_id);
          received_.erase(0, whole);
          CHECK(is_request_id(last_request_id));
          return out;
        }
      }
      if (!read_some(deadline)) {
        std::string out;
        out.swap(received_);
        return out;
      }
    }
  }
};

std::string request(const std::string& method, const std::string& target, const std::string& headers = "") {
  return method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: probity-test\r\n" + headers + "\r\n";
}

std::string header_of(const std::string& response, const std::string& name) {
  const auto at = response.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  const auto from = at + name.size() + 4;
  return response.substr(from, response.find("\r\n", from) - from);
}

// One request taken by the normal path, then the same request without the extra header.
struct Pair {
  std::string normal, fast;
  std::uint64_t answered_by_fast_path = 0;
};

Pair both_ways(PublicRegisterServer& r, Client& c, const std::string& method, const std::string& target,
               const std::string& headers = "") {
  const PreparedAnswers* prepared = r.s.app->prepared_answers();
  const bool head_only = method == "HEAD";
  Pair p;
  c.send(request(method, target, headers + kNormal));
  p.normal = c.response(head_only);
  const std::string normal_id = c.last_request_id;
  const auto before = prepared->answered();
  c.send(request(method, target, headers));
  p.fast = c.response(head_only);
  CHECK(c.last_request_id != normal_id);  // each answer its own id
  p.answered_by_fast_path = prepared->answered() - before;
  return p;
}

// The public area starts watching commits after its first snapshot: a response it builds before
// that is not offered (nothing can yet tell whether it is still current).
void warm_up(PublicRegisterServer& r) {
  Client c(r.s.port);
  c.send(request("GET", "/committees"));
  REQUIRE(c.response().rfind("HTTP/1.1 200", 0) == 0);
}

}  // namespace

TEST_CASE("a cached public read is answered from prepared bytes, identical to the normal path's in every form") {
  PublicRegisterServer r;
  REQUIRE(r.s.app->prepared_answers() != nullptr);
  Client c(r.s.port);
  const std::vector<std::string> targets = {"/api/v1/register", "/register", "/register.csv", "/register?category=financial",
                                            "/people/" + std::to_string(r.asha.id), "/api/v1/gifts", "/committees"};
  for (const std::string& target : targets) {
    CAPTURE(target);
    // The first request builds the response and offers it; after that it is prepared.
    c.send(request("GET", target));
    const std::string first = c.response();
    REQUIRE(first.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    const std::string etag = header_of(first, "ETag");
    REQUIRE_FALSE(etag.empty());

    auto plain = both_ways(r, c, "GET", target);
    CHECK(plain.answered_by_fast_path == 1);
    CHECK(plain.fast == plain.normal);
    CHECK(plain.fast == first);
    // The security headers are there (the same list as every other response).
    CHECK(header_of(plain.fast, "Content-Security-Policy").find("default-src 'self'") == 0);
    CHECK(header_of(plain.fast, "X-Frame-Options") == "DENY");

    auto gzip = both_ways(r, c, "GET", target, "Accept-Encoding: gzip, deflate, br\r\n");
    CHECK(gzip.fast == gzip.normal);
    const bool compressed = header_of(gzip.fast, "Content-Encoding") == "gzip";
    // Small bodies are sent as they are; larger ones from the gzip copy kept with the entry.
    CHECK(compressed == (header_of(plain.fast, "Content-Length") != "" && std::stoul(header_of(plain.fast, "Content-Length")) > 1024));
    CHECK(gzip.answered_by_fast_path == 1);

    auto not_modified = both_ways(r, c, "GET", target, "If-None-Match: " + etag + "\r\n");
    CHECK(not_modified.answered_by_fast_path == 1);
    CHECK(not_modified.fast == not_modified.normal);
    CHECK(not_modified.fast.rfind("HTTP/1.1 304 Not Modified\r\n", 0) == 0);

    const std::string gzip_etag = header_of(gzip.fast, "ETag");
    auto gzip_not_modified = both_ways(r, c, "GET", target,
                                       "Accept-Encoding: gzip\r\nIf-None-Match: \"other\", W/" + gzip_etag + "\r\n");
    CHECK(gzip_not_modified.answered_by_fast_path == 1);
    CHECK(gzip_not_modified.fast == gzip_not_modified.normal);
    CHECK(gzip_not_modified.fast.rfind("HTTP/1.1 304", 0) == 0);

    auto stale = both_ways(r, c, "GET", target, "If-None-Match: \"0000\"\r\n");
    CHECK(stale.fast == stale.normal);
    CHECK(stale.fast.rfind("HTTP/1.1 200 OK", 0) == 0);

    auto head = both_ways(r, c, "HEAD", target);
    CHECK(head.answered_by_fast_path == 1);
    CHECK(head.fast == head.normal);
    CHECK(head.fast.size() == head.fast.find("\r\n\r\n") + 4);  // no body

    auto head_gzip_304 = both_ways(r, c, "HEAD", target, "Accept-Encoding: gzip\r\nIf-None-Match: " + gzip_etag + "\r\n");
    CHECK(head_gzip_304.fast == head_gzip_304.normal);

    // What browsers send besides: still the fast path, still the same bytes.
    auto browser = both_ways(r, c, "GET", target,
                             "Accept: text/html\r\nAccept-Language: en-GB\r\nConnection: keep-alive\r\n"
                             "Sec-Fetch-Mode: navigate\r\nUpgrade-Insecure-Requests: 1\r\nAccept-Encoding: gzip\r\n");
    CHECK(browser.answered_by_fast_path == 1);
    CHECK(browser.fast == browser.normal);
  }
  CHECK_FALSE(c.closed_within(std::chrono::milliseconds(50)));  // still open for more
}

TEST_CASE("pipelined requests are answered in order, prepared and normal ones mixed, on a connection kept open") {
  PublicRegisterServer r;
  warm_up(r);
  Client c(r.s.port);
  c.send(request("GET", "/api/v1/register"));
  const std::string register_json = c.response();
  c.send(request("GET", "/register"));
  const std::string html = c.response();
  REQUIRE(header_of(html, "Content-Type") == "text/html; charset=utf-8");

  const auto before = r.s.app->prepared_answers()->answered();
  // Five requests in one write: prepared, normal (a cookie), prepared HEAD, a 404, prepared.
  c.send(request("GET", "/api/v1/register") + request("GET", "/register", "Cookie: theme=dark\r\n") +
         request("HEAD", "/register") + request("GET", "/no-such-page") + request("GET", "/api/v1/register"));
  CHECK(c.response() == register_json);
  CHECK(c.response() == html);
  const std::string head = c.response(true);
  CHECK(head == html.substr(0, html.find("\r\n\r\n") + 4).insert(17, "Accept-Ranges: bytes\r\n"));
  CHECK(c.response().rfind("HTTP/1.1 404", 0) == 0);
  CHECK(c.response() == register_json);
  CHECK(r.s.app->prepared_answers()->answered() - before == 3);
  CHECK_FALSE(c.closed_within(std::chrono::milliseconds(50)));
}

TEST_CASE("the last request a keep-alive connection may make goes the normal way and closes it") {
  PublicRegisterServer r([](Config& config) { config.keep_alive_max_count = 3; });
  warm_up(r);
  Client c(r.s.port);
  c.send(request("GET", "/api/v1/register"));  // builds and offers
  const std::string first = c.response();
  const auto before = r.s.app->prepared_answers()->answered();
  c.send(request("GET", "/api/v1/register") + request("GET", "/api/v1/register"));
  CHECK(c.response() == first);
  const std::string last = c.response();
  CHECK(header_of(last, "Connection") == "close");
  CHECK(header_of(last, "Keep-Alive").empty());
  CHECK(r.s.app->prepared_answers()->answered() - before == 1);
  CHECK(c.closed_within(std::chrono::seconds(5)));
}

TEST_CASE("a write to the register is seen by the very next request, never the prepared copy") {
  PublicRegisterServer r;
  warm_up(r);
  Client c(r.s.port);
  c.send(request("GET", "/api/v1/register"));
  const std::string before = c.response();
  c.send(request("GET", "/api/v1/register"));
  REQUIRE(c.response() == before);
  const auto answered = r.s.app->prepared_answers()->answered();
  REQUIRE(answered >= 1);

  auto changed = r.partner;
  changed.nature = "Senior partner in the practice";
  {
    WriteTransaction tx(*r.s.db);
    InterestStore(*r.s.db).save(changed, "test");
    tx.commit();
  }
  c.send(request("GET", "/api/v1/register", "If-None-Match: " + header_of(before, "ETag") + "\r\n"));
  const std::string after = c.response();
  CHECK(after.rfind("HTTP/1.1 200 OK", 0) == 0);
  CHECK(after.find("Senior partner in the practice") != std::string::npos);
  CHECK(header_of(after, "ETag") != header_of(before, "ETag"));
  CHECK(r.s.app->prepared_answers()->answered() == answered);  // the normal path answered it
  // Then the new state is prepared in its turn.
  c.send(request("GET", "/api/v1/register"));
  CHECK(c.response() == after);
  CHECK(r.s.app->prepared_answers()->answered() == answered + 1);
}

TEST_CASE("requests that are not plain reads of a cached response go the normal way") {
  PublicRegisterServer r;
  warm_up(r);
  Client c(r.s.port);
  c.send(request("GET", "/api/v1/register"));
  const std::string first = c.response();
  const auto* prepared = r.s.app->prepared_answers();
  const auto before = prepared->answered();
  struct Case {
    const char* what;
    std::string bytes;
    const char* status;
  };
  const std::vector<Case> cases = {
      {"a cookie", request("GET", "/api/v1/register", "Cookie: probity_session=not-a-session\r\n"), "HTTP/1.1 200"},
      {"a bearer token", request("GET", "/api/v1/register", "Authorization: Bearer not-a-token\r\n"), "HTTP/1.1 "},
      {"a byte range", request("GET", "/api/v1/register", "Range: bytes=0-9\r\n"), "HTTP/1.1 2"},
      {"a body on a GET", "GET /api/v1/register HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", "HTTP/1.1 200"},
      {"two Accept-Encoding lines", request("GET", "/api/v1/register", "Accept-Encoding: gzip\r\nAccept-Encoding: identity\r\n"),
       "HTTP/1.1 200"},
      {"another target spelling", request("GET", "/api/v1/register?"), "HTTP/1.1 200"},
      {"an unknown header", request("GET", "/api/v1/register", "X-Request-Id: abc\r\n"), "HTTP/1.1 200"},
      {"POST", request("POST", "/api/v1/register", "Content-Length: 0\r\n"), "HTTP/1.1 40"},
  };
  for (const auto& k : cases) {
    CAPTURE(k.what);
    c.send(k.bytes);
    const std::string answer = c.response();
    CHECK(answer.rfind(k.status, 0) == 0);
  }
  CHECK(prepared->answered() == before);
  {
    Client old(r.s.port);
    old.send("GET /api/v1/register HTTP/1.0\r\nHost: x\r\n\r\n");
    CHECK(old.response().rfind("HTTP/1.1 200", 0) == 0);
  }
  CHECK(prepared->answered() == before);
  // A request asking to close is answered (normally) and the connection closes.
  c.send(request("GET", "/api/v1/register", "Connection: close\r\n"));
  CHECK(header_of(c.response(), "Connection") == "close");
  CHECK(c.closed_within(std::chrono::seconds(5)));
  CHECK(prepared->answered() == before);
  CHECK(first.rfind("HTTP/1.1 200", 0) == 0);
}

TEST_CASE("with the public cache off nothing is prepared") {
  PublicRegisterServer r([](Config& config) { config.public_cache = false; });
  CHECK(r.s.app->prepared_answers() == nullptr);
  Client c(r.s.port);
  c.send(request("GET", "/api/v1/register") + request("GET", "/api/v1/register"));
  const std::string a = c.response();
  CHECK(a.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(c.response() == a);
}
