#include <catch2/catch.hpp>

#include <regex>

#include "server/test_server.hpp"

using namespace probity;
using json = nlohmann::json;

TEST_CASE("GET /healthz reports ok") {
  testing::TestServer s;
  auto res = s.client().Get("/healthz");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(json::parse(res->body) == json{{"status", "ok"}});
  CHECK(res->get_header_value("Content-Type") == "application/json; charset=utf-8");
}

TEST_CASE("every response carries the security headers") {
  testing::TestServer s;
  for (const char* path : {"/healthz", "/", "/no-such-page", "/public/css/probity.css"}) {
    CAPTURE(path);
    auto res = s.client().Get(path);
    REQUIRE(res);
    auto csp = res->get_header_value("Content-Security-Policy");
    CHECK_THAT(csp, Catch::Contains("object-src 'none'") && Catch::Contains("base-uri 'none'") &&
                        Catch::Contains("frame-ancestors 'none'") && Catch::Contains("script-src 'self'"));
    CHECK_FALSE(csp.find("unsafe-inline") != std::string::npos);
    // The NHS font from the NHS's own host, and no other third-party font.
    CHECK_THAT(csp, Catch::Contains("font-src 'self' https://assets.nhs.uk;"));
    CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK(res->get_header_value("Referrer-Policy") == "same-origin");
  }
}

TEST_CASE("the home page renders in the NHS layout with escaped organisation name") {
  testing::TestServer s([](Config& c) { c.organisation_name = "NHS <Test> & \"Quotes\" CCG"; });
  auto res = s.client().Get("/");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK_THAT(res->body, Catch::Contains("<html lang=\"en\">"));
  CHECK_THAT(res->body, Catch::Contains("NHS &lt;Test&gt; &amp; &quot;Quotes&quot; CCG"));
  CHECK_FALSE(res->body.find("<Test>") != std::string::npos);
  CHECK_THAT(res->body, Catch::Contains("href=\"#maincontent\""));
}

TEST_CASE("unknown pages get a 404 page, unknown API paths a JSON error") {
  testing::TestServer s;
  auto page = s.client().Get("/no-such-page");
  REQUIRE(page);
  CHECK(page->status == 404);
  CHECK_THAT(page->get_header_value("Content-Type"), Catch::StartsWith("text/html"));
  CHECK_THAT(page->body, Catch::Contains("Page not found"));

  auto api = s.client().Get("/api/v1/no-such-thing");
  REQUIRE(api);
  CHECK(api->status == 404);
  auto body = json::parse(api->body);
  CHECK(body.at("error").at("code") == "not_found");
  CHECK(body.at("error").at("status") == 404);
}

TEST_CASE("the NHS design system assets and our static files are served; traversal is not") {
  testing::TestServer s;
  auto css = s.client().Get("/assets/nhsuk-frontend.min.css");
  REQUIRE(css);
  CHECK(css->status == 200);
  CHECK(css->body.size() > 10000);
  auto icon = s.client().Get("/assets/images/favicon.svg");
  REQUIRE(icon);
  CHECK(icon->status == 200);
  for (const char* path : {"/public/../CMakeLists.txt", "/public/%2e%2e/CMakeLists.txt", "/assets/../../../../etc/passwd"}) {
    CAPTURE(path);
    auto res = s.client().Get(path);
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(res->body.find("cmake_minimum_required") == std::string::npos);
    CHECK(res->body.find("root:") == std::string::npos);
  }
}

TEST_CASE("static files are answered with an ETag, a 304 and gzip made once, never brotli-compressed per request") {
  // A browser accepts br: cpp-httplib would brotli-compress the stylesheet at quality 11 on every
  // request (300 ms of CPU for 278 KB) and send no validator, so every page load paid it again.
  testing::TestServer s;
  auto c = s.client();
  c.set_decompress(false);  // the bytes as sent
  auto plain = c.Get("/assets/nhsuk-frontend.min.css");
  REQUIRE(plain);
  REQUIRE(plain->status == 200);
  CHECK(plain->get_header_value("Content-Type") == "text/css");
  CHECK_FALSE(plain->has_header("Content-Encoding"));
  const std::string css = plain->body;
  REQUIRE(css.size() > 100000);
  CHECK(plain->get_header_value("Cache-Control") == "no-cache");
  CHECK(std::regex_match(plain->get_header_value("ETag"), std::regex(R"("[0-9a-f]{64}")")));

  const httplib::Headers browser{{"Accept-Encoding", "gzip, deflate, br, zstd"}};
  for (int round = 0; round < 2; ++round) {  // made, then answered from the copy kept
    CAPTURE(round);
    auto packed = c.Get("/assets/nhsuk-frontend.min.css", browser);
    REQUIRE(packed);
    CHECK(packed->status == 200);
    CHECK(packed->get_header_value("Content-Encoding") == "gzip");
    CHECK(packed->get_header_value("Vary") == "Accept-Encoding");
    CHECK(gunzip(packed->body) == css);
    const auto etag = packed->get_header_value("ETag");
    CHECK(etag == "\"" + plain->get_header_value("ETag").substr(1, 64) + "-gzip\"");
    httplib::Headers again = browser;
    again.emplace("If-None-Match", etag);
    auto unchanged = c.Get("/assets/nhsuk-frontend.min.css", again);
    REQUIRE(unchanged);
    CHECK(unchanged->status == 304);
    CHECK(unchanged->body.empty());
  }
  // Our own files and images too; an image is sent as it is.
  auto ours = c.Get("/public/css/probity.css", browser);
  REQUIRE(ours);
  CHECK(ours->status == 200);
  CHECK(ours->get_header_value("Content-Encoding") != "br");
  CHECK(ours->has_header("ETag"));
  auto icon = c.Get("/assets/images/favicon.svg", browser);
  REQUIRE(icon);
  CHECK(icon->status == 200);
  CHECK(icon->get_header_value("Content-Encoding") != "br");
  CHECK(icon->has_header("ETag"));
}

TEST_CASE("chunked, compressed and doubly-framed request bodies are refused before reading") {
  testing::TestServer s;
  std::string chunked = s.raw(
      "POST /api/v1/anything HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n0\r\n\r\n");
  CHECK_THAT(chunked, Catch::StartsWith("HTTP/1.1 411"));
  CHECK_THAT(chunked, Catch::Contains("length_required"));

  std::string both = s.raw(
      "POST /api/v1/anything HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n"
      "Content-Length: 5\r\n\r\nhello");
  CHECK_THAT(both, Catch::StartsWith("HTTP/1.1 400"));
  CHECK_THAT(both, Catch::Contains("ambiguous_length"));

  httplib::Headers encoded = {{"Content-Encoding", "gzip"}};
  auto r = s.client().Post("/api/v1/anything", encoded, "xx", "application/json");
  REQUIRE(r);
  CHECK(r->status == 415);
  CHECK(json::parse(r->body).at("error").at("code") == "encoded_body");
}

TEST_CASE("the footer's pages are public, and the contact details and gift thresholds come from the config") {
  testing::TestServer s([](Config& c) {
    c.contact_email = "conflicts@example.nhs.uk";
    c.contact_phone = "0300 123 4567";
    c.raw["gifts"] = {{"hospitality_declare_from", 30}};
  });
  auto home = s.client().Get("/");
  REQUIRE(home);
  for (const char* path : {"/accessibility", "/privacy", "/contact", "/what-to-declare"}) {
    CAPTURE(path);
    CHECK_THAT(home->body, Catch::Contains(std::string("href=\"") + path + "\""));
    auto res = s.client().Get(path);
    REQUIRE(res);
    CHECK(res->status == 200);
    if (std::string(path) != "/what-to-declare") {
      CHECK_THAT(res->body, Catch::Contains("href=\"mailto:conflicts@example.nhs.uk\""));
      CHECK_THAT(res->body, Catch::Contains("0300 123 4567"));
    }
  }
  auto guide = s.client().Get("/what-to-declare");
  REQUIRE(guide);
  CHECK_THAT(guide->body, Catch::Contains("Under £30: may be accepted and need not be declared"));
  CHECK_THAT(guide->body, Catch::Contains("worth up to £6,"));

  testing::TestServer bare;
  auto contact = bare.client().Get("/contact");
  REQUIRE(contact);
  CHECK_THAT(contact->body, Catch::Contains("switchboard"));
  CHECK_FALSE(contact->body.find("mailto:") != std::string::npos);
}
