#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <thread>
#include <vector>
#include <regex>

#include "server/http/http_cache.hpp"
#include "server/meetings_support.hpp"
#include "server/public_fixture.hpp"

using namespace probity;
using namespace probity::testing;
using json = nlohmann::json;

TEST_CASE("public responses carry a strong ETag and Last-Modified, and If-None-Match gives a 304") {
  PublicRegisterServer r;
  const auto meeting = r.meeting();
  auto c = r.client();
  for (const std::string& path : std::vector<std::string>{"/register", "/api/v1/register", "/register.csv", "/register.atom", "/gifts", "/api/v1/gifts",
                                 "/gifts.csv", "/committees", "/api/v1/committees", "/people/" + std::to_string(r.asha.id),
                                 "/api/v1/people/" + std::to_string(r.asha.id), "/register/history/" + std::to_string(r.partner.id),
                                 r.path("/meetings/", meeting.meeting.id), r.path("/api/v1/meetings/", meeting.meeting.id),
                                 r.path("/meetings/", meeting.meeting.id) + "/minutes", r.path("/meetings/", meeting.meeting.id) + "/minutes.txt"}) {
    CAPTURE(path);
    auto first = c.Get(path.c_str());
    REQUIRE(first);
    REQUIRE(first->status == 200);
    const auto etag = first->get_header_value("ETag");
    CHECK(std::regex_match(etag, std::regex(R"("[0-9a-f]{64}")")));  // strong: no W/ prefix
    CHECK(std::regex_match(first->get_header_value("Last-Modified"),
                           std::regex(R"((Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT)")));
    CHECK(first->get_header_value("Vary") == "Accept-Encoding");

    auto again = c.Get(path.c_str(), {{"If-None-Match", etag}});
    REQUIRE(again);
    CHECK(again->status == 304);
    CHECK(again->body.empty());
    CHECK(again->get_header_value("ETag") == etag);

    auto listed = c.Get(path.c_str(), {{"If-None-Match", "\"something-else\", " + etag}});
    REQUIRE(listed);
    CHECK(listed->status == 304);

    auto stale = c.Get(path.c_str(), {{"If-None-Match", "\"0000\""}});
    REQUIRE(stale);
    CHECK(stale->status == 200);
    CHECK(stale->body == first->body);
  }
}

TEST_CASE("a change to the register changes the ETag, so a cached copy is not reused") {
  PublicRegisterServer r;
  auto c = r.client();
  auto before = c.Get("/api/v1/register");
  REQUIRE(before);
  auto changed = r.partner;
  changed.nature = "Senior partner in the practice";
  {
    WriteTransaction tx(*r.s.db);
    InterestStore(*r.s.db).save(changed, "test");
    tx.commit();
  }
  auto after = c.Get("/api/v1/register", {{"If-None-Match", before->get_header_value("ETag")}});
  REQUIRE(after);
  CHECK(after->status == 200);
  CHECK(after->body.find("Senior partner") != std::string::npos);
  CHECK(after->get_header_value("ETag") != before->get_header_value("ETag"));
}

TEST_CASE("errors are not given cache validators") {
  PublicRegisterServer r;
  auto c = r.client();
  auto res = c.Get("/api/v1/register?page=0");
  REQUIRE(res);
  CHECK(res->status == 400);
  CHECK_FALSE(res->has_header("ETag"));
}

TEST_CASE("large JSON and CSV are gzip-compressed when the client accepts gzip, and only then") {
  PublicRegisterServer r;
  {
    // Enough entries that the register's JSON is well over 1 KB.
    WriteTransaction tx(*r.s.db);
    for (int i = 0; i < 30; ++i) r.interest(r.erin, InterestCategory::financial, &r.acme, "Shareholding " + std::to_string(i), "2024-01-01");
    tx.commit();
  }
  const auto meeting_json = r.path("/api/v1/meetings/", r.meeting().meeting.id);
  auto plain_client = r.client();
  auto plain = plain_client.Get("/api/v1/register");
  REQUIRE(plain);
  REQUIRE(plain->body.size() > 1024);
  CHECK_FALSE(plain->has_header("Content-Encoding"));
  REQUIRE(plain_client.Get(meeting_json.c_str())->body.size() > 1024);

  for (const std::string& path : {std::string("/api/v1/register"), std::string("/register.csv"), std::string("/register.atom"), meeting_json}) {
    CAPTURE(path);
    auto raw_client = r.s.client();
    raw_client.set_decompress(false);
    auto gz = raw_client.Get(path.c_str(), {{"Accept-Encoding", "gzip"}});
    REQUIRE(gz);
    CHECK(gz->status == 200);
    CHECK(gz->get_header_value("Content-Encoding") == "gzip");
    REQUIRE(gz->body.size() > 2);
    CHECK(static_cast<unsigned char>(gz->body[0]) == 0x1f);
    CHECK(static_cast<unsigned char>(gz->body[1]) == 0x8b);
    // The compressed body is a different representation, so it has its own ETag...
    auto etag = gz->get_header_value("ETag");
    CHECK(std::regex_match(etag, std::regex(R"("[0-9a-f]{64}-gzip")")));
    // ...which revalidates like any other.
    auto again = raw_client.Get(path.c_str(), {{"Accept-Encoding", "gzip"}, {"If-None-Match", etag}});
    REQUIRE(again);
    CHECK(again->status == 304);

    // And the client that decompresses it gets exactly the plain body.
    auto decoding = r.s.client();
    auto decoded = decoding.Get(path.c_str(), {{"Accept-Encoding", "gzip"}});
    REQUIRE(decoded);
    auto identity = plain_client.Get(path.c_str());
    REQUIRE(identity);
    CHECK(decoded->body == identity->body);
  }

  // A client that refuses gzip, or a small body, is sent as is.
  auto refused = r.s.client().Get("/api/v1/register", {{"Accept-Encoding", "gzip;q=0, identity"}});
  REQUIRE(refused);
  CHECK_FALSE(refused->has_header("Content-Encoding"));
  auto small = r.s.client().Get("/api/v1/committees", {{"Accept-Encoding", "gzip"}});
  REQUIRE(small);
  CHECK(small->body.size() < 1024);
  CHECK_FALSE(small->has_header("Content-Encoding"));
}

TEST_CASE("Accept-Encoding and HTTP dates are read and written as HTTP says") {
  CHECK(accepts_gzip("gzip"));
  CHECK(accepts_gzip("br, gzip, deflate"));
  CHECK(accepts_gzip("deflate, gzip;q=0.5"));
  CHECK(accepts_gzip("*"));
  CHECK_FALSE(accepts_gzip("gzip;q=0"));
  CHECK_FALSE(accepts_gzip("gzip;q=0.000, br"));
  CHECK_FALSE(accepts_gzip("identity"));
  CHECK_FALSE(accepts_gzip(""));
  CHECK(http_date("2025-03-02T10:04:05Z") == "Sun, 02 Mar 2025 10:04:05 GMT");
  CHECK(http_date("yesterday").empty());
}

// The rendered-response cache (server/http/http_cache.hpp: ResponseCache) must never outlive the state
// of the register it was built from: each write below comes after the cache has been filled.
TEST_CASE("a write to the register makes the next public response fresh, from the cache or not") {
  PublicRegisterServer r;
  auto c = r.client();
  const std::vector<std::string> paths = {"/register", "/api/v1/register", "/register.csv", "/register.atom",
                                          r.path("/people/", r.asha.id), r.path("/api/v1/people/", r.asha.id),
                                          r.path("/register/history/", r.partner.id)};
  std::map<std::string, std::string> before;
  for (const auto& path : paths) {
    CAPTURE(path);
    auto first = c.Get(path.c_str());
    auto second = c.Get(path.c_str());  // served from the cache
    REQUIRE(first);
    REQUIRE(second);
    CHECK(second->body == first->body);
    CHECK(second->get_header_value("ETag") == first->get_header_value("ETag"));
    before[path] = first->get_header_value("ETag");
  }

  SECTION("a new version of an entry") {
    auto changed = r.partner;
    changed.nature = "Senior partner in the practice";
    WriteTransaction tx(*r.s.db);
    InterestStore(*r.s.db).save(changed, "test");
    tx.commit();
    for (const auto& path : paths) {
      CAPTURE(path);
      auto after = c.Get(path.c_str(), {{"If-None-Match", before[path]}});
      REQUIRE(after);
      CHECK(after->status == 200);
      CHECK(after->body.find("Senior partner") != std::string::npos);
      CHECK(after->get_header_value("ETag") != before[path]);
    }
  }
  SECTION("withholding an entry takes its details off at once") {
    auto hidden = r.partner;
    hidden.withheld = true;
    hidden.withheld_reason = "Risk of harm";
    WriteTransaction tx(*r.s.db);
    InterestStore(*r.s.db).save(hidden, "governance");
    tx.commit();
    for (const auto& path : paths) {
      CAPTURE(path);
      auto after = c.Get(path.c_str());
      REQUIRE(after);
      CHECK(after->body.find("Partner in the practice") == std::string::npos);
    }
  }
  SECTION("a change to a person named on every row") {
    auto renamed = r.asha;
    renamed.name = "Dr Asha Patel-Jones";
    WriteTransaction tx(*r.s.db);
    PersonStore(*r.s.db).save(renamed, "test");
    tx.commit();
    for (const auto& path : paths) {
      CAPTURE(path);
      auto after = c.Get(path.c_str());
      REQUIRE(after);
      CHECK(after->body.find("Patel-Jones") != std::string::npos);
    }
  }
}

// A published meeting's page is cached like the register: every change to what it shows (all
// written as new versions with an audit row) must make the next response fresh.
TEST_CASE("a change to a published meeting's records makes the next response fresh, from the cache or not") {
  PublicRegisterServer r;
  auto m = r.meeting();
  auto c = r.client();
  const std::vector<std::string> paths = {r.path("/meetings/", m.meeting.id), r.path("/api/v1/meetings/", m.meeting.id)};
  // The minutes' declarations section (page and text) shows only the declarations.
  const std::vector<std::string> minutes = {r.path("/meetings/", m.meeting.id) + "/minutes",
                                            r.path("/meetings/", m.meeting.id) + "/minutes.txt"};
  std::map<std::string, std::string> before;
  for (const auto& path : {paths[0], paths[1], minutes[0], minutes[1]}) {
    CAPTURE(path);
    auto first = c.Get(path.c_str());
    auto second = c.Get(path.c_str());  // served from the cache
    REQUIRE(first);
    REQUIRE(second);
    CHECK(first->status == 200);
    CHECK(second->body == first->body);
    before[path] = first->get_header_value("ETag");
  }
  auto& db = *r.s.db;
  // Every store the page reads from, changed after the cache was filled.
  // Checked inside each section (Catch2 counts a section's assertions only there).
  auto check_fresh = [&](const std::string& expected, const std::vector<std::string>& also = {}) {
    auto checked = paths;
    checked.insert(checked.end(), also.begin(), also.end());
    for (const auto& path : checked) {
      CAPTURE(path, expected);
      auto after = c.Get(path.c_str(), {{"If-None-Match", before[path]}});
      REQUIRE(after);
      CHECK(after->status == 200);
      CHECK(after->body.find(expected) != std::string::npos);
      CHECK(after->get_header_value("ETag") != before[path]);
    }
  };
  std::string expected;
  SECTION("a declaration made at the meeting") {
    m.declaration.text = "Partner at Riverside Surgery until March";
    expected = "until March";
    WriteTransaction tx(db);
    MeetingDeclarationStore(db).record(m.declaration, "test");
    tx.commit();
    check_fresh(expected, minutes);
  }
  SECTION("a declaration for the whole meeting") {
    MeetingDeclaration added{0, "", m.meeting.id, std::nullopt, r.dana.id, "Sister works for Acme Health", std::nullopt};
    expected = "Sister works for Acme Health";
    WriteTransaction tx(db);
    MeetingDeclarationStore(db).record(added, "test");
    tx.commit();
    check_fresh(expected);
  }
  SECTION("the chair's decision") {
    m.decision.reason = "Direct financial interest in the outcome";
    expected = "Direct financial interest";
    WriteTransaction tx(db);
    ConflictDecisionStore(db).record(m.decision, "test");
    tx.commit();
    check_fresh(expected);
  }
  SECTION("a room movement") {
    m.movement.returned_at = "15:25";
    expected = "15:25";
    WriteTransaction tx(db);
    RoomMovementStore(db).record(m.movement, "test");
    tx.commit();
    check_fresh(expected);
  }
  SECTION("an agenda edit") {
    m.item.title = "Riverside Surgery: Saturday opening";
    expected = "Saturday opening";
    WriteTransaction tx(db);
    AgendaItemStore(db).save(m.item, "test");
    tx.commit();
    check_fresh(expected);
  }
  SECTION("the meeting itself") {
    m.meeting.location = "Northbrook Civic Centre";
    expected = "Northbrook Civic Centre";
    WriteTransaction tx(db);
    MeetingStore(db).save(m.meeting, "test");
    tx.commit();
    check_fresh(expected);
  }
  SECTION("a person named in the records") {
    auto renamed = r.asha;
    renamed.name = "Dr Asha Patel-Jones";
    expected = "Patel-Jones";
    WriteTransaction tx(db);
    PersonStore(db).save(renamed, "test");
    tx.commit();
    check_fresh(expected);
  }
}

TEST_CASE("an unpublished meeting's preview is never cached: the public gets 404 until it is published") {
  PublicRegisterServer r;
  auto m = r.meeting(false);
  const auto governance = sign_in(r.s, "governance@example.nhs.uk", "", true);
  auto c = r.client();
  const std::vector<std::string> paths = {r.path("/meetings/", m.meeting.id), r.path("/api/v1/meetings/", m.meeting.id),
                                         r.path("/meetings/", m.meeting.id) + "/minutes", r.path("/meetings/", m.meeting.id) + "/minutes.txt"};
  for (const auto& path : paths) {
    CAPTURE(path);
    // Governance sees the preview, more than once (the second would be the cached copy, if any).
    for (int i = 0; i < 2; ++i) {
      auto preview = c.Get(path.c_str(), governance.headers());
      REQUIRE(preview);
      CHECK(preview->status == 200);
      CHECK(preview->body.find("Partner at Riverside Surgery") != std::string::npos);
      // The signed-in user's "no-store" replaces the public "no-cache" (one header, not two).
      CHECK(preview->get_header_value_count("Cache-Control") == 1);
      CHECK(preview->get_header_value("Cache-Control") == "no-store");
    }
    for (int i = 0; i < 2; ++i) {
      auto anonymous = c.Get(path.c_str());
      REQUIRE(anonymous);
      CHECK(anonymous->status == 404);
      CHECK(anonymous->body.find("Riverside") == std::string::npos);
      CHECK_FALSE(anonymous->has_header("ETag"));
    }
  }
  CHECK(c.Get(paths[0].c_str(), governance.headers())->body.find("This is a preview") != std::string::npos);

  m.meeting.published = true;
  {
    WriteTransaction tx(*r.s.db);
    MeetingStore(*r.s.db).save(m.meeting, "test");
    tx.commit();
  }
  for (const auto& path : paths) {
    CAPTURE(path);
    auto published = c.Get(path.c_str());
    REQUIRE(published);
    CHECK(published->status == 200);
    CHECK(published->body.find("Partner at Riverside Surgery") != std::string::npos);
    CHECK(published->body.find("This is a preview") == std::string::npos);
    auto again = c.Get(path.c_str(), {{"If-None-Match", published->get_header_value("ETag")}});
    REQUIRE(again);
    CHECK(again->status == 304);
  }
}

TEST_CASE("each filter of the register is its own cached response") {
  PublicRegisterServer r;
  auto c = r.client();
  auto all = c.Get("/api/v1/register");
  auto acme = c.Get("/api/v1/register?q=acme");
  auto acme_again = c.Get("/api/v1/register?q=acme");
  auto all_again = c.Get("/api/v1/register");
  REQUIRE(all);
  REQUIRE(acme);
  REQUIRE(acme_again);
  REQUIRE(all_again);
  CHECK(acme->body != all->body);
  CHECK(acme_again->body == acme->body);
  CHECK(all_again->body == all->body);
}

TEST_CASE("the public cache can be turned off and the register reads the same") {
  PublicRegisterServer cached;
  PublicRegisterServer uncached([](Config& config) { config.public_cache = false; });
  // The two databases give entries different generated refs, so compare what the public reads.
  auto natures = [](const std::string& body) {
    std::vector<std::string> out;
    // Keep the document alive for the loop: a range-for over a member of a temporary dangles.
    const json doc = json::parse(body);
    for (const auto& e : doc.at("entries")) out.push_back(e.value("nature", "(withheld)"));
    return out;
  };
  auto a = cached.client().Get("/api/v1/register");
  auto b = uncached.client().Get("/api/v1/register");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(b->status == 200);
  CHECK(natures(a->body) == natures(b->body));
  CHECK(std::regex_match(b->get_header_value("ETag"), std::regex(R"("[0-9a-f]{64}")")));

  auto changed = uncached.partner;
  changed.nature = "Senior partner in the practice";
  {
    WriteTransaction tx(*uncached.s.db);
    InterestStore(*uncached.s.db).save(changed, "test");
    tx.commit();
  }
  auto after = uncached.client().Get("/api/v1/register");
  REQUIRE(after);
  CHECK(after->body.find("Senior partner") != std::string::npos);
}

TEST_CASE("a full response cache keeps its entries and serves the rest uncached") {
  auto body = [](const std::string& text) {
    auto b = std::make_shared<CacheableBody>();
    b->body = text;
    return std::shared_ptr<const CacheableBody>(b);
  };
  ResponseCache cache(2, 1000);
  cache.store("a", 5, "2025-09-15", body("A"));
  cache.store("b", 5, "2025-09-15", body("B"));
  cache.store("c", 5, "2025-09-15", body("C"));  // over the entry limit: not kept
  CHECK(cache.find("a", 5, "2025-09-15"));
  CHECK_FALSE(cache.find("c", 5, "2025-09-15"));
  CHECK_FALSE(cache.find("a", 4, "2025-09-15"));  // an older snapshot never reads it
  CHECK(cache.find("a", 5, "2025-09-15"));        // nor empties it
  CHECK_FALSE(cache.find("a", 5, "2025-09-16"));  // a new day: the six-month window moves
  CHECK_FALSE(cache.find("a", 5, "2025-09-15"));  // ...and the old day's entries are gone
  cache.store("big", 5, "2025-09-16", body(std::string(2000, 'x')));  // over the byte limit
  CHECK_FALSE(cache.find("big", 5, "2025-09-16"));
}

TEST_CASE("readers of a missing response wait for the one request building it, instead of each building it") {
  ResponseCache cache;
  const std::string day = "2025-09-15";
  bool first = false;
  REQUIRE_FALSE(cache.find_or_claim("/register", 7, day, first));
  REQUIRE(first);  // the first reader builds

  std::atomic<int> builders{0}, served{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 8; ++i)
    readers.emplace_back([&] {
      bool claimed = false;
      auto hit = cache.find_or_claim("/register", 7, day, claimed);
      if (claimed) ++builders;
      if (hit && hit->body == "the register") ++served;
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let them queue behind the builder
  auto b = std::make_shared<CacheableBody>();
  b->body = "the register";
  cache.store("/register", 7, day, b);
  cache.release("/register", 7);
  for (auto& t : readers) t.join();
  CHECK(builders == 0);
  CHECK(served == 8);

  SECTION("a builder that fails lets one waiter build instead") {
    bool claimed = false;
    REQUIRE_FALSE(cache.find_or_claim("/gifts", 7, day, claimed));
    REQUIRE(claimed);
    std::atomic<bool> waiter_hit{true}, waiter_claimed{false};  // Catch2's CHECK is for the main thread only
    std::thread waiter([&] {
      bool mine = false;
      waiter_hit = cache.find_or_claim("/gifts", 7, day, mine) != nullptr;
      waiter_claimed = mine;
      cache.release("/gifts", 7);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    cache.release("/gifts", 7);  // built nothing (an error page, say)
    waiter.join();
    CHECK_FALSE(waiter_hit);
    CHECK(waiter_claimed);
  }
  SECTION("a reader does not wait longer than it is told to") {
    bool claimed = false;
    REQUIRE_FALSE(cache.find_or_claim("/committees", 7, day, claimed));
    bool second = true;
    CHECK_FALSE(cache.find_or_claim("/committees", 7, day, second, std::chrono::milliseconds(10)));
    CHECK_FALSE(second);  // it builds for itself, uncached
  }
}

// A hit needs no snapshot while nothing has been committed since one showed its generation
// (model/store/commit_watch.hpp gives the version of the database, read before each snapshot).
TEST_CASE("a cached response is served without a snapshot only while the database is unchanged") {
  auto body = [](const std::string& text) {
    auto b = std::make_shared<CacheableBody>();
    b->body = text;
    return std::shared_ptr<const CacheableBody>(b);
  };
  const std::string day = "2025-09-15";
  ResponseCache cache;
  cache.store("/register", 5, day, body("five"));
  CHECK_FALSE(cache.find_unchanged("/register", 100, day));  // nothing confirmed yet
  cache.confirm(100, 5, day);
  REQUIRE(cache.find_unchanged("/register", 100, day));
  CHECK(cache.find_unchanged("/register", 100, day)->body == "five");
  CHECK_FALSE(cache.find_unchanged("/register", 101, day));    // a commit since: read the database
  CHECK_FALSE(cache.find_unchanged("/register", 100, "2025-09-16"));  // another day
  CHECK_FALSE(cache.find_unchanged("/gifts", 100, day));        // not cached at all

  SECTION("a commit that left the generation alone (a sign-in, say) is confirmed again and the entries kept") {
    cache.confirm(101, 5, day);
    CHECK(cache.find_unchanged("/register", 101, day));
    CHECK_FALSE(cache.find_unchanged("/register", 100, day));
  }
  SECTION("a snapshot older than the cache confirms nothing") {
    cache.confirm(99, 4, day);
    CHECK_FALSE(cache.find_unchanged("/register", 99, day));
    CHECK(cache.find_unchanged("/register", 100, day));
  }
  SECTION("a newer generation empties the cache and its confirmation") {
    cache.confirm(102, 6, day);
    CHECK_FALSE(cache.find_unchanged("/register", 102, day));
    CHECK_FALSE(cache.find_unchanged("/register", 100, day));
    CHECK_FALSE(cache.find("/register", 6, day));
  }
}

TEST_CASE("every commit is seen by the next public request, however often the cache answered before it") {
  PublicRegisterServer r;
  auto c = r.client();
  auto changed = r.partner;
  for (int i = 0; i < 12; ++i) {
    CAPTURE(i);
    auto warm = c.Get("/api/v1/register");
    auto hit = c.Get("/api/v1/register", {{"If-None-Match", warm ? warm->get_header_value("ETag") : ""}});
    REQUIRE(warm);
    REQUIRE(hit);
    CHECK(hit->status == 304);
    // Written on the test's own connection, as another process (the import command) would.
    changed.nature = "Partner, revision " + std::to_string(i);
    WriteTransaction tx(*r.s.db);
    InterestStore(*r.s.db).save(changed, "test");
    tx.commit();
    auto after = c.Get("/api/v1/register", {{"If-None-Match", warm->get_header_value("ETag")}});
    REQUIRE(after);
    CHECK(after->status == 200);
    CHECK(after->body.find("Partner, revision " + std::to_string(i) + "\"") != std::string::npos);
  }

  SECTION("a commit to nothing published keeps the cached response and its ETag") {
    auto before = c.Get("/api/v1/register");
    REQUIRE(before);
    (*r.s.db).exec("PRAGMA user_version = 7");  // a commit, but no new audit row
    auto after = c.Get("/api/v1/register", {{"If-None-Match", before->get_header_value("ETag")}});
    REQUIRE(after);
    CHECK(after->status == 304);
  }
}

// cpp-httplib 0.11.4 would brotli-compress every text/* body on every request (quality 11: 20 ms
// for the register page, so a browser's request cost a thousand cached ones). We gzip instead:
// once for a cached page, per request for the rest.
TEST_CASE("pages are gzip-compressed by us for a browser's Accept-Encoding, never brotli-compressed per request") {
  PublicRegisterServer r;
  const httplib::Headers browser = {{"Accept-Encoding", "gzip, deflate, br"}};
  auto raw_client = r.s.client();
  raw_client.set_decompress(false);
  for (const std::string& path : {std::string("/register"), std::string("/committees"), std::string("/sign-in"),
                                  std::string("/no-such-page"), r.path("/people/", r.asha.id),
                                  std::string("/people/999999")}) {  // a 404 thrown by a handler
    CAPTURE(path);
    auto page = raw_client.Get(path.c_str(), browser);
    REQUIRE(page);
    CHECK(page->get_header_value("Content-Encoding") == "gzip");
    REQUIRE(page->body.size() > 2);
    CHECK(static_cast<unsigned char>(page->body[0]) == 0x1f);
    CHECK(static_cast<unsigned char>(page->body[1]) == 0x8b);
    CHECK(page->get_header_value("Vary") == "Accept-Encoding");
    // Decompressed, it is the page sent to a client that takes no compression.
    auto decoding = r.s.client();
    auto decoded = decoding.Get(path.c_str(), browser);
    auto identity = raw_client.Get(path.c_str(), {{"Accept-Encoding", "identity"}});
    REQUIRE(decoded);
    REQUIRE(identity);
    CHECK_FALSE(identity->has_header("Content-Encoding"));
    CHECK(decoded->status == identity->status);
    if (path != "/sign-in") CHECK(decoded->body == identity->body);  // the sign-in form carries a fresh CSRF token
  }
  // A public page's gzip copy is its own representation: its ETag revalidates.
  auto page = raw_client.Get("/register", browser);
  REQUIRE(page);
  auto again = raw_client.Get("/register", {{"Accept-Encoding", "gzip, deflate, br"}, {"If-None-Match", page->get_header_value("ETag")}});
  REQUIRE(again);
  CHECK(again->status == 304);
}
