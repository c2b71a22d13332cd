// The request log and event lines (server/http/request_log.hpp): every field of a request's line
// in both formats, the request id sent back, what is redacted, and that no secret reaches a line.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "server/browser.hpp"
#include "server/http/metrics.hpp"
#include "server/http/request_log.hpp"
#include "server/test_server.hpp"
#include "support.hpp"

using namespace probity;
using namespace probity::testing;

namespace {

// Sends the process's log to a file of its own for one test, and puts the settings back after.
struct LogCapture {
  TempDir dir;
  std::string path = dir.file("probity.log");
  LogSettings before = current_log_settings();

  explicit LogCapture(LogFormat format = LogFormat::json, bool requests = true) {
    LogSettings s;
    s.format = format;
    s.requests = requests;
    s.file = path;
    configure_log(s);
  }
  ~LogCapture() {
    // What this test logged also goes to the suite's log, which the log-secrets check reads.
    if (!before.file.empty()) {
      std::ofstream suite(before.file, std::ios::app);
      suite << text();
    }
    configure_log(before);
  }
  std::string text() const {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    std::istringstream in(text());
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
  /// The JSON lines whose `key` is `value`, once there are at least `least` of them (a request's
  /// line is written just after its response, so it may come a moment after the client has it;
  /// waits at most 10 s).
  std::vector<nlohmann::json> where(const std::string& key, const std::string& value, std::size_t least = 1) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
      auto found = where_now(key, value);
      if (found.size() >= least || std::chrono::steady_clock::now() > deadline) return found;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  /// At least `least` lines (waiting as where does).
  std::vector<std::string> lines_when(std::size_t least) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
      auto found = lines();
      if (found.size() >= least || std::chrono::steady_clock::now() > deadline) return found;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  std::vector<nlohmann::json> where_now(const std::string& key, const std::string& value) const {
    std::vector<nlohmann::json> out;
    for (const auto& line : lines()) {
      auto j = nlohmann::json::parse(line);  // throws, failing the test, on a line that is not JSON
      if (j.contains(key) && j.at(key).is_string() && j.at(key) == value) out.push_back(j);
    }
    return out;
  }
};

const std::regex kTime(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
const std::regex kGeneratedId("[0-9a-f]{16}");

}  // namespace

TEST_CASE("request log: one JSON line per request with every field, and the request id sent back", "[request_log]") {
  TestServer server;
  LogCapture log;
  auto res = server.client().Get("/register?page=1&token=abc123secretvalue&next=%2Fmy",
                                 {{"X-Request-Id", "trace-42.a:b"}, {"Accept-Encoding", "identity"}});
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("X-Request-Id") == "trace-42.a:b");

  const auto found = log.where("request_id", "trace-42.a:b");
  REQUIRE(found.size() == 1);
  const auto& line = found.front();
  CAPTURE(line.dump());
  CHECK(std::regex_match(line.at("time").get<std::string>(), kTime));
  CHECK(line.at("level") == "info");
  CHECK(line.at("event") == "request");
  CHECK(line.at("method") == "GET");
  CHECK(line.at("path") == "/register?page&token&next");  // the names of the query's parameters, never their values
  CHECK(line.at("route") == "/register");
  CHECK(line.at("status") == 200);
  CHECK(line.at("bytes") == res->body.size());
  CHECK(line.at("duration_ms").is_number());
  CHECK(line.at("duration_ms").get<double>() >= 0.0);
  CHECK(log.text().find("abc123secretvalue") == std::string::npos);
}

TEST_CASE("request log: a new id for a request without one, or with one that is too long or unsafe", "[request_log]") {
  TestServer server;
  LogCapture log;
  const auto given = GENERATE(std::string(), std::string("has space"), std::string("<script>"), std::string(65, 'a'),
                              std::string("quote\"d"));
  CAPTURE(given);
  httplib::Headers headers;
  if (!given.empty()) headers.emplace("X-Request-Id", given);
  auto res = server.client().Get("/healthz", headers);
  REQUIRE(res);
  const auto id = res->get_header_value("X-Request-Id");
  CHECK(std::regex_match(id, kGeneratedId));
  CHECK(log.where("request_id", id).size() == 1);
  if (!given.empty()) CHECK(log.text().find(given) == std::string::npos);
  // Two requests, two ids.
  auto again = server.client().Get("/healthz", headers);
  REQUIRE(again);
  CHECK(again->get_header_value("X-Request-Id") != id);
}

TEST_CASE("request log: logfmt lines carry the same fields", "[request_log]") {
  TestServer server;
  LogCapture log(LogFormat::logfmt);
  auto res = server.client().Get("/healthz?probe=1", {{"X-Request-Id", "lf-1"}, {"Accept-Encoding", "identity"}});
  REQUIRE(res);
  const auto lines = log.lines_when(1);
  REQUIRE(lines.size() == 1);
  CAPTURE(lines.front());
  const std::regex expected(R"(time=\S+ level=info event=request request_id=lf-1 method=GET path=/healthz\?probe route=/healthz )"
                            R"(status=200 bytes=(\d+) duration_ms=\d+\.\d{3})");
  std::smatch m;
  REQUIRE(std::regex_match(lines.front(), m, expected));
  CHECK(std::stoul(m[1].str()) == res->body.size());
}

TEST_CASE("request log: query values, token-like path segments and set-password links are never written", "[request_log]") {
  // clang-format off
  const auto [target, logged] = GENERATE(table<std::string, std::string>({
      {"/register", "/register"},
      {"/register?q=smith&page=2", "/register?q&page"},
      {"/sign-in/oidc/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj", "/sign-in/oidc/callback?code&state"},
      {"/sign-in?next=%2Fmy%2Finterests", "/sign-in?next"},
      {"/people/12/year", "/people/12/year"},
      {"/governance/sign-in-providers/nhsmail", "/governance/sign-in-providers/nhsmail"},
      {"/set-password/shortbutsecret", "/set-password/:redacted"},
      {"/set-password/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "/set-password/:redacted"},
      {"/anything/9f86d081884c7d659a2feaa0c55ad015", "/anything/:redacted"},
      {"/x/Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA_-", "/x/:redacted"},
      {"/a?prb_0123456789abcdef0123456789abcdef0123456789abcdef", "/a?:redacted"},
      {"/a?=x&&b=1&", "/a?b"},
      {"/a?we%20ird=1", "/a?we%20ird"},
      {"/a?na\"me=1", "/a?na_me"},
  }));
  // clang-format on
  CAPTURE(target);
  CHECK(loggable_target(target) == logged);
}

TEST_CASE("request log: a set-password link's token is not in the line, though the route is named", "[request_log]") {
  TestServer server;
  LogCapture log;
  const std::string token = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  auto res = server.client().Get(("/set-password/" + token).c_str(), {{"X-Request-Id", "link-1"}});
  REQUIRE(res);
  CHECK(res->status == 404);
  const auto found = log.where("request_id", "link-1");
  REQUIRE(found.size() == 1);
  CHECK(found.front().at("path") == "/set-password/:redacted");
  CHECK(found.front().at("route") == R"(/set-password/([0-9a-zA-Z_-]{16,200}))");
  CHECK(found.front().at("status") == 404);
  CHECK(log.text().find(token) == std::string::npos);
}

TEST_CASE("request log: a failed sign-in is an event without the address or the password typed", "[request_log]") {
  TestServer server([](Config& c) { fast_accounts(c); });
  add_account(server, "gp@example.nhs.uk", std::nullopt);
  LogCapture log;
  const auto before = service_counters().sign_in_bad_credentials.load();
  Browser b(server);
  auto res = b.sign_in("gp@example.nhs.uk", "not-the-password-42");
  REQUIRE(res);
  CHECK(res->status == 422);
  CHECK(service_counters().sign_in_bad_credentials.load() == before + 1);
  const auto events = log.where("event", "sign_in_failed");
  REQUIRE(events.size() == 1);
  CHECK(events.front().at("reason") == "bad_credentials");
  CHECK(events.front().at("source") == "127.0.0.1");
  CHECK(events.front().at("level") == "warning");
  // Logged while serving the request: it carries that request's id.
  const auto posts = log.where("request_id", events.front().at("request_id").get<std::string>(), 2);
  REQUIRE(posts.size() == 2);
  CHECK(posts.back().at("event") == "request");
  CHECK(posts.back().at("method") == "POST");
  CHECK(posts.back().at("route") == "/sign-in");
  const auto text = log.text();
  CHECK(text.find("not-the-password-42") == std::string::npos);
  CHECK(text.find("gp@example.nhs.uk") == std::string::npos);
  CHECK(text.find(b.csrf_cookie) == std::string::npos);
}

TEST_CASE("request log: with requests off only events are written", "[request_log]") {
  TestServer server([](Config& c) { fast_accounts(c); });
  LogCapture log(LogFormat::json, false);
  auto res = server.client().Get("/healthz");
  REQUIRE(res);
  CHECK(log.lines().empty());
  Browser b(server);
  b.sign_in("nobody@example.nhs.uk", "whatever-it-is");
  const auto lines = log.lines();
  REQUIRE(lines.size() == 1);
  CHECK(nlohmann::json::parse(lines.front()).at("event") == "sign_in_failed");
}

TEST_CASE("request log: event values are escaped, and invalid UTF-8 cannot break a line", "[request_log]") {
  const std::string tricky = "quote \" backslash \\ newline \n tab \t bell \a Zoë \xff end";
  SECTION("JSON") {
    LogCapture log;
    log_event(LogLevel::error, "test_event", {{"text", tricky}, {"n", 42}, {"flag", true}});
    const auto lines = log.lines();
    REQUIRE(lines.size() == 1);
    const auto j = nlohmann::json::parse(lines.front());
    CHECK(j.at("event") == "test_event");
    CHECK(j.at("level") == "error");
    CHECK(j.at("text") == "quote \" backslash \\ newline \n tab \t bell \a Zoë \xef\xbf\xbd end");
    CHECK(j.at("n") == 42);
    CHECK(j.at("flag") == true);
    CHECK_FALSE(j.contains("request_id"));  // not inside a request
  }
  SECTION("JSON, with sequences that look like UTF-8 but are not: an overlong form, a surrogate, past U+10FFFF") {
    LogCapture log;
    log_event(LogLevel::info, "test_event", {{"text", "a\xE0\x80\xAF b\xED\xA0\x80 c\xF4\x90\x80\x80 d\xC3\xA9"}});
    const auto lines = log.lines();
    REQUIRE(lines.size() == 1);
    const auto j = nlohmann::json::parse(lines.front());  // nlohmann refuses all three
    const std::string bad = "\xef\xbf\xbd";
    CHECK(j.at("text") == "a" + bad + bad + bad + " b" + bad + bad + bad + " c" + bad + bad + bad + bad + " d\xC3\xA9");
  }
  SECTION("logfmt") {
    LogCapture log(LogFormat::logfmt);
    log_event(LogLevel::info, "test_event", {{"text", tricky}, {"plain", "word"}, {"empty", ""}});
    const auto lines = log.lines();
    REQUIRE(lines.size() == 1);  // the newline inside the value did not split the line
    CHECK_THAT(lines.front(), Catch::EndsWith(R"( event=test_event text="quote \" backslash \\ newline \n tab \t bell \u0007 Zoë \ufffd end" plain=word empty="")"));
  }
}

TEST_CASE("request log: a poller's request lines are written together, in order, when it flushes or ends", "[request_log]") {
  // What a connection poller does (server/http/connection_server.cpp): keep its request lines and
  // write them before it sleeps. Seen from the log: nothing until the flush, then every line, in
  // order; an event goes out at once, after the lines kept before it; the thread's end writes the
  // rest.
  LogCapture log;
  std::size_t before_flush = 99, after_flush = 0, after_event = 0;
  std::thread poller([&] {
    batch_log_lines();
    auto request = [](const char* target, int status) {
      record_response({"GET", target, -1, status, 10, std::chrono::steady_clock::now(), "00000000000000aa"});
    };
    request("/batched-1", 200);
    request("/batched-2", 304);
    before_flush = log.lines().size();
    flush_log_lines();
    after_flush = log.lines().size();
    request("/batched-3", 200);
    log_event(LogLevel::warning, "batched_event", {{"n", 1}});
    after_event = log.lines().size();
    request("/batched-4", 404);  // written when the thread ends
  });
  poller.join();
  CHECK(before_flush == 0);
  CHECK(after_flush == 2);
  CHECK(after_event == 4);  // the kept line, then the event
  std::vector<std::string> order;
  for (const auto& line : log.lines()) {
    const auto j = nlohmann::json::parse(line);
    order.push_back(j.contains("path") ? j.at("path").get<std::string>() : j.at("event").get<std::string>());
  }
  CHECK(order == std::vector<std::string>{"/batched-1", "/batched-2", "/batched-3", "batched_event", "/batched-4"});
}
