#include "model/meetings/breach_actions.hpp"

#include "model/base/text.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/register/person_store.hpp"
#include "model/store/database.hpp"

namespace probity {
namespace {

// The fields governance writes; the person, meeting and item are checked against the register.
void read_breach_fields(SQLite::Database& db, const Fields& in, Breach& b, Problems& p) {
  if (auto kind = in.choice<BreachKind>("kind", "Select what kind of breach it is", p)) b.kind = *kind;
  else if (in.get("kind").empty()) p.add("kind", "Select what kind of breach it is");
  const auto person = in.id("person");
  if (!person || !PersonStore(db).find(*person)) p.add("person", "Select the person the breach concerns");
  else b.person_id = *person;
  b.happened_on = in.date("happened_on", "date it happened", p, true);
  if (auto found = in.choice<BreachFoundBy>("found_by", "Select how the breach was found", p)) b.found_by = *found;
  else if (in.get("found_by").empty()) p.add("found_by", "Select how the breach was found");
  b.reason = in.text("reason", "What happened", kLongTextMax, p, "Enter what happened");
  b.action_taken = in.text("action_taken", "Action taken", kLongTextMax, p);
  b.lessons = in.text("lessons", "Lessons learned", kLongTextMax, p);
  b.public_summary = in.text("public_summary", "Published summary of what happened", kLongTextMax, p);
  b.public_action = in.text("public_action", "Published action taken", kLongTextMax, p);
  b.public_lessons = in.text("public_lessons", "Published lessons learned", kLongTextMax, p);
  b.meeting_id = 0;
  Id agenda_of = 0;
  b.agenda_item_id.reset();
  if (!in.get("meeting").empty()) {
    const auto meeting = in.id("meeting");
    const auto found = meeting ? VersionedStore<Meeting>(db).find(*meeting) : std::nullopt;
    if (!found) p.add("meeting", "Select a meeting from the list, or none");
    else {
      b.meeting_id = *meeting;
      agenda_of = agenda_meeting_id(*found);  // a meeting of committees in common: its lead's agenda
    }
  }
  if (!in.get("agenda_item").empty()) {
    const auto item_id = in.id("agenda_item");
    const auto item = item_id ? VersionedStore<AgendaItem>(db).find(*item_id) : std::nullopt;
    if (!item || b.meeting_id == 0 || item->meeting_id != agenda_of)
      p.add("agenda_item", "Select an item of the breach's meeting, or none");
    else b.agenda_item_id = item->id;
  }
}

}  // namespace

std::optional<Result<Breach>> record_breach_by_hand(SQLite::Database& db, Id breach_id, const Fields& in,
                                                    const std::string& actor) {
  WriteTransaction tx(db);
  BreachStore store(db);
  Breach b;
  if (breach_id != 0) {
    auto found = store.find(breach_id);
    if (!found) return std::nullopt;
    b = *found;
  }
  Problems p;
  if (b.status != BreachStatus::open) p.add("status", "Only a draft breach can be changed: this one has been decided");
  read_breach_fields(db, in, b, p);
  if (!p.empty()) return Result<Breach>{std::nullopt, p};
  store.record(b, actor);
  tx.commit();
  return Result<Breach>{b, {}};
}

std::optional<Result<Breach>> guardian_decide_breach(SQLite::Database& db, Id breach_id, const Fields& in,
                                                     const std::string& actor) {
  WriteTransaction tx(db);
  BreachStore store(db);
  auto b = store.find(breach_id);
  if (!b) return std::nullopt;
  Problems p;
  const auto decision = in.one_of("decision", {"sign_off", "send_back"}, "Select sign off or send back", p);
  if (!decision && !p.has("decision")) p.add("decision", "Select sign off or send back");
  const auto note = in.text("note", "Reason", kLongTextMax, p, "Enter the reason for your decision");
  if (b->status != BreachStatus::confirmed)
    p.add("decision", "This breach is not awaiting the Guardian: only a breach governance has confirmed can be signed off");
  if (!p.empty()) return Result<Breach>{std::nullopt, p};
  b->guardian_note = note;
  b->status = *decision == 0 ? BreachStatus::signed_off : BreachStatus::open;
  store.record(*b, actor);
  tx.commit();
  return Result<Breach>{*b, {}};
}

std::vector<BreachDecision> breach_decisions(SQLite::Database& db, Id breach_id) {
  std::vector<BreachDecision> out;
  std::optional<BreachStatus> previous;
  for (const auto& v : BreachStore(db).history(breach_id)) {
    const auto& b = v.entity;
    std::string reason;
    if (b.status == BreachStatus::confirmed || b.status == BreachStatus::dismissed) reason = b.resolution;
    // The Guardian's versions: a sign-off, or a confirmed breach sent back to open.
    else if (b.status == BreachStatus::signed_off || (previous == BreachStatus::confirmed && b.status == BreachStatus::open))
      reason = b.guardian_note;
    out.push_back({v.version, b.status, v.recorded_at, v.recorded_by, reason});
    previous = b.status;
  }
  return out;
}

}  // namespace probity
