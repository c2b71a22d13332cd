// Governance manages committees, memberships and quorum rules through the pages and the JSON API,
// and chairs' briefs and the public committee pages follow what it records.
#include <regex>

#include "model/register/committee_store.hpp"
#include "server/pccc_fixture.hpp"

using namespace probity;
using json = nlohmann::json;
using testing::FormFields;

namespace {
struct Fixture : testing::PcccFixture {
  Id pccc = ids.at("committees").at("pccc").get<Id>();
  Id meeting = ids.at("meetings").at("m-1").get<Id>();

  std::string committee_path(const std::string& rest = "") const { return "/governance/committees/" + std::to_string(pccc) + rest; }
  httplib::Result api(const testing::SignedIn& who, const std::string& path, const json& body) { return post(who, path, body); }

  // The merger item's quorum in the chair's brief JSON.
  json merger_quorum() {
    auto res = get(chair, "/api/v1/meetings/" + std::to_string(meeting) + "/conflicts");
    REQUIRE(res);
    INFO(res->body.substr(0, 500));
    REQUIRE(res->status == 200);
    const auto doc = json::parse(res->body);  // kept alive: the loop reads into it
    for (const auto& item : doc.at("items"))
      if (item.at("ref") == "a-2") return item.at("quorum");
    FAIL("no merger item");
    return nullptr;
  }
  int versions() { return static_cast<int>(CommitteeStore(*s.db).history(pccc).size()); }
  std::size_t memberships() { return MembershipStore(*s.db).for_committee(pccc).size(); }
};

FormFields committee_form(const std::string& name) {
  return {{"name", name},         {"ref", ""},           {"description", "Audits the accounts."},
          {"min_voting", "3"},    {"min_lay", "1"},      {"min_executive", "1"},
          {"min_clinical", "0"},  {"lay_executive_majority", "no"}, {"lay_chair", "yes"}};
}

FormFields with(FormFields fields, const std::string& key, const std::string& value) {
  for (auto& [k, v] : fields)
    if (k == key) v = value;
  return fields;
}

FormFields membership_form(Id person, const std::string& role, const std::string& from, const std::string& to = "") {
  auto parts = [](const std::string& name, const std::string& iso) -> FormFields {
    if (iso.empty()) return {{name + "-day", ""}, {name + "-month", ""}, {name + "-year", ""}};
    return {{name + "-day", iso.substr(8, 2)}, {name + "-month", iso.substr(5, 2)}, {name + "-year", iso.substr(0, 4)}};
  };
  FormFields out = {{"person_id", person ? std::to_string(person) : ""}, {"role", role}};
  for (auto& f : parts("from", from)) out.push_back(f);
  for (auto& f : parts("to", to)) out.push_back(f);
  return out;
}
}  // namespace

TEST_CASE("committee pages: governance lists, adds and opens a committee") {
  Fixture f;
  auto list = f.get(f.governance, "/governance/committees");
  REQUIRE(list);
  CHECK(list->status == 200);
  CHECK_THAT(list->body, Catch::Contains("Primary Care Commissioning Committee") && Catch::Contains("href=\"/governance/committees/new\""));
  auto blank = f.get(f.governance, "/governance/committees/new");
  REQUIRE(blank);
  CHECK(blank->status == 200);
  CHECK_THAT(blank->body, Catch::Contains("name=\"csrf_token\"") && Catch::Contains("Voting members needed") &&
                              Catch::Contains("Must a lay member chair each item?"));

  auto made = f.form(f.governance, "/governance/committees", with(committee_form("Audit Committee"), "ref", "audit"));
  REQUIRE(made);
  REQUIRE(made->status == 303);
  const auto location = made->get_header_value("Location");
  std::smatch m;
  REQUIRE(std::regex_match(location, m, std::regex(R"(/governance/committees/(\d+)\?saved=created)")));
  auto page = f.get(f.governance, location);
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK_THAT(page->body, Catch::Contains("Audit Committee") && Catch::Contains("The committee has been added") &&
                             Catch::Contains("At least 3 voting members present and free of conflict, including at least 1 lay "
                                             "member and 1 executive. A lay chair, or a lay vice-chair, must preside."));
  auto c = CommitteeStore(*f.s.db).find(std::stoll(m[1].str()));
  REQUIRE(c);
  CHECK(c->ref == "audit");
  CHECK(c->quorum == QuorumRule{3, 1, 1, 0, false, true});
  CHECK_THAT(f.get(f.governance, "/governance")->body, Catch::Contains("href=\"/governance/committees\""));
}

TEST_CASE("the add-a-committee form refuses each mistake on the same page, input kept, nothing written") {
  Fixture f;
  auto [field, value, message] = GENERATE(table<std::string, std::string, std::string>({
      {"name", "", "Enter the committee&apos;s name"},
      {"name", "primary care commissioning committee",
       "A committee called Primary Care Commissioning Committee already exists: choose a different name"},
      {"ref", "audit committee", "Reference must be 100 characters or fewer, using only letters"},
      {"ref", "pccc", "The reference pccc is already used by Primary Care Commissioning Committee"},
      {"min_voting", "-1", "Voting members needed must be 0 or more"},
      {"min_voting", "500", "Voting members needed must be 100 or fewer"},
      {"min_voting", "four", "Voting members needed must be a whole number, like 4"},
      {"min_voting", "", "Enter the number of voting members needed, or 0"},
      {"min_lay", "2.5", "Lay members needed must be a whole number, like 4"},
      {"min_executive", "-3", "Executive members needed must be 0 or more"},
      {"min_clinical", "101", "Clinical members needed must be 100 or fewer"},
      {"lay_executive_majority", "perhaps", "Select whether lay and executive members must be a majority"},
      {"lay_chair", "", "Select whether a lay member must chair each item"},
  }));
  CAPTURE(field, value);
  auto res = f.form(f.governance, "/governance/committees", with(committee_form("Audit Committee"), field, value));
  REQUIRE(res);
  CHECK(res->status == 422);
  CHECK_THAT(res->body, Catch::Contains("There is a problem") && Catch::Contains(message));
  const std::string target = field == "lay_executive_majority" || field == "lay_chair" ? field + "-yes" : field;
  CHECK_THAT(res->body, Catch::Contains("href=\"#" + target + "\"") && Catch::Contains(field + "-error"));
  CHECK_THAT(res->body, Catch::Contains("value=\"Audits the accounts.\"") || Catch::Contains(">Audits the accounts.</textarea>"));
  CHECK(CommitteeStore(*f.s.db).all().size() == 1);
}

TEST_CASE("editing the quorum rule is a new version, and raising min_voting makes the merger inquorate in the brief") {
  Fixture f;
  CHECK(f.merger_quorum().at("quorate") == true);
  CHECK(f.merger_quorum().at("eligible_voting") == 5);
  auto form = f.get(f.governance, f.committee_path("/edit"));
  REQUIRE(form);
  CHECK(form->status == 200);
  CHECK_THAT(form->body, Catch::Contains("value=\"4\""));

  FormFields fields = {{"name", "Primary Care Commissioning Committee"}, {"description", ""}, {"min_voting", "6"}, {"min_lay", "1"},
                   {"min_executive", "1"}, {"min_clinical", "0"}, {"lay_executive_majority", "yes"}, {"lay_chair", "yes"}};
  auto bad = f.form(f.governance, f.committee_path("/edit"), with(fields, "min_voting", "-6"));
  REQUIRE(bad);
  CHECK(bad->status == 422);
  CHECK_THAT(bad->body, Catch::Contains("Voting members needed must be 0 or more") && Catch::Contains("value=\"-6\""));
  CHECK(f.versions() == 1);

  auto saved = f.form(f.governance, f.committee_path("/edit"), fields);
  REQUIRE(saved);
  CHECK(saved->status == 303);
  CHECK(saved->get_header_value("Location") == f.committee_path("?saved=edited"));
  CHECK(f.versions() == 2);
  CHECK(CommitteeStore(*f.s.db).history(f.pccc).front().entity.quorum.min_voting == 4);  // the old version is kept

  auto q = f.merger_quorum();
  CHECK(q.at("quorate") == false);
  CHECK(q.at("failures").at(0).at("rule") == "min_voting");
  CHECK(q.at("remedies").size() == 4);
  auto brief = f.get(f.chair, "/meetings/" + std::to_string(f.meeting) + "/brief");
  REQUIRE(brief);
  CHECK_THAT(brief->body, Catch::Contains("items would be inquorate") && Catch::Contains("Why the item is inquorate"));
  auto page = f.get(f.governance, f.committee_path());
  CHECK_THAT(page->body, Catch::Contains("Version 2") && Catch::Contains("Version 1") && Catch::Contains("At least 6 voting members"));
}

TEST_CASE("memberships: add, refuse nonsense, end; the public committee page and the quorum follow") {
  Fixture f;
  // Six voting members are needed: with Dr Hassan excluded from the merger, five are eligible.
  REQUIRE(f.api(f.governance, "/api/v1/governance/committees/" + std::to_string(f.pccc), {{"min_voting", 6}})->status == 200);
  CHECK(f.merger_quorum().at("quorate") == false);

  const Id officer = f.person("p-officer");
  const auto before = f.memberships();
  SECTION("each mistake is refused with its message, the input kept and nothing written") {
    auto [what, fields, message] = GENERATE_REF(table<std::string, FormFields, std::string>({
        {"no person", membership_form(0, "voting", "2025-01-01"), "Select the person who is joining the committee"},
        {"unknown person", membership_form(99999, "voting", "2025-01-01"), "Select a person from the register"},
        {"no role", membership_form(f.person("p-officer"), "", "2025-01-01"), "Select their role on the committee"},
        {"no start", membership_form(f.person("p-officer"), "voting", ""), "Enter the date the membership starts"},
        {"impossible start", membership_form(f.person("p-officer"), "voting", "2025-02-30"), "The date the membership starts must be a real date"},
        {"end before start", membership_form(f.person("p-officer"), "voting", "2025-01-01", "2024-12-31"),
         "The end date must be the same as or after the start date (1 January 2025)"},
        {"already a member", membership_form(f.person("p-gp"), "voting", "2026-01-01"),
         "Dr Amir Hassan is already a member of this committee from 1 April 2024 with no end date"},
        {"a second chair", membership_form(f.person("p-officer"), "chair", "2026-01-01"),
         "Margaret Ellison is already the chair from 1 April 2024 with no end date. A committee has one chair at a time"},
    }));
    CAPTURE(what);
    auto res = f.form(f.governance, f.committee_path("/memberships"), fields);
    REQUIRE(res);
    CHECK(res->status == 422);
    CHECK_THAT(res->body, Catch::Contains("There is a problem") && Catch::Contains(message));
    CHECK(f.memberships() == before);
  }
  SECTION("a second chair is refused through the API too, with the same words") {
    auto res = f.api(f.governance, "/api/v1" + f.committee_path("/memberships"),
                     {{"person_id", officer}, {"role", "chair"}, {"from", "2026-01-01"}});
    REQUIRE(res);
    CHECK(res->status == 422);
    auto error = json::parse(res->body).at("error");
    CHECK(error.at("code") == "invalid_input");
    CHECK_THAT(error.at("details").at("role").get<std::string>(), Catch::StartsWith("Margaret Ellison is already the chair"));
    CHECK(f.memberships() == before);
  }
  SECTION("a new voting member makes the item quorate and appears on the public page; ending it reverses both") {
    auto added = f.form(f.governance, f.committee_path("/memberships"), membership_form(officer, "voting", "2025-01-01"));
    REQUIRE(added);
    REQUIRE(added->status == 303);
    CHECK(f.memberships() == before + 1);
    CHECK(f.merger_quorum().at("quorate") == true);
    auto pub = f.s.client().Get(("/committees/" + std::to_string(f.pccc)).c_str());
    REQUIRE(pub);
    CHECK_THAT(pub->body, Catch::Contains("Jo Officer"));

    Id membership = 0;
    for (const auto& ms : MembershipStore(*f.s.db).for_committee(f.pccc))
      if (ms.person_id == officer) membership = ms.id;
    const std::string end = f.committee_path("/memberships/" + std::to_string(membership) + "/end");
    auto end_page = f.get(f.governance, end);
    REQUIRE(end_page);
    CHECK(end_page->status == 200);
    auto early = f.form(f.governance, end, {{"to-day", "31"}, {"to-month", "12"}, {"to-year", "2024"}});
    REQUIRE(early);
    CHECK(early->status == 422);
    CHECK_THAT(early->body, Catch::Contains("href=\"#to-day\"") && Catch::Contains("The end date must be the same as or after the start date"));
    auto ended = f.form(f.governance, end, {{"to-day", "30"}, {"to-month", "6"}, {"to-year", "2025"}});
    REQUIRE(ended);
    CHECK(ended->status == 303);
    CHECK(MembershipStore(*f.s.db).history(membership).size() == 2);
    CHECK(f.merger_quorum().at("quorate") == false);
    auto after = f.s.client().Get(("/committees/" + std::to_string(f.pccc)).c_str());
    CHECK_THAT(after->body, !Catch::Contains("Jo Officer"));
  }
}

TEST_CASE("the committees API: list, read, create, edit, add and end memberships, with 422 details and 404s") {
  Fixture f;
  auto list = f.get(f.governance, "/api/v1/governance/committees");
  REQUIRE(list);
  REQUIRE(list->status == 200);
  auto doc = json::parse(list->body);
  CHECK(doc.at("committees").at(0).at("ref") == "pccc");
  CHECK(doc.at("committees").at(0).at("members_today") == 6);

  auto one = f.get(f.governance, "/api/v1" + f.committee_path());
  REQUIRE(one->status == 200);
  auto pccc = json::parse(one->body);
  CHECK(pccc.at("committee").at("quorum").at("min_voting") == 4);
  CHECK(pccc.at("committee").at("version") == 1);
  CHECK(pccc.at("memberships").size() == 6);
  CHECK(pccc.at("memberships").at(0).at("person").at("name") == "Margaret Ellison");

  auto bad = f.api(f.governance, "/api/v1/governance/committees", {{"name", ""}, {"min_voting", -1}, {"lay_chair", "maybe"}});
  REQUIRE(bad->status == 422);
  CHECK(json::parse(bad->body).at("error").at("details") ==
        json{{"name", "Enter the committee's name"}, {"min_voting", "Voting members needed must be 0 or more"},
             {"lay_chair", "Select whether a lay member must chair each item"}});

  auto made = f.api(f.governance, "/api/v1/governance/committees",
                    {{"name", "Audit Committee"}, {"min_voting", 3}, {"lay_executive_majority", true}});
  REQUIRE(made->status == 201);
  auto audit = json::parse(made->body).at("committee");
  CHECK(audit.at("quorum") == json{{"min_voting", 3}, {"min_lay", 0}, {"min_executive", 0}, {"min_clinical", 0},
                                   {"lay_executive_majority", true}, {"lay_chair", false}, {"lay_member_may_preside", false}});
  const std::string base = "/api/v1/governance/committees/" + std::to_string(audit.at("id").get<Id>());

  auto edited = f.api(f.governance, base, {{"description", "Audits the accounts."}, {"ref", "ignored"}});
  REQUIRE(edited->status == 200);
  CHECK(json::parse(edited->body).at("committee").at("description") == "Audits the accounts.");
  CHECK(json::parse(edited->body).at("committee").at("ref") == audit.at("ref"));
  CHECK(json::parse(edited->body).at("committee").at("version") == 2);

  auto joined = f.api(f.governance, base + "/memberships", {{"person_id", f.person("p-exec")}, {"role", "chair"}, {"from", "2025-04-01"}});
  REQUIRE(joined->status == 201);
  auto membership = json::parse(joined->body).at("membership");
  CHECK(membership.at("role") == "chair");
  CHECK(membership.at("person").at("ref") == "p-exec");
  CHECK(membership.at("to").is_null());
  CHECK(membership.at("current") == true);
  const std::string end = base + "/memberships/" + std::to_string(membership.at("id").get<Id>()) + "/end";
  CHECK(json::parse(f.api(f.governance, end, {{"to", "2025-03-01"}})->body).at("error").at("details").contains("to"));
  CHECK(json::parse(f.api(f.governance, end, json::object())->body).at("error").at("details") ==
        json{{"to", "Enter the date the membership ends"}});
  auto ended = f.api(f.governance, end, {{"to", "2026-03-31"}});
  REQUIRE(ended->status == 200);
  CHECK(json::parse(ended->body).at("membership").at("to") == "2026-03-31");

  CHECK(f.get(f.governance, "/api/v1/governance/committees/99999")->status == 404);
  CHECK(f.api(f.governance, "/api/v1/governance/committees/99999", {{"name", "X"}})->status == 404);
  CHECK(f.api(f.governance, "/api/v1/governance/committees/99999/memberships", json::object())->status == 404);
  // A membership of another committee is not found under this one.
  CHECK(f.api(f.governance, "/api/v1" + f.committee_path("/memberships/" + std::to_string(membership.at("id").get<Id>()) + "/end"),
              {{"to", "2026-03-31"}})->status == 404);
}

TEST_CASE("the committee page warns when today's members cannot meet the quorum rule") {
  Fixture f;
  auto made = f.api(f.governance, "/api/v1/governance/committees", {{"name", "Audit Committee"}, {"min_voting", 3}});
  REQUIRE(made->status == 201);
  const Id id = json::parse(made->body).at("committee").at("id").get<Id>();
  const std::string api = "/api/v1/governance/committees/" + std::to_string(id);
  REQUIRE(f.api(f.governance, api + "/memberships", {{"person_id", f.person("p-exec")}, {"role", "chair"}, {"from", "2025-04-01"}})->status == 201);
  // Turning the lay chair rule on afterwards is allowed (the members may be changed next), and the page says what does not fit.
  REQUIRE(f.api(f.governance, api, {{"lay_chair", true}})->status == 200);
  auto page = f.get(f.governance, "/governance/committees/" + std::to_string(id));
  REQUIRE(page);
  CHECK_THAT(page->body, Catch::Contains("The quorum needs 3 voting members, but the committee has 1 today") &&
                             Catch::Contains("The quorum rule needs a lay chair, but Helen Whitfield (Chair) is not a lay member"));
  auto pccc = f.get(f.governance, f.committee_path());
  CHECK_THAT(pccc->body, !Catch::Contains("do not fit the quorum rule"));
}

TEST_CASE("only governance manages committees: members and chairs get 403, nobody signed in is sent to sign in, CSRF is required") {
  Fixture f;
  for (const auto* who : {&f.member, &f.chair}) {
    CHECK(f.get(*who, "/governance/committees")->status == 403);
    CHECK(f.get(*who, f.committee_path())->status == 403);
    CHECK(f.get(*who, "/api/v1/governance/committees")->status == 403);
    CHECK(f.form(*who, "/governance/committees", committee_form("Audit Committee"))->status == 403);
    CHECK(f.form(*who, f.committee_path("/edit"), {{"min_voting", "0"}})->status == 403);
    CHECK(f.api(*who, "/api/v1" + f.committee_path(), {{"min_voting", 0}})->status == 403);
    CHECK(f.api(*who, "/api/v1" + f.committee_path("/memberships"),
                {{"person_id", f.person("p-officer")}, {"role", "voting"}, {"from", "2025-01-01"}})->status == 403);
  }
  auto anonymous = f.s.client().Get("/governance/committees");
  CHECK(anonymous->status == 303);
  CHECK_THAT(anonymous->get_header_value("Location"), Catch::StartsWith("/sign-in"));
  CHECK(f.s.client().Get("/api/v1/governance/committees")->status == 401);

  CHECK(f.form(f.governance, "/governance/committees", committee_form("Audit Committee"), false)->status == 403);
  CHECK(f.form(f.governance, f.committee_path("/memberships"), membership_form(f.person("p-officer"), "voting", "2025-01-01"), false)->status ==
        403);
  auto no_header = f.s.client().Post("/api/v1/governance/committees", f.governance.headers(), json{{"name", "Audit Committee"}}.dump(),
                                     "application/json");
  CHECK(no_header->status == 403);
  CHECK(json::parse(no_header->body).at("error").at("code") == "csrf_failed");
  CHECK(CommitteeStore(*f.s.db).all().size() == 1);
  CHECK(f.versions() == 1);
}
