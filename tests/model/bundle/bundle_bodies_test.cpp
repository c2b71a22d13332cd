// Bodies in bundles (docs/bundle-format.md, "bodies[]"): a joint arrangement's bodies, a person's
// home body, a committee's owning bodies and per-body quorum, and committees in common.
#include <catch2/catch.hpp>

#include "model/bundle/bundle.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/register/bodies.hpp"
#include "model/register/committee_store.hpp"
#include "model/register/person_store.hpp"
#include "support.hpp"

using namespace probity;
using json = nlohmann::json;

namespace {

json joint_bundle() {
  return json::parse(R"({
    "format": "probity-bundle", "version": 1,
    "bodies": [
      {"ref": "default", "name": "", "kind": "ccg"},
      {"ref": "b-south", "name": "NHS Southvale CCG", "ods_code": "99Q", "kind": "ccg"},
      {"ref": "b-nhse", "name": "NHS England", "kind": "nhs_england", "publication": "elsewhere",
       "register_url": "https://www.england.nhs.uk/register"}
    ],
    "people": [
      {"ref": "p-north", "name": "Ann North", "kind": "lay"},
      {"ref": "p-south", "name": "Ben South", "kind": "lay", "body": "b-south"},
      {"ref": "p-nhse", "name": "Cy England", "kind": "executive", "body": "b-nhse"}
    ],
    "committees": [
      {"ref": "joint", "name": "Joint committee", "bodies": ["default", "b-south", "b-nhse"],
       "quorum": {"min_voting": 3, "min_voting_each_body": 1, "min_voting_from_body": [{"body": "b-nhse", "min": 1}]},
       "members": [{"person": "p-north", "role": "chair", "from": "2025-04-01"},
                   {"person": "p-south", "role": "voting", "from": "2025-04-01"},
                   {"person": "p-nhse", "role": "voting", "from": "2025-04-01"}]},
      {"ref": "n-pccc", "name": "Northern PCCC", "members": [{"person": "p-north", "role": "chair", "from": "2025-04-01"}]},
      {"ref": "s-pccc", "name": "Southern PCCC", "bodies": ["b-south"],
       "members": [{"person": "p-south", "role": "chair", "from": "2025-04-01"}]}
    ],
    "meetings": [
      {"ref": "m-lead", "committee": "n-pccc", "title": "PCCCs in common", "date": "2026-12-10",
       "attendance": [{"person": "p-north", "status": "present"}],
       "agenda": [{"ref": "a-1", "title": "Local incentive scheme", "category": "local_incentive_scheme"}]},
      {"ref": "m-follow", "committee": "s-pccc", "title": "PCCCs in common", "date": "2026-12-10", "in_common_with": "m-lead",
       "co_opted": [{"person": "p-nhse", "from_body": "NHS England", "item": "a-1"}]}
    ]
  })");
}

}  // namespace

TEST_CASE("a bundle's bodies, home bodies, joint committees and committees in common are stored as given") {
  testing::TestDb t;
  auto r = import_bundle(*t, joint_bundle(), "test");
  CAPTURE(r.errors.empty() ? std::string() : r.errors.front().text());
  REQUIRE(r.ok);
  const Id south = r.ids["bodies"]["b-south"].get<Id>();
  const Id nhse = r.ids["bodies"]["b-nhse"].get<Id>();
  CHECK(r.ids["bodies"]["default"].get<Id>() == kDefaultBody);
  CHECK(BodyStore(*t).all().size() == 3);
  CHECK(BodyStore(*t).find(nhse)->publication == BodyPublication::elsewhere);

  PersonStore people(*t);
  CHECK(people.find(r.ids["people"]["p-north"].get<Id>())->body_id == kDefaultBody);
  CHECK(people.find(r.ids["people"]["p-south"].get<Id>())->body_id == south);

  CommitteeStore committees(*t);
  const auto joint = committees.find(r.ids["committees"]["joint"].get<Id>());
  CHECK(joint->body_ids == std::vector<Id>{kDefaultBody, south, nhse});
  CHECK(joint->quorum.min_voting_each_body == 1);
  CHECK(joint->quorum.min_voting_from_body == std::map<Id, int>{{nhse, 1}});
  CHECK(committees.find(r.ids["committees"]["n-pccc"].get<Id>())->body_ids == std::vector<Id>{kDefaultBody});

  MeetingStore meetings(*t);
  const Id lead = r.ids["meetings"]["m-lead"].get<Id>();
  CHECK_FALSE(meetings.find(lead)->in_common_with);
  CHECK(meetings.find(r.ids["meetings"]["m-follow"].get<Id>())->in_common_with == lead);
}

TEST_CASE("a bundle with bodies exports and re-imports into an empty database unchanged") {
  testing::TestDb a;
  REQUIRE(import_bundle(*a, joint_bundle(), "test").ok);
  const json exported = export_bundle(*a);
  REQUIRE(exported.contains("bodies"));
  CHECK(exported["people"][1]["body"] == "b-south");
  CHECK(exported["committees"][0]["bodies"] == json::array({"default", "b-south", "b-nhse"}));
  CHECK(exported["committees"][0]["quorum"]["min_voting_from_body"] == json::parse(R"([{"body": "b-nhse", "min": 1}])"));
  CHECK(exported["meetings"][1]["in_common_with"] == "m-lead");
  CHECK_FALSE(exported["meetings"][1].contains("agenda"));  // the lead's, listed there
  CHECK(exported["meetings"][1]["co_opted"][0]["item"] == "a-1");
  testing::TestDb b;
  auto r = import_bundle(*b, exported, "test");
  CAPTURE(r.errors.empty() ? std::string() : r.errors.front().text());
  REQUIRE(r.ok);
  CHECK(export_bundle(*b) == exported);
}

TEST_CASE("a bundle without bodies puts everything in the default body and exports without them, as before") {
  testing::TestDb t;
  auto bundle = joint_bundle();
  bundle.erase("bodies");
  for (auto& p : bundle["people"]) p.erase("body");
  for (auto& c : bundle["committees"]) {
    c.erase("bodies");
    if (c.contains("quorum")) c["quorum"].erase("min_voting_from_body");
  }
  REQUIRE(import_bundle(*t, bundle, "test").ok);
  for (const auto& p : PersonStore(*t).all()) CHECK(p.body_id == kDefaultBody);
  const json exported = export_bundle(*t);
  CHECK_FALSE(exported.contains("bodies"));
  CHECK_FALSE(exported["people"][0].contains("body"));
  CHECK_FALSE(exported["committees"][0].contains("bodies"));
}

TEST_CASE("bad bodies and bad meetings in common are refused at their paths, and nothing is written") {
  auto [mutate, expected] = GENERATE(table<std::string, std::string>({
      {R"([{"op":"replace","path":"/people/1/body","value":"b-nowhere"}])", "people[1].body: no body with ref \"b-nowhere\""},
      {R"([{"op":"replace","path":"/bodies/1/name","value":""}])", "bodies[1].name: Enter the body's name, like NHS Northbrook Integrated Care Board"},
      {R"([{"op":"replace","path":"/bodies/2/register_url","value":"http://insecure.example"}])",
       "bodies[2].register_url: Enter the address where the body publishes its register, starting https://"},
      {R"([{"op":"replace","path":"/bodies/1/kind","value":"trust"}])",
       "bodies[1].kind: unknown value \"trust\" (expected one of ccg, icb, nhs_england, other)"},
      {R"([{"op":"replace","path":"/committees/0/quorum/min_voting_from_body/0/body","value":"default"},
          {"op":"replace","path":"/committees/0/bodies","value":["b-south", "b-nhse"]}])",
       "committees[0].quorum.min_voting_from_body: A minimum from a body can only be set for a body that owns the committee"},
      {R"([{"op":"replace","path":"/committees/0/bodies","value":["b-south", "b-south"]},
          {"op":"remove","path":"/committees/0/quorum/min_voting_from_body"}])",
       "committees[0].bodies: Each body can own the committee only once"},
      {R"([{"op":"replace","path":"/meetings/1/in_common_with","value":"m-follow"}])",
       "meetings[1].in_common_with: a meeting cannot be held in common with itself"},
      {R"([{"op":"replace","path":"/meetings/1/committee","value":"n-pccc"}])",
       "meetings[1].in_common_with: a committee cannot meet in common with itself"},
      {R"([{"op":"replace","path":"/meetings/1/date","value":"2026-12-11"}])",
       "meetings[1].in_common_with: must be on the same date as the meeting it is held in common with"},
      {R"([{"op":"add","path":"/meetings/1/agenda","value":[]}])",
       "meetings[1].in_common_with: a meeting held in common with another shares its agenda and attendance: list them on that meeting"},
      {R"([{"op":"move","from":"/meetings/0","path":"/meetings/-"}])",
       "meetings[0].in_common_with: list the meeting \"m-lead\" before the meetings held in common with it"},
  }));
  CAPTURE(mutate);
  testing::TestDb t;
  auto r = import_bundle(*t, joint_bundle().patch(json::parse(mutate)), "test");
  REQUIRE_FALSE(r.ok);
  std::vector<std::string> texts;
  for (const auto& e : r.errors) texts.push_back(e.text());
  CAPTURE(texts);
  CHECK(std::find(texts.begin(), texts.end(), expected) != texts.end());
  CHECK((*t).execAndGet("SELECT COUNT(*) FROM people").getInt64() == 0);
  CHECK((*t).execAndGet("SELECT COUNT(*) FROM bodies").getInt64() == 1);  // the default body only
}

TEST_CASE("a meeting others follow cannot itself follow, and a follower cannot lead") {
  testing::TestDb t;
  REQUIRE(import_bundle(*t, joint_bundle(), "test").ok);
  // A third committee's meeting naming the follower as its lead: a chain is refused.
  auto chain = json::parse(R"({"committees": [{"ref": "x", "name": "Third", "members": []}],
    "meetings": [{"ref": "m-3", "committee": "x", "title": "Third", "date": "2026-12-10", "in_common_with": "m-follow"}]})");
  auto r = import_bundle(*t, chain, "test");
  REQUIRE_FALSE(r.ok);
  CHECK(r.errors.front().text() == "meetings[0].in_common_with: \"m-follow\" is itself held in common with another meeting: name that one");
  // The lead made to follow another meeting while the follower still follows it.
  auto lead_follows = json::parse(R"({"committees": [{"ref": "x", "name": "Third", "members": []}],
    "meetings": [{"ref": "m-3", "committee": "x", "title": "Third", "date": "2026-12-10"},
                 {"ref": "m-lead", "committee": "n-pccc", "title": "PCCCs in common", "date": "2026-12-10", "in_common_with": "m-3"}]})");
  r = import_bundle(*t, lead_follows, "test");
  REQUIRE_FALSE(r.ok);
  CHECK(r.errors.front().text() == "meetings[1].in_common_with: other meetings are held in common with this one, so it cannot follow another");
}
