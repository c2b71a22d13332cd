// The annual assurance report over HTTP: the printable page, its CSV and JSON, which year and
// instant they read, and the refusals of a year or instant that cannot be reported.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "model/register/year_store.hpp"
#include "server/browser.hpp"

using namespace probity;
using namespace probity::testing;
using json = nlohmann::json;

namespace {
// Two board members in the current declaration year (from 1 April 2026): one confirmed, one
// holding a withheld entry who did not; a hospitality declared in the year.
json assurance_bundle() {
  auto person = [](const char* ref, const char* name) {
    return json{{"ref", ref}, {"name", name}, {"kind", "executive"}, {"position", "Director"}};
  };
  return {{"format", "probity-bundle"},
          {"version", 1},
          {"people", {person("p-ann", "Ann Assured"), person("p-wes", "Wes Withheld")}},
          {"committees", {{{"ref", "c-board"}, {"name", "Board"},
                           {"members", {{{"person", "p-ann"}, {"role", "voting"}, {"from", "2025-01-01"}},
                                        {{"person", "p-wes"}, {"role", "voting"}, {"from", "2025-01-01"}}}}}}},
          {"interests", {{{"ref", "i-ann"}, {"person", "p-ann"}, {"category", "financial"}, {"nature", "Director of Ann Ltd"},
                          {"from", "2020-01-01"}, {"declared_on", "2025-01-10"}, {"status", "submitted"}},
                         {{"ref", "i-wes"}, {"person", "p-wes"}, {"category", "financial"}, {"nature", "Secret directorship"},
                          {"from", "2020-01-01"}, {"declared_on", "2025-01-10"}, {"status", "submitted"}, {"withheld", true},
                          {"withheld_reason", "Risk of harm"}}}},
          {"gifts", {{{"ref", "g-1"}, {"person", "p-ann"}, {"kind", "hospitality"}, {"source", "Acme Health Care Limited"},
                      {"description", "Dinner"}, {"value", "45.00"}, {"offered_on", "2026-05-20"}, {"outcome", "accepted"},
                      {"declared_on", "2026-05-24"}}}},
          {"confirmations", {{{"ref", "c-ann"}, {"person", "p-ann"}, {"confirmed_on", "2026-04-10"}, {"entries", 1}}}}};
}

struct AssuranceServer {
  TestServer s{[](Config& c) {
    fast_accounts(c);
    c.today = "2026-12-01";
  }};
  json ids = s.import(assurance_bundle());
  Browser g{s};
  AssuranceServer() {
    add_account(s, "audit-lead@example.nhs.uk", std::nullopt, UserRole::governance);
    REQUIRE(g.sign_in("audit-lead@example.nhs.uk")->status == 303);
  }
};
}  // namespace

TEST_CASE("assurance: the JSON report gives the year's figures, withheld entries as counts only") {
  AssuranceServer a;
  auto res = a.g.send_json("GET", "/api/v1/governance/assurance");
  REQUIRE(res->status == 200);
  const json r = json::parse(res->body);
  CHECK(r.at("year_start") == "2026-04-01");
  CHECK(r.at("year_end") == "2027-03-31");
  CHECK(r.at("annual_declaration").at("people_in_post") == 2);
  CHECK(r.at("annual_declaration").at("confirmed") == 1);
  CHECK(r.at("annual_declaration").at("not_confirmed_names") == json::array({"Wes Withheld"}));
  CHECK(r.at("withheld").at("entries") == 1);
  REQUIRE(r.at("gifts_and_hospitality").size() == 1);
  CHECK(r.at("gifts_and_hospitality")[0].at("value_pence") == 4500);
  REQUIRE(r.at("register_extract").size() == 2);
  CHECK(res->body.find("Secret directorship") == std::string::npos);
  CHECK(res->body.find("Risk of harm") == std::string::npos);
}

TEST_CASE("assurance: the printable page and the CSV say the same, in words") {
  AssuranceServer a;
  auto page = a.g.get("/governance/assurance");
  REQUIRE(page->status == 200);
  CHECK_THAT(page->body, Catch::Contains("Annual assurance report 2026 to 2027") && Catch::Contains("from 1 April 2026 to 31 March 2027") &&
                             Catch::Contains("(50%)") && Catch::Contains("Withheld from publication") &&
                             Catch::Contains("Director of Ann Ltd") && Catch::Contains("£45.00"));
  CHECK(page->body.find("Secret directorship") == std::string::npos);
  auto csv = a.g.get("/governance/assurance.csv?year=2026");
  REQUIRE(csv->status == 200);
  CHECK(csv->get_header_value("Content-Type") == "text/csv; charset=utf-8");
  CHECK_THAT(csv->body, Catch::Contains("Annual declaration,Compliance rate,50%") && Catch::Contains("Wes Withheld,withheld,,,,"));
}

TEST_CASE("assurance: the same year and instant give the same report after later changes") {
  AssuranceServer a;
  auto first = a.g.send_json("GET", "/api/v1/governance/assurance");
  REQUIRE(first->status == 200);
  const std::string as_of = json::parse(first->body).at("as_of");
  while (utc_timestamp_now() <= as_of) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  {
    WriteTransaction tx(*a.s.db);
    Confirmation c;
    c.person_id = a.ids.at("people").at("p-wes").get<Id>();
    c.confirmed_on = *Date::parse("2026-11-01");
    c.year_start = *Date::parse("2026-04-01");
    c.entries = 1;
    ConfirmationStore(*a.s.db).save(c, "test");
    tx.commit();
  }
  auto again = a.g.send_json("GET", "/api/v1/governance/assurance?year=2026&as_of=" + as_of);
  REQUIRE(again->status == 200);
  CHECK(again->body == first->body);
  auto now = json::parse(a.g.send_json("GET", "/api/v1/governance/assurance")->body);
  CHECK(now.at("annual_declaration").at("confirmed") == 2);
}

TEST_CASE("assurance: a year or instant that cannot be reported is a 400 that says why") {
  AssuranceServer a;
  auto bad = a.g.send_json("GET", "/api/v1/governance/assurance?year=26");
  REQUIRE(bad->status == 400);
  CHECK_THAT(bad->body, Catch::Contains("as 4 digits"));
  auto future = a.g.send_json("GET", "/api/v1/governance/assurance?year=2030");
  REQUIRE(future->status == 400);
  CHECK_THAT(future->body, Catch::Contains("has not begun"));
  auto instant = a.g.send_json("GET", "/api/v1/governance/assurance?as_of=yesterday");
  REQUIRE(instant->status == 400);
  CHECK_THAT(instant->body, Catch::Contains("2027-03-31T23:59:59Z"));
  CHECK(a.g.get("/governance/assurance?year=abcd")->status == 400);
}
