// Committees in common through real HTTP requests: holding a meeting in common from its manage
// page (mistakes answered on the page, 422), the follower's pages (the shared agenda named with a
// link, no agenda forms), its brief's summary of both committees, and the API's 409 for an agenda
// or attendance change on the follower.
#include "server/pccc_fixture.hpp"

using namespace probity;
using json = nlohmann::json;

namespace {

struct InCommonFixture : testing::PcccFixture {
  Id lead = ids.at("meetings").at("m-1").get<Id>();
  Id other = 0;  // a second committee, chaired by the small PCCC's chair too

  InCommonFixture() {
    auto more = s.import(json::parse(R"json({"format": "probity-bundle", "version": 1,
      "committees": [{"ref": "w-pccc", "name": "Westbrook Primary Care Commissioning Committee",
                      "quorum": {"min_voting": 3, "min_lay": 1},
                      "members": [{"person": "p-chair", "role": "chair", "from": "2024-04-01"},
                                  {"person": "p-gp", "role": "voting", "from": "2024-04-01"}]}]})json"));
    other = more.at("committees").at("w-pccc").get<Id>();
  }
  std::string path(Id meeting, const std::string& rest, bool api = false) const {
    return std::string(api ? "/api/v1" : "") + "/meetings/" + std::to_string(meeting) + rest;
  }
};

}  // namespace

TEST_CASE("a meeting is held in common from its manage page, with mistakes shown on the page") {
  InCommonFixture f;
  auto page = f.get(f.chair, f.path(f.lead, "/manage"));
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK_THAT(page->body, Catch::Contains("Hold in common with another committee") &&
                             Catch::Contains("Westbrook Primary Care Commissioning Committee"));

  auto wrong = f.form(f.chair, f.path(f.lead, "/in-common"), {{"committee_id", ""}});
  REQUIRE(wrong);
  CHECK(wrong->status == 422);
  CHECK_THAT(wrong->body, Catch::Contains("nhsuk-error-summary") && Catch::Contains("Select the committee"));

  auto held = f.form(f.chair, f.path(f.lead, "/in-common"), {{"committee_id", std::to_string(f.other)}});
  REQUIRE(held);
  REQUIRE(held->status == 303);
  const std::string follower_manage = held->get_header_value("Location");
  const Id follower = std::stoll(follower_manage.substr(std::string("/meetings/").size()));
  CHECK(follower_manage == f.path(follower, "/manage"));

  // The follower's page names the shared agenda, with a link, and has no agenda or attendance forms.
  auto manage = f.get(f.chair, follower_manage);
  REQUIRE(manage);
  CHECK(manage->status == 200);
  CHECK_THAT(manage->body, Catch::Contains("This meeting shares the agenda of Primary Care Commissioning Committee's meeting") &&
                               Catch::Contains("href=\"" + f.path(f.lead, "/manage") + "\""));
  CHECK(manage->body.find("action=\"" + f.path(follower, "/items") + "\"") == std::string::npos);
  CHECK(manage->body.find("action=\"" + f.path(follower, "/attendance") + "\"") == std::string::npos);
  CHECK_THAT(manage->body, Catch::Contains("Proposed merger of Riverside Surgery"));  // the lead's agenda, shown

  // The same committee again is refused, on the lead and on the follower.
  auto again = f.post(f.chair, f.path(follower, "/in-common", true), {{"committee_id", f.other}});
  REQUIRE(again);
  CHECK(again->status == 422);

  // Changing the agenda or attendance on the follower: 409, naming the lead's committee.
  auto item = f.post(f.chair, f.path(follower, "/items", true), {{"title", "Another item"}});
  REQUIRE(item);
  CHECK(item->status == 409);
  CHECK(json::parse(item->body)["error"]["code"] == "shares_agenda");
  auto attendance = f.post(f.chair, f.path(follower, "/attendance", true), {{"person_id", f.person("p-gp")}, {"status", "apologies"}});
  REQUIRE(attendance);
  CHECK(attendance->status == 409);

  // Each brief has the summary of both committees; the merger (the GP excluded) is quorate for
  // neither here: the small PCCC has 5 voting members left of 4 needed, Westbrook's 1 of 3.
  auto conflicts = f.get(f.chair, f.path(follower, "/conflicts", true));
  REQUIRE(conflicts);
  REQUIRE(conflicts->status == 200);
  const json check = json::parse(conflicts->body);
  CHECK(check["meeting"]["in_common_with"] == f.lead);
  REQUIRE(check["meeting"]["in_common"].size() == 2);
  CHECK(check["items"].size() == 2);
  CHECK(check["meeting"]["in_common"][0]["items"][1]["quorate"] == true);
  CHECK(check["meeting"]["in_common"][1]["items"][1]["quorate"] == false);
  auto brief = f.get(f.chair, f.path(f.lead, "/brief"));
  REQUIRE(brief);
  CHECK(brief->status == 200);
  CHECK_THAT(brief->body, Catch::Contains("Committees in common") &&
                              Catch::Contains("href=\"" + f.path(follower, "/brief") + "\">Brief for Westbrook Primary Care Commissioning Committee"));
}

TEST_CASE("a meeting of its own shows no committees in common, and a single body's brief names no body") {
  InCommonFixture f;
  auto brief = f.get(f.chair, f.path(f.lead, "/brief"));
  REQUIRE(brief);
  CHECK(brief->body.find("Committees in common") == std::string::npos);
  CHECK(brief->body.find("by body") == std::string::npos);
  auto conflicts = f.get(f.chair, f.path(f.lead, "/conflicts", true));
  REQUIRE(conflicts);
  const json check = json::parse(conflicts->body);
  CHECK_FALSE(check["meeting"].contains("in_common"));
  CHECK_FALSE(check["meeting"]["participants"][0].contains("body"));
  CHECK_FALSE(check["items"][0]["quorum"].contains("by_body"));
}
