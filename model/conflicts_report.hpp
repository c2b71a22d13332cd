#pragma once
// The chair's brief as data (issue 5): for one meeting, every agenda item's conflict flags with
// the chair's recorded decision, and its quorum once the conflicted are excluded. The same
// struct feeds the brief page and GET /api/v1/meetings/{id}/conflicts.
#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <vector>

#include "model/conflict_flags.hpp"
#include "model/meeting_records.hpp"
#include "model/quorum_check.hpp"

namespace probity {

struct ReportFlag {
  ConflictFlag flag;
  std::optional<ConflictDecision> decision;  // the chair's recorded decision for this person and item
};

struct ReportItem {
  AgendaItem item;
  std::vector<ReportFlag> flags;
  std::set<Id> excluded;  // left out of the decision (default or as decided)
  QuorumResult quorum;
};

struct ConflictsReport {
  Meeting meeting;
  Committee committee;
  // Members in post on the meeting date and attendees, less those who sent apologies or were
  // absent; in membership order, then attendees. They are who is flagged and counted present.
  std::vector<MeetingParticipant> participants;
  std::vector<ReportItem> items;  // in agenda order
};

/// Loads the meeting, its committee, participants, their interests and gifts, the organisations
/// involved and the chair's decisions (batched IN lookups on the person, organisation and
/// parent indexes, never the whole register), then flags every item and checks its quorum.
/// Nullopt for an unknown meeting. Throws SQLite::Exception if the database fails.
std::optional<ConflictsReport> build_conflicts_report(SQLite::Database& db, Id meeting_id, const FlaggingOptions& options = {});

/// The JSON of GET /api/v1/meetings/{id}/conflicts: {"meeting": {...}, "items": [{"id", "ref",
/// "title", "flags": [...], "quorum": {...}}]}.
void to_json(nlohmann::json& j, const ConflictsReport& report);

}  // namespace probity
