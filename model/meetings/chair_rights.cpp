#include "model/meetings/chair_rights.hpp"

#include <algorithm>

#include "model/register/committee_store.hpp"
#include "model/register/governance_scope.hpp"

namespace probity {
namespace {
// A vice-chair takes the chair's place when the chair is conflicted (guidance), so both need
// the chair's rights in the application.
bool chairs(const Membership& m, const Date& on) {
  return (m.role == CommitteeRole::chair || m.role == CommitteeRole::vice_chair) && m.from <= on && (!m.to || on <= *m.to);
}
}  // namespace

bool is_chair_of(SQLite::Database& db, Id person_id, Id committee_id, const Date& on) {
  const auto memberships = MembershipStore(db).for_person(person_id);
  return std::any_of(memberships.begin(), memberships.end(),
                     [&](const Membership& m) { return m.committee_id == committee_id && chairs(m, on); });
}

std::vector<Id> committees_chaired(SQLite::Database& db, Id person_id, const Date& on) {
  std::vector<Id> out;
  for (const Membership& m : MembershipStore(db).for_person(person_id))
    if (chairs(m, on) && std::find(out.begin(), out.end(), m.committee_id) == out.end()) out.push_back(m.committee_id);
  std::sort(out.begin(), out.end());
  return out;
}

bool may_manage_meetings(SQLite::Database& db, const MeetingActor& actor, Id committee_id, const Date& on) {
  const bool governs = actor.governance && (!actor.governance_body || GovernanceScope(db, actor.governance_body).sees_committee(committee_id));
  return governs || (actor.person_id && is_chair_of(db, *actor.person_id, committee_id, on));
}

bool manages_any_committee(SQLite::Database& db, const MeetingActor& actor, const Date& on) {
  return actor.governance || (actor.person_id && !committees_chaired(db, *actor.person_id, on).empty());
}

}  // namespace probity
