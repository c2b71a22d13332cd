#include "model/register/governance_scope.hpp"

namespace probity {

bool GovernanceScope::exists(const char* sql, Id id) const {
  SQLite::Statement q(db_, sql);
  q.bind(1, id);
  q.bind(2, *body_);
  return q.executeStep();
}

bool GovernanceScope::sees_person(Id person_id) const {
  if (!body_) return true;
  return exists("SELECT 1 FROM person_current WHERE id = ? AND body_id = ?", person_id);
}

bool GovernanceScope::sees_committee(Id committee_id) const {
  if (!body_) return true;
  return exists("SELECT 1 FROM committee_current c, json_each(c.body_ids) j WHERE c.id = ? AND j.value = ?", committee_id);
}

bool GovernanceScope::sees_meeting(Id meeting_id) const {
  if (!body_) return true;
  return exists(
      "SELECT 1 FROM meeting_current m JOIN committee_current c ON c.id = m.committee_id, json_each(c.body_ids) j "
      "WHERE m.id = ? AND j.value = ?",
      meeting_id);
}

bool GovernanceScope::sees_declaration(const std::string& kind, Id id) const {
  if (!body_) return true;
  // The kinds a person declares; the view's name comes from this list, never from the caller.
  for (const char* k : {"interest", "gift", "nil_return", "confirmation"})
    if (kind == k)
      return exists(("SELECT 1 FROM " + std::string(k) +
                     "_current d JOIN person_current p ON p.id = d.person_id WHERE d.id = ? AND p.body_id = ?").c_str(),
                    id);
  return false;
}

bool GovernanceScope::sees_breach(Id breach_id) const {
  if (!body_) return true;
  SQLite::Statement q(db_, "SELECT person_id, meeting_id FROM breach_current WHERE id = ?");
  q.bind(1, breach_id);
  if (!q.executeStep()) return false;
  if (!q.getColumn(0).isNull() && sees_person(q.getColumn(0).getInt64())) return true;
  return !q.getColumn(1).isNull() && sees_meeting(q.getColumn(1).getInt64());
}

std::string GovernanceScope::person_filter(const std::string& column) const {
  if (!body_) return "1";
  return "(SELECT body_id FROM person_current WHERE id = " + column + ") = " + std::to_string(*body_);
}

}  // namespace probity
