#pragma once
// What is recorded at a meeting: the chair's decision on each conflict, declarations made on the
// day, people leaving and returning to the room, and draft breaches for governance to review.
// Like the register's entities, each is an identity plus append-only versions; the structs hold
// one version's content and `operator==` compares content only.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "model/base/date.hpp"
#include "model/store/entities.hpp"

namespace probity {

// How the chair manages a conflict, from mildest to strongest (guidance: note it and allow full
// participation; discussion but no vote; leave the room for the item; and also withhold papers).
enum class ManagementAction { participate, no_vote, leave_room, papers_withheld };
// A breach starts as a draft (opened by the software at a held meeting, or recorded by hand);
// governance confirms or dismisses it; the Conflicts of Interest Guardian signs it off or sends
// it back (to open, with the Guardian's note). Only a signed-off confirmed breach is published.
enum class BreachStatus { open, confirmed, dismissed, signed_off };
// What kind of failure of the policy a breach is.
enum class BreachKind { late_declaration, gift_not_declined, undeclared_at_meeting, took_part_when_excluded, other };
// How a breach came to light.
enum class BreachFoundBy { meeting_check, self_reported, reported_by_colleague, governance_review, audit, other };

template <>
struct EnumNames<ManagementAction> {
  static constexpr auto values = std::to_array<std::pair<ManagementAction, std::string_view>>(
      {{ManagementAction::participate, "participate"}, {ManagementAction::no_vote, "no_vote"},
       {ManagementAction::leave_room, "leave_room"}, {ManagementAction::papers_withheld, "papers_withheld"}});
};
template <>
struct EnumNames<BreachStatus> {
  static constexpr auto values = std::to_array<std::pair<BreachStatus, std::string_view>>(
      {{BreachStatus::open, "open"}, {BreachStatus::confirmed, "confirmed"}, {BreachStatus::dismissed, "dismissed"},
       {BreachStatus::signed_off, "signed_off"}});
};

template <>
struct EnumNames<BreachKind> {
  static constexpr auto values = std::to_array<std::pair<BreachKind, std::string_view>>(
      {{BreachKind::late_declaration, "late_declaration"}, {BreachKind::gift_not_declined, "gift_not_declined"},
       {BreachKind::undeclared_at_meeting, "undeclared_at_meeting"}, {BreachKind::took_part_when_excluded, "took_part_when_excluded"},
       {BreachKind::other, "other"}});
};

template <>
struct EnumNames<BreachFoundBy> {
  static constexpr auto values = std::to_array<std::pair<BreachFoundBy, std::string_view>>(
      {{BreachFoundBy::meeting_check, "meeting_check"}, {BreachFoundBy::self_reported, "self_reported"},
       {BreachFoundBy::reported_by_colleague, "reported_by_colleague"}, {BreachFoundBy::governance_review, "governance_review"},
       {BreachFoundBy::audit, "audit"}, {BreachFoundBy::other, "other"}});
};

/// True for every action that takes the person out of the decision (all but participate).
constexpr bool excludes_from_decision(ManagementAction a) { return a != ManagementAction::participate; }

/// The chair's decision on how one person's conflict on one agenda item is managed.
struct ConflictDecision {
  Id id = 0;
  std::string ref;
  Id meeting_id = 0;
  Id agenda_item_id = 0;
  Id person_id = 0;
  ManagementAction action = ManagementAction::leave_room;
  std::string reason;      // goes into the minutes
  std::string decided_by;  // normally the person presiding, as named in the minutes
  bool operator==(const ConflictDecision&) const = default;
};

/// A declaration made at the meeting, for one item or (no item) for the whole meeting; it may
/// repeat an interest already on the register or disclose one the register lacked.
struct MeetingDeclaration {
  Id id = 0;
  std::string ref;
  Id meeting_id = 0;
  std::optional<Id> agenda_item_id;
  Id person_id = 0;
  std::string text;
  std::optional<Id> interest_id;
  bool operator==(const MeetingDeclaration&) const = default;
};

/// A person leaving the room (for an item, or the meeting) and, once known, returning. Times are
/// 24-hour clock times "HH:MM" on the meeting's date.
struct RoomMovement {
  Id id = 0;
  std::string ref;
  Id meeting_id = 0;
  Id person_id = 0;
  std::optional<Id> agenda_item_id;
  std::string left_at;
  std::optional<std::string> returned_at;
  bool operator==(const RoomMovement&) const = default;
};

/// An entry in the breaches register: a possible failure of the conflicts of interest policy.
/// `reason`, `action_taken` and `lessons` are the governance team's own words and may name
/// people; the three `public_*` fields are written for publication, anonymously, and are all the
/// public ever reads of a breach besides its kind, month and how it was found.
struct Breach {
  Id id = 0;
  std::string ref;
  Id person_id = 0;
  Id meeting_id = 0;  // 0: not at a meeting
  std::optional<Id> agenda_item_id;
  std::string reason;  // what happened
  BreachStatus status = BreachStatus::open;
  std::string resolution;  // why governance confirmed or dismissed it
  BreachKind kind = BreachKind::undeclared_at_meeting;
  std::optional<Date> happened_on;
  BreachFoundBy found_by = BreachFoundBy::meeting_check;
  std::string action_taken;
  std::string lessons;
  std::string public_summary;
  std::string public_action;
  std::string public_lessons;
  std::string guardian_note;  // why the Guardian signed it off or sent it back
  bool operator==(const Breach&) const = default;
};

/// True for a 24-hour clock time written exactly "HH:MM" (00:00 to 23:59).
bool is_clock_time(std::string_view text);

/// Why the decision cannot be recorded (exact message: it must say who decided), or nullopt.
/// Whether it needs a reason depends on the flags: see decision_needs_reason.
std::optional<std::string> validation_error(const ConflictDecision& d);
/// Why the declaration cannot be recorded, or nullopt.
std::optional<std::string> validation_error(const MeetingDeclaration& d);
/// Why the movement cannot be recorded (bad times, return before leaving), or nullopt.
std::optional<std::string> validation_error(const RoomMovement& m);
/// Why the breach cannot be recorded, or nullopt: a reason is required; closing one needs a
/// resolution; a confirmed or signed-off breach needs the date it happened and the three
/// published summaries (what the Guardian signs off is what the public will read).
std::optional<std::string> validation_error(const Breach& b);

void to_json(nlohmann::json& j, const ConflictDecision& e);
void to_json(nlohmann::json& j, const MeetingDeclaration& e);
void to_json(nlohmann::json& j, const RoomMovement& e);
void to_json(nlohmann::json& j, const Breach& e);

}  // namespace probity
