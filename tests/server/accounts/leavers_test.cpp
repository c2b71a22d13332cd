// A leaver keeps no access: once governance records that a person has left (the page, the API or
// a bundle), everything their account held stops working on its next request.
#include <catch2/catch.hpp>

#include "model/accounts/api_token_store.hpp"
#include "model/register/declaration_store.hpp"
#include "model/accounts/user_store.hpp"
#include "server/browser.hpp"

using namespace probity;
using namespace probity::testing;
using json = nlohmann::json;

namespace {
const json kInterest = {{"category", "financial"}, {"organisation_name", "Riverside Surgery"}, {"nature", "Partner"}, {"from", "2024-08-01"}};

std::size_t interests_of(TestServer& s, Id person) { return InterestStore(*s.db).for_person(person).size(); }
}  // namespace

TEST_CASE("leavers: once marked as left, their session, API token, API declarations and a fresh sign-in all fail") {
  TestServer s([](Config& c) { fast_accounts(c); });
  const Id asha = add_person(s, "p-asha", "Dr Asha Patel");
  const User account = add_account(s, "asha@example.nhs.uk", asha);
  add_account(s, "guardian@example.nhs.uk", std::nullopt, UserRole::governance);
  const std::string token = ApiTokenStore(*s.db).create_api_token(account.id, "practice system", "cli", now_instant()).token;

  // Before: a live session and a working token, which can declare.
  Browser member(s);
  REQUIRE(member.sign_in("asha@example.nhs.uk")->status == 303);
  REQUIRE(member.get("/my")->status == 200);
  Browser api(s);
  api.bearer = token;
  REQUIRE(api.send_json("GET", "/api/v1/my")->status == 200);
  REQUIRE(api.send_json("POST", "/api/v1/my/interests", kInterest)->status == 201);
  REQUIRE(interests_of(s, asha) == 1);

  const std::string person = "/governance/people/" + std::to_string(asha);
  SECTION("marked on the person's governance page") {
    Browser gov(s);
    REQUIRE(gov.sign_in("guardian@example.nhs.uk")->status == 303);
    auto page = gov.get(person);
    CHECK_THAT(page->body, Catch::Contains("Their account (asha@example.nhs.uk) is disabled at once"));
    auto done = gov.post(person + "/leave", {{"left_on-day", "30"}, {"left_on-month", "6"}, {"left_on-year", "2025"}});
    REQUIRE(done->status == 303);
    CHECK_THAT(gov.get(done->get_header_value("Location"))->body, Catch::Contains("Their account is disabled"));
  }
  SECTION("marked through the JSON API") {
    Browser gov(s);
    gov.bearer = ApiTokenStore(*s.db).create_api_token(UserStore(*s.db).find_user_by_email("guardian@example.nhs.uk")->id, "", "cli",
                                                      now_instant()).token;
    auto done = gov.send_json("POST", "/api/v1/governance/people/" + std::to_string(asha) + "/leave", {{"left_on", "2025-06-30"}});
    REQUIRE(done->status == 200);
    CHECK(json::parse(done->body).at("account_disabled") == true);
  }

  // The live session is gone: the dashboard sends them to sign in.
  auto my = member.get("/my");
  CHECK(my->status == 303);
  CHECK(my->get_header_value("Location").rfind("/sign-in", 0) == 0);
  // The token no longer works, and a declaration sent with it is refused and not saved.
  CHECK(api.send_json("GET", "/api/v1/my")->status == 401);
  CHECK(api.send_json("POST", "/api/v1/my/interests", kInterest)->status == 401);
  CHECK(interests_of(s, asha) == 1);
  // A fresh sign-in with the right password is refused with the usual words.
  Browser fresh(s);
  auto again = fresh.sign_in("asha@example.nhs.uk");
  CHECK(again->status == 422);
  CHECK_THAT(again->body, Catch::Contains("The email address or password is not correct"));
  CHECK(fresh.get("/my")->status == 303);
}
