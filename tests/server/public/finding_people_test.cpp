// Finding people on the demo register: sorting by name goes by surname (then forenames), never by
// title, and a search finds a name with or without its title ("Dr Hassan"), on the page, in the
// JSON and in the CSV alike, and on governance's list of people. Also: a page past the last
// says so and links to the first, and a gift from an organisation names it once.
#include <catch2/catch.hpp>

#include "model/public/register_labels.hpp"
#include "server/browser.hpp"
#include "server/meetings_support.hpp"

using namespace probity;
using namespace probity::testing;
using json = nlohmann::json;

namespace {
using probity::testing::contains;

json get_json(TestServer& s, const std::string& path) {
  auto res = s.client().Get(path.c_str());
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return json::parse(res->body);
}

std::vector<std::string> names_of(const json& doc) {
  std::vector<std::string> out;
  for (const auto& e : doc.at("entries")) {
    const std::string name = e.at("person").at("name");
    if (out.empty() || out.back() != name) out.push_back(name);
  }
  return out;
}
}  // namespace

TEST_CASE("finding people: sorting by name goes by surname then forenames, not by title") {
  TestServer s;
  s.import(demo_bundle());
  const auto names = names_of(get_json(s, "/api/v1/register?sort=name&page_size=100"));
  REQUIRE(names.size() > 3);
  for (std::size_t i = 1; i < names.size(); ++i) {
    CAPTURE(names[i - 1], names[i]);
    CHECK(name_sort_key(names[i - 1]) <= name_sort_key(names[i]));
  }
  // A "Cllr" does not come first and "Dr"s are not grouped together.
  CHECK(names.front().rfind("Cllr", 0) != 0);
  // Descending is the same order reversed.
  auto reversed = names_of(get_json(s, "/api/v1/register?sort=name&order=desc&page_size=100"));
  std::reverse(reversed.begin(), reversed.end());
  CHECK(reversed == names);
  // The CSV, asked for the same order, lists the same people in it.
  auto csv = s.client().Get("/register.csv?sort=name");
  REQUIRE(csv);
  std::size_t last = 0;
  for (const auto& n : names) {
    const auto at = csv->body.find(n, last);
    CAPTURE(n);
    CHECK(at != std::string::npos);
    if (at != std::string::npos) last = at;
  }
}

TEST_CASE("finding people: a search finds a name with or without its title, on the page, in JSON and in CSV") {
  TestServer s;
  s.import(demo_bundle());
  for (const char* q : {"Dr%20Hassan", "Hassan", "Amir%20Hassan", "dr%20amir%20hassan"}) {
    CAPTURE(q);
    const auto doc = get_json(s, std::string("/api/v1/register?q=") + q);
    REQUIRE(doc.at("total").get<int>() > 0);
    for (const auto& e : doc.at("entries")) CHECK(e.at("person").at("name") == "Dr Amir Hassan");
    auto page = s.client().Get((std::string("/register?q=") + q).c_str());
    REQUIRE(page);
    CHECK(contains(page->body, "Dr Amir Hassan"));
    CHECK_FALSE(contains(page->body, "No entries match these filters."));
    auto csv = s.client().Get((std::string("/register.csv?q=") + q).c_str());
    REQUIRE(csv);
    CHECK(contains(csv->body, "Dr Amir Hassan"));
  }
  CHECK(get_json(s, "/api/v1/register?q=Dr%20Nobody").at("total") == 0);
}

TEST_CASE("finding people: governance's list of people finds a name with or without its title, sorted by surname") {
  TestServer s([](Config& c) { fast_accounts(c); });
  s.import(demo_bundle());
  add_account(s, "guardian@example.nhs.uk", std::nullopt, UserRole::governance);
  Browser b(s);
  REQUIRE(b.sign_in("guardian@example.nhs.uk")->status == 303);
  auto all = b.get("/governance")->body;
  // Ellison before Hassan before Price, whatever their titles.
  const auto ellison = all.find(">Margaret Ellison</a>"), hassan = all.find(">Dr Amir Hassan</a>"),
             price = all.find(">Cllr Janet Price</a>");
  REQUIRE(ellison != std::string::npos);
  REQUIRE(hassan != std::string::npos);
  REQUIRE(price != std::string::npos);
  CHECK(ellison < hassan);
  CHECK(hassan < price);
  auto found = b.get("/governance?q=Dr%20Hassan")->body;
  CHECK(contains(found, ">Dr Amir Hassan</a>"));
  CHECK_FALSE(contains(found, ">Margaret Ellison</a>"));
  auto none = b.get("/governance?q=Dr%20Nobody")->body;
  CHECK(contains(none, "Nobody on the register has a name matching \"Dr Nobody\"."));
}

TEST_CASE("finding people: a page past the last says so and links to the first page") {
  TestServer s;
  s.import(demo_bundle());
  auto page = s.client().Get("/register?page=99");
  REQUIRE(page);
  REQUIRE(page->status == 200);
  CHECK(contains(page->body, "There is nothing on page 99"));
  CHECK(contains(page->body, "href=\"/register\">Go to the first page</a>"));
  CHECK_FALSE(contains(page->body, "showing 0 to 0"));
}

TEST_CASE("finding people: a gift from an organisation names it once, with its identifier") {
  TestServer s;
  s.import(demo_bundle());
  auto gifts = s.client().Get("/gifts");
  REQUIRE(gifts);
  CHECK(contains(gifts->body, "MedSupply UK Ltd (06345678)"));
  CHECK_FALSE(contains(gifts->body, "MedSupply UK Ltd<span class=\"nhsuk-u-visually-hidden\">, </span><br>MedSupply UK Ltd"));
  CHECK_FALSE(contains(gifts->body, "MedSupply UK Ltd<br>MedSupply UK Ltd"));
}

TEST_CASE("finding people: an empty breaches register says there are none, and the page shows no empty table") {
  TestServer s([](Config& c) { fast_accounts(c); });
  // The demo's held meeting would open its draft breaches on import: here every meeting is planned.
  auto demo = demo_bundle();
  for (auto& m : demo["meetings"]) m["status"] = "planned";
  demo.erase("procurement_decisions");  // they complete the rows a held meeting drafts
  s.import(demo);
  add_account(s, "guardian@example.nhs.uk", std::nullopt, UserRole::governance);
  Browser b(s);
  REQUIRE(b.sign_in("guardian@example.nhs.uk")->status == 303);
  auto page = b.get("/meetings/breaches");
  REQUIRE(page->status == 200);
  CHECK(contains(page->body, "There are no possible breaches"));
  CHECK_FALSE(contains(page->body, "<table"));
}
