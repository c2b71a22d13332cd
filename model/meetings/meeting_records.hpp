#pragma once
// What is recorded at a meeting: the chair's decision on each conflict, declarations made on the
// day, people leaving and returning to the room, and draft breaches for governance to review.
// Like the register's entities, each is an identity plus append-only versions; the structs hold
// one version's content and `operator==` compares content only.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "model/store/entities.hpp"

namespace probity {

// How the chair manages a conflict, from mildest to strongest (guidance: note it and allow full
// participation; discussion but no vote; leave the room for the item; and also withhold papers).
enum class ManagementAction { participate, no_vote, leave_room, papers_withheld };
// A breach starts as a draft the software opens; governance confirms or dismisses it.
enum class BreachStatus { open, confirmed, dismissed };

template <>
struct EnumNames<ManagementAction> {
  static constexpr auto values = std::to_array<std::pair<ManagementAction, std::string_view>>(
      {{ManagementAction::participate, "participate"}, {ManagementAction::no_vote, "no_vote"},
       {ManagementAction::leave_room, "leave_room"}, {ManagementAction::papers_withheld, "papers_withheld"}});
};
template <>
struct EnumNames<BreachStatus> {
  static constexpr auto values = std::to_array<std::pair<BreachStatus, std::string_view>>(
      {{BreachStatus::open, "open"}, {BreachStatus::confirmed, "confirmed"}, {BreachStatus::dismissed, "dismissed"}});
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

/// An entry in the breaches register: a possible failure to declare or to manage a conflict.
struct Breach {
  Id id = 0;
  std::string ref;
  Id person_id = 0;
  Id meeting_id = 0;
  std::optional<Id> agenda_item_id;
  std::string reason;
  BreachStatus status = BreachStatus::open;
  std::string resolution;  // why governance confirmed or dismissed it
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
/// Why the breach cannot be recorded (a reason is required; closing one needs a resolution), or nullopt.
std::optional<std::string> validation_error(const Breach& b);

void to_json(nlohmann::json& j, const ConflictDecision& e);
void to_json(nlohmann::json& j, const MeetingDeclaration& e);
void to_json(nlohmann::json& j, const RoomMovement& e);
void to_json(nlohmann::json& j, const Breach& e);

}  // namespace probity
