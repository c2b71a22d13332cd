#include <catch2/catch.hpp>

#include "model/store/audit_log.hpp"
#include "model/register/committee_store.hpp"
#include "model/meetings/conflict_decisions.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/register/person_store.hpp"
#include "support.hpp"

using namespace probity;

namespace {

// A committee, a meeting with two items and two people, saved once.
struct Scenario {
  testing::TestDb t;
  Id meeting = 0, item1 = 0, item2 = 0, asha = 0, ben = 0;
  Scenario() {
    WriteTransaction tx(*t);
    Committee c{0, "", "Primary Care Commissioning Committee", "", QuorumRule{}};
    CommitteeStore(*t).save(c, "test");
    Meeting m{0, "", c.id, "PCCC March", *Date::parse("2026-03-10"), "Room 1", MeetingStatus::planned, false, false, ""};
    MeetingStore(*t).save(m, "test");
    meeting = m.id;
    AgendaItemStore items(*t);
    AgendaItem a{0, "", m.id, 1, "APMS contract", "", AgendaCategory::gp_contract, {}, false};
    AgendaItem b{0, "", m.id, 2, "Local incentive scheme", "", AgendaCategory::local_incentive_scheme, {}, true};
    items.save(a, "test");
    items.save(b, "test");
    item1 = a.id;
    item2 = b.id;
    PersonStore people(*t);
    Person p1{0, "", "Dr Asha Patel", "", PersonKind::gp, "GP partner", std::nullopt, std::nullopt};
    Person p2{0, "", "Dr Ben Okafor", "", PersonKind::gp, "GP partner", std::nullopt, std::nullopt};
    people.save(p1, "test");
    people.save(p2, "test");
    asha = p1.id;
    ben = p2.id;
    tx.commit();
  }
  ConflictDecision decision(Id item, Id person, ManagementAction action, const std::string& reason) const {
    return {0, "", meeting, item, person, action, reason, "Ms Lee Lay (chair)"};
  }
};

}  // namespace

TEST_CASE("a changed decision is a new version of the same record, and both are audited") {
  Scenario s;
  ConflictDecisionStore decisions(*s.t);
  {
    WriteTransaction tx(*s.t);
    auto d = s.decision(s.item1, s.asha, ManagementAction::leave_room, "Partner of the bidding practice");
    CHECK(decisions.record(d, "chair:1").version == 1);
    tx.commit();
  }
  Id first_id = 0;
  {
    WriteTransaction tx(*s.t);
    auto d = s.decision(s.item1, s.asha, ManagementAction::no_vote, "Bid withdrawn; may join the discussion");
    auto saved = decisions.record(d, "chair:1");
    CHECK(saved.version == 2);
    first_id = d.id;
    tx.commit();
  }
  auto current = decisions.find_by_key(s.item1, s.asha);
  REQUIRE(current);
  CHECK(current->id == first_id);
  CHECK(current->action == ManagementAction::no_vote);
  CHECK(decisions.history(first_id).size() == 2);
  CHECK(decisions.history(first_id)[0].entity.action == ManagementAction::leave_room);
  CHECK(decisions.for_meeting(s.meeting).size() == 1);
  CHECK_FALSE(decisions.find_by_key(s.item2, s.asha));
  CHECK(audit_for(*s.t, "conflict_decision", first_id).size() == 2);
  CHECK(verify_audit_chain(*s.t).ok);
}

TEST_CASE("meeting records are validated with exact messages") {
  Scenario s;
  WriteTransaction tx(*s.t);
  ConflictDecisionStore decisions(*s.t);
  // The store records a decision without a reason: whether one is needed depends on the flags
  // (decision_needs_reason), which the caller checks.
  auto no_reason = s.decision(s.item1, s.asha, ManagementAction::participate, "");
  CHECK_NOTHROW(decisions.record(no_reason, "chair:1"));
  auto no_one = s.decision(s.item1, s.asha, ManagementAction::participate, "Interest is historic");
  no_one.decided_by = "";
  CHECK_THROWS_WITH(decisions.record(no_one, "chair:1"), "a decision must say who made it");

  auto [left, returned, message] = GENERATE(table<std::string, std::optional<std::string>, std::string>({
      {"10:15", std::nullopt, ""},
      {"10:15", std::optional<std::string>("10:40"), ""},
      {"10.15", std::nullopt, "left_at must be a time as HH:MM"},
      {"24:00", std::nullopt, "left_at must be a time as HH:MM"},
      {"10:15", std::optional<std::string>("9:40"), "returned_at must be a time as HH:MM"},
      {"10:15", std::optional<std::string>("10:10"), "returned_at must not be before left_at"},
  }));
  CAPTURE(left, returned);
  RoomMovementStore movements(*s.t);
  RoomMovement m{0, "", s.meeting, s.asha, s.item1, left, returned};
  if (message.empty()) {
    CHECK(movements.record(m, "clerk:1").version == 1);
  } else {
    CHECK_THROWS_WITH(movements.record(m, "clerk:1"), message);
    CHECK(movements.for_meeting(s.meeting).empty());
  }

  MeetingDeclarationStore declarations(*s.t);
  MeetingDeclaration empty{0, "", s.meeting, s.item1, s.asha, "", std::nullopt};
  CHECK_THROWS_WITH(declarations.record(empty, "clerk:1"), "a declaration needs its text");
  BreachStore breaches(*s.t);
  Breach closed;
  closed.person_id = s.asha;
  closed.meeting_id = s.meeting;
  closed.agenda_item_id = s.item1;
  closed.reason = "Did not declare";
  closed.status = BreachStatus::dismissed;
  CHECK_THROWS_WITH(breaches.record(closed, "governance:1"), "confirming or dismissing a breach needs a resolution");
}

TEST_CASE("a return is recorded as a new version of the movement") {
  Scenario s;
  RoomMovementStore movements(*s.t);
  RoomMovement m{0, "", s.meeting, s.asha, s.item1, "10:15", std::nullopt};
  {
    WriteTransaction tx(*s.t);
    movements.record(m, "clerk:1");
    m.returned_at = "10:40";
    CHECK(movements.record(m, "clerk:1").version == 2);
    tx.commit();
  }
  auto all = movements.for_meeting(s.meeting);
  REQUIRE(all.size() == 1);
  CHECK(all[0].returned_at == std::optional<std::string>("10:40"));
  CHECK(all[0].agenda_item_id == s.item1);
}

TEST_CASE("declarations for an item or the whole meeting are kept in order") {
  Scenario s;
  MeetingDeclarationStore declarations(*s.t);
  {
    WriteTransaction tx(*s.t);
    MeetingDeclaration whole{0, "", s.meeting, std::nullopt, s.ben, "Partner, Hillside Surgery (all items)", std::nullopt};
    MeetingDeclaration one{0, "", s.meeting, s.item1, s.asha, "Spouse works for the bidder", std::nullopt};
    declarations.record(whole, "clerk:1");
    declarations.record(one, "clerk:1");
    tx.commit();
  }
  auto all = declarations.for_meeting(s.meeting);
  REQUIRE(all.size() == 2);
  CHECK_FALSE(all[0].agenda_item_id);
  CHECK(all[1].agenda_item_id == s.item1);
  CHECK(all[1].text == "Spouse works for the bidder");
}

TEST_CASE("draft breaches are opened once for certain conflicts nobody declared") {
  Scenario s;
  auto flag = [](Id item, Id person, Confidence c) {
    ConflictFlag f;
    f.agenda_item_id = item;
    f.person_id = person;
    f.confidence = c;
    f.reason = "Dr X has a financial interest in Y, which is linked to item \"Z\".";
    return f;
  };
  std::vector<ItemFlags> flags = {
      {s.item1, {flag(s.item1, s.asha, Confidence::certain), flag(s.item1, s.ben, Confidence::certain)}},
      {s.item2, {flag(s.item2, s.asha, Confidence::certain), flag(s.item2, s.ben, Confidence::possible)}},
  };
  // Asha declared for item 1 only; Ben declared nothing.
  std::vector<MeetingDeclaration> declared = {{0, "", s.meeting, s.item1, s.asha, "Partner", std::nullopt}};
  auto drafts = draft_breaches(s.meeting, flags, declared);
  REQUIRE(drafts.size() == 2);
  CHECK(drafts[0].person_id == s.ben);
  CHECK(drafts[0].agenda_item_id == s.item1);
  CHECK(drafts[1].person_id == s.asha);
  CHECK(drafts[1].agenda_item_id == s.item2);  // a declaration on item 1 does not cover item 2
  CHECK(drafts[1].reason ==
        "No declaration was recorded at the meeting, although: Dr X has a financial interest in Y, which is linked to item \"Z\".");

  // A declaration for the whole meeting covers every item.
  declared.push_back({0, "", s.meeting, std::nullopt, s.ben, "Partner, Hillside Surgery", std::nullopt});
  CHECK(draft_breaches(s.meeting, flags, declared).size() == 1);

  BreachStore breaches(*s.t);
  {
    WriteTransaction tx(*s.t);
    for (auto& b : drafts) breaches.open_once(b, "system");
    tx.commit();
  }
  Breach dismissed = breaches.for_meeting(s.meeting).at(0);
  {
    WriteTransaction tx(*s.t);
    dismissed.status = BreachStatus::dismissed;
    dismissed.resolution = "Declared in writing before the meeting";
    breaches.record(dismissed, "governance:1");
    for (auto& b : drafts) breaches.open_once(b, "system");  // re-running the check opens nothing new
    tx.commit();
  }
  auto all = breaches.for_meeting(s.meeting);
  REQUIRE(all.size() == 2);
  CHECK(all[0].status == BreachStatus::dismissed);
  CHECK(all[1].status == BreachStatus::open);
  CHECK(breaches.for_person(s.asha).size() == 1);
}

TEST_CASE("who is excluded from the decision follows flags, then the chair's decisions, then the room") {
  auto flag = [](Id item, Id person, Confidence c) {
    ConflictFlag f;
    f.agenda_item_id = item;
    f.person_id = person;
    f.confidence = c;
    return f;
  };
  const std::vector<ConflictFlag> flags = {flag(1, 10, Confidence::certain), flag(1, 11, Confidence::possible),
                                           flag(1, 12, Confidence::certain), flag(2, 13, Confidence::certain)};
  auto d = [](Id item, Id person, ManagementAction a) { return ConflictDecision{0, "", 1, item, person, a, "why", "chair"}; };

  auto [description, decisions, movements, expected] =
      GENERATE_REF(table<std::string, std::vector<ConflictDecision>, std::vector<RoomMovement>, std::set<Id>>({
          {"default: every certain flag excludes", {}, {}, {10, 12}},
          {"participate keeps a certain flag in", {d(1, 10, ManagementAction::participate)}, {}, {12}},
          {"no vote excludes a possible flag", {d(1, 11, ManagementAction::no_vote)}, {}, {10, 11, 12}},
          {"leave the room and papers withheld exclude",
           {d(1, 10, ManagementAction::leave_room), d(1, 14, ManagementAction::papers_withheld)}, {}, {10, 12, 14}},
          {"a decision on another item does not apply", {d(2, 10, ManagementAction::participate)}, {}, {10, 12}},
          {"out of the room for the item", {d(1, 10, ManagementAction::participate)},
           {{0, "", 1, 15, std::optional<Id>(1), "10:00", std::nullopt}, {0, "", 1, 16, std::optional<Id>(2), "11:00", std::nullopt}},
           {12, 15}},
      }));
  CAPTURE(description);
  CHECK(excluded_from_decision(1, flags, decisions, movements) == expected);
}

TEST_CASE("meeting records cannot be rewritten in the database") {
  Scenario s;
  Breach b;
  b.person_id = s.asha;
  b.meeting_id = s.meeting;
  b.agenda_item_id = s.item1;
  b.reason = "Did not declare";
  {
    WriteTransaction tx(*s.t);
    auto d = s.decision(s.item1, s.asha, ManagementAction::leave_room, "Partner of the bidder");
    ConflictDecisionStore(*s.t).record(d, "chair:1");
    BreachStore(*s.t).record(b, "system");
    tx.commit();
  }
  CHECK_THROWS_WITH(s.t.db->exec("UPDATE conflict_decision_versions SET action = 'participate'"), Catch::Contains("append-only"));
  CHECK_THROWS_WITH(s.t.db->exec("DELETE FROM conflict_decisions"), Catch::Contains("append-only"));
  CHECK_THROWS_WITH(s.t.db->exec("DELETE FROM breach_versions"), Catch::Contains("append-only"));
  // Only the four statuses exist, even for a row written behind the application's back.
  CHECK_THROWS_WITH(s.t.db->exec("INSERT INTO breach_versions (breach_id, version, person_id, meeting_id, reason, status, "
                                 "recorded_at, recorded_by) VALUES (" + std::to_string(b.id) + ", 2, " + std::to_string(s.asha) +
                                 ", " + std::to_string(s.meeting) + ", 'x', 'pending', 'now', 'me')"),
                    Catch::Contains("CHECK constraint failed"));
}
