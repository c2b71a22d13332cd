// The meeting rules through real HTTP requests: co-opting a member who makes an inquorate item
// quorate, recording how an item was handled for the minutes, and the record page's one form
// per person and item (no repeated ids, every control labelled).
#include "server/pccc_fixture.hpp"

#include <regex>
#include <set>

using namespace probity;
using json = nlohmann::json;

namespace {

struct RulesFixture : testing::PcccFixture {
  Id meeting = ids.at("meetings").at("m-1").get<Id>();
  Id merger = 0;
  Id declarations_item = 0;
  Id visitor = 0;  // an executive of NHS England, on the register but not on the committee

  RulesFixture() : PcccFixture("p-officer") {
    auto more = s.import(json::parse(R"json({"format": "probity-bundle", "version": 1,
      "people": [{"ref": "p-nhse", "name": "Nell Ashworth", "kind": "executive", "position": "Director, NHS England"}]})json"));
    visitor = more.at("people").at("p-nhse").get<Id>();
    auto res = get(chair, path("/conflicts", true));
    REQUIRE(res);
    REQUIRE(res->status == 200);
    const json check = json::parse(res->body);  // kept: a loop over a temporary's member would dangle
    for (const auto& item : check.at("items")) {
      if (item.at("ref") == "a-2") merger = item.at("id").get<Id>();
      if (item.at("ref") == "a-1") declarations_item = item.at("id").get<Id>();
    }
    REQUIRE(merger != 0);
  }
  std::string path(const std::string& rest, bool api = false) const {
    return std::string(api ? "/api/v1" : "") + "/meetings/" + std::to_string(meeting) + rest;
  }
  json item_of_check(Id item) {
    auto res = get(chair, path("/conflicts", true));
    REQUIRE(res);
    REQUIRE(res->status == 200);
    const json check = json::parse(res->body);
    for (const auto& one : check.at("items"))
      if (one.at("id") == item) return one;
    FAIL("no such item in the check");
    return nullptr;
  }
  // Both executives send apologies: the merger (the GP excluded) has no executive left.
  void executives_away() {
    for (const char* ref : {"p-exec", "p-exec2"}) {
      auto res = post(chair, path("/attendance", true), {{"person_id", person(ref)}, {"status", "apologies"}});
      REQUIRE(res);
      REQUIRE(res->status == 200);
    }
  }
};

std::vector<std::string> failing_rules(const json& quorum) {
  std::vector<std::string> out;
  for (const auto& f : quorum.at("failures")) out.push_back(f.at("rule").get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("a member co-opted for an item counts for its quorum, on that item only", "[meeting_rules]") {
  RulesFixture f;
  f.executives_away();
  CHECK(f.item_of_check(f.merger).at("quorum").at("quorate") == false);
  CHECK(failing_rules(f.item_of_check(f.merger).at("quorum")) == (std::vector<std::string>{"min_voting", "min_executive"}));

  auto res = f.form(f.chair, f.path("/co-opted"),
                    {{"person_id", std::to_string(f.visitor)}, {"from_body", "NHS England"}, {"agenda_item_id", std::to_string(f.merger)}});
  REQUIRE(res);
  CHECK(res->status == 303);
  CHECK(res->get_header_value("Location") == f.path("/manage#co-opted"));

  const json merger = f.item_of_check(f.merger);
  CHECK(merger.at("quorum").at("quorate") == true);
  CHECK(merger.at("quorum").at("executive") == 1);
  CHECK(merger.at("quorum").at("co_opted") == 1);
  REQUIRE(merger.at("co_opted").size() == 1);
  CHECK(merger.at("co_opted")[0].at("person").at("name") == "Nell Ashworth");
  CHECK(merger.at("co_opted")[0].at("from_body") == "NHS England");
  // Not co-opted for the first item: it stays without an executive.
  const json first = f.item_of_check(f.declarations_item);
  CHECK(first.at("quorum").at("co_opted") == 0);
  CHECK(failing_rules(first.at("quorum")) == std::vector<std::string>{"min_executive"});

  // The manage page lists her with a way to remove her; removing her makes the item inquorate again.
  auto manage = f.get(f.chair, f.path("/manage"));
  REQUIRE(manage);
  CHECK_THAT(manage->body, Catch::Contains("Nell Ashworth") && Catch::Contains("Item 2: Proposed merger"));
  auto listed = f.get(f.chair, f.path("/manage", true));
  REQUIRE(listed);
  const Id co_opted_id = json::parse(listed->body).at("co_opted").at(0).at("id").get<Id>();
  auto removed = f.form(f.chair, f.path("/co-opted/" + std::to_string(co_opted_id) + "/stand-down"), {});
  REQUIRE(removed);
  CHECK(removed->status == 303);
  CHECK(f.item_of_check(f.merger).at("quorum").at("quorate") == false);
}

TEST_CASE("a member co-opted for the whole meeting votes on every item", "[meeting_rules]") {
  RulesFixture f;
  f.executives_away();
  auto res = f.post(f.chair, f.path("/co-opted", true), {{"person_id", f.visitor}, {"from_body", "NHS England"}});
  REQUIRE(res);
  REQUIRE(res->status == 201);
  CHECK(json::parse(res->body).at("agenda_item_id").is_null());
  CHECK(f.item_of_check(f.merger).at("quorum").at("quorate") == true);
  CHECK(f.item_of_check(f.declarations_item).at("quorum").at("quorate") == true);
}

TEST_CASE("co-opting is refused field by field, and nothing is written", "[meeting_rules]") {
  RulesFixture f;
  SECTION("a voting member of the committee already counts") {
    auto res = f.post(f.chair, f.path("/co-opted", true), {{"person_id", f.person("p-exec")}, {"from_body", "NHS England"}});
    REQUIRE(res);
    CHECK(res->status == 422);
    CHECK(json::parse(res->body).at("error").at("details") == json{{"person_id", "Helen Whitfield is already a voting member of the committee"}});
  }
  SECTION("the body they come from is required; the form comes back with what was chosen") {
    auto res = f.form(f.chair, f.path("/co-opted"), {{"person_id", std::to_string(f.visitor)}, {"from_body", ""}, {"agenda_item_id", ""}});
    REQUIRE(res);
    CHECK(res->status == 422);
    CHECK_THAT(res->body, Catch::Contains("nhsuk-error-summary") && Catch::Contains("href=\"#from_body\"") &&
                              Catch::Contains("Enter the body they come from"));
    CHECK_THAT(res->body, Catch::Contains("<option value=\"" + std::to_string(f.visitor) + "\" selected>"));
  }
  SECTION("the same person twice for the same scope") {
    const json body = {{"person_id", f.visitor}, {"from_body", "NHS England"}};
    REQUIRE(f.post(f.chair, f.path("/co-opted", true), body)->status == 201);
    auto again = f.post(f.chair, f.path("/co-opted", true), body);
    REQUIRE(again);
    CHECK(again->status == 422);
    CHECK_THAT(again->body, Catch::Contains("already co-opted for the whole meeting"));
  }
  SECTION("an item of another meeting") {
    auto res = f.post(f.chair, f.path("/co-opted", true), {{"person_id", f.visitor}, {"from_body", "NHS England"}, {"agenda_item_id", 999999}});
    REQUIRE(res);
    CHECK(res->status == 422);
    CHECK_THAT(res->body, Catch::Contains("agenda_item_id"));
  }
  auto listed = f.get(f.chair, f.path("/manage", true));
  REQUIRE(listed);
  const auto co_opted = json::parse(listed->body).at("co_opted");
  CHECK(co_opted.size() <= 1);  // only the section that co-opted once wrote anything
}

TEST_CASE("the remedy, who presided and clinical input are recorded per item and shown in the minutes", "[meeting_rules]") {
  RulesFixture f;
  SECTION("clinical input needs where it came from") {
    auto res = f.form(f.chair, f.path("/outcomes"),
                      {{"agenda_item_id", std::to_string(f.merger)}, {"remedy", "co_opt"}, {"presided_by", "Margaret Ellison"},
                       {"clinical_input_by", "Dr Ruth Bell"}, {"clinical_input_from", ""}});
    REQUIRE(res);
    CHECK(res->status == 422);
    const std::string prefix = "o-" + std::to_string(f.merger) + "-";
    CHECK_THAT(res->body, Catch::Contains("href=\"#" + prefix + "clinical_input_from\"") &&
                              Catch::Contains("id=\"" + prefix + "clinical_input_from-error\"") &&
                              Catch::Contains("value=\"Dr Ruth Bell\""));
  }
  SECTION("an unknown remedy") {
    auto res = f.post(f.chair, f.path("/outcomes", true), {{"agenda_item_id", f.merger}, {"remedy", "vote_anyway"}});
    REQUIRE(res);
    CHECK(res->status == 422);
    CHECK(json::parse(res->body).at("error").at("details") == json{{"remedy", "Select what was done, or that nothing was needed"}});
  }
  SECTION("saved, changed, and in the minutes") {
    auto res = f.post(f.chair, f.path("/outcomes", true),
                      {{"agenda_item_id", f.merger}, {"remedy", "defer"}, {"presided_by", "Margaret Ellison"}});
    REQUIRE(res);
    REQUIRE(res->status == 201);
    auto changed = f.form(f.chair, f.path("/outcomes"),
                          {{"agenda_item_id", std::to_string(f.merger)}, {"remedy", "co_opt"}, {"presided_by", "Samuel Okonkwo"},
                           {"clinical_input_by", "Dr Ruth Bell"}, {"clinical_input_from", "a GP from Westbrook"}});
    REQUIRE(changed);
    CHECK(changed->status == 303);
    CHECK(json::parse(res->body).at("id") == f.item_of_check(f.merger).at("outcome").at("id"));  // the same record, a new version
    CHECK(f.item_of_check(f.merger).at("outcome").at("remedy") == "co_opt");
    auto minutes = f.get(f.chair, f.path("/minutes.txt"));
    REQUIRE(minutes);
    CHECK_THAT(minutes->body, Catch::Contains("- Members co-opted. Presided: Samuel Okonkwo. Independent clinical input: Dr Ruth Bell (a GP "
                                              "from Westbrook)."));
    auto page = f.get(f.chair, f.path("/minutes"));
    REQUIRE(page);
    CHECK_THAT(page->body, Catch::Contains("Members co-opted. Presided: Samuel Okonkwo."));
  }
}

TEST_CASE("the record page has one decision form per person and item, unique ids, and a label for every control", "[meeting_rules]") {
  RulesFixture f;
  // Dr Hassan has two flags on the merger (his interest in Riverside and his own practice).
  const json merger = f.item_of_check(f.merger);
  int hassan_flags = 0;
  for (const auto& flag : merger.at("flags")) hassan_flags += flag.at("person").at("id") == f.person("p-gp") ? 1 : 0;
  REQUIRE(hassan_flags >= 2);

  auto page = f.get(f.chair, f.path("/record"));
  REQUIRE(page);
  REQUIRE(page->status == 200);
  const std::string& html = page->body;
  // One form for him on the merger, whatever the number of flags.
  const std::string form_id = "d-" + std::to_string(f.merger) + "-" + std::to_string(f.person("p-gp"));
  std::size_t forms = 0;
  for (auto at = html.find("id=\"" + form_id + "-action\""); at != std::string::npos; at = html.find("id=\"" + form_id + "-action\"", at + 1)) ++forms;
  CHECK(forms == 1);

  std::set<std::string> ids, repeated;
  const std::regex id_attr(R"re(\sid="([^"]+)")re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), id_attr); it != std::sregex_iterator(); ++it)
    if (!ids.insert((*it)[1]).second) repeated.insert((*it)[1]);
  CAPTURE(repeated);
  CHECK(repeated.empty());

  std::set<std::string> labelled;
  const std::regex label_for(R"re(<label[^>]*\sfor="([^"]+)")re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), label_for); it != std::sregex_iterator(); ++it) labelled.insert((*it)[1]);
  const std::regex control(R"re(<(input|select|textarea)\b([^>]*)>)re");
  const std::regex control_id(R"re(\sid="([^"]+)")re");
  int controls = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), control); it != std::sregex_iterator(); ++it) {
    const std::string attributes = (*it)[2];
    if (attributes.find("type=\"hidden\"") != std::string::npos) continue;
    ++controls;
    std::smatch m;
    const bool has_id = std::regex_search(attributes, m, control_id);
    CAPTURE(attributes);
    REQUIRE(has_id);
    CHECK(labelled.contains(m[1]));
  }
  CHECK(controls > 10);
}
