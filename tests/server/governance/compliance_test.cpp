// Governance's view of the declaration year: the compliance dashboard and its JSON twin, chasing,
// one person's year with their line manager, and the non-compliance CSV.
#include <catch2/catch.hpp>

#include "model/register/publication_rules.hpp"
#include "model/register/year_store.hpp"
#include "server/browser.hpp"

using namespace probity;
using namespace probity::testing;
using json = nlohmann::json;

namespace {
// A board whose people stand in each state today: confirmed, never declared (joined 40 days
// ago), due (joined 10 days ago), late (an interest declared today, 60 days after becoming aware),
// and a nil return made while holding an interest.
json year_bundle() {
  const Date t = Date::today();
  const auto ago = [&](int days) { return t.plus_days(-days).iso(); };
  auto person = [](const char* ref, const char* name) {
    return json{{"ref", ref}, {"name", name}, {"kind", "executive"}, {"position", "Director"}};
  };
  auto member = [](const char* ref, const std::string& from) { return json{{"person", ref}, {"role", "voting"}, {"from", from}}; };
  auto held = [&](const char* ref, const char* who, const std::string& aware, const std::string& declared) {
    return json{{"ref", ref}, {"person", who}, {"category", "financial"}, {"nature", std::string("Director of ") + ref},
                {"from", aware}, {"aware_on", aware}, {"declared_on", declared}, {"status", "submitted"}};
  };
  return {{"format", "probity-bundle"},
          {"version", 1},
          {"people", {person("p-up", "Uma Up"), person("p-new", "Nia New"), person("p-due", "Dev Due"), person("p-late", "Lee Late"),
                      person("p-nil", "Nat Nil")}},
          {"committees", {{{"ref", "c-board"}, {"name", "Board"},
                           {"members", {member("p-up", ago(400)), member("p-new", ago(40)), member("p-due", ago(10)),
                                        member("p-late", ago(400)), member("p-nil", ago(400))}}}}},
          {"interests", {held("i-late", "p-late", ago(60), t.iso()), held("i-nil", "p-nil", ago(500), ago(490))}},
          {"nil_returns", {{{"ref", "n-nil"}, {"person", "p-nil"}, {"made_on", t.iso()}, {"statement", "Nothing"}}}},
          {"confirmations", {{{"ref", "c-up"}, {"person", "p-up"}, {"confirmed_on", t.iso()}},
                             {{"ref", "c-late"}, {"person", "p-late"}, {"confirmed_on", t.iso()}, {"entries", 1}}}}};
}

struct Dashboard {
  TestServer s{[](Config& c) { fast_accounts(c); }};
  json ids = s.import(year_bundle());
  Browser g{s};
  Dashboard() {
    add_account(s, "guardian@example.nhs.uk", std::nullopt, UserRole::governance);
    REQUIRE(g.sign_in("guardian@example.nhs.uk")->status == 303);
  }
  Id person(const char* ref) const { return ids.at("people").at(ref).get<Id>(); }
};
}  // namespace

TEST_CASE("compliance: the dashboard counts and lists each state; its JSON twin says the same") {
  Dashboard d;
  auto api = d.g.send_json("GET", "/api/v1/governance/compliance");
  REQUIRE(api->status == 200);
  const json c = json::parse(api->body);
  CHECK(c.at("counts").at("up_to_date") == 2);  // Uma and Lee
  CHECK(c.at("counts").at("never_declared") == 1);
  CHECK(c.at("counts").at("due").get<int>() + c.at("counts").at("overdue").get<int>() == 2);  // Dev, and Nat (due or overdue, by the time of year)
  CHECK(c.at("counts").at("late_this_year") == 1);
  CHECK(c.at("counts").at("nil_returns_holding_interests") == 1);
  REQUIRE(c.at("late").size() == 1);
  CHECK(c.at("late")[0].at("name") == "Lee Late");
  CHECK(c.at("late")[0].at("days_late") == 32);
  CHECK(c.at("nil_returns")[0].at("name") == "Nat Nil");

  auto page = d.g.get("/governance/compliance");
  REQUIRE(page->status == 200);
  CHECK_THAT(page->body, Catch::Contains("Never declared (1)") && Catch::Contains("Nia New") &&
                             Catch::Contains("Overdue since " + long_date(Date::today().plus_days(-11))) &&
                             Catch::Contains("took up post on " + long_date(Date::today().plus_days(-40))) &&
                             Catch::Contains("Due by " + long_date(Date::today().plus_days(18))) &&
                             Catch::Contains("Chase everyone overdue now"));
}

TEST_CASE("compliance: chasing is a form post with CSRF, and the page says how many were chased") {
  Dashboard d;
  d.g.get("/governance/compliance");
  auto chased = d.g.post("/governance/compliance/chase", {});
  REQUIRE(chased->status == 303);
  CHECK(chased->get_header_value("Location") == "/governance/compliance?chased=0");
  CHECK_THAT(d.g.get("/governance/compliance?chased=0")->body, Catch::Contains("0 people were chased."));
}

TEST_CASE("compliance: one person's year shows events, due dates and late declarations, and records a line manager") {
  Dashboard d;
  const std::string late = "/governance/people/" + std::to_string(d.person("p-late")) + "/year";
  auto page = d.g.get(late);
  REQUIRE(page->status == 200);
  CHECK_THAT(page->body, Catch::Contains("became aware of an interest on " + long_date(Date::today().plus_days(-60))) &&
                             Catch::Contains("32 days after it was due"));

  const std::string manager = "/governance/people/" + std::to_string(d.person("p-new")) + "/manager";
  d.g.get(late);
  auto bad = d.g.post(manager, {{"manager_name", "Sarah Whitfield"}, {"manager_email", "nope"}});
  CHECK(bad->status == 422);
  CHECK_THAT(bad->body, Catch::Contains("Enter an email address in the correct format") && Catch::Contains("value=\"nope\""));
  CHECK_FALSE(LineManagerStore(*d.s.db).for_person(d.person("p-new")));
  auto ok = d.g.post(manager, {{"manager_name", "Sarah Whitfield"}, {"manager_email", "whitfield@example.nhs.uk"}});
  REQUIRE(ok->status == 303);
  CHECK(LineManagerStore(*d.s.db).for_person(d.person("p-new"))->email == "whitfield@example.nhs.uk");
  auto records = load_year_records(*d.s.db, d.person("p-new"));
  CHECK(records.at(0).manager_name == "Sarah Whitfield");
}

TEST_CASE("compliance: the non-compliance CSV carries the states, dates and reasons") {
  Dashboard d;
  auto csv = d.g.get("/governance/non-compliance.csv");
  REQUIRE(csv->status == 200);
  CHECK_THAT(csv->body, Catch::StartsWith("name,position,state,due_by,overdue_since,days_overdue,reason,last_confirmed_on,late_declarations,"
                                          "nil_returns_while_holding_interests\r\n"));
  CHECK_THAT(csv->body, Catch::Contains("Nia New,Director,Never declared,," + long_date(Date::today().plus_days(-11)) + ",12,"));
  CHECK_THAT(csv->body, Catch::Contains("Dev Due,Director,Due," + long_date(Date::today().plus_days(18)) + ",,0,"));
  CHECK_THAT(csv->body, Catch::Contains("32 days late"));
  CHECK_THAT(csv->body, Catch::Contains("while holding interests"));
  CHECK(csv->body.find("Uma Up") == std::string::npos);
}
