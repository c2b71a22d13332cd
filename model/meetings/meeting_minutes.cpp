#include "model/meetings/meeting_minutes.hpp"

#include <set>

#include "model/register/committee_store.hpp"
#include "model/store/json.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/register/person_store.hpp"

namespace probity {
namespace {

nlohmann::json person_json(const MeetingMinutes& m, Id id) {
  auto it = m.people.find(id);
  if (it == m.people.end()) return {{"id", id}, {"ref", nullptr}, {"name", nullptr}};
  return {{"id", id}, {"ref", it->second.ref}, {"name", it->second.name}};
}

std::string name_of(const MeetingMinutes& m, Id id) {
  auto it = m.people.find(id);
  return it == m.people.end() ? "Person " + std::to_string(id) : it->second.name;
}

nlohmann::json co_opted_json(const MeetingMinutes& m, const std::vector<CoOptedMember>& list) {
  auto out = nlohmann::json::array();
  for (const auto& c : list) out.push_back({{"person", person_json(m, c.person_id)}, {"from_body", c.from_body}});
  return out;
}

// "Presided: X. Members co-opted. Independent clinical input: Y (Z)." for the text minutes.
std::string outcome_sentence(const ItemOutcome& o) {
  std::string out;
  if (!o.remedy.empty()) out += remedy_label(o.remedy) + ". ";
  if (!o.presided_by.empty()) out += "Presided: " + o.presided_by + ". ";
  if (!o.clinical_input_by.empty()) out += "Independent clinical input: " + o.clinical_input_by + " (" + o.clinical_input_from + "). ";
  if (!out.empty()) out.pop_back();
  return out;
}

nlohmann::json declarations_json(const MeetingMinutes& m, const std::vector<MeetingDeclaration>& list) {
  auto out = nlohmann::json::array();
  for (const auto& d : list)
    out.push_back({{"id", d.id}, {"person", person_json(m, d.person_id)}, {"text", d.text},
                   {"interest_id", d.interest_id ? nlohmann::json(*d.interest_id) : nlohmann::json(nullptr)}});
  return out;
}

// A declaration may name the register entry it repeats. The minutes are public, and so is the
// fact that a withheld entry exists and whose it is: naming it beside what was declared at an
// item would tell the public what the entry is about, so a withheld entry is not named.
void forget_withheld_entries(SQLite::Database& db, MeetingMinutes& m) {
  std::vector<MeetingDeclaration*> naming;
  for (auto& d : m.general)
    if (d.interest_id) naming.push_back(&d);
  for (auto& it : m.items)
    for (auto& d : it.declarations)
      if (d.interest_id) naming.push_back(&d);
  if (naming.empty()) return;
  SQLite::Statement q(db, "SELECT withheld FROM interest_current WHERE id = ?");
  for (auto* d : naming) {
    q.reset();
    q.bind(1, *d->interest_id);
    if (q.executeStep() && q.getColumn(0).getInt() != 0) d->interest_id.reset();
  }
}

}  // namespace


std::string describe_action(ManagementAction action) {
  switch (action) {
    case ManagementAction::participate: return "Noted; took full part in the discussion and the decision";
    case ManagementAction::no_vote: return "Took part in the discussion but not in the decision";
    case ManagementAction::leave_room: return "Left the room for the discussion and the decision";
    case ManagementAction::papers_withheld: return "Left the room for the discussion and the decision; papers withheld";
  }
  return "";
}

std::optional<MeetingMinutes> build_meeting_minutes(SQLite::Database& db, Id meeting_id) {
  auto meeting = MeetingStore(db).find(meeting_id);
  if (!meeting) return std::nullopt;
  MeetingMinutes m;
  m.meeting = *meeting;
  m.committee = CommitteeStore(db).find(meeting->committee_id).value();  // a foreign key guarantees it
  std::map<Id, std::size_t> index;
  for (auto& item : AgendaItemStore(db).for_meeting(meeting_id)) {
    index[item.id] = m.items.size();
    m.items.push_back({std::move(item), {}, {}, {}, {}, std::nullopt});
  }
  std::set<Id> person_ids;
  for (auto& d : MeetingDeclarationStore(db).for_meeting(meeting_id)) {
    person_ids.insert(d.person_id);
    if (d.agenda_item_id && index.contains(*d.agenda_item_id)) m.items[index[*d.agenda_item_id]].declarations.push_back(std::move(d));
    else m.general.push_back(std::move(d));
  }
  for (auto& d : ConflictDecisionStore(db).for_meeting(meeting_id)) {
    person_ids.insert(d.person_id);
    if (index.contains(d.agenda_item_id)) m.items[index[d.agenda_item_id]].decisions.push_back(std::move(d));
  }
  forget_withheld_entries(db, m);
  for (auto& mv : RoomMovementStore(db).for_meeting(meeting_id)) {
    person_ids.insert(mv.person_id);
    if (mv.agenda_item_id && index.contains(*mv.agenda_item_id)) m.items[index[*mv.agenda_item_id]].movements.push_back(std::move(mv));
  }
  for (auto& c : CoOptedMemberStore(db).for_meeting(meeting_id)) {
    person_ids.insert(c.person_id);
    if (!c.agenda_item_id) m.co_opted.push_back(std::move(c));
    else if (index.contains(*c.agenda_item_id)) m.items[index[*c.agenda_item_id]].co_opted.push_back(std::move(c));
  }
  for (auto& o : ItemOutcomeStore(db).for_meeting(meeting_id))
    if (index.contains(o.agenda_item_id)) m.items[index[o.agenda_item_id]].outcome = std::move(o);
  if (!person_ids.empty()) {
    std::string placeholders;
    for (std::size_t i = 0; i < person_ids.size(); ++i) placeholders += i ? ", ?" : "?";
    for (auto& p : PersonStore(db).select("WHERE id IN (" + placeholders + ")", [&](SQLite::Statement& s) {
           int i = 1;
           for (Id id : person_ids) s.bind(i++, id);
         }))
      m.people.emplace(p.id, std::move(p));
  }
  return m;
}

bool is_public_meeting(const Meeting& m) { return m.status != MeetingStatus::cancelled && (m.published || m.agenda_published); }

MeetingMinutes agenda_only(MeetingMinutes m) {
  m.general.clear();
  m.co_opted.clear();
  m.people.clear();
  for (auto& it : m.items) {
    AgendaItem item;
    item.id = it.item.id;
    item.ref = it.item.ref;
    item.meeting_id = it.item.meeting_id;
    item.position = it.item.position;
    item.title = it.item.title;
    item.description = it.item.description;
    item.category = it.item.category;
    it = MinutesItem{};
    it.item = std::move(item);
  }
  return m;
}

void to_json(nlohmann::json& j, const MeetingMinutes& m) {
  nlohmann::json meeting = m.meeting;
  meeting["committee"] = {{"id", m.committee.id}, {"ref", m.committee.ref}, {"name", m.committee.name}};
  auto items = nlohmann::json::array();
  for (const auto& it : m.items) {
    auto conflicts = nlohmann::json::array();
    for (const auto& d : it.decisions)
      conflicts.push_back({{"person", person_json(m, d.person_id)}, {"action", std::string(to_string(d.action))},
                           {"action_text", describe_action(d.action)}, {"reason", d.reason}, {"decided_by", d.decided_by}});
    auto movements = nlohmann::json::array();
    for (const auto& mv : it.movements)
      movements.push_back({{"person", person_json(m, mv.person_id)}, {"left_at", mv.left_at},
                           {"returned_at", mv.returned_at ? nlohmann::json(*mv.returned_at) : nlohmann::json(nullptr)}});
    items.push_back({{"id", it.item.id}, {"ref", it.item.ref}, {"position", it.item.position}, {"title", it.item.title},
                     {"description", it.item.description}, {"category", std::string(to_string(it.item.category))},
                     {"declarations", declarations_json(m, it.declarations)}, {"conflicts", std::move(conflicts)},
                     {"movements", std::move(movements)}, {"co_opted", co_opted_json(m, it.co_opted)},
                     {"outcome", it.outcome ? nlohmann::json(*it.outcome) : nlohmann::json(nullptr)},
                     {"outcome_text", it.outcome ? nlohmann::json(outcome_sentence(*it.outcome)) : nlohmann::json(nullptr)}});
  }
  meeting["co_opted"] = co_opted_json(m, m.co_opted);
  j = {{"meeting", std::move(meeting)}, {"declarations", declarations_json(m, m.general)}, {"items", std::move(items)}};
}

std::string minutes_declarations_text(const MeetingMinutes& m) {
  std::string out = "DECLARATIONS OF INTEREST\n" + m.committee.name + ", " + m.meeting.title + ", " + m.meeting.date.iso() + "\n\n";
  bool any = false;
  for (const auto& d : m.general) {
    out += "- " + name_of(m, d.person_id) + " declared, for the whole meeting: " + d.text + "\n";
    any = true;
  }
  if (!m.general.empty()) out += "\n";
  for (const auto& c : m.co_opted) out += "- " + name_of(m, c.person_id) + " (" + c.from_body + ") was co-opted as a voting member for the whole meeting.\n";
  if (!m.co_opted.empty()) out += "\n";
  int number = 0;
  for (const auto& it : m.items) {
    ++number;
    if (it.declarations.empty() && it.decisions.empty() && it.movements.empty() && it.co_opted.empty() && !it.outcome) continue;
    any = true;
    out += "Item " + std::to_string(number) + ": " + it.item.title + "\n";
    for (const auto& d : it.declarations) out += "- " + name_of(m, d.person_id) + " declared: " + d.text + "\n";
    for (const auto& d : it.decisions)
      out += "- " + name_of(m, d.person_id) + ": " + describe_action(d.action) + ". Decided by " + d.decided_by + ": " + d.reason + "\n";
    for (const auto& mv : it.movements)
      out += "- " + name_of(m, mv.person_id) + " left the room at " + mv.left_at +
             (mv.returned_at ? " and returned at " + *mv.returned_at : std::string()) + ".\n";
    for (const auto& c : it.co_opted) out += "- " + name_of(m, c.person_id) + " (" + c.from_body + ") was co-opted as a voting member for this item.\n";
    if (it.outcome && !outcome_sentence(*it.outcome).empty()) out += "- " + outcome_sentence(*it.outcome) + "\n";
    out += "\n";
  }
  if (!any) out += "No interests were declared.\n";
  return out;
}

}  // namespace probity
