#pragma once
// The chair's brief as data: for one meeting, every agenda item's conflict flags with
// the chair's recorded decision, and its quorum once the conflicted are excluded. The same
// struct feeds the brief page and GET /api/v1/meetings/{id}/conflicts.
#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <set>
#include <vector>

#include "model/meetings/co_opted_members.hpp"
#include "model/meetings/conflict_flags.hpp"
#include "model/meetings/item_outcomes.hpp"
#include "model/meetings/meeting_records.hpp"
#include "model/meetings/quorum_check.hpp"

namespace probity {

/// Who a report is built for. An entry withheld from the public register still counts for
/// conflicts, but only the governance team may read its details: for anyone else (the
/// committee's chair or vice-chair, who can put anyone on the register on their agenda) a flag
/// resting on withheld entries says that the person has a conflicting withheld interest, how
/// sure that is and what to do, and nothing about the interest itself.
enum class ReportAudience { governance, committee };

struct ReportFlag {
  ConflictFlag flag;
  std::optional<ConflictDecision> decision;  // the chair's recorded decision for this person and item
};

struct ReportItem {
  AgendaItem item;
  std::vector<ReportFlag> flags;
  std::set<Id> excluded;  // left out of the decision (default or as decided)
  QuorumResult quorum;
  std::optional<ItemOutcome> outcome;  // remedy, who presided, clinical input, as recorded
};

/// Committees in common: one committee's meeting of the group, item by item, as each
/// committee's own brief works it out (its own members, rules, co-opted members and decisions).
struct InCommonItem {
  Id agenda_item_id = 0;
  bool quorate = true;
  int conflicted = 0;  // people flagged on the item at that committee's meeting
  std::vector<QuorumFailure> failures;
};
struct InCommonMeeting {
  Meeting meeting;
  Committee committee;
  bool lead = false;  // the meeting whose agenda and attendance the group shares
  std::vector<InCommonItem> items;  // in agenda order
};

struct ConflictsReport {
  Meeting meeting;
  Committee committee;
  // Members in post on the meeting date and attendees, less those who sent apologies or were
  // absent; in membership order, then attendees. They are who is flagged and counted present.
  std::vector<MeetingParticipant> participants;
  // Co-opted for the meeting (voting members on every item) or for one item (voting there, and
  // flagged only there); each is also among `participants`, as an attendee when for one item.
  std::vector<CoOptedMember> co_opted;
  std::vector<ReportItem> items;  // in agenda order
  // Several bodies: every body's shown name, and whether the brief names each
  // participant's body (the committee has several owning bodies, or the instance several bodies).
  std::map<Id, std::string> body_names;
  bool show_bodies = false;
  // Committees in common: every meeting of the group (this one included, the lead first), each
  // worked out for its own committee; empty for a meeting of its own.
  std::vector<InCommonMeeting> in_common;
};

/// Loads the meeting, its committee, participants, their interests and gifts, the organisations
/// involved and the chair's decisions (batched IN lookups on the person, organisation and
/// parent indexes, never the whole register), then flags every item and checks its quorum.
/// Flagging and quorum use every interest, withheld or not; for ReportAudience::committee the
/// report is then passed through withhold_details(). Nullopt for an unknown meeting. Throws
/// SQLite::Exception if the database fails.
/// A meeting of committees in common (in_common_with, or the lead of one) reads its lead's agenda
/// and attendance but its own committee's members, rules, co-opted members, declarations and
/// decisions; `in_common` then summarises each meeting of the group. `organisation_name` names
/// the default body while its own name is empty (body_name). Quorum applies the committee's
/// per-body minimums with its owning bodies (check_quorum with QuorumBodies).
std::optional<ConflictsReport> build_conflicts_report(SQLite::Database& db, Id meeting_id, ReportAudience audience,
                                                      const FlaggingOptions& options = {}, const std::string& organisation_name = {});

/// Makes a report fit for ReportAudience::committee: each flag resting on withheld entries gets
/// rule `withheld`, no interest or gift ids, not marked indirect, and a reason naming only the
/// person and the item; its confidence and suggested action stay, as do quorum and exclusions
/// (worked out before). Throws nothing.
void withhold_details(ConflictsReport& report);

/// The JSON of GET /api/v1/meetings/{id}/conflicts: {"meeting": {...}, "items": [{"id", "ref",
/// "title", "flags": [...], "quorum": {...}}]}. With `show_bodies`, each participant has "body"
/// ({"id", "name"}) and each quorum "by_body"; a meeting of committees in common has
/// "in_common_with" (the lead's id, for a follower) and "in_common" (the group, docs/api-meetings.md). Each flag has "withheld"; a flag whose details
/// are left out has "rule": "withheld" and "indirect": null.
void to_json(nlohmann::json& j, const ConflictsReport& report);

}  // namespace probity
