#include "model/meetings/meeting_record_actions.hpp"

#include <tuple>

#include "model/meetings/conflict_decisions.hpp"
#include "model/store/database.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/base/text.hpp"

namespace probity {
namespace {

// An agenda item of the meeting named in `field` (withdrawn ones too: the record may cite them).
std::optional<Id> item_of_meeting(SQLite::Database& db, const Meeting& m, const Fields& in, const std::string& field, bool required,
                                  Problems& p) {
  if (in.get(field).empty()) {
    if (required) p.add(field, "Select the agenda item");
    return std::nullopt;
  }
  auto id = in.id(field);
  auto item = id ? AgendaItemStore(db).find(*id) : std::nullopt;
  if (!item || item->meeting_id != agenda_meeting_id(m)) {
    p.add(field, "Select an agenda item of this meeting");
    return std::nullopt;
  }
  return id;
}

std::optional<Id> person_at(const std::map<Id, Person>& people, const Fields& in, const std::string& field, Problems& p) {
  auto id = in.id(field);
  if (!id || !people.contains(*id)) {
    p.add(field, "Select a member or attendee of this meeting");
    return std::nullopt;
  }
  return id;
}

// The person's registered interest named in `interest_id`, when one is named: a declaration may
// repeat an entry already on the register, and it must be that person's.
std::optional<Id> interest_of(SQLite::Database& db, const Fields& in, std::optional<Id> person, Problems& p) {
  if (in.get("interest_id").empty()) return std::nullopt;
  auto interest = in.id("interest_id");
  SQLite::Statement q(db, "SELECT person_id FROM interest_current WHERE id = ?");
  q.bind(1, interest.value_or(0));
  if (!interest || !q.executeStep() || (person && q.getColumn(0).getInt64() != *person)) {
    p.add("interest_id", "Select one of this person's registered interests, or leave it empty");
    return std::nullopt;
  }
  return interest;
}

// The flags on one agenda item of the meeting, as the brief shows them to `audience`.
std::vector<ConflictFlag> item_flags(SQLite::Database& db, Id meeting_id, Id item_id, ReportAudience audience) {
  std::vector<ConflictFlag> out;
  if (auto report = build_conflicts_report(db, meeting_id, audience))
    for (const auto& item : report->items)
      if (item.item.id == item_id)
        for (const auto& rf : item.flags) out.push_back(rf.flag);
  return out;
}

}  // namespace

Result<MeetingDeclaration> record_declaration(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, const Fields& in) {
  return change_meeting<MeetingDeclaration>(db, actor, meeting_id, [&](const Meeting& m, Problems& p) -> std::optional<MeetingDeclaration> {
    MeetingDeclaration d;
    d.meeting_id = m.id;
    auto person = person_at(meeting_people(db, m), in, "person_id", p);
    d.agenda_item_id = item_of_meeting(db, m, in, "agenda_item_id", false, p);
    d.text = in.text("text", "What was declared", kLongTextMax, p, "Enter what was declared, as it should appear in the minutes");
    d.interest_id = interest_of(db, in, person, p);
    if (!p.empty()) return std::nullopt;
    d.person_id = *person;
    MeetingDeclarationStore(db).record(d, actor.audit_name);
    return d;
  });
}

Result<ConflictDecision> record_decision(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, const Fields& in) {
  return change_meeting<ConflictDecision>(db, actor, meeting_id, [&](const Meeting& m, Problems& p) -> std::optional<ConflictDecision> {
    ConflictDecision d;
    d.meeting_id = m.id;
    auto item = item_of_meeting(db, m, in, "agenda_item_id", true, p);
    auto person = person_at(meeting_people(db, m), in, "person_id", p);
    auto action = enum_from_string<ManagementAction>(in.get("action"));
    if (!action) p.add("action", "Select how the conflict is managed");
    d.reason = in.get("reason");
    if (item && person && action && d.reason.empty()) {
      const auto suggested = suggested_decision(*item, *person, item_flags(db, m.id, *item, report_audience(actor)));
      if (auto message = missing_reason(suggested, *action, d.reason)) p.add("reason", *message);
    }
    d.decided_by = in.text("decided_by", "Who made the decision", kShortTextMax, p, "Enter who made the decision (normally the person presiding)");
    in.text("reason", "Reason", kLongTextMax, p);
    if (!p.empty()) return std::nullopt;
    d.agenda_item_id = *item;
    d.person_id = *person;
    d.action = *action;
    ConflictDecisionStore(db).record(d, actor.audit_name);
    return d;
  });
}

Result<RoomMovement> record_movement(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, const Fields& in) {
  return change_meeting<RoomMovement>(db, actor, meeting_id, [&](const Meeting& m, Problems& p) -> std::optional<RoomMovement> {
    RoomMovementStore store(db);
    RoomMovement mv;
    if (!in.get("movement_id").empty()) {
      auto id = in.id("movement_id");
      auto found = id ? store.find(*id) : std::nullopt;
      if (!found || found->meeting_id != m.id) p.add("movement_id", "Select a movement recorded at this meeting");
      else mv = *found;
    } else {
      mv.meeting_id = m.id;
      if (auto person = person_at(meeting_people(db, m), in, "person_id", p)) mv.person_id = *person;
      mv.agenda_item_id = item_of_meeting(db, m, in, "agenda_item_id", false, p);
      mv.left_at = in.get("left_at");
      if (!is_clock_time(mv.left_at)) p.add("left_at", "Enter the time they left as HH:MM, for example 14:05");
    }
    const std::string returned_message = "Enter the time they returned as HH:MM, for example 14:40";
    if (const auto returned = in.get("returned_at"); !returned.empty()) {
      mv.returned_at = returned;
      if (!is_clock_time(returned)) p.add("returned_at", returned_message);
      else if (p.empty() && returned < mv.left_at) p.add("returned_at", "The time they returned must not be before the time they left");
    } else if (mv.id != 0) {
      p.add("returned_at", returned_message);
    }
    if (!p.empty()) return std::nullopt;
    store.record(mv, actor.audit_name);
    return mv;
  });
}

Result<Breach> resolve_breach(SQLite::Database& db, const MeetingActor& actor, Id breach_id, const Fields& in) {
  WriteTransaction tx(db);
  if (!actor.governance) throw MeetingRefused(MeetingRefused::Kind::forbidden, "forbidden", "Only the governance team can use this page.");
  auto b = BreachStore(db).find(breach_id);
  if (!b) throw MeetingRefused(MeetingRefused::Kind::not_found, "not_found", "Breach was not found");
  Problems p;
  auto status = enum_from_string<BreachStatus>(in.get("status"));
  if (!status || *status == BreachStatus::open) p.add("status", "Select confirm or dismiss");
  b->resolution = in.text("resolution", "Reason", kLongTextMax, p, "Enter the reason for confirming or dismissing the breach");
  // The confirmation form may carry the published summaries too (a meeting's draft has none yet).
  for (auto [field, label, target] : {std::tuple{"public_summary", "Published summary of what happened", &b->public_summary},
                                      std::tuple{"public_action", "Published action taken", &b->public_action},
                                      std::tuple{"public_lessons", "Published lessons learned", &b->public_lessons}})
    if (in.has(field)) *target = in.text(field, label, kLongTextMax, p);
  if (b->status == BreachStatus::signed_off)
    p.add("status", "The Conflicts of Interest Guardian has signed this breach off: it can no longer be changed");
  // What the Guardian signs off is what the public will read: a confirmed breach has its date
  // and its three summaries written for publication.
  if (status == BreachStatus::confirmed && p.empty()) {
    if (!b->happened_on) p.add("status", "Enter the date the breach happened before confirming it");
    if (is_blank(b->public_summary) || is_blank(b->public_action) || is_blank(b->public_lessons))
      p.add("status", "Write the published summary, action and lessons before confirming the breach");
  }
  if (!p.empty()) return {std::nullopt, p};
  b->status = *status;
  BreachStore(db).record(*b, actor.audit_name);
  tx.commit();
  return {*b, {}};
}

}  // namespace probity
