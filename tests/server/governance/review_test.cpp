// Governance actions over HTTP: the review queue, withholding, leavers, audit history and gift
// thresholds from config; who may use them; and what each does to the public register.
#include <catch2/catch.hpp>

#include <regex>

#include "model/accounts/api_token_store.hpp"
#include "model/register/committee_store.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/review_store.hpp"
#include "model/accounts/user_store.hpp"
#include "server/browser.hpp"
#include "server/meetings_support.hpp"
#include "support.hpp"

using namespace probity;
using namespace probity::testing;
using json = nlohmann::json;

namespace {
using probity::testing::contains;

struct Governed {
  TestServer s;
  Id asha = add_person(s, "p-asha", "Dr Asha Patel");
  explicit Governed(bool review, nlohmann::json gifts = nullptr)
      : s([review, gifts](Config& c) {
          fast_accounts(c);
          c.review_required = review;
          if (!gifts.is_null()) c.raw["gifts"] = gifts;
        }) {
    add_account(s, "asha@example.nhs.uk", asha);
    add_account(s, "guardian@example.nhs.uk", std::nullopt, UserRole::governance);
  }
  Browser as(const std::string& email) {
    Browser b(s);
    REQUIRE(b.sign_in(email)->status == 303);
    return b;
  }
  Browser governance() { return as("guardian@example.nhs.uk"); }
  Browser member() { return as("asha@example.nhs.uk"); }
  /// An API client with a bearer token for the governance account.
  Browser governance_api() {
    UserStore accounts(*s.db, account_config(s.app->config()));
    ApiTokenStore api_tokens(*s.db, account_config(s.app->config()));
    Browser b(s);
    b.bearer = api_tokens.create_api_token(accounts.find_user_by_email("guardian@example.nhs.uk")->id, "test", "test", now_instant()).token;
    return b;
  }
  std::string public_json() { return s.client().Get("/api/v1/register")->body; }
};

std::multimap<std::string, std::string> interest_form(const std::string& nature) {
  return {{"category", "financial"}, {"organisation_name", "Riverside Surgery"}, {"organisation_identifier", "B82001"},
          {"nature", nature},         {"from-day", "1"},                         {"from-month", "8"},
          {"from-year", "2024"}};
}

Id declare(Browser& member, const std::string& nature) {
  member.get("/my/interests/new");
  auto res = member.post("/my/interests/new", interest_form(nature));
  REQUIRE(res->status == 303);
  return std::stoll(res->get_header_value("Location").substr(std::string("/my/interests/").size()));
}

std::string version_on_page(const std::string& body) {
  std::smatch m;
  static const std::regex re(R"re(name="version" value="(\d+)")re");
  return std::regex_search(body, m, re) ? m[1].str() : std::string();
}
}  // namespace

TEST_CASE("governance routes: members and chairs get 403, nobody signed in is sent to sign in (pages) or 401 (API)") {
  Governed g(true);
  g.s.import(small_pccc());
  const Id chair = PersonStore(*g.s.db).find_by_ref("p-chair")->id;
  add_account(g.s, "chair@example.nhs.uk", chair);
  Browser member = g.member();
  const Id id = declare(member, "Partner");
  const std::string i = std::to_string(id), p = std::to_string(g.asha);
  Browser chair_browser = g.as("chair@example.nhs.uk");

  const std::vector<std::pair<std::string, std::string>> routes = {
      {"GET", "/governance"},
      {"GET", "/governance/non-compliance.csv"},
      {"POST", "/governance/accounts"},
      {"GET", "/governance/review"},
      {"GET", "/governance/interests/" + i},
      {"POST", "/governance/interests/" + i + "/review"},
      {"POST", "/governance/interests/" + i + "/withhold"},
      {"POST", "/governance/interests/" + i + "/unwithhold"},
      {"GET", "/governance/people/" + p},
      {"POST", "/governance/people/" + p + "/leave"},
      {"GET", "/governance/audit"},
      {"GET", "/governance/audit/interest/" + i},
      {"GET", "/api/v1/governance/review"},
      {"POST", "/api/v1/governance/interests/" + i + "/review"},
      {"POST", "/api/v1/governance/interests/" + i + "/withhold"},
      {"POST", "/api/v1/governance/interests/" + i + "/unwithhold"},
      {"POST", "/api/v1/governance/people/" + p + "/leave"},
      {"GET", "/api/v1/governance/audit"},
      {"GET", "/api/v1/governance/audit/person/" + p},
  };
  for (const auto& [method, path] : routes) {
    CAPTURE(method, path);
    const bool api = path.rfind("/api/", 0) == 0;
    for (Browser* who : {&member, &chair_browser}) {
      auto res = method == "GET" ? who->get(path)
                 : api           ? who->send_json("POST", path, {{"decision", "approve"}, {"reason", "x"}, {"left_on", "2025-01-01"}})
                                 : who->post(path, {{"decision", "approve"}, {"reason", "x"}});
      REQUIRE(res);
      CHECK(res->status == 403);
    }
    Browser nobody(g.s);
    auto res = method == "GET" ? nobody.get(path) : api ? nobody.send_json("POST", path, json::object()) : nobody.post(path, {});
    REQUIRE(res);
    if (api) CHECK(res->status == 401);
    else if (method == "GET") CHECK(res->status == 303);
    else CHECK((res->status == 303 || res->status == 401 || res->status == 403));
  }
  CHECK(InterestStore(*g.s.db).current_version(id) == 1);  // nothing changed by any of that
}

TEST_CASE("review: queue, return with a comment the member sees, resubmit, approve; public register shows approved only") {
  Governed g(true);
  Browser member = g.member();
  const Id id = declare(member, "Partner (GMS contract holder)");
  const std::string path = "/governance/interests/" + std::to_string(id);
  CHECK_FALSE(contains(g.public_json(), "Partner (GMS contract holder)"));

  Browser gov = g.governance();
  CHECK(contains(gov.get("/governance")->body, "Declarations awaiting review</a> (1)"));
  auto queue = gov.get("/governance/review");
  REQUIRE(queue->status == 200);
  CHECK(contains(queue->body, "Dr Asha Patel"));
  CHECK(contains(queue->body, "href=\"" + path + "\""));

  SECTION("a return without a comment comes back with the NHS error pattern, input kept") {
    gov.get(path);
    auto bad = gov.post(path + "/review", {{"decision", "return"}, {"comment", ""}});
    CHECK(bad->status == 422);
    CHECK(contains(bad->body, "There is a problem"));
    CHECK(contains(bad->body, "href=\"#comment\""));
    CHECK(contains(bad->body, "Enter a comment saying what the member should change"));
    CHECK(contains(bad->body, "value=\"return\" checked"));
    auto none = gov.post(path + "/review", {{"comment", "kept text"}});
    CHECK(none->status == 422);
    CHECK(contains(none->body, "href=\"#decision-approve\""));
    CHECK(contains(none->body, ">kept text</textarea>"));
    CHECK(InterestStore(*g.s.db).find(id)->status == DeclarationStatus::submitted);
  }

  SECTION("CSRF: a review without the token is refused") {
    gov.get(path);
    CHECK(gov.post(path + "/review", {{"decision", "approve"}}, false)->status == 403);
    CHECK(InterestStore(*g.s.db).find(id)->status == DeclarationStatus::submitted);
  }

  SECTION("return, resubmit, approve") {
    auto page = gov.get(path);
    REQUIRE(page->status == 200);
    const auto version = version_on_page(page->body);
    CHECK(version == "1");
    auto returned = gov.post(path + "/review", {{"decision", "return"}, {"comment", "Please add the ODS code of the practice"}, {"version", version}});
    CHECK(returned->status == 303);
    CHECK(InterestStore(*g.s.db).find(id)->status == DeclarationStatus::returned);
    CHECK(contains(member.get("/my")->body, "Please add the ODS code of the practice"));
    CHECK(contains(member.get("/my/interests/" + std::to_string(id))->body, "Returned to you by governance"));
    CHECK_FALSE(contains(g.public_json(), "Partner (GMS contract holder)"));

    // A second decision on a version that is no longer awaiting review is refused.
    auto again = gov.post(path + "/review", {{"decision", "approve"}, {"version", "2"}});
    CHECK(again->status == 409);

    member.get("/my/interests/" + std::to_string(id) + "/edit");
    CHECK(member.post("/my/interests/" + std::to_string(id) + "/edit", interest_form("Partner (GMS contract holder), B82001"))->status == 303);
    CHECK(InterestStore(*g.s.db).find(id)->status == DeclarationStatus::submitted);
    CHECK(contains(gov.get("/governance/review")->body, "Partner (GMS contract holder), B82001"));

    // Approving the version the reviewer saw before the member's change is refused.
    CHECK(gov.post(path + "/review", {{"decision", "approve"}, {"version", version}})->status == 409);
    page = gov.get(path);
    CHECK(gov.post(path + "/review", {{"decision", "approve"}, {"version", version_on_page(page->body)}})->status == 303);
    CHECK(InterestStore(*g.s.db).find(id)->status == DeclarationStatus::approved);
    CHECK(contains(g.public_json(), "Partner (GMS contract holder), B82001"));
    CHECK(ReviewStore(*g.s.db).for_entity("interest", id).size() == 2);
    CHECK_FALSE(contains(gov.get("/governance/review")->body, "B82001"));
  }
}

TEST_CASE("review API: gifts and nil returns approved or returned with the same checks as the pages") {
  Governed g(true);
  Browser member = g.member();
  member.get("/my/nil-return");
  REQUIRE(member.post("/my/nil-return", {{"statement", "Nothing to declare"}, {"confirm", "yes"}})->status == 303);
  const Id nil = NilReturnStore(*g.s.db).for_person(g.asha).at(0).id;
  Browser api = g.governance_api();
  auto queue = json::parse(api.send_json("GET", "/api/v1/governance/review")->body);
  REQUIRE(queue.at("items").size() == 1);
  CHECK(queue.at("items")[0].at("kind") == "nil_return");
  CHECK(queue.at("items")[0].at("person_name") == "Dr Asha Patel");

  const std::string path = "/api/v1/governance/nil-returns/" + std::to_string(nil) + "/review";
  auto bad = api.send_json("POST", path, {{"decision", "return"}});
  REQUIRE(bad->status == 422);
  CHECK(json::parse(bad->body).at("error").at("details").at("comment") == "Enter a comment saying what the member should change");
  CHECK(api.send_json("POST", "/api/v1/governance/nil-returns/999/review", {{"decision", "approve"}})->status == 404);
  auto ok = api.send_json("POST", path, {{"decision", "approve"}, {"version", 1}});
  REQUIRE(ok->status == 200);
  CHECK(json::parse(ok->body).at("status") == "approved");
  auto twice = api.send_json("POST", path, {{"decision", "approve"}});
  CHECK(twice->status == 409);
  CHECK(json::parse(twice->body).at("error").at("code") == "not_awaiting_review");
}

TEST_CASE("review is refused when the organisation has not turned it on") {
  Governed g(false);
  Browser member = g.member();
  const Id id = declare(member, "Partner");
  CHECK(contains(g.public_json(), "Partner"));
  Browser api = g.governance_api();
  auto res = api.send_json("POST", "/api/v1/governance/interests/" + std::to_string(id) + "/review", {{"decision", "approve"}});
  CHECK(res->status == 409);
  CHECK(contains(g.governance().get("/governance/review")->body, "Review is turned off"));
}

TEST_CASE("withhold: reason required; the public register, JSON and CSV then show it withheld; un-withhold restores it") {
  Governed g(false);
  Browser member = g.member();
  const Id id = declare(member, "Trustee of a refuge charity");
  const std::string path = "/governance/interests/" + std::to_string(id);
  auto c = g.s.client();
  CHECK(contains(c.Get("/register.csv")->body, "Trustee of a refuge charity"));

  Browser gov = g.governance();
  gov.get(path);
  auto bad = gov.post(path + "/withhold", {{"reason", "  "}});
  CHECK(bad->status == 422);
  CHECK(contains(bad->body, "href=\"#reason\""));
  CHECK(contains(bad->body, "Enter the reason for withholding this entry"));
  CHECK_FALSE(InterestStore(*g.s.db).find(id)->withheld);

  auto done = gov.post(path + "/withhold", {{"reason", "Publishing the name of the refuge would put staff at risk"}});
  CHECK(done->status == 303);
  CHECK(InterestStore(*g.s.db).history(id).size() == 2);
  CHECK(contains(gov.get(path)->body, "Publishing the name of the refuge would put staff at risk"));

  auto page = c.Get("/register");
  CHECK(contains(page->body, "This entry is withheld from the public register."));
  CHECK_FALSE(contains(page->body, "Trustee of a refuge charity"));
  auto doc = json::parse(c.Get("/api/v1/register")->body);
  bool seen = false;
  for (const auto& e : doc.at("entries"))
    if (e.at("id") == id) {
      seen = true;
      CHECK(e.at("withheld") == true);
      CHECK_FALSE(e.contains("nature"));
    }
  CHECK(seen);
  auto csv = c.Get("/register.csv")->body;
  CHECK(contains(csv, std::to_string(id) + ",Dr Asha Patel,"));
  CHECK_FALSE(contains(csv, "Trustee of a refuge charity"));
  CHECK_FALSE(contains(csv, "name of the refuge"));

  gov.get(path);
  CHECK(gov.post(path + "/unwithhold", {})->status == 303);
  CHECK(InterestStore(*g.s.db).history(id).size() == 3);
  CHECK(contains(c.Get("/register.csv")->body, "Trustee of a refuge charity"));

  Browser api = g.governance_api();
  auto api_bad = api.send_json("POST", "/api/v1/governance/interests/" + std::to_string(id) + "/withhold", json::object());
  CHECK(api_bad->status == 422);
  CHECK(json::parse(api_bad->body).at("error").at("details").at("reason") == "Enter the reason for withholding this entry");
  auto api_ok = api.send_json("POST", "/api/v1/governance/interests/" + std::to_string(id) + "/withhold", {{"reason", "Risk of harm"}});
  REQUIRE(api_ok->status == 200);
  CHECK(json::parse(api_ok->body).at("withheld") == true);
  CHECK(json::parse(c.Get("/api/v1/register")->body).dump().find("Trustee of a refuge charity") == std::string::npos);
}

TEST_CASE("mark as left: a bad date keeps the input; open interests and memberships end that day as new versions") {
  Governed g(false);
  Id committee = 0, membership = 0;
  {
    WriteTransaction tx(*g.s.db);
    Committee cm;
    cm.name = "Primary care commissioning committee";
    CommitteeStore(*g.s.db).save(cm, "test");
    committee = cm.id;
    Membership m;
    m.committee_id = committee;
    m.person_id = g.asha;
    m.from = *Date::parse("2024-04-01");
    MembershipStore(*g.s.db).save(m, "test");
    membership = m.id;
    tx.commit();
  }
  Browser member = g.member();
  const Id id = declare(member, "Partner");
  const std::string path = "/governance/people/" + std::to_string(g.asha);
  Browser gov = g.governance();
  auto page = gov.get(path);
  REQUIRE(page->status == 200);
  CHECK(contains(page->body, "href=\"/governance/interests/" + std::to_string(id) + "\""));

  auto bad = gov.post(path + "/leave", {{"left_on-day", "31"}, {"left_on-month", "2"}, {"left_on-year", "2025"}});
  CHECK(bad->status == 422);
  CHECK(contains(bad->body, "href=\"#left_on-day\""));
  CHECK(contains(bad->body, "The date they left must be a real date"));
  CHECK(contains(bad->body, "name=\"left_on-day\" type=\"text\" inputmode=\"numeric\" value=\"31\""));

  auto done = gov.post(path + "/leave", {{"left_on-day", "30"}, {"left_on-month", "6"}, {"left_on-year", "2025"}});
  CHECK(done->status == 303);
  const Date left = *Date::parse("2025-06-30");
  CHECK(PersonStore(*g.s.db).find(g.asha)->left_on == left);
  auto history = InterestStore(*g.s.db).history(id);
  REQUIRE(history.size() == 2);
  CHECK_FALSE(history[0].entity.to);
  CHECK(history[1].entity.to == left);
  CHECK(MembershipStore(*g.s.db).find(membership)->to == left);
  CHECK(done->get_header_value("Location") == path + "?saved=left");
  CHECK(contains(gov.get(path + "?saved=left")->body, "Recorded that this person has left"));

  Browser api = g.governance_api();
  auto api_bad = api.send_json("POST", "/api/v1/governance/people/" + std::to_string(g.asha) + "/leave", {{"left_on", "yesterday"}});
  CHECK(api_bad->status == 422);
  CHECK(api.send_json("POST", "/api/v1/governance/people/999/leave", {{"left_on", "2025-06-30"}})->status == 404);
}

TEST_CASE("audit history: field-by-field changes of an entry, linked from its page; the chain verifies") {
  Governed g(false);
  Browser member = g.member();
  const Id id = declare(member, "Partner");
  member.get("/my/interests/" + std::to_string(id) + "/edit");
  REQUIRE(member.post("/my/interests/" + std::to_string(id) + "/edit", interest_form("Senior partner"))->status == 303);

  Browser gov = g.governance();
  const std::string audit = "/governance/audit/interest/" + std::to_string(id);
  CHECK(contains(gov.get("/governance/interests/" + std::to_string(id))->body, "href=\"" + audit + "\""));
  auto page = gov.get(audit);
  REQUIRE(page->status == 200);
  CHECK(contains(page->body, "by Dr Asha Patel"));  // who made the change, by name (the actor is "user:N email")
  CHECK_FALSE(contains(page->body, "user:"));
  // One row per field changed, each cell labelled for the stacked layout of small screens.
  CHECK(contains(page->body, "<td class=\"nhsuk-table__cell\" role=\"cell\"><span class=\"nhsuk-table__heading\" aria-hidden=\"true\">Field </span>Nature</td>"
                             "<td class=\"nhsuk-table__cell\" role=\"cell\"><span class=\"nhsuk-table__heading\" aria-hidden=\"true\">Before </span>Partner</td>"
                             "<td class=\"nhsuk-table__cell\" role=\"cell\"><span class=\"nhsuk-table__heading\" aria-hidden=\"true\">After </span>Senior partner</td>"));
  CHECK(gov.get("/governance/audit/interest/999")->status == 404);
  CHECK(gov.get("/governance/audit/person/" + std::to_string(g.asha))->status == 200);
  auto overview = gov.get("/governance/audit");
  CHECK(contains(overview->body, "The audit chain verifies"));

  auto doc = json::parse(g.governance_api().send_json("GET", "/api/v1/governance/audit/interest/" + std::to_string(id))->body);
  REQUIRE(doc.at("rows").size() == 2);
  CHECK(doc.at("rows")[1].at("action") == "update");
  CHECK(doc.at("rows")[1].at("changes") == json::array({{{"field", "nature"}, {"label", "Nature"}, {"before", "Partner"}, {"after", "Senior partner"}}}));
  auto chain = json::parse(g.governance_api().send_json("GET", "/api/v1/governance/audit")->body);
  CHECK(chain.at("verification").at("ok") == true);
}

TEST_CASE("gift thresholds come from config: a lower hospitality threshold changes what the form tells the member") {
  const std::multimap<std::string, std::string> offer = {
      {"kind", "hospitality"}, {"source", "Acme Diagnostics"}, {"from_supplier", "no"}, {"cash_or_voucher", "no"},
      {"description", "Dinner"}, {"value", "30"}, {"offered_on-day", "1"}, {"offered_on-month", "3"}, {"offered_on-year", "2025"},
      {"action", "check"}};
  SECTION("national figures: £30 hospitality must be declared") {
    Governed g(false);
    Browser member = g.member();
    member.get("/my/gifts/new");
    auto res = member.post("/my/gifts/new", offer);
    CHECK(res->status == 200);
    CHECK(contains(res->body, "may be accepted and must be declared"));
  }
  SECTION("\"hospitality_declare_from\": 40 in config: £30 need not be declared") {
    Governed g(false, {{"hospitality_declare_from", 40}});
    Browser member = g.member();
    member.get("/my/gifts/new");
    auto res = member.post("/my/gifts/new", offer);
    CHECK(res->status == 200);
    CHECK(contains(res->body, "worth less than £40.00 may be accepted and need not be declared"));
  }
  SECTION("a wrong gifts section stops start-up") {
    CHECK_THROWS_AS(Governed(false, {{"hospitality_max", "lots"}}), ConfigError);
  }
}

TEST_CASE("audit history names who made each change in words: the member by name, governance as Governance (name)") {
  Governed g(true);
  Browser member = g.member();
  const Id id = declare(member, "Partner");
  auto returned = g.governance_api().send_json("POST", "/api/v1/governance/interests/" + std::to_string(id) + "/review",
                                               {{"decision", "return"}, {"comment", "Give the ODS code"}});
  REQUIRE(returned->status == 200);
  Browser gov = g.governance();
  auto page = gov.get("/governance/audit/interest/" + std::to_string(id))->body;
  CHECK(contains(page, "by Dr Asha Patel"));
  CHECK(contains(page, "by Governance (guardian@example.nhs.uk)"));
  CHECK(contains(page, "<span class=\"nhsuk-table__heading\" aria-hidden=\"true\">Field </span>Person</td>"));  // not "Person id"
  CHECK_FALSE(contains(page, "Person id"));
  auto log = gov.get("/governance/audit")->body;
  CHECK(contains(log, ">Interest " + std::to_string(id) + "</a>"));
  CHECK_FALSE(contains(log, ">interest " + std::to_string(id) + "</a>"));
  // The API keeps the stored values.
  auto doc = json::parse(g.governance_api().send_json("GET", "/api/v1/governance/audit/interest/" + std::to_string(id))->body);
  CHECK(doc.at("rows")[0].at("actor").get<std::string>().rfind("user:", 0) == 0);
  CHECK_FALSE(doc.at("rows")[0].contains("actor_text"));
}
