// The router answers GET and HEAD from its own table (Router::dispatch_get) as cpp-httplib's
// list of regular expressions would: the first route in registration order whose pattern
// matches the whole path, with the same matches.
#include <catch2/catch.hpp>

#include <regex>

#include "server/http/router.hpp"
#include "server/test_server.hpp"

using namespace probity;

TEST_CASE("a pattern's literal beginning stops at the first regular-expression character") {
  CHECK(Router::literal_prefix(R"(/people/(\d+))") == "/people/");
  CHECK(Router::literal_prefix("/people/?") == "/people");  // the '/' before a quantifier is optional
  CHECK(Router::literal_prefix("/people/*x") == "/people");
  CHECK(Router::literal_prefix("/a{2}") == "/");
  CHECK(Router::literal_prefix("/register.csv") == "/register");  // '.' matches any character
  CHECK(Router::literal_prefix(R"(/brief\.pdf)") == "/brief");
  CHECK(Router::literal_prefix("/healthz") == "/healthz");
  CHECK(Router::literal_prefix("/a|/b") == "");  // alternatives with different beginnings
  CHECK(Router::literal_prefix("/x/(a|b)") == "/x/");
  CHECK(Router::literal_prefix("/x/[|(]y") == "/x/");
  CHECK(Router::literal_prefix("^/x") == "");
}

TEST_CASE("every path matched by a route's pattern begins with its literal prefix, for every route") {
  testing::TestServer s;
  int checked = 0;
  for (const auto& r : s.app->http().routes()) {
    const std::string prefix = Router::literal_prefix(r.pattern);
    // The pattern's own text with each group replaced by a sample, where that matches.
    std::string sample = std::regex_replace(r.pattern, std::regex(R"(\(\\d[^)]*\))"), "12");
    sample = std::regex_replace(sample, std::regex(R"(\\\.)"), ".");
    if (!std::regex_match(sample, std::regex(r.pattern))) continue;
    CAPTURE(r.method, r.pattern, sample);
    CHECK(sample.starts_with(prefix));
    ++checked;
  }
  CHECK(checked > 50);
}

TEST_CASE("the router's own dispatch picks the first matching route and sets its matches") {
  httplib::Server server;
  Router router(server);
  std::string seen;
  router.Get(R"(/things/(\d+))", [&](const httplib::Request& req, httplib::Response&) { seen = "thing " + req.matches[1].str(); });
  router.Get(R"(/things/(\w+))", [&](const httplib::Request& req, httplib::Response&) { seen = "word " + req.matches[1].str(); });
  router.Get("/things/?", [&](const httplib::Request&, httplib::Response&) { seen = "list"; });
  router.Post("/things", [&](const httplib::Request&, httplib::Response&) { seen = "post"; });
  auto get = [&](const std::string& path) {
    httplib::Request req;
    req.method = "GET";
    req.path = path;
    httplib::Response res;
    seen.clear();
    return router.dispatch_get(req, res) ? seen : std::string("no route");
  };
  CHECK(get("/things/42") == "thing 42");  // the first registered wins, as in cpp-httplib
  CHECK(get("/things/abc") == "word abc");
  CHECK(get("/things") == "list");
  CHECK(get("/things/") == "list");
  CHECK(get("/things/42/more") == "no route");
  CHECK(get("/other") == "no route");
  CHECK(get("/thingsx") == "no route");
}
