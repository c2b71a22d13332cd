// The member's declaration year: the annual confirmation page and its API twin, the state on the
// home page, and the "when did you become aware" field of the interest form.
#include <catch2/catch.hpp>

#include "model/accounts/api_token_store.hpp"
#include "model/accounts/user_store.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/publication_rules.hpp"
#include "model/register/year_store.hpp"
#include "server/browser.hpp"
#include "server/two_members_fixture.hpp"

using namespace probity;
using namespace probity::testing;
using json = nlohmann::json;

namespace {
struct Year : TwoMembers {
  int audit_rows(const char* kind) {
    SQLite::Statement q(*s.db, "SELECT COUNT(*) FROM audit_log WHERE entity_kind = ?");
    q.bind(1, kind);
    q.executeStep();
    return q.getColumn(0).getInt();
  }
};

std::multimap<std::string, std::string> interest(std::multimap<std::string, std::string> extra = {}) {
  std::multimap<std::string, std::string> f = {{"category", "financial"}, {"organisation_name", "Riverside Surgery"},
                                               {"nature", "Partner (GMS contract holder)"}, {"from-day", "1"},
                                               {"from-month", "8"}, {"from-year", "2024"}};
  f.insert(extra.begin(), extra.end());
  return f;
}
}  // namespace

TEST_CASE("year: the interest form asks when they became aware; a bad date is a field error and writes nothing") {
  Year y;
  Browser b = y.signed_in("asha@example.nhs.uk");
  auto form = b.get("/my/interests/new");
  CHECK_THAT(form->body, Catch::Contains("When did you become aware of this interest?") && Catch::Contains("aware_on-day"));

  auto bad = b.post("/my/interests/new", interest({{"aware_on-day", "30"}, {"aware_on-month", "2"}, {"aware_on-year", "2026"}}));
  CHECK(bad->status == 422);
  CHECK_THAT(bad->body, Catch::Contains("Date you became aware of the interest must be a real date") &&
                            Catch::Contains("href=\"#aware_on-day\""));
  CHECK(InterestStore(*y.s.db).for_person(y.asha).empty());

  SECTION("left empty, the start date stands in") {
    REQUIRE(b.post("/my/interests/new", interest())->status == 303);
    auto saved = InterestStore(*y.s.db).for_person(y.asha);
    REQUIRE(saved.size() == 1);
    CHECK(saved[0].aware_on == Date(2024, 8, 1));
  }
  SECTION("given, it is stored, shown, and kept when the entry is changed") {
    auto made = b.post("/my/interests/new", interest({{"aware_on-day", "3"}, {"aware_on-month", "9"}, {"aware_on-year", "2024"}}));
    REQUIRE(made->status == 303);
    const Id id = InterestStore(*y.s.db).for_person(y.asha).at(0).id;
    CHECK(InterestStore(*y.s.db).find(id)->aware_on == Date(2024, 9, 3));
    CHECK_THAT(b.get("/my/interests/" + std::to_string(id))->body, Catch::Contains("Became aware of it") && Catch::Contains("3 September 2024"));
    CHECK_THAT(b.get("/my/interests/" + std::to_string(id) + "/edit")->body, Catch::Contains("name=\"aware_on-month\""));
    auto api = b.send_json("GET", "/api/v1/my/interests/" + std::to_string(id));
    CHECK(json::parse(api->body).at("interest").at("aware_on") == "2024-09-03");
  }
}

TEST_CASE("year: a member with interests confirms their entries; the confirmation is recorded, audited and resets the clock") {
  Year y;
  Browser b = y.signed_in("asha@example.nhs.uk");
  b.get("/my/interests/new");
  REQUIRE(b.post("/my/interests/new", interest())->status == 303);
  CHECK_THAT(b.get("/my")->body, Catch::Contains("Make your annual confirmation"));

  auto page = b.get("/my/confirmation");
  REQUIRE(page->status == 200);
  const Id id = InterestStore(*y.s.db).for_person(y.asha).at(0).id;
  CHECK_THAT(page->body, Catch::Contains("Partner (GMS contract holder)") &&
                             Catch::Contains("/my/interests/" + std::to_string(id) + "/edit") &&
                             Catch::Contains("/my/interests/" + std::to_string(id) + "/end") &&
                             Catch::Contains("I confirm these entries are complete and current as of " + long_date(Date::today())));

  auto unticked = b.post("/my/confirmation", {});
  CHECK(unticked->status == 422);
  CHECK_THAT(unticked->body, Catch::Contains("Confirm that your entries are complete and current") && Catch::Contains("href=\"#confirm\""));
  CHECK(ConfirmationStore(*y.s.db).for_person(y.asha).empty());

  auto done = b.post("/my/confirmation", {{"confirm", "yes"}});
  REQUIRE(done->status == 303);
  CHECK(done->get_header_value("Location") == "/my?saved=confirmation");
  auto saved = ConfirmationStore(*y.s.db).for_person(y.asha);
  REQUIRE(saved.size() == 1);
  CHECK(saved[0].entries == 1);
  CHECK(saved[0].confirmed_on == Date::today());
  CHECK(y.audit_rows("confirmation") == 1);
  auto home = json::parse(b.send_json("GET", "/api/v1/my")->body);
  CHECK(home.at("year").at("state") == "up_to_date");
  CHECK(home.at("year").at("confirmed_this_year") == true);
  CHECK_THAT(b.get("/my")->body, Catch::Contains("Up to date"));

  // Again in the same year: another record, still up to date.
  REQUIRE(b.post("/my/confirmation", {{"confirm", "yes"}})->status == 303);
  CHECK(ConfirmationStore(*y.s.db).for_person(y.asha).size() == 2);
}

TEST_CASE("year: a member confirms only for themselves, by page or API") {
  Year y;
  Browser ben(y.s);
  UserStore accounts(*y.s.db);
  ApiTokenStore api_tokens(*y.s.db);
  ben.bearer = api_tokens.create_api_token(accounts.find_user_by_email("ben@example.nhs.uk")->id, "test", "test", now_instant()).token;
  auto api = ben.send_json("POST", "/api/v1/my/confirmations", {{"confirm", true}, {"person_id", y.asha}, {"person", y.asha}});
  REQUIRE(api->status == 201);
  CHECK(json::parse(api->body).at("confirmation").at("person_id") == y.ben);
  CHECK(ConfirmationStore(*y.s.db).for_person(y.asha).empty());
  CHECK(ConfirmationStore(*y.s.db).for_person(y.ben).size() == 1);
  auto bad = ben.send_json("POST", "/api/v1/my/confirmations", {{"confirm", "maybe"}});
  CHECK(bad->status == 422);
  CHECK(ConfirmationStore(*y.s.db).for_person(y.ben).size() == 1);
}

TEST_CASE("year: with no entries the confirmation page offers the nil return; a nil return while holding interests is flagged") {
  Year y;
  Browser b = y.signed_in("asha@example.nhs.uk");
  CHECK_THAT(b.get("/my/confirmation")->body, Catch::Contains("You have no current entries") && Catch::Contains("href=\"/my/nil-return\""));
  b.get("/my/interests/new");
  REQUIRE(b.post("/my/interests/new", interest())->status == 303);
  REQUIRE(b.post("/my/nil-return", {{"statement", "Nothing to declare"}, {"confirm", "yes"}})->status == 303);
  auto home = b.get("/my");
  CHECK_THAT(home->body, Catch::Contains("says you have nothing to declare, but you hold interests on the register: it does not count"));
  CHECK(json::parse(b.send_json("GET", "/api/v1/my")->body).at("year").at("confirmed_this_year") == false);
}
