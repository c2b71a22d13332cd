// The breaches register's lifecycle: recording by hand, governance confirming or dismissing,
// the Conflicts of Interest Guardian signing off or sending back, every decision a version with
// who, when and why; and what opens a draft (a meeting marked held, or imported as held).
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "model/bundle/bundle.hpp"
#include "model/meetings/breach_actions.hpp"
#include "model/meetings/meeting_record_actions.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "support.hpp"

using namespace probity;
using namespace probity::testing;

namespace {
nlohmann::json guard_breach_demo() {
  std::ifstream in(std::string(PROBITY_SOURCE_DIR) + "/config/demo.json");
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

struct GuardBreachFixture {
  TestDb t;
  nlohmann::json ids;
  GuardBreachFixture() {
    auto r = import_bundle(*t, guard_breach_demo(), "test");
    REQUIRE(r.ok);
    ids = r.ids;
  }
  Id person(const char* ref) { return ids["people"][ref].get<Id>(); }
  Fields hand_breach() {
    return Fields{{"kind", "gift_not_declined"},
                  {"person", std::to_string(person("p-harding"))},
                  {"happened_on", "2026-10-02"},
                  {"found_by", "self_reported"},
                  {"reason", "Mr Harding accepted a dinner from a bidder."},
                  {"action_taken", "Repaid."},
                  {"lessons", "Remind staff in procurements."},
                  {"public_summary", "A member of staff accepted hospitality from a bidder."},
                  {"public_action", "The cost was repaid."},
                  {"public_lessons", "Staff in procurements are reminded to decline hospitality."}};
  }
  MeetingActor governance() { return MeetingActor{"governance:1", std::nullopt, true}; }
};
}  // namespace

TEST_CASE("breaches: governance records any kind of breach by hand, with its fields checked") {
  GuardBreachFixture f;
  const auto before = BreachStore(*f.t).all().size();  // the demo's held meeting opened drafts
  auto made = record_breach_by_hand(*f.t, 0, f.hand_breach(), "governance:1");
  REQUIRE(made);
  REQUIRE(made->ok());
  const auto b = *BreachStore(*f.t).find(made->saved->id);
  CHECK(b.kind == BreachKind::gift_not_declined);
  CHECK(b.meeting_id == 0);  // not at a meeting
  CHECK(b.status == BreachStatus::open);
  CHECK(b.happened_on == d("2026-10-02"));
  CHECK(b.found_by == BreachFoundBy::self_reported);

  Fields wrong = f.hand_breach();
  wrong.set("kind", "murder");
  wrong.set("person", "1 OR 1=1");
  wrong.set("happened_on", "2026-02-31");
  wrong.set("reason", "");
  wrong.set("meeting", "999999");
  auto refused = record_breach_by_hand(*f.t, 0, wrong, "governance:1");
  REQUIRE(refused);
  CHECK(refused->problems.has("kind"));
  CHECK(refused->problems.has("person"));
  CHECK(refused->problems.has("happened_on"));
  CHECK(refused->problems.has("reason"));
  CHECK(refused->problems.has("meeting"));
  CHECK(BreachStore(*f.t).all().size() == before + 1);  // nothing half-written
  CHECK_FALSE(record_breach_by_hand(*f.t, 999999, f.hand_breach(), "governance:1"));
}

TEST_CASE("breaches: confirmed by governance, then signed off or sent back by the Guardian, each decision kept") {
  GuardBreachFixture f;
  const Id id = record_breach_by_hand(*f.t, 0, f.hand_breach(), "governance:1")->saved->id;

  // The Guardian decides only what governance has confirmed.
  auto early = guardian_decide_breach(*f.t, id, {{"decision", "sign_off"}, {"note", "Fine."}}, "guardian:9");
  REQUIRE(early);
  CHECK(early->problems.has("decision"));

  REQUIRE(resolve_breach(*f.t, f.governance(), id, {{"status", "confirmed"}, {"resolution", "He reported it himself."}}).ok());
  CHECK(guardian_decide_breach(*f.t, id, {{"decision", "sign_off"}}, "guardian:9")->problems.has("note"));
  auto back = guardian_decide_breach(*f.t, id, {{"decision", "send_back"}, {"note", "Say what was repaid."}}, "guardian:9");
  REQUIRE(back->ok());
  CHECK(back->saved->status == BreachStatus::open);

  // Governance changes the draft and confirms it again; the Guardian signs it off.
  Fields edited = f.hand_breach();
  edited.set("public_action", "The full cost of the dinner was repaid to the bidder.");
  REQUIRE(record_breach_by_hand(*f.t, id, edited, "governance:1")->ok());
  REQUIRE(resolve_breach(*f.t, f.governance(), id, {{"status", "confirmed"}, {"resolution", "Confirmed again."}}).ok());
  auto signed_off = guardian_decide_breach(*f.t, id, {{"decision", "sign_off"}, {"note", "Proportionate."}}, "guardian:9");
  REQUIRE(signed_off->ok());
  CHECK(signed_off->saved->status == BreachStatus::signed_off);

  // Signed off: governance can neither change it nor decide it again.
  CHECK(record_breach_by_hand(*f.t, id, edited, "governance:1")->problems.has("status"));
  CHECK(resolve_breach(*f.t, f.governance(), id, {{"status", "dismissed"}, {"resolution", "x"}}).problems.has("status"));

  // Who decided what, when and why: every step a version.
  const auto decisions = breach_decisions(*f.t, id);
  REQUIRE(decisions.size() == 6);
  CHECK(decisions[0].status == BreachStatus::open);
  CHECK(decisions[1].status == BreachStatus::confirmed);
  CHECK(decisions[1].recorded_by == "governance:1");
  CHECK(decisions[1].reason == "He reported it himself.");
  CHECK(decisions[2].status == BreachStatus::open);
  CHECK(decisions[2].recorded_by == "guardian:9");
  CHECK(decisions[2].reason == "Say what was repaid.");
  CHECK(decisions[5].status == BreachStatus::signed_off);
  CHECK(decisions[5].reason == "Proportionate.");
  for (const auto& d : decisions) CHECK_FALSE(d.recorded_at.empty());
}

TEST_CASE("breaches: confirming needs the date and the three summaries written for publication") {
  GuardBreachFixture f;
  Fields bare = f.hand_breach();
  bare.set("public_summary", "");
  const Id id = record_breach_by_hand(*f.t, 0, bare, "governance:1")->saved->id;
  auto refused = resolve_breach(*f.t, f.governance(), id, {{"status", "confirmed"}, {"resolution", "Yes."}});
  CHECK(refused.problems.has("status"));
  CHECK(BreachStore(*f.t).find(id)->status == BreachStatus::open);
  // The confirmation may carry the summary itself; dismissing needs none.
  auto confirmed = resolve_breach(*f.t, f.governance(), id,
                                  {{"status", "confirmed"}, {"resolution", "Yes."}, {"public_summary", "Hospitality was accepted from a bidder."}});
  REQUIRE(confirmed.ok());
  CHECK(confirmed.saved->public_summary == "Hospitality was accepted from a bidder.");
}

TEST_CASE("breaches: a meeting imported as already held gets its breach check, once") {
  GuardBreachFixture f;
  const auto held_meeting = nlohmann::json::parse(R"json({
    "format": "probity-bundle", "version": 1,
    "meetings": [{"ref": "m-guard-held", "committee": "c-pccc", "title": "PCCC extraordinary meeting", "date": "2026-11-12",
                  "location": "Board Room", "status": "held", "published": false,
                  "agenda": [{"ref": "a-guard-1", "title": "Riverside Surgery branch closure", "category": "practice_merger",
                              "organisations": ["org-riverside"]}]}]
  })json");
  auto r = import_bundle(*f.t, held_meeting, "test");
  REQUIRE(r.ok);
  const Id meeting = r.ids["meetings"]["m-guard-held"].get<Id>();
  auto drafts = BreachStore(*f.t).for_meeting(meeting);
  REQUIRE_FALSE(drafts.empty());
  // Riverside's partner (among others with a certain conflict) declared nothing.
  CHECK(std::any_of(drafts.begin(), drafts.end(), [&](const Breach& b) { return b.person_id == f.person("p-hassan"); }));
  for (const auto& b : drafts) {
    CHECK(b.status == BreachStatus::open);
    CHECK(b.kind == BreachKind::undeclared_at_meeting);
    CHECK(b.found_by == BreachFoundBy::meeting_check);
    CHECK(b.happened_on == d("2026-11-12"));
  }
  // Importing it again opens no second draft.
  REQUIRE(import_bundle(*f.t, held_meeting, "test").ok);
  CHECK(BreachStore(*f.t).for_meeting(meeting).size() == drafts.size());
  // A planned meeting opens none.
  auto planned = held_meeting;
  planned["meetings"][0]["ref"] = "m-guard-planned";
  planned["meetings"][0]["status"] = "planned";
  planned["meetings"][0]["agenda"][0]["ref"] = "a-guard-2";
  auto p = import_bundle(*f.t, planned, "test");
  REQUIRE(p.ok);
  CHECK(BreachStore(*f.t).for_meeting(p.ids["meetings"]["m-guard-planned"].get<Id>()).empty());
}
