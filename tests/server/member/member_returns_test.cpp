// A member putting right their own gift or hospitality entry and nil return, by page and API:
// each change is a new version (the old one kept), a returned entry shows governance's comment
// and goes back to the review queue once changed, mistakes come back with the input kept, and
// another member's entry answers 404.
#include <catch2/catch.hpp>

#include "model/accounts/api_token_store.hpp"
#include "model/store/audit_log.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/review_store.hpp"
#include "model/accounts/user_store.hpp"
#include "server/browser.hpp"
#include "support.hpp"

using namespace probity;
using namespace probity::testing;
using json = nlohmann::json;

namespace {
using probity::testing::contains;

struct Returns {
  TestServer s;
  Id asha = add_person(s, "p-asha", "Dr Asha Patel");
  Id ben = add_person(s, "p-ben", "Dr Ben Okafor");
  explicit Returns(bool review = true)
      : s([review](Config& c) {
          fast_accounts(c);
          c.review_required = review;
        }) {
    add_account(s, "asha@example.nhs.uk", asha);
    add_account(s, "ben@example.nhs.uk", ben);
    add_account(s, "guardian@example.nhs.uk", std::nullopt, UserRole::governance);
  }
  Browser as(const std::string& email) {
    Browser b(s);
    REQUIRE(b.sign_in(email)->status == 303);
    return b;
  }
  Browser api(const std::string& email) {
    UserStore accounts(*s.db, account_config(s.app->config()));
    ApiTokenStore api_tokens(*s.db, account_config(s.app->config()));
    Browser b(s);
    b.bearer = api_tokens.create_api_token(accounts.find_user_by_email(email)->id, "test", "test", now_instant()).token;
    return b;
  }
  // Governance returns the declaration with a comment, through the API.
  void return_it(const std::string& kind_segment, Id id, const std::string& comment) {
    auto res = api("guardian@example.nhs.uk")
                   .send_json("POST", "/api/v1/governance/" + kind_segment + "/" + std::to_string(id) + "/review",
                              {{"decision", "return"}, {"comment", comment}});
    REQUIRE(res->status == 200);
  }
  std::string queue() { return api("guardian@example.nhs.uk").send_json("GET", "/api/v1/governance/review")->body; }
};

std::multimap<std::string, std::string> dinner(const std::string& description, const std::string& value) {
  return {{"kind", "hospitality"},   {"source", "Acme Ltd"},   {"from_supplier", "no"},        {"cash_or_voucher", "no"},
          {"description", description}, {"value", value},    {"offered_on-day", "3"},       {"offered_on-month", "3"},
          {"offered_on-year", "2025"}, {"outcome", "accepted"}, {"action", "submit"}};
}

Id declare_dinner(Returns& r, Browser& b) {
  b.get("/my/gifts/new");
  REQUIRE(b.post("/my/gifts/new", dinner("Dinner", "30"))->status == 303);
  return GiftStore(*r.s.db).for_person(r.asha).back().id;
}

Id make_nil_return(Returns& r, Browser& b) {
  b.get("/my/nil-return");
  REQUIRE(b.post("/my/nil-return", {{"statement", "Nothing to declare"}, {"confirm", "yes"}})->status == 303);
  return NilReturnStore(*r.s.db).for_person(r.asha).back().id;
}

json gift_body(const std::string& description, const std::string& value) {
  return {{"kind", "hospitality"}, {"source", "Acme Ltd"},  {"from_supplier", false},  {"cash_or_voucher", false},
          {"description", description}, {"value", value}, {"offered_on", "2025-03-03"}, {"outcome", "accepted"}};
}
}  // namespace

TEST_CASE("member returns: a returned gift shows the comment, is changed as a new version and goes back for review") {
  Returns r;
  Browser asha = r.as("asha@example.nhs.uk");
  const Id id = declare_dinner(r, asha);
  const std::string page = "/my/gifts/" + std::to_string(id);
  r.return_it("gifts", id, "Say which event the dinner was at");
  CHECK_FALSE(contains(r.queue(), "\"id\":" + std::to_string(id)));

  // The dashboard names it as due, shows the comment and links to the entry and its change form.
  auto dash = asha.get("/my")->body;
  CHECK(contains(dash, "Say which event the dinner was at"));
  CHECK(contains(dash, "Your hospitality from Acme Ltd was returned to you"));
  CHECK(contains(dash, "href=\"" + page + "\""));
  CHECK(contains(dash, "href=\"" + page + "/edit\""));
  auto detail = asha.get(page);
  REQUIRE(detail->status == 200);
  CHECK(contains(detail->body, "Returned to you by governance"));
  CHECK(contains(detail->body, "Say which event the dinner was at"));

  // The change form opens with the entry's values, checked against the rules.
  auto form = asha.get(page + "/edit");
  REQUIRE(form->status == 200);
  CHECK(contains(form->body, "value=\"Acme Ltd\""));
  CHECK(contains(form->body, "value=\"30.00\""));
  CHECK(contains(form->body, "value=\"accepted\" checked"));
  CHECK(contains(form->body, "What the rules say"));
  CHECK(contains(form->body, "action=\"" + page + "/edit\""));

  SECTION("a mistake comes back with the input kept and nothing written") {
    auto bad = asha.post(page + "/edit", dinner("Dinner at the <LMC> conference", "-30"));
    CHECK(bad->status == 422);
    CHECK(contains(bad->body, "<title>Error: Change a gift or hospitality entry"));
    CHECK(contains(bad->body, "href=\"#value\""));
    CHECK(contains(bad->body, "Value must be an amount in pounds, like 30 or 12.50"));
    CHECK(contains(bad->body, "value=\"-30\""));
    CHECK(contains(bad->body, "Dinner at the &lt;LMC&gt; conference"));
    CHECK(GiftStore(*r.s.db).history(id).size() == 2);
    CHECK(GiftStore(*r.s.db).find(id)->status == DeclarationStatus::returned);
  }

  SECTION("the rules still apply: hospitality over £75 needs senior approval") {
    auto refused = asha.post(page + "/edit", dinner("Dinner", "90"));
    CHECK(refused->status == 422);
    CHECK(contains(refused->body, "Enter who gave senior approval to accept it, or record it as declined"));
    CHECK(GiftStore(*r.s.db).history(id).size() == 2);
  }

  SECTION("the change is a new version, the old kept, and it is back in the queue") {
    auto saved = asha.post(page + "/edit", dinner("Dinner at the LMC conference", "30"));
    REQUIRE(saved->status == 303);
    CHECK(saved->get_header_value("Location") == page + "?saved=updated");
    GiftStore gifts(*r.s.db);
    auto history = gifts.history(id);
    REQUIRE(history.size() == 3);
    CHECK(history[0].entity.description == "Dinner");
    CHECK(history[1].entity.status == DeclarationStatus::returned);
    CHECK(history[2].entity.description == "Dinner at the LMC conference");
    CHECK(history[2].entity.status == DeclarationStatus::submitted);
    CHECK(history[2].entity.declared_on == history[0].entity.declared_on);
    CHECK(contains(r.queue(), "Dinner at the LMC conference"));
    auto shown = asha.get(page + "?saved=updated")->body;
    CHECK(contains(shown, "Your changes have been saved as a new version"));
    CHECK_FALSE(contains(shown, "Returned to you by governance"));
    CHECK(contains(shown, ">Dinner<"));  // the earlier version, in the history table
    CHECK_FALSE(contains(asha.get("/my")->body, "was returned to you"));
    CHECK(verify_audit_chain(*r.s.db).ok);
  }
}

TEST_CASE("member returns: editing a gift does not count its own earlier version towards the running total") {
  Returns r(false);
  Browser asha = r.as("asha@example.nhs.uk");
  asha.get("/my/gifts/new");
  auto book = dinner("A book", "30");
  book.erase("kind");
  book.emplace("kind", "gift");
  REQUIRE(asha.post("/my/gifts/new", book)->status == 303);
  const Id id = GiftStore(*r.s.db).for_person(r.asha).back().id;
  // £30 → £40 is one gift of £40, under the £50 rule; counting the old £30 too would make £70.
  auto check = book;
  check.erase("value");
  check.emplace("value", "40");
  check.erase("action");
  check.emplace("action", "check");
  auto checked = asha.post("/my/gifts/" + std::to_string(id) + "/edit", check);
  REQUIRE(checked->status == 200);
  CHECK(contains(checked->body, "including this offer: £40.00"));
  CHECK(contains(checked->body, "may be accepted and need not be declared"));
  CHECK(GiftStore(*r.s.db).history(id).size() == 1);  // checking writes nothing
}

TEST_CASE("member returns: a returned nil return shows the comment, is changed as a new version and goes back for review") {
  Returns r;
  Browser asha = r.as("asha@example.nhs.uk");
  const Id id = make_nil_return(r, asha);
  const std::string page = "/my/nil-returns/" + std::to_string(id);
  r.return_it("nil-returns", id, "You chair the Riverside PPG: declare it instead");

  auto dash = asha.get("/my")->body;
  CHECK(contains(dash, "You chair the Riverside PPG: declare it instead"));
  CHECK(contains(dash, "href=\"" + page + "/edit\""));
  CHECK(contains(asha.get(page)->body, "Returned to you by governance"));
  auto form = asha.get(page + "/edit");
  REQUIRE(form->status == 200);
  CHECK(contains(form->body, ">Nothing to declare</textarea>"));
  CHECK_FALSE(contains(form->body, "value=\"yes\" checked"));  // confirmed again each time

  auto bad = asha.post(page + "/edit", {{"statement", "Nothing beyond my PPG role, now declared"}});
  CHECK(bad->status == 422);
  CHECK(contains(bad->body, "Confirm that the statement is true"));
  CHECK(contains(bad->body, ">Nothing beyond my PPG role, now declared</textarea>"));
  CHECK(NilReturnStore(*r.s.db).history(id).size() == 2);

  auto saved = asha.post(page + "/edit", {{"statement", "Nothing beyond my PPG role, now declared"}, {"confirm", "yes"}});
  REQUIRE(saved->status == 303);
  auto history = NilReturnStore(*r.s.db).history(id);
  REQUIRE(history.size() == 3);
  CHECK(history[0].entity.statement == "Nothing to declare");
  CHECK(history[2].entity.statement == "Nothing beyond my PPG role, now declared");
  CHECK(history[2].entity.status == DeclarationStatus::submitted);
  CHECK(history[2].entity.made_on == history[0].entity.made_on);
  CHECK(contains(r.queue(), "Nothing beyond my PPG role, now declared"));
  CHECK(verify_audit_chain(*r.s.db).ok);
}

TEST_CASE("member returns: an approved gift changed while review is on goes back for review; with review off it stays approved") {
  const bool review = GENERATE(true, false);
  Returns r(review);
  Browser asha = r.as("asha@example.nhs.uk");
  const Id id = declare_dinner(r, asha);
  {
    WriteTransaction tx(*r.s.db);
    GiftStore gifts(*r.s.db);
    auto g = *gifts.find(id);
    g.status = DeclarationStatus::approved;
    gifts.save(g, "test");
    tx.commit();
  }
  auto res = r.api("asha@example.nhs.uk").send_json("PUT", "/api/v1/my/gifts/" + std::to_string(id), gift_body("Dinner, LMC", "30"));
  REQUIRE(res->status == 200);
  CHECK(GiftStore(*r.s.db).find(id)->status == (review ? DeclarationStatus::submitted : DeclarationStatus::approved));
}

TEST_CASE("member returns API: the comment, validation with field messages, a new version in the history") {
  Returns r;
  Browser asha = r.as("asha@example.nhs.uk");
  const Id gift = declare_dinner(r, asha);
  const Id nil = make_nil_return(r, asha);
  r.return_it("gifts", gift, "Which event?");
  r.return_it("nil-returns", nil, "Declare the PPG");
  Browser api = r.api("asha@example.nhs.uk");
  const std::string g = "/api/v1/my/gifts/" + std::to_string(gift), n = "/api/v1/my/nil-returns/" + std::to_string(nil);

  auto got = json::parse(api.send_json("GET", g)->body);
  CHECK(got.at("review_comment") == "Which event?");
  CHECK(got.at("gift").at("status") == "returned");
  CHECK(got.at("gift").at("version") == 2);
  CHECK(got.at("history").size() == 2);

  auto bad = api.send_json("PUT", g, gift_body("Dinner", "-1"));
  REQUIRE(bad->status == 422);
  CHECK(json::parse(bad->body).at("error").at("details").at("value") == "Value must be an amount in pounds, like 30 or 12.50");
  auto no_outcome = gift_body("Dinner", "30");
  no_outcome.erase("outcome");
  CHECK(json::parse(api.send_json("PUT", g, no_outcome)->body).at("error").at("details").at("outcome") ==
        "Select whether you accepted or declined it");
  CHECK(GiftStore(*r.s.db).history(gift).size() == 2);

  auto put = api.send_json("PUT", g, gift_body("Dinner at the LMC conference", "30"));
  REQUIRE(put->status == 200);
  auto changed = json::parse(put->body);
  CHECK(changed.at("gift").at("status") == "submitted");
  CHECK(changed.at("gift").at("version") == 3);
  CHECK(changed.at("classification").at("decision") == "accept_and_declare");
  got = json::parse(api.send_json("GET", g)->body);
  CHECK(got.at("review_comment") == false);
  CHECK(got.at("history").size() == 3);
  CHECK(got.at("history")[0].at("gift").at("description") == "Dinner");

  auto nil_got = json::parse(api.send_json("GET", n)->body);
  CHECK(nil_got.at("review_comment") == "Declare the PPG");
  auto nil_bad = api.send_json("PUT", n, {{"statement", ""}, {"confirm", false}});
  REQUIRE(nil_bad->status == 422);
  auto details = json::parse(nil_bad->body).at("error").at("details");
  CHECK(details.at("statement") == "Enter your statement");
  CHECK(details.at("confirm") == "Confirm that the statement is true");
  auto nil_put = api.send_json("PUT", n, {{"statement", "Nothing beyond the PPG, declared"}, {"confirm", true}});
  REQUIRE(nil_put->status == 200);
  CHECK(json::parse(nil_put->body).at("nil_return").at("status") == "submitted");
  CHECK(NilReturnStore(*r.s.db).history(nil).size() == 3);
  CHECK(contains(r.queue(), "Nothing beyond the PPG, declared"));
}

TEST_CASE("member returns: another member's gift or nil return answers 404 by page and API, and is not changed") {
  Returns r;
  Browser asha = r.as("asha@example.nhs.uk");
  const Id gift = declare_dinner(r, asha);
  const Id nil = make_nil_return(r, asha);
  const std::string g = std::to_string(gift), n = std::to_string(nil);
  Browser ben = r.as("ben@example.nhs.uk");
  ben.get("/my");

  for (const auto& path : {"/my/gifts/" + g, "/my/gifts/" + g + "/edit", "/my/nil-returns/" + n, "/my/nil-returns/" + n + "/edit"}) {
    CAPTURE(path);
    auto res = ben.get(path);
    CHECK(res->status == 404);
    CHECK_FALSE(contains(res->body, "Acme Ltd"));
    CHECK_FALSE(contains(res->body, "Nothing to declare"));
  }
  ben.get("/my");
  CHECK(ben.post("/my/gifts/" + g + "/edit", dinner("Stolen", "30"))->status == 404);
  ben.get("/my");
  CHECK(ben.post("/my/nil-returns/" + n + "/edit", {{"statement", "Stolen"}, {"confirm", "yes"}})->status == 404);

  Browser api = r.api("ben@example.nhs.uk");
  for (const auto& path : {"/api/v1/my/gifts/" + g, "/api/v1/my/nil-returns/" + n}) {
    CAPTURE(path);
    auto res = api.send_json("GET", path);
    CHECK(res->status == 404);
    CHECK(json::parse(res->body).at("error").at("code") == "not_found");
  }
  CHECK(api.send_json("PUT", "/api/v1/my/gifts/" + g, gift_body("Stolen", "30"))->status == 404);
  CHECK(api.send_json("PUT", "/api/v1/my/nil-returns/" + n, {{"statement", "Stolen"}, {"confirm", true}})->status == 404);

  CHECK(GiftStore(*r.s.db).history(gift).size() == 1);
  CHECK(GiftStore(*r.s.db).find(gift)->description == "Dinner");
  CHECK(NilReturnStore(*r.s.db).history(nil).size() == 1);
  CHECK(NilReturnStore(*r.s.db).find(nil)->statement == "Nothing to declare");
}

TEST_CASE("member feedback: declaring a gift and making a nil return each say so on the entry's page, as declaring an interest does") {
  Returns r(false);
  Browser asha = r.as("asha@example.nhs.uk");
  asha.get("/my/gifts/new");
  auto gift = asha.post("/my/gifts/new", dinner("Dinner", "30"));
  REQUIRE(gift->status == 303);
  const Id gift_id = GiftStore(*r.s.db).for_person(r.asha).back().id;
  CHECK(gift->get_header_value("Location") == "/my/gifts/" + std::to_string(gift_id) + "?saved=declared");
  CHECK(contains(asha.get(gift->get_header_value("Location"))->body, "Your hospitality has been declared."));

  asha.get("/my/nil-return");
  auto nil = asha.post("/my/nil-return", {{"statement", "Nothing to declare"}, {"confirm", "yes"}});
  REQUIRE(nil->status == 303);
  const Id nil_id = NilReturnStore(*r.s.db).for_person(r.asha).back().id;
  CHECK(nil->get_header_value("Location") == "/my/nil-returns/" + std::to_string(nil_id) + "?saved=made");
  const auto shown = asha.get(nil->get_header_value("Location"))->body;
  CHECK(contains(shown, "Your nil return has been made."));
  CHECK_FALSE(contains(shown, "Nil return of 20"));  // the date in words, not YYYY-MM-DD
}

TEST_CASE("member feedback: a returned interest is under What is due with a link to change it and submit it again") {
  Returns r;
  Browser asha = r.as("asha@example.nhs.uk");
  asha.get("/my/interests/new");
  auto made = asha.post("/my/interests/new", {{"category", "financial"}, {"organisation_name", "Riverside Surgery"},
                                               {"nature", "Partner (GMS contract holder)"}, {"from-day", "1"},
                                               {"from-month", "8"}, {"from-year", "2024"}});
  REQUIRE(made->status == 303);
  const Id id = InterestStore(*r.s.db).for_person(r.asha).back().id;
  r.return_it("interests", id, "Give the practice's ODS code");
  const auto dash = asha.get("/my")->body;
  const auto due = dash.substr(dash.find("What is due"));
  CHECK((contains(due, "Your interest \"Partner (GMS contract holder)\" was returned to you") ||
         contains(due, "Your interest &quot;Partner (GMS contract holder)&quot; was returned to you")));
  CHECK(contains(due, "href=\"/my/interests/" + std::to_string(id) + "/edit\">Change it and submit it again"));
  // Holding an interest, she is not told she has none to declare.
  CHECK_FALSE(contains(dash, "(you have no interests to declare)"));
}

TEST_CASE("member feedback: a member with no interests is offered the nil return") {
  Returns r(false);
  Browser ben = r.as("ben@example.nhs.uk");
  CHECK(contains(ben.get("/my")->body, "Make a nil return</a> (you have no interests to declare)"));
}
