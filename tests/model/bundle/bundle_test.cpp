#include <catch2/catch.hpp>

#include "model/accounts/api_token_store.hpp"
#include "model/bundle/bundle.hpp"
#include "model/meetings/co_opted_members.hpp"
#include "model/register/committee_store.hpp"
#include "model/register/declaration_store.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/register/person_store.hpp"
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "model/accounts/session_store.hpp"
#include "model/accounts/user_store.hpp"
#include "support.hpp"

using namespace probity;
using json = nlohmann::json;

namespace {
json small_bundle() {
  return json::parse(R"({
    "format": "probity-bundle", "version": 1,
    "organisations": [
      {"ref": "fed", "name": "Northbrook Federation Ltd", "identifier": "09876543", "kind": "federation"},
      {"ref": "riverside", "name": "Riverside Surgery", "identifier": "B82001", "kind": "gp_practice", "parent": "fed"}
    ],
    "people": [
      {"ref": "p1", "name": "Dr Asha Patel", "email": "asha@example.org", "kind": "gp", "position": "GP partner", "practice": "riverside"},
      {"ref": "p2", "name": "Lay Person", "kind": "lay"}
    ],
    "committees": [
      {"ref": "c1", "name": "PCCC", "quorum": {"min_voting": 3, "min_lay": 1, "lay_chair": true},
       "members": [{"person": "p2", "role": "chair", "from": "2024-04-01"}, {"person": "p1", "role": "voting", "from": "2024-04-01"}]}
    ],
    "interests": [
      {"ref": "i1", "person": "p1", "category": "financial", "organisation": "riverside", "nature": "Partner",
       "from": "2015-01-01", "declared_on": "2015-01-10"},
      {"ref": "i2", "person": "p1", "category": "indirect", "relationship": "spouse", "organisation": "fed",
       "nature": "Spouse is a director", "from": "2020-01-01", "to": "2025-12-31", "declared_on": "2020-01-05",
       "withheld": true, "withheld_reason": "risk of harm"}
    ],
    "gifts": [
      {"ref": "g1", "person": "p1", "kind": "hospitality", "source": "A supplier", "description": "Dinner",
       "value": "45.50", "offered_on": "2026-01-10", "outcome": "accepted", "declared_on": "2026-01-11"}
    ],
    "nil_returns": [{"ref": "n1", "person": "p2", "made_on": "2026-04-01"}],
    "meetings": [
      {"ref": "m1", "committee": "c1", "title": "PCCC December", "date": "2026-12-10",
       "attendance": [{"person": "p1"}, {"person": "p2", "status": "apologies"}],
       "agenda": [{"ref": "a1", "title": "Merger", "category": "practice_merger", "organisations": ["riverside"]},
                  {"ref": "a2", "title": "LIS", "category": "local_incentive_scheme"}]}
    ]
  })");
}

long long rows(SQLite::Database& db, const char* table) {
  return db.execAndGet(std::string("SELECT COUNT(*) FROM ") + table).getInt64();
}
}  // namespace

TEST_CASE("a valid bundle imports everything and reports ids by ref") {
  testing::TestDb t;
  auto r = import_bundle(*t, small_bundle(), "test");
  REQUIRE(r.ok);
  CHECK(r.errors.empty());
  CHECK(r.ids.at("people").at("p1").get<Id>() > 0);
  CHECK(r.ids.at("meetings").contains("m1"));
  CHECK(r.ids.at("agenda_items").size() == 2);

  PersonStore people(*t);
  auto p1 = people.find(r.ids["people"]["p1"].get<Id>());
  REQUIRE(p1);
  CHECK(p1->practice_id == r.ids["organisations"]["riverside"].get<Id>());
  InterestStore interests(*t);
  auto i2 = interests.find(r.ids["interests"]["i2"].get<Id>());
  REQUIRE(i2);
  CHECK(i2->indirect);  // the indirect category implies it
  CHECK(i2->withheld);
  CHECK(i2->to == Date::parse("2025-12-31"));
  GiftStore gifts(*t);
  CHECK(gifts.all().front().value_pence == 4550);
  AgendaItemStore items(*t);
  auto agenda = items.for_meeting(r.ids["meetings"]["m1"].get<Id>());
  REQUIRE(agenda.size() == 2);
  CHECK(agenda[0].organisation_ids == std::vector<Id>{r.ids["organisations"]["riverside"].get<Id>()});
  CHECK_FALSE(agenda[0].affects_all_gp_practices);
  CHECK(agenda[1].affects_all_gp_practices);  // local incentive schemes affect every practice by default
  MembershipStore memberships(*t);
  CHECK(memberships.for_committee(r.ids["committees"]["c1"].get<Id>()).size() == 2);
}

TEST_CASE("bad bundles are refused with every problem at its JSON path, and nothing is written") {
  auto [mutate, expected] = GENERATE(table<std::string, std::string>({
      {R"([{"op":"replace","path":"/interests/0/from","value":"2025-02-30"}])", "interests[0].from: not a date (expected YYYY-MM-DD)"},
      {R"([{"op":"remove","path":"/people/1/name"}])", "people[1].name: required"},
      {R"([{"op":"replace","path":"/people/1/name","value":"  "}])", "people[1].name: must not be empty"},
      {R"([{"op":"replace","path":"/people/1/name","value":42}])", "people[1].name: must be a string"},
      {R"([{"op":"replace","path":"/people/0/kind","value":"doctor"}])",
       "people[0].kind: unknown value \"doctor\" (expected one of gp, lay, executive, clinical, officer, attendee)"},
      {R"([{"op":"replace","path":"/interests/0/person","value":"p9"}])", "interests[0].person: no person with ref \"p9\""},
      {R"([{"op":"replace","path":"/people/1/ref","value":"p1"}])", "people[1].ref: duplicate ref \"p1\" (also at people[0])"},
      {R"([{"op":"replace","path":"/interests/1/to","value":"2019-12-31"}])", "interests[1].to: must not be before from"},
      {R"([{"op":"remove","path":"/interests/1/withheld_reason"}])", "interests[1].withheld_reason: required when withheld is true"},
      {R"([{"op":"replace","path":"/gifts/0/value","value":"-5.00"}])", "gifts[0].value: must not be negative"},
      {R"([{"op":"replace","path":"/gifts/0/value","value":45.5}])",
       "gifts[0].value: not an amount (expected pounds as a string like \"45.00\")"},
      {R"([{"op":"add","path":"/people/0/nmae","value":"typo"}])", "people[0].nmae: unknown field"},
      {R"([{"op":"replace","path":"/meetings/0/agenda/0/organisations/0","value":"nowhere"}])",
       "meetings[0].agenda[0].organisations[0]: no organisation with ref \"nowhere\""},
      {R"([{"op":"replace","path":"/committees/0/members/0/role","value":"boss"}])",
       "committees[0].members[0].role: unknown value \"boss\" (expected one of chair, vice_chair, voting, non_voting)"},
      {R"([{"op":"replace","path":"/committees/0/quorum/min_voting","value":-1}])",
       "committees[0].quorum.min_voting: must be a whole number from 0 to 100"},
      {R"([{"op":"add","path":"/organisations/0/parent","value":"riverside"}])",
       "organisations[1].parent: organisations' parents form a cycle"},
      {R"([{"op":"replace","path":"/organisations/0/identifier","value":"09 876'; DROP TABLE people;--"}])",
       "organisations[0].identifier: must be letters and digits only (an ODS code or Companies House number)"},
      {R"([{"op":"replace","path":"/people","value":{}}])", "people: must be an array"},
      {R"([{"op":"replace","path":"/people/0","value":"p1"}])", "people[0]: must be an object"},
      {R"([{"op":"replace","path":"/meetings/0/attendance/1/person","value":"p1"}])",
       "meetings[0].attendance[1].person: listed twice for this meeting"},
      {R"([{"op":"add","path":"/interests/0/withheld","value":"yes"}])", "interests[0].withheld: must be true or false"},
  }));
  CAPTURE(mutate);
  testing::TestDb t;
  json bundle = small_bundle().patch(json::parse(mutate));
  auto r = import_bundle(*t, bundle, "test");
  CHECK_FALSE(r.ok);
  std::vector<std::string> texts;
  for (const auto& e : r.errors) texts.push_back(e.text());
  CAPTURE(texts);
  CHECK(std::find(texts.begin(), texts.end(), expected) != texts.end());
  for (const char* table : {"organisations", "people", "committees", "memberships", "interests", "gifts", "nil_returns",
                            "meetings", "attendances", "agenda_items", "audit_log"})
    CHECK(rows(*t, table) == 0);
}

TEST_CASE("all problems are reported at once, not just the first") {
  testing::TestDb t;
  json bundle = small_bundle();
  bundle["interests"][0]["from"] = "yesterday";
  bundle["people"][0]["kind"] = "surgeon";
  bundle["gifts"][0]["outcome"] = "kept";
  auto r = import_bundle(*t, bundle, "test");
  CHECK_FALSE(r.ok);
  CHECK(r.errors.size() == 3);
}

TEST_CASE("text that is not JSON, or not an object, is refused with a clear message") {
  testing::TestDb t;
  auto r1 = import_bundle_text(*t, "{\"people\": [", "test");
  REQUIRE(r1.errors.size() == 1);
  CHECK(r1.errors[0].path == "$");
  CHECK_THAT(r1.errors[0].message, Catch::StartsWith("not valid JSON (parse error"));
  auto r2 = import_bundle_text(*t, "[1,2,3]", "test");
  REQUIRE(r2.errors.size() == 1);
  CHECK(r2.errors[0].text() == "$: must be a JSON object");
  auto r3 = import_bundle_text(*t, "{\"people\": [{\"ref\": \"p\", \"name\": \"\xff\xfe\", \"kind\": \"gp\"}]}", "test");
  CHECK_FALSE(r3.ok);
  CHECK(rows(*t, "people") == 0);
}

TEST_CASE("re-importing the same refs updates in place of duplicating") {
  testing::TestDb t;
  auto first = import_bundle(*t, small_bundle(), "test");
  REQUIRE(first.ok);
  const auto versions_before = rows(*t, "interest_versions");
  auto same = import_bundle(*t, small_bundle(), "test");
  REQUIRE(same.ok);
  CHECK(same.ids == first.ids);
  CHECK(rows(*t, "interests") == 2);
  CHECK(rows(*t, "interest_versions") == versions_before);  // unchanged content, no new version

  json changed = small_bundle();
  changed["interests"][0]["nature"] = "Senior partner";
  auto second = import_bundle(*t, changed, "test");
  REQUIRE(second.ok);
  InterestStore interests(*t);
  auto history = interests.history(first.ids["interests"]["i1"].get<Id>());
  REQUIRE(history.size() == 2);
  CHECK(history[0].entity.nature == "Partner");
  CHECK(history[1].entity.nature == "Senior partner");
  CHECK(rows(*t, "memberships") == 2);
  CHECK(rows(*t, "attendances") == 2);
}

TEST_CASE("a bundle may refer to entities already in the database") {
  testing::TestDb t;
  REQUIRE(import_bundle(*t, small_bundle(), "test").ok);
  json more = json::parse(R"({"interests": [{"ref": "i3", "person": "p2", "category": "non_financial_personal",
      "nature": "Trustee", "from": "2021-01-01", "declared_on": "2021-01-02"}]})");
  auto r = import_bundle(*t, more, "test");
  REQUIRE(r.ok);
  CHECK(rows(*t, "interests") == 3);
}

TEST_CASE("export then import into an empty database reproduces the same data") {
  testing::TestDb a;
  REQUIRE(import_bundle(*a, small_bundle(), "test").ok);
  json exported = export_bundle(*a);
  testing::TestDb b;
  auto r = import_bundle(*b, exported, "test");
  REQUIRE(r.ok);
  CHECK(export_bundle(*b) == exported);
  CHECK(exported.at("interests").size() == 2);
  CHECK(exported.at("meetings")[0].at("agenda")[0].at("organisations") == json::array({"riverside"}));
}

TEST_CASE("the demo data set imports cleanly and round-trips") {
  testing::TestDb a;
  std::ifstream in(std::string(PROBITY_SOURCE_DIR) + "/config/demo.json");
  std::stringstream text;
  text << in.rdbuf();
  auto r = import_bundle_text(*a, text.str(), "demo");
  CAPTURE(r.errors.empty() ? std::string() : r.errors.front().text());
  REQUIRE(r.ok);
  CHECK(rows(*a, "interests") >= 24);
  testing::TestDb b;
  json exported = export_bundle(*a);
  REQUIRE(import_bundle(*b, exported, "test").ok);
  CHECK(export_bundle(*b) == exported);
}

namespace {
std::string bundle_format_doc() {
  std::ifstream in(std::string(PROBITY_SOURCE_DIR) + "/docs/bundle-format.md");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The JSON block under "## Example".
std::string doc_example(const std::string& doc) {
  auto section = doc.find("## Example");
  REQUIRE(section != std::string::npos);
  auto start = doc.find("```json", section);
  REQUIRE(start != std::string::npos);
  auto end = doc.find("```", start + 7);
  REQUIRE(end != std::string::npos);
  return doc.substr(start + 7, end - start - 7);
}

// The first column of each "## <kind>[]" table: the fields documented for that kind.
std::map<std::string, std::set<std::string>> documented_fields(const std::string& doc) {
  std::map<std::string, std::set<std::string>> out;
  std::istringstream in(doc);
  std::string line, kind;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) {
      kind = line.size() > 5 && line.ends_with("[]") ? line.substr(3, line.size() - 5) : "";
      continue;
    }
    if (kind.empty() || line.rfind("| `", 0) != 0) continue;
    out[kind].insert(line.substr(3, line.find('`', 3) - 3));
  }
  return out;
}

// Every key used by any of the objects in `objects` (an array), or by the arrays/objects each
// holds under `nested` when given.
std::set<std::string> keys_used(const json& objects, const std::string& nested = "") {
  std::set<std::string> out;
  for (const auto& o : objects) {
    if (nested.empty()) {
      for (const auto& [key, value] : o.items()) out.insert(key);
    } else if (o.contains(nested) && o[nested].is_object()) {
      for (const auto& [key, value] : o[nested].items()) out.insert(key);
    } else if (o.contains(nested)) {
      for (const auto& inner : o[nested])
        for (const auto& [key, value] : inner.items()) out.insert(key);
    }
  }
  return out;
}
}  // namespace

TEST_CASE("the example in docs/bundle-format.md imports as documented") {
  testing::TestDb t;
  auto r = import_bundle_text(*t, doc_example(bundle_format_doc()), "docs");
  CAPTURE(r.errors.empty() ? std::string() : r.errors.front().text());
  REQUIRE(r.ok);
  CHECK(r.ids.at("people").size() == 5);
  CHECK(r.ids.at("bodies").size() == 3);
  CHECK(r.ids.at("interests").size() == 2);
  CHECK(r.ids.at("agenda_items").size() == 2);
}

TEST_CASE("docs/bundle-format.md documents every field the exporter writes, and its example uses each one") {
  const std::string doc = bundle_format_doc();
  const auto documented = documented_fields(doc);
  const json example = json::parse(doc_example(doc));
  testing::TestDb t;
  REQUIRE(import_bundle(*t, example, "docs").ok);
  const json exported = export_bundle(*t);  // every field present, null where empty

  for (const std::string kind : {"bodies", "organisations", "people", "committees", "interests", "gifts", "nil_returns", "confirmations", "meetings"}) {
    CAPTURE(kind);
    REQUIRE(documented.contains(kind));
    CHECK(documented.at(kind) == keys_used(exported[kind]));  // the table is the whole shape
    CHECK(keys_used(example[kind]) == documented.at(kind));   // and the example shows every field
  }
  // The objects inside: the example uses every field the exporter writes for them too.
  for (const auto& [kind, nested] : std::vector<std::pair<std::string, std::string>>{
           {"committees", "quorum"}, {"committees", "members"}, {"meetings", "attendance"}, {"meetings", "agenda"}, {"meetings", "co_opted"}}) {
    CAPTURE(kind, nested);
    CHECK(keys_used(example[kind], nested) == keys_used(exported[kind], nested));
  }
}

TEST_CASE("a meeting's agenda in a bundle is its whole agenda: items left out are withdrawn, kept, and can come back") {
  testing::TestDb t;
  auto first = import_bundle(*t, small_bundle(), "test");
  REQUIRE(first.ok);
  const Id meeting = first.ids["meetings"]["m1"].get<Id>();
  const Id a1 = first.ids["agenda_items"]["a1"].get<Id>();
  AgendaItemStore items(*t);

  json shorter = small_bundle();
  shorter["meetings"][0]["agenda"].erase(0);  // a1 left out
  REQUIRE(import_bundle(*t, shorter, "test").ok);
  auto agenda = items.for_meeting(meeting);
  REQUIRE(agenda.size() == 1);
  CHECK(agenda[0].ref == "a2");
  CHECK(agenda[0].position == 1);
  REQUIRE(items.ever_on_agenda(meeting).size() == 2);
  CHECK(items.find(a1)->withdrawn);
  CHECK(items.history(a1).size() == 2);  // withdrawn by a new version, the first kept
  CHECK(export_bundle(*t)["meetings"][0]["agenda"].size() == 1);

  SECTION("an agenda left out of the bundle altogether keeps the agenda as it is") {
    json no_agenda = small_bundle();
    no_agenda["meetings"][0].erase("agenda");
    REQUIRE(import_bundle(*t, no_agenda, "test").ok);
    CHECK(items.for_meeting(meeting).size() == 1);
  }
  SECTION("listing the item again puts it back in the bundle's order") {
    REQUIRE(import_bundle(*t, small_bundle(), "test").ok);
    agenda = items.for_meeting(meeting);
    REQUIRE(agenda.size() == 2);
    CHECK(agenda[0].ref == "a1");
    CHECK(agenda[1].ref == "a2");
    CHECK_FALSE(items.find(a1)->withdrawn);
  }
}

TEST_CASE("an agenda item with a decision recorded at the meeting cannot be left out of a re-imported agenda") {
  testing::TestDb t;
  auto first = import_bundle(*t, small_bundle(), "test");
  REQUIRE(first.ok);
  {
    WriteTransaction tx(*t);
    ConflictDecision d;
    d.meeting_id = first.ids["meetings"]["m1"].get<Id>();
    d.agenda_item_id = first.ids["agenda_items"]["a1"].get<Id>();
    d.person_id = first.ids["people"]["p1"].get<Id>();
    d.action = ManagementAction::leave_room;
    d.reason = "Partner in the practice";
    d.decided_by = "Lay Person";
    ConflictDecisionStore(*t).record(d, "chair");
    tx.commit();
  }
  const auto audit = rows(*t, "audit_log");
  json shorter = small_bundle();
  shorter["meetings"][0]["agenda"].erase(0);
  auto r = import_bundle(*t, shorter, "test");
  CHECK_FALSE(r.ok);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].text() ==
        "meetings[0].agenda: leaves out item \"a1\", which has declarations or decisions recorded at the meeting; list it");
  CHECK(rows(*t, "audit_log") == audit);
}

TEST_CASE("bundle people follow the governance pages' rules: the same email shape and name limit") {
  testing::TestDb t;
  json b = small_bundle();
  b["people"][0]["email"] = "asha@example";  // an '@' alone used to pass; the pages refuse it
  b["people"][0]["name"] = std::string(301, 'n');
  auto r = import_bundle(*t, b, "test");
  CHECK_FALSE(r.ok);
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].text() == "people[0].name: must be at most 300 characters");
  CHECK(r.errors[1].text() == "people[0].email: not an email address");
}

TEST_CASE("bundle text limits count characters as the forms do, and choices ignore surrounding spaces") {
  testing::TestDb t;
  json b = small_bundle();
  std::string name;
  for (int i = 0; i < 300; ++i) name += "\u00e9";  // 300 characters, 600 bytes
  b["people"][0]["name"] = name;
  b["people"][0]["kind"] = " " + b["people"][0]["kind"].get<std::string>() + " ";
  auto r = import_bundle(*t, b, "test");
  INFO((r.errors.empty() ? std::string() : r.errors[0].text()));
  CHECK(r.ok);
  b["people"][0]["name"] = name + "\u00e9";
  auto over = import_bundle(*t, b, "test");
  REQUIRE(over.errors.size() == 1);
  CHECK(over.errors[0].text() == "people[0].name: must be at most 300 characters");
}

TEST_CASE("a bundle that records a person's leaving disables their account; re-importing it does not disable it again") {
  testing::TestDb t;
  auto first = import_bundle(*t, small_bundle(), "test");
  REQUIRE(first.ok);
  const Id asha = first.ids["people"]["p1"].get<Id>();
  UserStore accounts(*t);
  SessionStore sessions(*t);
  ApiTokenStore api_tokens(*t);
  User u = accounts.create_user("asha@example.org", asha, UserRole::member, "test", now_instant());
  auto session = sessions.create_session(u.id, now_instant());
  auto token = api_tokens.create_api_token(u.id, "sync", "cli", now_instant());

  json leaving = small_bundle();
  leaving["people"][0]["left_on"] = "2025-06-30";
  REQUIRE(import_bundle(*t, leaving, "import").ok);
  CHECK(accounts.find_user(u.id)->disabled);
  CHECK_FALSE(sessions.find_session(session.token, now_instant()).has_value());
  CHECK_FALSE(api_tokens.user_for_api_token(token.token, now_instant()).has_value());

  // Governance enables the account again (say the leaving was recorded early): the same bundle
  // imported again leaves it alone, since the leaving is not new.
  REQUIRE(accounts.set_disabled(u.id, false, "governance", now_instant()));
  REQUIRE(import_bundle(*t, leaving, "import").ok);
  CHECK_FALSE(accounts.find_user(u.id)->disabled);
}

TEST_CASE("a meeting's co-opted members, start time and published agenda travel in a bundle, and re-importing adds no copy") {
  testing::TestDb t;
  json b = small_bundle();
  b["people"].push_back({{"ref", "p3"}, {"name", "Nell Ashworth"}, {"kind", "lay"}});
  b["meetings"][0]["start_time"] = "14:00";
  b["meetings"][0]["agenda_published"] = true;
  b["meetings"][0]["co_opted"] = {{{"person", "p3"}, {"from_body", "Westbrook ICB"}, {"item", "a1"}},
                                  {{"person", "p3"}, {"from_body", "Westbrook ICB"}}};
  auto r = import_bundle(*t, b, "test");
  CAPTURE(r.errors.empty() ? std::string() : r.errors.front().text());
  REQUIRE(r.ok);
  const Id meeting = r.ids["meetings"]["m1"].get<Id>();
  auto co_opted = CoOptedMemberStore(*t).for_meeting(meeting);
  REQUIRE(co_opted.size() == 2);
  CHECK(co_opted[0].agenda_item_id == r.ids["agenda_items"]["a1"].get<Id>());
  CHECK(co_opted[0].from_body == "Westbrook ICB");
  CHECK_FALSE(co_opted[1].agenda_item_id);
  const auto m = MeetingStore(*t).find(meeting);
  CHECK(m->start_time == "14:00");
  CHECK(m->agenda_published);

  const json exported = export_bundle(*t);
  CHECK(exported["meetings"][0]["start_time"] == "14:00");
  CHECK(exported["meetings"][0]["agenda_published"] == true);
  CHECK(exported["meetings"][0]["co_opted"] == b["meetings"][0]["co_opted"]);

  REQUIRE(import_bundle(*t, b, "test").ok);  // again: the same two records, unchanged
  CHECK(CoOptedMemberStore(*t).for_meeting(meeting).size() == 2);

  testing::TestDb fresh;
  REQUIRE(import_bundle(*fresh, exported, "test").ok);
  CHECK(export_bundle(*fresh)["meetings"] == exported["meetings"]);
}

TEST_CASE("a bundle's co-opted member must be for an item of the same meeting, and its start time a time") {
  testing::TestDb t;
  json b = small_bundle();
  b["meetings"].push_back({{"ref", "m2"}, {"committee", "c1"}, {"title", "PCCC January"}, {"date", "2027-01-14"},
                           {"start_time", "2pm"}, {"co_opted", {{{"person", "p2"}, {"from_body", "NHS England"}, {"item", "a1"}}}}});
  auto r = import_bundle(*t, b, "test");
  REQUIRE_FALSE(r.ok);
  CHECK(r.errors.front().text() == "meetings[1].start_time: must be a time on the 24-hour clock written HH:MM, like \"14:00\"");

  b["meetings"][1].erase("start_time");
  r = import_bundle(*t, b, "test");
  REQUIRE_FALSE(r.ok);
  CHECK(r.errors.front().text() == "meetings[1].co_opted[0].item: not an item on this meeting's agenda");
  CHECK(MeetingStore(*t).all().empty());  // nothing written

  b["meetings"][1]["co_opted"][0].erase("from_body");
  r = import_bundle(*t, b, "test");
  REQUIRE_FALSE(r.ok);
  CHECK_THAT(r.errors.front().text(), Catch::Contains("meetings[1].co_opted[0].from_body"));
}
