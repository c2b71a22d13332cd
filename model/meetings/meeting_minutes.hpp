#pragma once
// The minutes' "declarations of interest" section and what the public sees of a published
// meeting: built only from what was recorded at the meeting (declarations
// made, the chair's decisions, people leaving the room), never from the flags, so nothing the
// register withholds leaks through a flag's reason.
#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/store/entities.hpp"
#include "model/meetings/co_opted_members.hpp"
#include "model/meetings/item_outcomes.hpp"
#include "model/meetings/meeting_records.hpp"

namespace probity {

struct MinutesItem {
  AgendaItem item;
  std::vector<MeetingDeclaration> declarations;  // made for this item, in the order recorded
  std::vector<ConflictDecision> decisions;       // how each conflict on it was managed
  std::vector<RoomMovement> movements;           // who left the room for it, and when
  std::vector<CoOptedMember> co_opted;           // co-opted to vote on this item only
  std::optional<ItemOutcome> outcome;            // remedy if inquorate, who presided, clinical input
};

struct MeetingMinutes {
  Meeting meeting;
  Committee committee;
  std::vector<MeetingDeclaration> general;  // declarations made for the whole meeting
  std::vector<CoOptedMember> co_opted;      // co-opted as voting members for the whole meeting
  std::vector<MinutesItem> items;           // in agenda order
  std::map<Id, Person> people;              // everyone the records name
};

/// Loads what was recorded at the meeting; nullopt for an unknown meeting. A declaration's
/// interest_id is left out (nullopt) when that entry is withheld from the public register. Throws
/// SQLite::Exception if the database fails.
std::optional<MeetingMinutes> build_meeting_minutes(SQLite::Database& db, Id meeting_id);


/// True when the public may see the meeting: not cancelled, and its minutes or (before them) its
/// agenda published.
bool is_public_meeting(const Meeting& meeting);

/// What the public sees of a meeting whose agenda is published but whose minutes are not: the
/// meeting and its agenda items (titles, descriptions, categories), with every declaration,
/// decision, movement, co-opted member, outcome and person taken out. Throws nothing.
MeetingMinutes agenda_only(MeetingMinutes minutes);

/// Plain English for a management action, as the minutes say it ("Left the room for the item").
std::string describe_action(ManagementAction action);

/// The JSON of GET /api/v1/meetings/{id} (published meetings): {"meeting": {...},
/// "declarations": [...], "items": [{"id", "ref", "position", "title", "description",
/// "category", "declarations": [...], "conflicts": [...], "movements": [...], "co_opted": [...],
/// "outcome": {...} or null}]}; the meeting has "co_opted" (for the whole meeting).
void to_json(nlohmann::json& j, const MeetingMinutes& minutes);

/// The minutes' declarations section as plain text (UTF-8, LF line ends). Throws nothing.
std::string minutes_declarations_text(const MeetingMinutes& minutes);

}  // namespace probity
