#include "model/meetings/meeting_close.hpp"

#include <map>
#include <stdexcept>

#include "model/meetings/conflict_decisions.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/meetings/meeting_store.hpp"

namespace probity {
namespace {

std::vector<ItemFlags> flags_of(const ConflictsReport& report) {
  std::vector<ItemFlags> flags;
  for (const auto& item : report.items) {
    ItemFlags f{item.item.id, {}};
    for (const auto& rf : item.flags) f.flags.push_back(rf.flag);
    flags.push_back(std::move(f));
  }
  return flags;
}

}  // namespace

std::vector<Breach> open_draft_breaches(SQLite::Database& db, Id meeting_id, const std::string& actor, ReportAudience audience) {
  auto report = build_conflicts_report(db, meeting_id, ReportAudience::governance);
  if (!report) throw std::invalid_argument("no meeting with that id");
  const auto declarations = MeetingDeclarationStore(db).for_meeting(meeting_id);
  BreachStore breaches(db);
  std::vector<Breach> out;
  const auto meeting = VersionedStore<Meeting>(db).find(meeting_id);
  for (auto& draft : draft_breaches(meeting_id, flags_of(*report), declarations)) {
    if (meeting) draft.happened_on = meeting->date;
    out.push_back(breaches.open_once(std::move(draft), actor));
  }
  if (audience == ReportAudience::governance) return out;

  // The same drafts from the report as the committee reads it give each breach's reason
  // without withheld details: one draft per (item, person), as open_once keys them.
  withhold_details(*report);
  std::map<std::pair<std::optional<Id>, Id>, std::string> reasons;
  for (const auto& draft : draft_breaches(meeting_id, flags_of(*report), declarations))
    reasons[{draft.agenda_item_id, draft.person_id}] = draft.reason;
  for (auto& b : out) {
    auto it = reasons.find({b.agenda_item_id, b.person_id});
    b.reason = it != reasons.end() ? it->second : "No declaration was recorded at the meeting for a certain conflict.";
  }
  return out;
}

}  // namespace probity
