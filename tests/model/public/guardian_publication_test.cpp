// What the public sees of the Guardian's decisions: a signed-off breach, anonymised (never the
// person, nor governance's internal text), and a name the Guardian withheld, on every public
// output the register has (rows, CSV, gifts, committees, the person's page, history, feed).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "model/bundle/bundle.hpp"
#include "model/meetings/breach_actions.hpp"
#include "model/meetings/meeting_record_actions.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/public/csv.hpp"
#include "model/public/public_breaches.hpp"
#include "model/public/public_register.hpp"
#include "model/public/register_json.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/withholding_requests.hpp"
#include "support.hpp"

using namespace probity;
using namespace probity::testing;

namespace {
struct GuardPublicFixture {
  TestDb t;
  nlohmann::json ids;
  Date today = d("2026-12-01");
  GuardPublicFixture() {
    std::ifstream in(std::string(PROBITY_SOURCE_DIR) + "/config/demo.json");
    std::stringstream text;
    text << in.rdbuf();
    auto r = import_bundle(*t, nlohmann::json::parse(text.str()), "test");
    REQUIRE(r.ok);
    ids = r.ids;
  }
  Id person(const char* ref) { return ids["people"][ref].get<Id>(); }
  Id interest(const char* ref) { return ids["interests"][ref].get<Id>(); }

  // Everything public, as text: the register's rows (JSON and CSV), gifts (JSON and CSV), each
  // committee, the feed, every entry's history, and every person's page.
  std::string guard_everything_public() {
    std::string all;
    const auto rows = public_register_rows(*t, today, {});
    all += nlohmann::json(rows).dump() + register_csv(rows);
    const auto gifts = public_gifts(*t, today, {});
    all += nlohmann::json(gifts).dump() + gifts_csv(gifts);
    for (const auto& c : public_committees(*t, today))
      if (auto committee = public_committee(*t, c.id, today)) all += nlohmann::json(*committee).dump();
    all += nlohmann::json(public_register_changes(*t, today, 1000)).dump();
    for (const auto& row : rows)
      if (auto h = public_entry_history(*t, row.entry.id, today)) all += nlohmann::json(*h).dump();
    for (const auto& [ref, id] : ids["people"].items())
      if (auto p = public_person(*t, id.get<Id>(), today)) all += nlohmann::json(*p).dump();
    return all;
  }
};
}  // namespace

TEST_CASE("withholding requests: the member asks, governance forwards, the Guardian decides; each step checked") {
  GuardPublicFixture f;
  const Id bennett = f.person("p-bennett"), refuge = f.interest("i-bennett-uni");  // not withheld in the demo
  // Only one's own entry.
  CHECK_FALSE(request_withholding(*f.t, f.person("p-hassan"), refuge, {{"reason", "x"}}, "user:1"));
  CHECK(request_withholding(*f.t, bennett, refuge, {{"reason", ""}}, "user:2")->problems.has("reason"));
  auto asked = request_withholding(*f.t, bennett, refuge, {{"reason", "The refuge's address is confidential."}}, "user:2");
  REQUIRE(asked->ok());
  const Id id = asked->saved->id;
  CHECK(request_withholding(*f.t, bennett, refuge, {{"reason", "Again."}}, "user:2")->problems.has("reason"));  // one at a time

  // The Guardian decides only a forwarded request.
  CHECK(decide_withholding_request(*f.t, id, {{"decision", "agree"}, {"reason", "x"}}, "guardian:9")->problems.has("decision"));
  CHECK(forward_withholding_request(*f.t, id, {{"note", ""}}, "governance:1")->problems.has("note"));
  REQUIRE(forward_withholding_request(*f.t, id, {{"note", "The risk is real."}}, "governance:1")->ok());
  CHECK(forward_withholding_request(*f.t, id, {{"note", "Twice."}}, "governance:1")->problems.has("note"));
  CHECK(decide_withholding_request(*f.t, id, {{"decision", "perhaps"}, {"reason", "x"}}, "guardian:9")->problems.has("decision"));
  CHECK(decide_withholding_request(*f.t, id, {{"decision", "agree"}}, "guardian:9")->problems.has("reason"));
  CHECK_FALSE(InterestStore(*f.t).find(refuge)->withheld);

  auto agreed = decide_withholding_request(*f.t, id, {{"decision", "agree"}, {"reason", "Risk of harm to others."}}, "guardian:9");
  REQUIRE(agreed->ok());
  CHECK(agreed->saved->status == WithholdingStatus::agreed);
  CHECK_FALSE(agreed->saved->withhold_name);  // not asked for
  // The entry is withheld through its own versions, with the Guardian's reason and name.
  const auto history = InterestStore(*f.t).history(refuge);
  REQUIRE(history.size() >= 2);
  CHECK(history.back().entity.withheld);
  CHECK(history.back().entity.withheld_reason == "Risk of harm to others.");
  CHECK(history.back().recorded_by == "guardian:9");
  CHECK_FALSE(history[history.size() - 2].entity.withheld);
  CHECK(names_withheld(*f.t).empty());
  // The request's history: asked, forwarded, agreed, by whom.
  const auto steps = WithholdingRequestStore(*f.t).history(id);
  REQUIRE(steps.size() == 3);
  CHECK(steps[0].recorded_by == "user:2");
  CHECK(steps[1].recorded_by == "governance:1");
  CHECK(steps[2].recorded_by == "guardian:9");
  CHECK(decide_withholding_request(*f.t, id, {{"decision", "refuse"}, {"reason", "x"}}, "guardian:9")->problems.has("decision"));
  CHECK(request_withholding(*f.t, bennett, refuge, {{"reason", "x"}}, "user:2")->problems.has("reason"));  // already withheld
}

TEST_CASE("withholding requests: a refusal leaves the entry published") {
  GuardPublicFixture f;
  const Id id = request_withholding(*f.t, f.person("p-bennett"), f.interest("i-bennett-partner"), {{"reason", "Privacy."}}, "user:2")->saved->id;
  REQUIRE(forward_withholding_request(*f.t, id, {{"note", "No risk found."}}, "governance:1")->ok());
  auto refused = decide_withholding_request(*f.t, id, {{"decision", "refuse"}, {"reason", "A university post is public."}, {"withhold_name", "yes"}},
                                            "guardian:9");
  REQUIRE(refused->ok());
  CHECK(refused->saved->status == WithholdingStatus::refused);
  CHECK_FALSE(refused->saved->withhold_name);  // only an agreement withholds a name
  CHECK_FALSE(InterestStore(*f.t).find(f.interest("i-bennett-partner"))->withheld);
}

TEST_CASE("a name the Guardian withholds is on no public output; the entries show 'Name withheld'") {
  GuardPublicFixture f;
  const Id bennett = f.person("p-bennett");
  const std::string before = f.guard_everything_public();
  REQUIRE(contains(before, "Claire Bennett"));
  const Id id = request_withholding(*f.t, bennett, f.interest("i-bennett-uni"), {{"reason", "Risk to me."}}, "user:2")->saved->id;
  REQUIRE(forward_withholding_request(*f.t, id, {{"note", "Real."}}, "governance:1")->ok());
  REQUIRE(decide_withholding_request(*f.t, id, {{"decision", "agree"}, {"reason", "Risk to her."}, {"withhold_name", "yes"}}, "guardian:9")->ok());
  CHECK(names_withheld(*f.t) == std::set<Id>{bennett});

  const std::string after = f.guard_everything_public();
  CHECK_FALSE(contains(after, "Bennett"));
  CHECK_FALSE(contains(after, "p-bennett"));
  CHECK(contains(after, kNameWithheld));
  CHECK_FALSE(public_person(*f.t, bennett, f.today));  // no public page
  // Her other entries are still published (only the name is withheld), without an id that links them.
  bool found = false;
  for (const auto& row : public_register_rows(*f.t, f.today, {}))
    if (row.person.name_withheld) {
      found = true;
      const nlohmann::json j = row;
      CHECK(j["person"]["id"].is_null());
      CHECK(j["person"]["ref"].is_null());
      CHECK(j["person"]["positions"].empty());
    }
  CHECK(found);
  // Searching by her name finds nothing.
  RegisterFilter by_name;
  by_name.text = "Bennett";
  CHECK(public_register_rows(*f.t, f.today, by_name).empty());
}

TEST_CASE("a signed-off breach is published anonymised: never the person, nor the internal text") {
  GuardPublicFixture f;
  const Fields hand{{"kind", "took_part_when_excluded"},
                    {"person", std::to_string(f.person("p-kowalski"))},
                    {"happened_on", "2026-09-17"},
                    {"found_by", "audit"},
                    {"meeting", std::to_string(f.ids["meetings"]["m-gb-2026-09"].get<Id>())},
                    {"reason", "Dr Kowalski voted on the Oakfield Group Practice contract after being asked to leave."},
                    {"action_taken", "Dr Kowalski was interviewed by Mark Evans; the vote was re-run."},
                    {"lessons", "Oakfield items need the chair to check the room."},
                    {"public_summary", "A committee member took part in a decision after being asked to leave the room."},
                    {"public_action", "The decision was taken again without the member."},
                    {"public_lessons", "The chair now confirms who has left before each vote."}};
  const Id id = record_breach_by_hand(*f.t, 0, hand, "governance:1")->saved->id;
  REQUIRE(resolve_breach(*f.t, MeetingActor{"governance:1", std::nullopt, true}, id,
                         {{"status", "confirmed"}, {"resolution", "Kowalski admitted it."}})
              .ok());
  CHECK(public_breaches(*f.t).empty());  // not until the Guardian signs it off
  REQUIRE(guardian_decide_breach(*f.t, id, {{"decision", "sign_off"}, {"note", "Kowalski's case is handled."}}, "guardian:9")->ok());

  const auto published = public_breaches(*f.t);
  REQUIRE(published.size() == 1);
  const std::string text = nlohmann::json(published).dump() + breaches_csv(published);
  CHECK(contains(text, "took_part_when_excluded"));
  CHECK(contains(text, "Took part when excluded"));
  CHECK(contains(text, "2026-09"));
  CHECK(contains(text, "September 2026"));
  CHECK(contains(text, "A committee member took part in a decision after being asked to leave the room."));
  CHECK(contains(text, "The chair now confirms who has left before each vote."));
  for (const char* secret : {"Kowalski", "Oakfield", "Mark Evans", "re-run", "check the room", "admitted", "handled", "Governing Body",
                             "person_id", "meeting", "2026-09-17"}) {
    CAPTURE(secret);
    CHECK_FALSE(contains(text, secret));
  }
  CHECK_FALSE(contains(text, "\"" + std::to_string(f.person("p-kowalski")) + "\""));
}
