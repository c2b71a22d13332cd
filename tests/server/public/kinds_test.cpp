// Who is published, kinds of interest and supplier hospitality through HTTP, on the demo
// register: the member's form with a kind's own fields (422 field by field, the half-filled form
// back), the public filter by kind in the page, JSON and CSV, a non-decision-maker nowhere public,
// governance's decision-maker field and its record of a supplier's hospitality approval.
#include <catch2/catch.hpp>

#include "model/accounts/api_token_store.hpp"
#include "model/accounts/user_store.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/person_store.hpp"
#include "server/browser.hpp"
#include "server/meetings_support.hpp"

using namespace probity;
using namespace probity::testing;
using json = nlohmann::json;

namespace {
struct KindsServer {
  TestServer s{[](Config& c) { fast_accounts(c); }};
  json ids = s.import(demo_bundle());
  KindsServer() {
    add_account(s, "fiona.mcleod@example.nhs.uk", id("people", "p-mcleod"));
    add_account(s, "governance@example.nhs.uk", std::nullopt, UserRole::governance);
  }
  Id id(const char* list, const char* ref) const { return ids.at(list).at(ref).get<Id>(); }
  Browser signed_in(const std::string& email) {
    Browser b(s);
    REQUIRE(b.sign_in(email)->status == 303);
    return b;
  }
  httplib::Result public_get(const std::string& path) { return s.client().Get(path.c_str()); }
};

std::multimap<std::string, std::string> kinds_private_practice() {
  return {{"category", "financial"}, {"organisation_name", "Abbey Private Hospital"}, {"nature", "Private hip clinics"},
          {"from-day", "1"},         {"from-month", "3"},                             {"from-year", "2025"},
          {"kind", "clinical_private_practice"}, {"practice_name", "Abbey Private Hospital"},
          {"practice_work", "Hip replacement clinics"}};
}
}  // namespace

TEST_CASE("kinds: a member declares clinical private practice; a missing detail is 422 by its field, the form kept") {
  KindsServer k;
  Browser b = k.signed_in("fiona.mcleod@example.nhs.uk");
  auto blank = b.get("/my/interests/new");
  REQUIRE(blank->status == 200);
  CHECK_THAT(blank->body, Catch::Contains("Kind of interest") && Catch::Contains("Clinical private practice") &&
                              Catch::Contains("name=\"practice_hours\"") && Catch::Contains("name=\"study\""));
  auto bad = b.post("/my/interests/new", kinds_private_practice());
  REQUIRE(bad->status == 422);
  CHECK_THAT(bad->body, Catch::Contains("Enter the address of the practice") && Catch::Contains("Enter the hours") &&
                            Catch::Contains("href=\"#practice_address\"") && Catch::Contains("value=\"Hip replacement clinics\"") &&
                            Catch::Contains("id=\"kind-clinical_private_practice\" name=\"kind\" type=\"radio\" value=\"clinical_private_practice\" checked"));
  const auto before = InterestStore(*k.s.db).for_person(k.id("people", "p-mcleod")).size();
  auto fields = kinds_private_practice();
  fields.emplace("practice_address", "1 Abbey Lane, Northbrook");
  fields.emplace("practice_hours", "One evening a week");
  auto good = b.post("/my/interests/new", fields);
  REQUIRE(good->status == 303);
  CHECK(InterestStore(*k.s.db).for_person(k.id("people", "p-mcleod")).size() == before + 1);
  auto detail = b.get(good->get_header_value("Location"));
  CHECK_THAT(detail->body, Catch::Contains("Clinical private practice") && Catch::Contains("One evening a week"));
  // The edit form comes back with the kind and its details.
  const std::string loc = good->get_header_value("Location");
  auto edit = b.get(loc.substr(0, loc.find('?')) + "/edit");
  CHECK_THAT(edit->body, Catch::Contains("value=\"1 Abbey Lane, Northbrook\""));
}

TEST_CASE("kinds: the API takes a details object and answers the kind and details") {
  KindsServer k;
  UserStore accounts(*k.s.db, account_config(k.s.app->config()));
  ApiTokenStore tokens(*k.s.db, account_config(k.s.app->config()));
  Browser api(k.s);
  api.bearer = tokens.create_api_token(accounts.find_user_by_email("fiona.mcleod@example.nhs.uk")->id, "t", "t", now_instant()).token;
  auto bad = api.send_json("POST", "/api/v1/my/interests",
                           {{"category", "non_financial_professional"}, {"organisation_name", "University of Northbrook"},
                            {"nature", "Co-investigator"}, {"from", "2025-01-01"}, {"kind", "sponsored_research"},
                            {"details", {{"research_sponsor", "Acme Health Care Limited"}}}});
  REQUIRE(bad->status == 422);
  CHECK(json::parse(bad->body).at("error").at("details").at("study") == "Enter the study");
  auto made = api.send_json("POST", "/api/v1/my/interests",
                            {{"category", "non_financial_professional"}, {"organisation_name", "University of Northbrook"},
                             {"nature", "Co-investigator"}, {"from", "2025-01-01"}, {"kind", "sponsored_research"},
                             {"details", {{"research_sponsor", "Acme Health Care Limited"}, {"study", "Knee brace trial"}}}});
  REQUIRE(made->status == 201);
  const auto interest = json::parse(made->body).at("interest");
  CHECK(interest.at("kind") == "sponsored_research");
  CHECK(interest.at("details").at("study") == "Knee brace trial");
}

TEST_CASE("kinds: the public register filters by kind in the page, the JSON and the CSV") {
  KindsServer k;
  auto page = k.public_get("/register?kind=clinical_private_practice");
  REQUIRE(page->status == 200);
  CHECK_THAT(page->body, Catch::Contains("<option value=\"clinical_private_practice\" selected>Clinical private practice</option>") &&
                             Catch::Contains("Northbrook Spire Clinic") && Catch::Contains("Dr Fiona McLeod") &&
                             !Catch::Contains("Dr Amir Hassan"));
  auto doc = json::parse(k.public_get("/api/v1/register?kind=clinical_private_practice")->body);
  REQUIRE(doc.at("entries").size() == 1);
  CHECK(doc["entries"][0].at("kind") == "clinical_private_practice");
  CHECK(doc["entries"][0].at("details").at("practice_address") == "12 Abbey Road, Northbrook NB2 4QT");
  auto all = json::parse(k.public_get("/api/v1/register?page_size=500")->body);
  for (const auto& e : all.at("entries"))
    if (!e.at("withheld").get<bool>()) CHECK(e.contains("kind"));
  auto csv = k.public_get("/register.csv?kind=clinical_private_practice");
  REQUIRE(csv->status == 200);
  CHECK_THAT(csv->body, Catch::Contains("Kind of interest,Kind details") &&
                            Catch::Contains("Name of the practice: Northbrook Spire Clinic"));
  auto wrong = k.public_get("/api/v1/register?kind=bribery");
  CHECK(wrong->status == 400);
}

TEST_CASE("who is published: a non-decision-maker is on no public page, and on governance's pages") {
  KindsServer k;
  const Id osei = k.id("people", "p-osei");
  CHECK_THAT(k.public_get("/register?q=Osei")->body, !Catch::Contains("Kwame Osei"));
  CHECK_THAT(k.public_get("/register.csv")->body, !Catch::Contains("Kwame Osei"));
  CHECK_THAT(k.public_get("/register.atom")->body, !Catch::Contains("Kwame Osei"));
  CHECK(k.public_get("/people/" + std::to_string(osei))->status == 404);
  CHECK(k.public_get("/api/v1/people/" + std::to_string(osei))->status == 404);
  CHECK(k.public_get("/register/history/" + std::to_string(k.id("interests", "i-osei-acme")))->status == 404);

  Browser g = k.signed_in("governance@example.nhs.uk");
  auto person = g.get("/governance/people/" + std::to_string(osei));
  CHECK_THAT(person->body, Catch::Contains("No: their entries stay on the internal register"));
  auto form = g.get("/governance/people/" + std::to_string(osei) + "/edit");
  CHECK_THAT(form->body, Catch::Contains("Decision-maker (published on the public register)") &&
                             Catch::Contains("id=\"decision_maker-no\" name=\"decision_maker\" type=\"radio\" value=\"no\" checked"));
  // A wrong value: 422 by the field, the rest of the form kept.
  auto bad = g.post("/governance/people/" + std::to_string(osei) + "/edit",
                    {{"name", "Kwame Osei (changed)"}, {"email", ""}, {"kind", "officer"}, {"position", "Contracts"}, {"practice_id", ""},
                     {"decision_maker", "perhaps"}});
  REQUIRE(bad->status == 422);
  CHECK_THAT(bad->body, Catch::Contains("Select yes if they are a decision-maker") && Catch::Contains("value=\"Kwame Osei (changed)\""));
  CHECK(PersonStore(*k.s.db).find(osei)->name == "Kwame Osei");  // nothing written
  // Marked a decision-maker: now published.
  g.get("/governance/people/" + std::to_string(osei) + "/edit");
  auto good = g.post("/governance/people/" + std::to_string(osei) + "/edit",
                     {{"name", "Kwame Osei"}, {"email", ""}, {"kind", "officer"}, {"position", "Primary Care Contracts Manager"},
                      {"practice_id", ""}, {"decision_maker", "yes"}});
  REQUIRE(good->status == 303);
  CHECK(k.public_get("/people/" + std::to_string(osei))->status == 200);
}

TEST_CASE("supplier hospitality: governance records the approval; over £75 the approver is in the gifts JSON and CSV") {
  KindsServer k;
  const Id lunch = k.id("gifts", "g-whitfield-medsupply");
  Browser g = k.signed_in("governance@example.nhs.uk");
  auto entry = g.get("/governance/gifts/" + std::to_string(lunch));
  REQUIRE(entry->status == 200);
  CHECK_THAT(entry->body, Catch::Contains("Awaiting approval") && Catch::Contains("Record the approval"));
  auto bad = g.post("/governance/gifts/" + std::to_string(lunch) + "/approval", {{"approved_by", "Helen Morris"}});
  REQUIRE(bad->status == 422);
  CHECK_THAT(bad->body, Catch::Contains("Enter the approver") && Catch::Contains("Enter why it was approved") &&
                            Catch::Contains("value=\"Helen Morris\""));
  g.get("/governance/gifts/" + std::to_string(lunch));
  auto good = g.post("/governance/gifts/" + std::to_string(lunch) + "/approval",
                     {{"approved_by", "Helen Morris"}, {"approver_role", "Director of Nursing"}, {"approval_reason", "Modest working lunch"}});
  REQUIRE(good->status == 303);
  CHECK_THAT(g.get(good->get_header_value("Location"))->body, !Catch::Contains("Record the approval"));

  auto gifts = json::parse(k.public_get("/api/v1/gifts")->body);
  bool seen_over = false;
  for (const auto& one : gifts.at("gifts")) {
    if (one.at("id") == lunch) {
      CHECK(one.at("approval").is_null());  // £30: approved, not published
      CHECK(one.at("awaiting_approval") == false);
    }
    if (one.at("id") == k.id("gifts", "g-harding-medsupply")) {
      seen_over = true;
      CHECK(one.at("approval").at("approver_role") == "Chief Finance Officer");
    }
  }
  CHECK(seen_over);
  CHECK_THAT(k.public_get("/gifts.csv")->body, Catch::Contains("Reason for approval") && Catch::Contains("Chief Finance Officer"));
  // The API twin refuses a second approval.
  auto again = g.send_json("POST", "/api/v1/governance/gifts/" + std::to_string(lunch) + "/approval",
                           {{"approved_by", "X"}, {"approver_role", "Y"}, {"approval_reason", "Z"}});
  CHECK(again->status >= 400);
}
