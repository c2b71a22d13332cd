#include "model/meetings/co_opted_members.hpp"

#include "model/base/text.hpp"
#include "model/meetings/meeting_actions.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/register/committee_store.hpp"
#include "model/register/person_store.hpp"

namespace probity {

Result<CoOptedMember> co_opt_member(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, const Fields& in) {
  return change_meeting<CoOptedMember>(db, actor, meeting_id, [&](const Meeting& m, Problems& p) -> std::optional<CoOptedMember> {
    CoOptedMember c;
    c.meeting_id = m.id;
    const auto person_id = in.id("person_id");
    const auto person = person_id ? PersonStore(db).find(*person_id) : std::nullopt;
    if (!person || (person->left_on && *person->left_on < m.date)) p.add("person_id", "Select the person co-opted, from the register");
    if (person)
      for (const auto& ms : MembershipStore(db).for_committee(m.committee_id))
        if (ms.person_id == person->id && ms.from <= m.date && (!ms.to || *ms.to >= m.date) && ms.role != CommitteeRole::non_voting) {
          p.add("person_id", person->name + " is already a voting member of the committee");
          break;
        }
    if (!in.get("agenda_item_id").empty()) {
      const auto item_id = in.id("agenda_item_id");
      const auto item = item_id ? AgendaItemStore(db).find(*item_id) : std::nullopt;
      if (!item || item->meeting_id != agenda_meeting_id(m) || item->withdrawn) p.add("agenda_item_id", "Select an item on this meeting's agenda, or the whole meeting");
      else c.agenda_item_id = item->id;
    }
    c.from_body = in.text("from_body", "The body they come from", kShortTextMax, p,
                          "Enter the body they come from, for example NHS England or a neighbouring integrated care board");
    if (p.empty())
      for (const auto& existing : CoOptedMemberStore(db).for_meeting(m.id))
        if (existing.person_id == person->id && (!existing.agenda_item_id || existing.agenda_item_id == c.agenda_item_id)) {
          p.add("person_id", person->name + (existing.agenda_item_id ? " is already co-opted for that item"
                                                                     : " is already co-opted for the whole meeting"));
          break;
        }
    if (!p.empty()) return std::nullopt;
    c.person_id = person->id;
    CoOptedMemberStore(db).save(c, actor.audit_name);
    return c;
  });
}

CoOptedMember stand_down_co_opted(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, Id co_opted_id) {
  auto result = change_meeting<CoOptedMember>(db, actor, meeting_id, [&](const Meeting& m, Problems&) -> std::optional<CoOptedMember> {
    CoOptedMemberStore store(db);
    auto c = store.find(co_opted_id);
    if (!c || c->meeting_id != m.id) throw MeetingRefused(MeetingRefused::Kind::not_found, "not_found", "Co-opted member was not found");
    if (!c->stood_down) {
      c->stood_down = true;
      store.save(*c, actor.audit_name);
    }
    return c;
  });
  return *result.saved;
}

void to_json(nlohmann::json& j, const CoOptedMember& e) {
  j = {{"id", e.id},
       {"ref", e.ref},
       {"meeting_id", e.meeting_id},
       {"agenda_item_id", e.agenda_item_id ? nlohmann::json(*e.agenda_item_id) : nlohmann::json(nullptr)},
       {"person_id", e.person_id},
       {"from_body", e.from_body},
       {"stood_down", e.stood_down}};
}

}  // namespace probity
