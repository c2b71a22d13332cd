#include "model/meetings/item_outcomes.hpp"

#include "model/base/text.hpp"
#include "model/meetings/meeting_actions.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/meetings/quorum_check.hpp"

namespace probity {

std::string remedy_label(const std::string& code) {
  if (code == "defer") return "Deferred to a later meeting";
  if (code == "refer") return "Referred to another body";
  if (code == "co_opt") return "Members co-opted";
  if (code == "conflicts_panel") return "Decided by a conflicts panel";
  return code;
}

Result<ItemOutcome> record_item_outcome(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, const Fields& in) {
  return change_meeting<ItemOutcome>(db, actor, meeting_id, [&](const Meeting& m, Problems& p) -> std::optional<ItemOutcome> {
    ItemOutcome o;
    o.meeting_id = m.id;
    const auto item_id = in.id("agenda_item_id");
    const auto item = item_id ? AgendaItemStore(db).find(*item_id) : std::nullopt;
    if (!item || item->meeting_id != agenda_meeting_id(m)) p.add("agenda_item_id", "Select an agenda item of this meeting");
    o.remedy = in.get("remedy");
    if (o.remedy == "none") o.remedy.clear();
    if (!o.remedy.empty()) {
      bool known = false;
      for (const auto& r : guidance_remedies()) known = known || r.code == o.remedy;
      if (!known) p.add("remedy", "Select what was done, or that nothing was needed");
    }
    o.presided_by = in.text("presided_by", "Who presided", kShortTextMax, p);
    o.clinical_input_by = in.text("clinical_input_by", "Who gave clinical input", kShortTextMax, p);
    o.clinical_input_from = in.text("clinical_input_from", "Where the clinical input came from", kShortTextMax, p);
    if (!o.clinical_input_by.empty() && o.clinical_input_from.empty())
      p.add("clinical_input_from", "Enter where the clinical input came from, for example a GP from another area");
    if (o.clinical_input_by.empty() && !o.clinical_input_from.empty())
      p.add("clinical_input_by", "Enter who gave the clinical input");
    if (!p.empty()) return std::nullopt;
    o.agenda_item_id = item->id;
    ItemOutcomeStore store(db);
    // One record per item: a change is the next version of the same record.
    if (auto existing = store.for_item(item->id)) {
      o.id = existing->id;
      o.ref = existing->ref;
    }
    store.save(o, actor.audit_name);
    return o;
  });
}

void to_json(nlohmann::json& j, const ItemOutcome& e) {
  j = {{"id", e.id},
       {"ref", e.ref},
       {"meeting_id", e.meeting_id},
       {"agenda_item_id", e.agenda_item_id},
       {"remedy", e.remedy.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.remedy)},
       {"remedy_label", e.remedy.empty() ? nlohmann::json(nullptr) : nlohmann::json(remedy_label(e.remedy))},
       {"presided_by", e.presided_by},
       {"clinical_input_by", e.clinical_input_by},
       {"clinical_input_from", e.clinical_input_from}};
}

}  // namespace probity
