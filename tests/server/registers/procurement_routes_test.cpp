// The register of procurement decisions over HTTP: a meeting marked held drafts its row,
// governance completes it through the form (field errors, the half-filled form back) and
// publishes it once the minutes are; the public pages, JSON and CSV show published rows only.
#include "model/registers/procurement_register.hpp"
#include "server/pccc_fixture.hpp"

using namespace probity;
using json = nlohmann::json;
using testing::FormFields;

namespace {

struct ProcurementRoutesFixture : testing::PcccFixture {
  Id meeting = ids.at("meetings").at("m-1").get<Id>();
  std::string meeting_api(const std::string& rest) const { return "/api/v1/meetings/" + std::to_string(meeting) + rest; }
  httplib::Result anonymous(const std::string& path) { return s.client().Get(path.c_str()); }
  json governance_list() {
    auto res = get(governance, "/api/v1/governance/procurement");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return json::parse(res->body);
  }
};

FormFields procurement_completion(const std::string& value) {
  return {{"subject", "Proposed merger of Riverside Surgery and Millbrook Medical Centre"},
          {"route", "contract_variation"},
          {"decided_by", "Primary Care Commissioning Committee"},
          {"decided_on-day", "10"},
          {"decided_on-month", "12"},
          {"decided_on-year", "2026"},
          {"value", value},
          {"provider", "Riverside and Millbrook Partnership"}};
}

}  // namespace

TEST_CASE("procurement pages: a held meeting's draft is completed, published after the minutes, and only then public") {
  ProcurementRoutesFixture f;
  auto held = f.post(f.chair, f.meeting_api("/held"), json::object());
  REQUIRE(held);
  REQUIRE(held->status == 200);
  auto list = f.governance_list();
  REQUIRE(list.at("total") == 1);
  const auto row = list.at("decisions").at(0);
  CHECK(row.at("status") == "draft");
  CHECK(row.at("subject") == "Proposed merger of Riverside Surgery and Millbrook Medical Centre");
  CHECK(row.at("meeting").at("item").at("number") == 2);
  const std::string id = std::to_string(row.at("id").get<Id>());
  // Marking it held again drafts nothing more.
  REQUIRE(f.post(f.chair, f.meeting_api("/held"), json::object())->status == 200);
  CHECK(f.governance_list().at("total") == 1);

  // Not public while a draft.
  CHECK(f.anonymous("/procurement/" + id)->status == 404);
  CHECK(f.anonymous("/api/v1/procurement/" + id)->status == 404);
  CHECK(json::parse(f.anonymous("/api/v1/procurement")->body).at("total") == 0);
  CHECK_THAT(f.anonymous("/procurement")->body, !Catch::Contains("Proposed merger") && Catch::Contains("No procurement decisions"));
  CHECK_THAT(f.anonymous("/procurement.csv")->body, !Catch::Contains("Proposed merger"));

  // Governance's pages.
  auto page = f.get(f.governance, "/governance/procurement");
  REQUIRE(page->status == 200);
  CHECK_THAT(page->body, Catch::Contains("/governance/procurement/" + id) && Catch::Contains("Draft"));
  auto detail = f.get(f.governance, "/governance/procurement/" + id);
  REQUIRE(detail->status == 200);
  CHECK_THAT(detail->body, Catch::Contains("Publish this decision") && Catch::Contains("Dr Amir Hassan"));
  auto blank = f.get(f.governance, "/governance/procurement/" + id + "/edit");
  REQUIRE(blank->status == 200);
  CHECK_THAT(blank->body, Catch::Contains("name=\"csrf_token\"") && Catch::Contains("Procurement route") &&
                              !Catch::Contains("name=\"participants\""));

  // A wrong value: 422, the message by the field and in the summary, the rest of the form kept.
  auto wrong = f.form(f.governance, "/governance/procurement/" + id + "/edit", procurement_completion("a lot"));
  REQUIRE(wrong);
  CHECK(wrong->status == 422);
  CHECK_THAT(wrong->body, Catch::Contains("There is a problem") && Catch::Contains("Enter the value in pounds") &&
                              Catch::Contains("value=\"Riverside and Millbrook Partnership\"") && Catch::Contains("href=\"#value\""));
  CHECK(ProcurementDecisionStore(*f.s.db).current_version(std::stol(id)) == 1);
  // Without the CSRF token: refused.
  CHECK(f.form(f.governance, "/governance/procurement/" + id + "/edit", procurement_completion("1"), false)->status == 403);

  auto saved = f.form(f.governance, "/governance/procurement/" + id + "/edit", procurement_completion("250,000"));
  REQUIRE(saved->status == 303);
  CHECK(saved->get_header_value("Location") == "/governance/procurement/" + id + "?saved=edited");

  // Publishing waits for the minutes.
  auto early = f.form(f.governance, "/governance/procurement/" + id + "/publish", {});
  REQUIRE(early->status == 422);
  CHECK_THAT(early->body, Catch::Contains("minutes first") &&
                              Catch::Contains("href=\"/meetings/" + std::to_string(f.meeting) + "/manage\""));
  REQUIRE(f.post(f.chair, f.meeting_api("/publish"), json::object())->status == 200);
  auto published = f.form(f.governance, "/governance/procurement/" + id + "/publish", {});
  REQUIRE(published->status == 303);

  auto pub = f.anonymous("/procurement");
  REQUIRE(pub->status == 200);
  CHECK_THAT(pub->body, Catch::Contains("Proposed merger") && Catch::Contains("Contract variation or extension") &&
                            Catch::Contains("£250,000"));
  auto one = f.anonymous("/procurement/" + id);
  REQUIRE(one->status == 200);
  CHECK_THAT(one->body, Catch::Contains("Riverside and Millbrook Partnership") && Catch::Contains("Dr Amir Hassan") &&
                            Catch::Contains("/meetings/" + std::to_string(f.meeting) + "/minutes"));
  auto api = json::parse(f.anonymous("/api/v1/procurement")->body);
  REQUIRE(api.at("total") == 1);
  CHECK(api.at("decisions").at(0).at("value_pence") == 25000000);
  CHECK(api.at("decisions").at(0).at("route") == "contract_variation");
  CHECK(json::parse(f.anonymous("/api/v1/procurement/" + id)->body).at("decision").at("provider") == "Riverside and Millbrook Partnership");
  auto csv = f.anonymous("/procurement.csv");
  REQUIRE(csv->status == 200);
  CHECK(csv->get_header_value("Content-Type") == "text/csv; charset=utf-8");
  CHECK_THAT(csv->body, Catch::StartsWith("Reference,What was bought,Route") && Catch::Contains("250000.00"));
}

TEST_CASE("procurement pages: governance adds a decision taken under delegated authority") {
  ProcurementRoutesFixture f;
  auto blank = f.get(f.governance, "/governance/procurement/new");
  REQUIRE(blank->status == 200);
  CHECK_THAT(blank->body, Catch::Contains("name=\"participants\"") && Catch::Contains("name=\"conflicts\""));

  FormFields fields = {{"subject", ""}, {"route", "direct_award"}, {"decided_by", "Chief Finance Officer under delegated authority"},
                       {"decided_on-day", "2"}, {"decided_on-month", "10"}, {"decided_on-year", "2026"}, {"value", "48750"},
                       {"provider", "Mobility Repairs Ltd"}, {"participants", "Helen Whitfield, Chief Finance Officer"},
                       {"conflicts", "None declared."}};
  auto wrong = f.form(f.governance, "/governance/procurement", fields);
  REQUIRE(wrong->status == 422);
  CHECK_THAT(wrong->body, Catch::Contains("Enter what was bought: the contract or service") &&
                              Catch::Contains("Helen Whitfield, Chief Finance Officer") && Catch::Contains("value=\"48750\""));
  CHECK(f.governance_list().at("total") == 0);

  fields[0].second = "Wheelchair repairs";
  auto added = f.form(f.governance, "/governance/procurement", fields);
  REQUIRE(added->status == 303);
  const auto location = added->get_header_value("Location");
  CHECK_THAT(location, Catch::EndsWith("?saved=added"));
  const std::string id = location.substr(std::string("/governance/procurement/").size(), location.find('?') - std::string("/governance/procurement/").size());
  REQUIRE(f.form(f.governance, "/governance/procurement/" + id + "/publish", {})->status == 303);
  auto pub = f.anonymous("/procurement/" + id);
  REQUIRE(pub->status == 200);
  CHECK_THAT(pub->body, Catch::Contains("Chief Finance Officer under delegated authority") && Catch::Contains("None declared.") &&
                            Catch::Contains("Helen Whitfield, Chief Finance Officer") && Catch::Contains("2 October 2026"));
}

TEST_CASE("procurement API: governance's JSON twins say the same words; others are refused") {
  ProcurementRoutesFixture f;
  auto bad = f.post(f.governance, "/api/v1/governance/procurement", {{"subject", "x"}, {"decided_by", "y"}, {"decided_on", "2026-02-30"}});
  REQUIRE(bad->status == 422);
  CHECK(json::parse(bad->body).at("error").at("details").contains("decided_on"));
  auto created = f.post(f.governance, "/api/v1/governance/procurement",
                        {{"subject", "Phlebotomy"}, {"route", "competitive_tender"}, {"decided_by", "Director of Commissioning"},
                         {"decided_on", "2026-11-20"}});
  REQUIRE(created->status == 201);
  const auto id = std::to_string(json::parse(created->body).at("decision").at("id").get<Id>());
  auto incomplete = f.post(f.governance, "/api/v1/governance/procurement/" + id + "/publish", json::object());
  REQUIRE(incomplete->status == 422);
  const auto details = json::parse(incomplete->body).at("error").at("details");
  auto page = f.form(f.governance, "/governance/procurement/" + id + "/publish", {});
  REQUIRE(page->status == 422);
  CHECK_THAT(page->body, Catch::Contains("href=\"/governance/procurement/" + id + "/edit#provider\""));
  CHECK(details.at("provider") == "Enter the provider chosen before publishing");
  CHECK(details.at("participants") == "Enter who took part in the decision before publishing");
  auto edited = f.post(f.governance, "/api/v1/governance/procurement/" + id, {{"provider", "Northbrook Labs"}, {"participants", "Jo Officer"}});
  REQUIRE(edited->status == 200);
  CHECK(json::parse(edited->body).at("decision").at("provider") == "Northbrook Labs");
  REQUIRE(f.post(f.governance, "/api/v1/governance/procurement/" + id + "/publish", json::object())->status == 200);
  auto doc = json::parse(f.get(f.governance, "/api/v1/governance/procurement/" + id)->body);
  CHECK(doc.at("versions").size() == 3);
  CHECK(doc.at("decision").at("status") == "published");
  CHECK(f.get(f.governance, "/api/v1/governance/procurement/999999")->status == 404);

  CHECK(f.get(f.member, "/governance/procurement")->status == 403);
  CHECK(f.get(f.chair, "/api/v1/governance/procurement")->status == 403);
  CHECK(f.post(f.member, "/api/v1/governance/procurement", {{"subject", "x"}})->status == 403);
  CHECK(f.anonymous("/api/v1/governance/procurement")->status == 401);
}
