// A broad search's CSV (/register.csv?q=... matching more than kBroadSearchAbove entries) is sent
// as it is written, in chunks, instead of being built whole and cached: the same bytes as the
// CSV built from the rows, with an ETag that still gives a 304, and gzip when asked for.
#include <catch2/catch.hpp>

#include <regex>
#include <string>

#include "model/public/csv.hpp"
#include "model/public/public_register.hpp"
#include "server/public_fixture.hpp"

using namespace probity;
using namespace probity::testing;

namespace {
struct BroadCsvServer : PublicRegisterServer {
  explicit BroadCsvServer(const std::function<void(Config&)>& tweak = {}) : PublicRegisterServer(tweak) {
    WriteTransaction tx(*s.db);
    for (int i = 0; i < 2100; ++i)
      interest(i % 2 ? asha : dana, InterestCategory::financial, i % 3 ? &acme : nullptr,
               "Director, \"Holdings " + std::to_string(i) + "\" Ltd", "2016-02-01");
    tx.commit();
  }
  std::string built(const std::string& q) {
    RegisterFilter f;
    f.text = q;
    return register_csv(public_register_rows(*s.db, d("2025-09-15"), f, {}), false);
  }
};
}  // namespace

TEST_CASE("a broad search's CSV is streamed: chunked, the bytes built from the rows, never cached") {
  const bool cache = GENERATE(true, false);
  CAPTURE(cache);
  BroadCsvServer r([&](Config& c) { c.public_cache = cache; });
  const std::string expected = r.built("director");
  REQUIRE(expected.size() > 3 * RegisterCsvStream::kPieceBytes);
  auto c = r.client();
  auto res = c.Get("/register.csv?q=director");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Transfer-Encoding") == "chunked");
  CHECK_FALSE(res->has_header("Content-Length"));
  CHECK_FALSE(res->has_header("Content-Encoding"));
  CHECK(res->get_header_value("Content-Type") == "text/csv; charset=utf-8");
  CHECK(res->get_header_value("Content-Disposition") == "attachment; filename=\"register-of-interests.csv\"");
  CHECK(res->get_header_value("Vary") == "Accept-Encoding");
  CHECK(res->get_header_value("Cache-Control") == "no-cache");
  CHECK_FALSE(res->get_header_value("Last-Modified").empty());
  CHECK(res->body.size() == expected.size());
  CHECK(res->body == expected);
  const auto etag = res->get_header_value("ETag");
  CHECK(std::regex_match(etag, std::regex(R"("[0-9a-f]{64}")")));

  // Not cached: asked again, it is written again, with the same ETag, and a 304 for that ETag.
  auto again = c.Get("/register.csv?q=director");
  REQUIRE(again);
  CHECK(again->get_header_value("Transfer-Encoding") == "chunked");
  CHECK(again->body == expected);
  CHECK(again->get_header_value("ETag") == etag);
  auto unchanged = c.Get("/register.csv?q=director", {{"If-None-Match", etag}});
  REQUIRE(unchanged);
  CHECK(unchanged->status == 304);
  CHECK(unchanged->body.empty());

  // Another search's ETag differs; so does this one's after a change to the register.
  auto other = c.Get("/register.csv?q=director&sort=declared");
  REQUIRE(other);
  CHECK(other->get_header_value("ETag") != etag);
  {
    WriteTransaction tx(*r.s.db);
    r.interest(r.asha, InterestCategory::financial, &r.acme, "Director of one more company", "2017-03-01");
    tx.commit();
  }
  auto changed = c.Get("/register.csv?q=director", {{"If-None-Match", etag}});
  REQUIRE(changed);
  CHECK(changed->status == 200);
  CHECK(changed->get_header_value("ETag") != etag);
  CHECK(changed->body == r.built("director"));

  // A search that is not broad is built whole, as before: a Content-Length and a hashed ETag.
  auto narrow = c.Get("/register.csv?q=partner");
  REQUIRE(narrow);
  CHECK(narrow->status == 200);
  CHECK(narrow->has_header("Content-Length"));
  CHECK(narrow->body == r.built("partner"));
}

TEST_CASE("a streamed CSV is gzipped piece by piece for a client that accepts gzip, and a HEAD gets its headers alone") {
  BroadCsvServer r;
  const std::string expected = r.built("director");
  auto c = r.client();
  c.set_decompress(false);
  auto res = c.Get("/register.csv?q=director", {{"Accept-Encoding", "gzip, deflate, br"}});
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Encoding") == "gzip");
  CHECK(res->get_header_value("Transfer-Encoding") == "chunked");
  CHECK(res->body.size() < expected.size() / 3);
  REQUIRE(res->body.size() > 2);
  CHECK(static_cast<unsigned char>(res->body[0]) == 0x1f);  // the gzip magic
  CHECK(static_cast<unsigned char>(res->body[1]) == 0x8b);
  CHECK(gunzip(res->body) == expected);
  const auto etag = res->get_header_value("ETag");
  CHECK(std::regex_match(etag, std::regex(R"("[0-9a-f]{64}-gzip")")));
  auto unchanged = c.Get("/register.csv?q=director", {{"Accept-Encoding", "gzip"}, {"If-None-Match", etag}});
  REQUIRE(unchanged);
  CHECK(unchanged->status == 304);

  auto head = c.Head("/register.csv?q=director");
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->body.empty());
  CHECK(head->get_header_value("Content-Type") == "text/csv; charset=utf-8");
  // The connection is still good for the next request after a HEAD.
  auto after = c.Get("/register.csv?q=partner");
  REQUIRE(after);
  CHECK(after->status == 200);
}
