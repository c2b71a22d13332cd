#include "model/meeting_close.hpp"

#include <stdexcept>

#include "model/conflict_decisions.hpp"
#include "model/conflicts_report.hpp"
#include "model/meeting_record_store.hpp"

namespace probity {

std::vector<Breach> open_draft_breaches(SQLite::Database& db, Id meeting_id, const std::string& actor) {
  auto report = build_conflicts_report(db, meeting_id);
  if (!report) throw std::invalid_argument("no meeting with that id");
  std::vector<ItemFlags> flags;
  for (const auto& item : report->items) {
    ItemFlags f{item.item.id, {}};
    for (const auto& rf : item.flags) f.flags.push_back(rf.flag);
    flags.push_back(std::move(f));
  }
  BreachStore breaches(db);
  std::vector<Breach> out;
  for (auto& draft : draft_breaches(meeting_id, flags, MeetingDeclarationStore(db).for_meeting(meeting_id)))
    out.push_back(breaches.open_once(std::move(draft), actor));
  return out;
}

}  // namespace probity
