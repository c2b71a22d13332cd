// GET /metrics (server/http/metrics.hpp), read by prometheus_client's own text-format parser
// (Debian's python3-prometheus-client, through /usr/bin/python3), before and after requests.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <regex>
#include <thread>
#include <sstream>

#include "model/register/declaration_year.hpp"
#include "probity_version.hpp"
#include "server/governance/year_views.hpp"
#include "server/http/year_config.hpp"
#include "server/browser.hpp"
#include "server/public_fixture.hpp"
#include "support.hpp"

using namespace probity;
using namespace probity::testing;

namespace {

// The exposition as prometheus_client parses it: {"families": [{name, type, help, samples}]}.
// Fails the test when the parser refuses the text.
nlohmann::json parse_exposition(const std::string& text) {
  TempDir dir;
  const std::string in = dir.file("metrics.txt");
  const std::string out = dir.file("metrics.json");
  std::ofstream(in) << text;
  const std::string command = "/usr/bin/python3 " + std::string(PROBITY_SOURCE_DIR) + "/tests/server/http/metrics_parse.py < " + in +
                              " > " + out + " 2>&1";
  const int rc = std::system(command.c_str());
  std::ifstream result(out);
  std::stringstream s;
  s << result.rdbuf();
  INFO("parser said: " << s.str());
  REQUIRE(rc == 0);
  return nlohmann::json::parse(s.str());
}

struct Scrape {
  nlohmann::json parsed;

  const nlohmann::json* family(const std::string& name) const {
    for (const auto& f : parsed.at("families"))
      if (f.at("name") == name) return &f;
    return nullptr;
  }
  /// The value of the sample `sample` whose labels include all of `labels`; -1 when there is none.
  double value(const std::string& sample, const std::map<std::string, std::string>& labels = {}) const {
    for (const auto& f : parsed.at("families"))
      for (const auto& s : f.at("samples")) {
        if (s.at("name") != sample) continue;
        bool all = true;
        for (const auto& [k, v] : labels) all = all && s.at("labels").contains(k) && s.at("labels").at(k) == v;
        if (all) return s.at("value").is_null() ? -1 : s.at("value").get<double>();
      }
    return -1;
  }
  /// As value, but 0 when the series does not exist yet (a route not yet requested).
  double count(const std::string& sample, const std::map<std::string, std::string>& labels = {}) const {
    const double v = value(sample, labels);
    return v < 0 ? 0 : v;
  }
};

Scrape scrape(int port) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(10);
  // A response is counted just after it is written: once nothing is in flight, every request
  // the test has had an answer to is counted (waits at most 10 s).
  static const std::regex idle("\nprobity_http_requests_in_flight 0\n");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  auto res = c.Get("/metrics");
  while (res && !std::regex_search(res->body, idle) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    res = c.Get("/metrics");
  }
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  return Scrape{parse_exposition(res->body)};
}

}  // namespace

TEST_CASE("metrics: the exposition parses, and its figures move with the requests made", "[metrics]") {
  PublicRegisterServer p([](Config& c) { c.metrics_port = 0; });
  const int port = p.s.app->metrics_port();
  REQUIRE(port > 0);
  REQUIRE(port != p.s.port);

  const Scrape before = scrape(port);
  // Every family was declared with its type: a sample without a TYPE line comes out "unknown".
  for (const auto& f : before.parsed.at("families")) {
    CAPTURE(f.at("name"));
    CHECK(f.at("type") != "unknown");
    CHECK_FALSE(f.at("help").get<std::string>().empty());
  }
  REQUIRE(before.family("probity_build_info"));
  CHECK(before.value("probity_build_info", {{"version", kVersion}}) == 1);
  CHECK(before.family("probity_http_requests")->at("type") == "counter");
  CHECK(before.family("probity_http_request_duration_seconds")->at("type") == "histogram");
  CHECK(before.family("probity_http_requests_in_flight")->at("type") == "gauge");

  const std::map<std::string, std::string> reg = {{"method", "GET"}, {"route", "/register"}};
  const std::map<std::string, std::string> reg_ok = {{"method", "GET"}, {"route", "/register"}, {"status_class", "2xx"}};
  const std::map<std::string, std::string> person = {{"method", "GET"}, {"route", R"(/people/(\d+))"}, {"status_class", "2xx"}};
  const std::map<std::string, std::string> missing = {{"route", "(unmatched)"}, {"status_class", "4xx"}};
  auto c = p.s.client();
  for (int i = 0; i < 3; ++i) REQUIRE(c.Get("/register")->status == 200);
  REQUIRE(c.Get(("/people/" + std::to_string(p.asha.id)).c_str())->status == 200);
  REQUIRE(c.Get("/no-such-page")->status == 404);
  // The metrics port serves nothing but /metrics, and the service does not serve /metrics.
  CHECK(c.Get("/metrics")->status == 404);
  CHECK(httplib::Client("127.0.0.1", port).Get("/register")->status == 404);

  // A request is counted just after its response is written, so the client can read the answer
  // first: scrape again (bounded) until none is in flight, and then every one is counted.
  Scrape after = scrape(port);
  for (int i = 0; i < 100 && after.value("probity_http_requests_in_flight") != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    after = scrape(port);
  }
  CHECK(after.value("probity_http_requests_in_flight") == 0);
  CHECK(after.count("probity_http_requests_total", reg_ok) - before.count("probity_http_requests_total", reg_ok) == 3);
  CHECK(after.count("probity_http_requests_total", person) - before.count("probity_http_requests_total", person) == 1);
  // The path's id is not a label: one series for every person.
  for (const auto& s : after.family("probity_http_requests")->at("samples"))
    CHECK(s.at("labels").at("route").get<std::string>().find("/people/" + std::to_string(p.asha.id)) == std::string::npos);
  CHECK(after.count("probity_http_requests_total", missing) - before.count("probity_http_requests_total", missing) == 2);
  CHECK(after.count("probity_http_request_duration_seconds_count", reg) -
            before.count("probity_http_request_duration_seconds_count", reg) == 3);
  CHECK(after.value("probity_http_request_duration_seconds_sum", reg) > before.count("probity_http_request_duration_seconds_sum", reg));
  CHECK(after.value("probity_http_response_bytes_total", reg) > before.count("probity_http_response_bytes_total", reg));
  // The histogram's buckets are cumulative and end in the count.
  double previous = 0;
  for (const auto& s : after.family("probity_http_request_duration_seconds")->at("samples")) {
    if (s.at("name") != "probity_http_request_duration_seconds_bucket" || s.at("labels").at("route") != "/register") continue;
    const double v = s.at("value").get<double>();
    CHECK(v >= previous);
    previous = v;
  }
  CHECK(previous == after.value("probity_http_request_duration_seconds_count", reg));
  // The public register was built once and then served from memory.
  CHECK(after.count("probity_response_cache_hits_total") - before.count("probity_response_cache_hits_total") >= 2);
  CHECK(after.count("probity_response_cache_misses_total") - before.count("probity_response_cache_misses_total") >= 1);
  CHECK(after.value("probity_http_requests_in_flight") == 0);
  CHECK(after.value("probity_db_pool_idle_connections") >= 1);

  // The declaration year's states, as the compliance dashboard counts them on the same day.
  const auto compliance = compliance_view(*p.s.db, year_today(p.s.app->config()), year_rules(p.s.app->config()));
  const auto& counts = compliance.at("counts");
  CHECK(after.value("probity_declarations_overdue") == counts.at("overdue").get<double>());
  for (const char* state : {"up_to_date", "due", "overdue", "never_declared"}) {
    CAPTURE(state);
    CHECK(after.value("probity_people_by_year_state", {{"state", state}}) == counts.at(state).get<double>());
  }
  CHECK(after.value("probity_people_by_year_state", {{"state", "never_declared"}}) +
            after.value("probity_people_by_year_state", {{"state", "up_to_date"}}) > 0);
  // Every outbox status is listed, the queue empty here.
  CHECK(after.value("probity_mail_outbox_messages", {{"status", "pending"}}) == 0);
  CHECK(after.value("probity_mail_outbox_messages", {{"status", "failed"}}) == 0);
}

TEST_CASE("metrics: sign-in failures are counted by reason", "[metrics]") {
  TestServer server([](Config& c) {
    c.metrics_port = 0;
    fast_accounts(c, {{"lockout_failures", 2}});
  });
  add_account(server, "gp@example.nhs.uk", std::nullopt);
  const Scrape before = scrape(server.app->metrics_port());
  Browser b(server);
  for (int i = 0; i < 3; ++i) b.sign_in("gp@example.nhs.uk", "wrong password " + std::to_string(i));
  const Scrape after = scrape(server.app->metrics_port());
  // The failure that reaches lockout_failures is answered as locked already.
  const auto delta = [&](const char* reason) {
    return after.count("probity_sign_in_failures_total", {{"reason", reason}}) -
           before.count("probity_sign_in_failures_total", {{"reason", reason}});
  };
  CHECK(delta("bad_credentials") == 1);
  CHECK(delta("locked") == 2);
  CHECK(delta("disabled") == 0);
}

TEST_CASE("metrics: no listener unless metrics_port is set", "[metrics]") {
  TestServer server;
  CHECK(server.app->metrics_port() == 0);
}
