// The meeting actions that pages and the API share (model/meetings/meeting_actions.hpp and its
// neighbours): who may make each change, that every check is made inside the write transaction,
// the problems a wrong field gets, and that a refused change writes nothing.
#include <catch2/catch.hpp>

#include <functional>
#include <tuple>

#include "model/store/audit_log.hpp"
#include "model/register/committee_store.hpp"
#include "model/meetings/conflict_decisions.hpp"
#include "model/meetings/meeting_actions.hpp"
#include "model/meetings/meeting_agenda_actions.hpp"
#include "model/meetings/meeting_record_actions.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_store.hpp"
#include "support.hpp"

using namespace probity;

namespace {

using probity::testing::day;

// A PCCC meeting on 2026-03-10 chaired by a lay member, with Dr Patel (partner at Riverside
// Surgery) voting, and one item: Riverside's contract. Another committee's chair, a member who
// chairs nothing and the governance team act on it.
struct Meetings {
  testing::TestDb t;
  Id riverside = 0, committee = 0, other_committee = 0, meeting = 0, item = 0;
  Id chair = 0, gp = 0, exec = 0, other_chair = 0;
  MeetingActor as_chair, as_gp, as_other_chair, as_governance{"governance", std::nullopt, true};

  Meetings() {
    WriteTransaction tx(*t);
    Organisation r{0, "org-riverside", "Riverside Surgery", "Y01234", OrganisationKind::gp_practice, std::nullopt};
    OrganisationStore(*t).save(r, "test");
    riverside = r.id;
    for (auto [id, ref, name, kind] : {std::tuple<Id*, const char*, const char*, PersonKind>{&chair, "p-chair", "Ms Lee Lay", PersonKind::lay},
                                       {&gp, "p-gp", "Dr Asha Patel", PersonKind::gp},  // a partner at Riverside
                                       {&exec, "p-exec", "Mr Sam Exec", PersonKind::executive},
                                       {&other_chair, "p-other", "Ms Ola Other", PersonKind::lay}}) {
      Person p{0, ref, name, "", kind, "", kind == PersonKind::gp ? std::optional<Id>(riverside) : std::nullopt, std::nullopt};
      PersonStore(*t).save(p, "test");
      *id = p.id;
    }
    Committee c{0, "pccc", "Primary Care Commissioning Committee", "", {}};
    Committee audit{0, "audit", "Audit Committee", "", {}};
    CommitteeStore(*t).save(c, "test");
    CommitteeStore(*t).save(audit, "test");
    committee = c.id;
    other_committee = audit.id;
    MembershipStore memberships(*t);
    for (auto [who, in, role] : {std::tuple{chair, committee, CommitteeRole::chair}, {gp, committee, CommitteeRole::voting},
                                 {exec, committee, CommitteeRole::voting}, {other_chair, other_committee, CommitteeRole::chair}}) {
      Membership m{0, "", in, who, role, day("2024-04-01"), std::nullopt};
      memberships.save(m, "test");
    }
    Meeting m{0, "m-1", committee, "PCCC", day("2026-03-10"), "Board Room", MeetingStatus::planned, false, false, ""};
    MeetingStore(*t).save(m, "test");
    meeting = m.id;
    AgendaItem i;
    i.meeting_id = meeting;
    i.position = 1;
    i.title = "Riverside Surgery contract variation";
    i.category = AgendaCategory::gp_contract;
    i.organisation_ids = {riverside};
    AgendaItemStore(*t).save(i, "test");
    item = i.id;
    tx.commit();
    as_chair = {"chair", chair, false};
    as_gp = {"gp", gp, false};
    as_other_chair = {"other", other_chair, false};
  }

  long long audit() { return last_audit_id(*t); }

  void set_meeting(MeetingStatus status, bool published) {
    WriteTransaction tx(*t);
    Meeting m = MeetingStore(*t).find(meeting).value();
    m.status = status;
    m.published = published;
    MeetingStore(*t).save(m, "test");
    tx.commit();
  }
};

template <typename Action>
MeetingRefused refusal(Action&& action) {
  try {
    action();
  } catch (const MeetingRefused& e) {
    return e;
  }
  FAIL("the action was not refused");
  return MeetingRefused(MeetingRefused::Kind::conflict, "", "");
}

}  // namespace

TEST_CASE("a meeting is created by a chair of its committee or governance; anyone else is refused, not given a field error") {
  Meetings f;
  const std::string committee = std::to_string(f.committee);
  auto created = create_meeting(*f.t, f.as_chair, {{"committee_id", committee}, {"title", "Extraordinary PCCC"}, {"date", "2027-01-14"}});
  REQUIRE(created.ok());
  CHECK(created.saved->committee_id == f.committee);
  CHECK(MeetingStore(*f.t).find(created.saved->id)->title == "Extraordinary PCCC");
  CHECK(create_meeting(*f.t, f.as_governance, {{"committee_id", committee}, {"title", "x"}, {"date", "2027-01-15"}}).ok());

  const auto before = f.audit();
  const Fields valid = {{"committee_id", committee}, {"title", "Mine"}, {"date", "2027-01-14"}};
  auto member = refusal([&] { create_meeting(*f.t, f.as_gp, valid); });
  CHECK(member.kind == MeetingRefused::Kind::forbidden);
  // A member who chairs nothing is refused whatever they send.
  CHECK(refusal([&] { create_meeting(*f.t, f.as_gp, {{"committee_id", "x"}}); }).kind == MeetingRefused::Kind::forbidden);
  auto other = refusal([&] { create_meeting(*f.t, f.as_other_chair, valid); });
  CHECK(other.kind == MeetingRefused::Kind::forbidden);
  CHECK(std::string(other.what()) == "You can only create meetings of committees you chair.");

  auto wrong = create_meeting(*f.t, f.as_other_chair, {{"committee_id", "999999"}, {"title", std::string(301, 't')}, {"date", "2026-02-30"}});
  CHECK_FALSE(wrong.saved);
  CHECK(wrong.problems == Problems{{"committee_id", "Select the committee"},
                                   {"title", "Title must be 300 characters or fewer"},
                                   {"date", "Enter the meeting's date as a real date, for example 10 12 2026"}});
  CHECK(f.audit() == before);
}

TEST_CASE("every meeting change is refused for an unknown meeting, someone who does not manage it, or published minutes") {
  Meetings f;
  const Fields declaration = {{"person_id", std::to_string(f.gp)}, {"text", "Partner at Riverside Surgery"}};
  CHECK(refusal([&] { record_declaration(*f.t, f.as_chair, 999999, declaration); }).kind == MeetingRefused::Kind::not_found);
  for (const auto* actor : {&f.as_gp, &f.as_other_chair}) {
    auto r = refusal([&] { record_declaration(*f.t, *actor, f.meeting, declaration); });
    CHECK(r.kind == MeetingRefused::Kind::forbidden);
    CHECK(r.code == "forbidden");
  }
  f.set_meeting(MeetingStatus::held, true);
  const auto before = f.audit();
  std::vector<std::function<void()>> changes = {
      [&] { set_attendance(*f.t, f.as_chair, f.meeting, {{"person_id", std::to_string(f.exec)}, {"status", "present"}}, FieldLayout::json_body); },
      [&] { add_agenda_item(*f.t, f.as_chair, f.meeting, {{"title", "Late"}}, FieldLayout::json_body); },
      [&] { edit_agenda_item(*f.t, f.as_chair, f.meeting, f.item, {{"title", "Changed"}}, FieldLayout::json_body); },
      [&] { withdraw_agenda_item(*f.t, f.as_chair, f.meeting, f.item); },
      [&] { reorder_agenda(*f.t, f.as_chair, f.meeting, {{"item_ids", std::to_string(f.item)}}, FieldLayout::json_body); },
      [&] { record_declaration(*f.t, f.as_chair, f.meeting, declaration); },
      [&] { record_decision(*f.t, f.as_governance, f.meeting, {}); },
      [&] { record_movement(*f.t, f.as_chair, f.meeting, {}); },
      [&] { mark_held(*f.t, f.as_chair, f.meeting); },
      [&] { publish_meeting(*f.t, f.as_chair, f.meeting); },
  };
  for (std::size_t i = 0; i < changes.size(); ++i) {
    CAPTURE(i);
    auto r = refusal(changes[i]);
    CHECK(r.kind == MeetingRefused::Kind::conflict);
    CHECK(r.code == "meeting_published");
  }
  CHECK(f.audit() == before);
}

TEST_CASE("attendance: the API sets one person's, the page's list leaves a member who stays expected without a row") {
  Meetings f;
  auto api = set_attendance(*f.t, f.as_chair, f.meeting, {{"person_id", std::to_string(f.exec)}, {"status", "apologies"}}, FieldLayout::json_body);
  REQUIRE(api.ok());
  REQUIRE(api.saved->size() == 1);
  CHECK(api.saved->at(0).status == AttendanceStatus::apologies);

  auto page = set_attendance(*f.t, f.as_chair, f.meeting,
                             {{"status_" + std::to_string(f.gp), "expected"}, {"status_" + std::to_string(f.exec), "present"},
                              {"add_person_id", std::to_string(f.other_chair)}, {"add_status", ""}},
                             FieldLayout::page_form);
  REQUIRE(page.ok());
  REQUIRE(page.saved->size() == 2);  // the exec's change and the attendee added; not the GP
  CHECK(AttendanceStore(*f.t).find_by_key(f.meeting, f.exec)->status == AttendanceStatus::present);
  CHECK(AttendanceStore(*f.t).find_by_key(f.meeting, f.other_chair)->status == AttendanceStatus::expected);
  CHECK_FALSE(AttendanceStore(*f.t).find_by_key(f.meeting, f.gp));

  auto wrong = set_attendance(*f.t, f.as_chair, f.meeting, {{"status", "asleep"}}, FieldLayout::json_body);
  CHECK(wrong.problems == Problems{{"person_id", "Select a person from the register"}, {"status", "Select expected, present, apologies or absent"}});
}

TEST_CASE("agenda items are added at the end, edited, put in order and withdrawn unless the record cites them") {
  Meetings f;
  auto lis = add_agenda_item(*f.t, f.as_chair, f.meeting, {{"title", "Local incentive scheme"}, {"category", "local_incentive_scheme"}},
                             FieldLayout::json_body);
  REQUIRE(lis.ok());
  CHECK(lis.saved->position == 2);
  CHECK(lis.saved->affects_all_gp_practices);  // the category's default
  const std::string both = std::to_string(lis.saved->id) + "," + std::to_string(f.item);

  SECTION("organisations: a JSON list, or the page's three selects") {
    auto listed = edit_agenda_item(*f.t, f.as_chair, f.meeting, lis.saved->id,
                                   {{"title", "LIS"}, {"organisation_ids", std::to_string(f.riverside) + "," + std::to_string(f.riverside)}},
                                   FieldLayout::json_body);
    REQUIRE(listed.ok());
    CHECK(listed.saved->organisation_ids == std::vector<Id>{f.riverside});
    CHECK(listed.saved->position == 2);
    auto unknown = edit_agenda_item(*f.t, f.as_chair, f.meeting, lis.saved->id, {{"title", "LIS"}, {"organisation_ids", "999999,\"2\""}},
                                    FieldLayout::json_body);
    CHECK(unknown.problems == Problems{{"organisation_ids", "Every organisation must be on the register"}});
    auto selects = edit_agenda_item(*f.t, f.as_chair, f.meeting, lis.saved->id,
                                    {{"title", ""}, {"organisation_2", "2 OR 1=1"}, {"affects_all_gp_practices", "some"}}, FieldLayout::page_form);
    CHECK(selects.problems == Problems{{"title", "Enter the item's title"},
                                       {"organisation_2", "Select an organisation from the register"},
                                       {"affects_all_gp_practices", "Say whether the item affects all GP practices"}});
  }
  SECTION("order: every item once from the API, one place up or down from the page") {
    auto wrong = reorder_agenda(*f.t, f.as_chair, f.meeting, {{"item_ids", std::to_string(f.item)}}, FieldLayout::json_body);
    CHECK(wrong.problems == Problems{{"item_ids", "item_ids must list every item of the meeting once"}});
    auto listed = reorder_agenda(*f.t, f.as_chair, f.meeting, {{"item_ids", both}}, FieldLayout::json_body);
    REQUIRE(listed.ok());
    CHECK(listed.saved->at(0).id == lis.saved->id);
    CHECK(listed.saved->at(0).position == 1);
    auto down = reorder_agenda(*f.t, f.as_chair, f.meeting, {{"item_id", std::to_string(lis.saved->id)}, {"direction", "down"}},
                               FieldLayout::page_form);
    REQUIRE(down.ok());
    CHECK(AgendaItemStore(*f.t).for_meeting(f.meeting).back().id == lis.saved->id);
    auto sideways = reorder_agenda(*f.t, f.as_chair, f.meeting, {{"item_id", "abc"}, {"direction", "sideways"}}, FieldLayout::page_form);
    CHECK(sideways.problems == Problems{{"item_id", "Select an item of this meeting"}});
  }
  SECTION("withdrawing: off the agenda, but not once the record cites it") {
    REQUIRE(withdraw_agenda_item(*f.t, f.as_chair, f.meeting, lis.saved->id).ok());
    CHECK(refusal([&] { withdraw_agenda_item(*f.t, f.as_chair, f.meeting, lis.saved->id); }).kind == MeetingRefused::Kind::not_found);
    REQUIRE(record_declaration(*f.t, f.as_chair, f.meeting,
                               {{"person_id", std::to_string(f.gp)}, {"agenda_item_id", std::to_string(f.item)}, {"text", "Partner"}})
                .ok());
    const auto before = f.audit();
    auto cited = refusal([&] { withdraw_agenda_item(*f.t, f.as_chair, f.meeting, f.item); });
    CHECK(cited.kind == MeetingRefused::Kind::conflict);
    CHECK(cited.code == "item_has_records");
    CHECK(f.audit() == before);
  }
}

TEST_CASE("a decision that departs from the suggested one needs a reason; following it needs none") {
  Meetings f;
  const std::string item = std::to_string(f.item), gp = std::to_string(f.gp);
  auto report = build_conflicts_report(*f.t, f.meeting, ReportAudience::committee).value();
  std::vector<ConflictFlag> flags;
  for (const auto& rf : report.items.at(0).flags) flags.push_back(rf.flag);
  REQUIRE(suggested_decision(f.item, f.gp, flags) == ManagementAction::leave_room);  // her own practice

  auto departs = record_decision(*f.t, f.as_chair, f.meeting, {{"agenda_item_id", item}, {"person_id", gp}, {"action", "participate"}, {"decided_by", "Ms Lee Lay"}});
  CHECK(departs.problems == Problems{{"reason", "Enter the reason for departing from the suggested decision (Leave the room for the item), "
                                                "as it should appear in the minutes"}});
  auto follows = record_decision(*f.t, f.as_chair, f.meeting, {{"agenda_item_id", item}, {"person_id", gp}, {"action", "leave_room"}, {"decided_by", "Ms Lee Lay"}});
  REQUIRE(follows.ok());
  CHECK(follows.saved->reason.empty());
  auto with_reason = record_decision(*f.t, f.as_chair, f.meeting,
                                     {{"agenda_item_id", item}, {"person_id", gp}, {"action", "participate"}, {"reason", "Historic"}, {"decided_by", "Ms Lee Lay"}});
  REQUIRE(with_reason.ok());
  CHECK(with_reason.saved->id == follows.saved->id);  // a new version of the same decision

  auto wrong = record_decision(*f.t, f.as_chair, f.meeting, {{"person_id", std::to_string(f.other_chair)}, {"action", "shout"}});
  CHECK(wrong.problems == Problems{{"agenda_item_id", "Select the agenda item"},
                                   {"person_id", "Select a member or attendee of this meeting"},
                                   {"action", "Select how the conflict is managed"},
                                   {"decided_by", "Enter who made the decision (normally the person presiding)"}});
}

TEST_CASE("declarations and movements are checked against the meeting's people, items and times") {
  Meetings f;
  auto declared = record_declaration(*f.t, f.as_chair, f.meeting,
                                     {{"person_id", std::to_string(f.other_chair)}, {"agenda_item_id", "999999"}, {"text", ""}, {"interest_id", "1; --"}});
  CHECK(declared.problems == Problems{{"person_id", "Select a member or attendee of this meeting"},
                                      {"agenda_item_id", "Select an agenda item of this meeting"},
                                      {"text", "Enter what was declared, as it should appear in the minutes"},
                                      {"interest_id", "Select one of this person's registered interests, or leave it empty"}});

  auto left = record_movement(*f.t, f.as_chair, f.meeting, {{"person_id", std::to_string(f.gp)}, {"agenda_item_id", std::to_string(f.item)}, {"left_at", "14:05"}});
  REQUIRE(left.ok());
  const std::string movement = std::to_string(left.saved->id);
  CHECK(record_movement(*f.t, f.as_chair, f.meeting, {{"movement_id", movement}}).problems ==
        Problems{{"returned_at", "Enter the time they returned as HH:MM, for example 14:40"}});
  CHECK(record_movement(*f.t, f.as_chair, f.meeting, {{"movement_id", movement}, {"returned_at", "13:00"}}).problems ==
        Problems{{"returned_at", "The time they returned must not be before the time they left"}});
  auto back = record_movement(*f.t, f.as_chair, f.meeting, {{"movement_id", movement}, {"returned_at", "14:40"}});
  REQUIRE(back.ok());
  CHECK(back.saved->returned_at == "14:40");
}

TEST_CASE("held, then published; breaches opened on the way are for governance to resolve") {
  Meetings f;
  auto early = refusal([&] { publish_meeting(*f.t, f.as_chair, f.meeting); });
  CHECK(early.code == "meeting_not_held");
  auto held = mark_held(*f.t, f.as_chair, f.meeting);
  REQUIRE(held.ok());
  CHECK(held.saved->meeting.status == MeetingStatus::held);
  REQUIRE(held.saved->breaches.size() == 1);  // Dr Patel declared nothing
  const Breach breach = held.saved->breaches.at(0);
  CHECK(breach.person_id == f.gp);

  CHECK(refusal([&] { resolve_breach(*f.t, f.as_chair, breach.id, {{"status", "dismissed"}, {"resolution", "x"}}); }).kind ==
        MeetingRefused::Kind::forbidden);
  CHECK(refusal([&] { resolve_breach(*f.t, f.as_governance, 999999, {}); }).kind == MeetingRefused::Kind::not_found);
  CHECK(resolve_breach(*f.t, f.as_governance, breach.id, {{"status", "open"}}).problems ==
        Problems{{"status", "Select confirm or dismiss"}, {"resolution", "Enter the reason for confirming or dismissing the breach"}});
  auto dismissed = resolve_breach(*f.t, f.as_governance, breach.id, {{"status", "dismissed"}, {"resolution", "Declared orally."}});
  REQUIRE(dismissed.ok());
  CHECK(BreachStore(*f.t).find(breach.id)->status == BreachStatus::dismissed);

  auto published = publish_meeting(*f.t, f.as_chair, f.meeting);
  REQUIRE(published.ok());
  CHECK(MeetingStore(*f.t).find(f.meeting)->published);

  f.set_meeting(MeetingStatus::cancelled, false);
  CHECK(refusal([&] { mark_held(*f.t, f.as_chair, f.meeting); }).code == "meeting_cancelled");
}

TEST_CASE("Fields::ids reads a list of ids joined with commas") {
  CHECK(Fields{{"ids", ""}}.ids("ids") == std::vector<std::int64_t>{});
  CHECK(Fields{}.ids("ids") == std::vector<std::int64_t>{});
  CHECK(Fields{{"ids", "3,1,2"}}.ids("ids") == std::vector<std::int64_t>{3, 1, 2});
  for (const char* wrong : {"1,", ",1", "1,,2", "-1", "1.5", "\"2\"", "1 OR 1=1", "1234567890123456789"}) {
    CAPTURE(wrong);
    CHECK_FALSE(Fields{{"ids", wrong}}.ids("ids"));
  }
}
