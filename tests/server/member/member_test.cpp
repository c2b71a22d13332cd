#include <catch2/catch.hpp>

#include "model/accounts/api_token_store.hpp"
#include "model/store/audit_log.hpp"
#include "model/register/declaration_store.hpp"
#include "model/accounts/user_store.hpp"
#include "server/browser.hpp"
#include "server/two_members_fixture.hpp"

using namespace probity;
using namespace probity::testing;
using json = nlohmann::json;

namespace {
using Members = TwoMembers;

std::multimap<std::string, std::string> good_interest() {
  return {{"category", "financial"},        {"organisation_name", "Riverside Surgery"}, {"organisation_identifier", "B82001"},
          {"nature", "Partner (GMS contract holder)"}, {"from-day", "1"}, {"from-month", "8"}, {"from-year", "2024"},
          {"action_taken", "Leaves the room for items on the practice"}};
}

Id declare(Browser& b) {
  b.get("/my/interests/new");
  auto res = b.post("/my/interests/new", good_interest());
  REQUIRE(res->status == 303);
  auto loc = res->get_header_value("Location");
  return std::stoll(loc.substr(std::string("/my/interests/").size()));
}
}  // namespace

TEST_CASE("member: pages behind sign-in redirect to sign-in; the API answers 401") {
  Members m;
  auto page = Browser(m.s).get("/my");
  CHECK(page->status == 303);
  CHECK(page->get_header_value("Location") == "/sign-in?next=/my");
  auto api = Browser(m.s).send_json("GET", "/api/v1/my");
  CHECK(api->status == 401);
  CHECK(json::parse(api->body).at("error").at("code") == "sign_in_required");
}

TEST_CASE("member: declare an interest, see it on the dashboard, edit it keeping the old version, end it") {
  Members m;
  Browser b = m.signed_in("asha@example.nhs.uk");
  auto dash = b.get("/my");
  REQUIRE(dash->status == 200);
  CHECK(dash->get_header_value("Cache-Control") == "no-store");
  CHECK_THAT(dash->body, Catch::Contains("Make your annual confirmation"));

  const Id id = declare(b);
  auto detail = b.get("/my/interests/" + std::to_string(id) + "?saved=declared");
  CHECK_THAT(detail->body, Catch::Contains("Your interest has been declared.") && Catch::Contains("Riverside Surgery"));
  CHECK_THAT(b.get("/my")->body, Catch::Contains("Partner (GMS contract holder)"));

  auto edit = b.get("/my/interests/" + std::to_string(id) + "/edit");
  CHECK_THAT(edit->body, Catch::Contains("value=\"B82001\"") && Catch::Contains("value=\"2024\""));
  auto fields = good_interest();
  fields.erase("nature");
  fields.emplace("nature", "Senior partner (GMS contract holder)");
  auto saved = b.post("/my/interests/" + std::to_string(id) + "/edit", fields);
  CHECK(saved->status == 303);
  InterestStore interests(*m.s.db);
  auto history = interests.history(id);
  REQUIRE(history.size() == 2);
  CHECK(history[0].entity.nature == "Partner (GMS contract holder)");
  CHECK(history[1].entity.nature == "Senior partner (GMS contract holder)");
  CHECK_THAT(b.get("/my/interests/" + std::to_string(id))->body,
             Catch::Contains("Partner (GMS contract holder)") && Catch::Contains("Senior partner (GMS contract holder)"));

  b.get("/my/interests/" + std::to_string(id) + "/end");
  auto early = b.post("/my/interests/" + std::to_string(id) + "/end", {{"to-day", "1"}, {"to-month", "1"}, {"to-year", "2020"}});
  CHECK(early->status == 422);
  CHECK_THAT(early->body, Catch::Contains("The date the interest ended must be the same as or after the date it started (2024-08-01)"));
  auto ended = b.post("/my/interests/" + std::to_string(id) + "/end", {{"to-day", "31"}, {"to-month", "3"}, {"to-year", "2025"}});
  CHECK(ended->status == 303);
  CHECK(interests.find(id)->to == Date(2025, 3, 31));
  CHECK(interests.history(id).size() == 3);
  CHECK(verify_audit_chain(*m.s.db).ok);
}

TEST_CASE("member: a form with mistakes comes back with the input kept, a summary and a message by each field") {
  Members m;
  Browser b = m.signed_in("asha@example.nhs.uk");
  b.get("/my/interests/new");
  auto res = b.post("/my/interests/new", {{"category", "indirect"}, {"organisation_name", "Acme <Health> Ltd"}, {"nature", ""},
                                          {"from-day", "30"}, {"from-month", "2"}, {"from-year", "2025"}});
  REQUIRE(res);
  CHECK(res->status == 422);
  const auto& body = res->body;
  CHECK_THAT(body, Catch::Contains("<title>Error: Declare an interest"));
  CHECK_THAT(body, Catch::Contains("nhsuk-error-summary"));
  for (const char* msg : {"Enter who holds the interest, for example spouse or business partner", "Enter the nature of the interest",
                          "Date the interest started must be a real date"}) {
    CAPTURE(msg);
    CHECK_THAT(body, Catch::Contains(std::string(msg)));
  }
  CHECK_THAT(body, Catch::Contains("href=\"#relationship\"") && Catch::Contains("href=\"#nature\"") && Catch::Contains("href=\"#from-day\""));
  CHECK_THAT(body, Catch::Contains("id=\"nature-error\"") && Catch::Contains("nhsuk-form-group--error"));
  // input kept (and escaped)
  CHECK_THAT(body, Catch::Contains("value=\"Acme &lt;Health&gt; Ltd\"") && Catch::Contains("value=\"30\"") &&
                       Catch::Contains("value=\"indirect\" checked"));
  CHECK(InterestStore(*m.s.db).all().empty());

  auto empty = b.post("/my/interests/new", {});
  CHECK_THAT(empty->body, Catch::Contains("Select the type of interest") && Catch::Contains("Enter the date the interest started") &&
                              Catch::Contains("Enter the name of the organisation"));
}

TEST_CASE("member: nobody sees or changes another member's declarations, by page or API") {
  Members m;
  Browser asha = m.signed_in("asha@example.nhs.uk");
  const Id id = declare(asha);
  const std::string sid = std::to_string(id);
  Browser ben = m.signed_in("ben@example.nhs.uk");
  ben.get("/my");
  const std::string csrf = ben.csrf();
  REQUIRE_FALSE(csrf.empty());

  SECTION("pages") {
    auto route = GENERATE_COPY(table<std::string, std::string>({{"GET", "/my/interests/" + sid},
                                                                {"GET", "/my/interests/" + sid + "/edit"},
                                                                {"GET", "/my/interests/" + sid + "/end"},
                                                                {"POST", "/my/interests/" + sid + "/edit"},
                                                                {"POST", "/my/interests/" + sid + "/end"}}));
    CAPTURE(route);
    httplib::Result res = std::get<0>(route) == "GET"
                              ? ben.get(std::get<1>(route))
                              : ben.post(std::get<1>(route), [] {
                                  auto f = good_interest();
                                  f.emplace("to-day", "1");
                                  f.emplace("to-month", "1");
                                  f.emplace("to-year", "2025");
                                  return f;
                                }());
    CHECK(res->status == 404);
    CHECK_FALSE(res->body.find("Partner (GMS") != std::string::npos);
  }
  SECTION("API") {
    ben.get("/my");
    auto c = m.s.client();
    httplib::Headers h = ben.headers();
    h.emplace("X-CSRF-Token", csrf);
    json body = {{"category", "financial"}, {"organisation_name", "X"}, {"nature", "Stolen"}, {"from", "2024-01-01"}, {"to", "2025-01-01"}};
    auto get = c.Get(("/api/v1/my/interests/" + sid).c_str(), h);
    CHECK(get->status == 404);
    auto put = c.Put(("/api/v1/my/interests/" + sid).c_str(), h, body.dump(), "application/json");
    CHECK(put->status == 404);
    auto end = c.Post(("/api/v1/my/interests/" + sid + "/end").c_str(), h, body.dump(), "application/json");
    CHECK(end->status == 404);
    auto list = json::parse(c.Get("/api/v1/my/interests", h)->body);
    CHECK(list.at("interests").empty());
  }
  auto history = InterestStore(*m.s.db).history(id);
  CHECK(history.size() == 1);
  CHECK(history[0].entity.nature == "Partner (GMS contract holder)");
}

TEST_CASE("member: a change without the CSRF token is refused and changes nothing") {
  Members m;
  Browser b = m.signed_in("asha@example.nhs.uk");
  b.get("/my/interests/new");
  auto res = b.post("/my/interests/new", good_interest(), false);
  CHECK(res->status == 403);
  CHECK(InterestStore(*m.s.db).all().empty());
  // the JSON API with the session cookie but no X-CSRF-Token header
  auto api = b.send_json("POST", "/api/v1/my/nil-returns", {{"statement", "Nothing"}, {"confirm", true}});
  CHECK(api->status == 403);
  CHECK(NilReturnStore(*m.s.db).all().empty());
}

TEST_CASE("member: nil return, and gifts where the page tells the outcome before submit") {
  Members m;
  Browser b = m.signed_in("asha@example.nhs.uk");
  b.get("/my/nil-return");
  auto missing = b.post("/my/nil-return", {{"statement", "Nothing to declare"}});
  CHECK(missing->status == 422);
  CHECK_THAT(missing->body, Catch::Contains("Confirm that the statement is true") && Catch::Contains("Nothing to declare"));
  CHECK(b.post("/my/nil-return", {{"statement", "Nothing to declare"}, {"confirm", "yes"}})->status == 303);
  CHECK(NilReturnStore(*m.s.db).for_person(m.asha).size() == 1);
  CHECK_THAT(b.get("/my")->body, Catch::Contains("Up to date") && Catch::Contains("Your next annual confirmation is due by"));

  b.get("/my/gifts/new");
  std::multimap<std::string, std::string> offer = {{"kind", "hospitality"}, {"source", "Acme Ltd"}, {"from_supplier", "no"},
                                                   {"cash_or_voucher", "no"}, {"description", "Dinner"}, {"value", "90"},
                                                   {"offered_on-day", "3"}, {"offered_on-month", "3"}, {"offered_on-year", "2025"}};
  auto check = offer;
  check.emplace("action", "check");
  auto checked = b.post("/my/gifts/new", check);
  CHECK(checked->status == 200);
  CHECK_THAT(checked->body, Catch::Contains("What the rules say") && Catch::Contains("Declare it"));
  CHECK(GiftStore(*m.s.db).all().empty());
  auto submit = offer;
  submit.emplace("action", "submit");
  submit.emplace("outcome", "accepted");
  auto refused = b.post("/my/gifts/new", submit);
  CHECK(refused->status == 422);
  CHECK_THAT(refused->body, Catch::Contains("Enter who gave senior approval to accept it, or record it as declined"));
  submit.emplace("approved_by", "Sarah Whitfield, Chief Officer");
  CHECK(b.post("/my/gifts/new", submit)->status == 303);
  CHECK(GiftStore(*m.s.db).for_person(m.asha).size() == 1);
}

TEST_CASE("member: the JSON API with a bearer token, same validation as the forms") {
  Members m;
  UserStore accounts(*m.s.db, account_config(m.s.app->config()));
  ApiTokenStore api_tokens(*m.s.db, account_config(m.s.app->config()));
  auto token = api_tokens.create_api_token(accounts.find_user_by_email("asha@example.nhs.uk")->id, "test", "test", now_instant());
  Browser api(m.s);
  api.bearer = token.token;
  auto bad = api.send_json("POST", "/api/v1/my/interests", {{"category", "financial"}, {"from", "2025-02-30"}});
  REQUIRE(bad->status == 422);
  auto details = json::parse(bad->body).at("error").at("details");
  CHECK(details.at("from") == "Date the interest started must be a real date");
  CHECK(details.at("nature") == "Enter the nature of the interest");
  CHECK(api.send_json("POST", "/api/v1/my/interests", json::array())->status == 400);

  auto made = api.send_json("POST", "/api/v1/my/interests",
                            {{"category", "financial"}, {"organisation_name", "Riverside Surgery"}, {"nature", "Partner"}, {"from", "2024-08-01"}});
  REQUIRE(made->status == 201);
  const auto id = json::parse(made->body).at("interest").at("id").get<Id>();
  auto put = api.send_json("PUT", "/api/v1/my/interests/" + std::to_string(id),
                           {{"category", "financial"}, {"organisation_name", "Riverside Surgery"}, {"nature", "Senior partner"}, {"from", "2024-08-01"}});
  CHECK(put->status == 200);
  auto got = json::parse(api.send_json("GET", "/api/v1/my/interests/" + std::to_string(id))->body);
  CHECK(got.at("history").size() == 2);
  CHECK(got.at("interest").at("nature") == "Senior partner");
  auto gift = api.send_json("POST", "/api/v1/my/gifts/check",
                            {{"kind", "gift"}, {"source", "Acme"}, {"from_supplier", true}, {"cash_or_voucher", false},
                             {"description", "Pen"}, {"value", "5.00"}, {"offered_on", "2025-03-01"}});
  CHECK(gift->status == 200);
  CHECK(json::parse(gift->body).at("classification").contains("decision"));
  CHECK(api.send_json("GET", "/api/v1/my")->status == 200);
  Browser wrong(m.s);
  wrong.bearer = "not-a-token";
  CHECK(wrong.send_json("GET", "/api/v1/my")->status == 401);
  CHECK(verify_audit_chain(*m.s.db).ok);
}
