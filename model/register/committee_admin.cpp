#include "model/register/committee_admin.hpp"

#include "model/register/bodies.hpp"

#include <algorithm>
#include <cctype>

#include "model/register/committee_store.hpp"
#include "model/store/database.hpp"
#include "model/register/person_store.hpp"
#include "model/register/publication_rules.hpp"
#include "model/base/text.hpp"

namespace probity {
namespace {

bool ref_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'; }

void check_count(Problems& out, const std::string& field, int value) {
  if (value < 0) out.add({field, quorum_field_label(field) + " must be 0 or more"});
  else if (value > kMaxQuorumCount)
    out.add({field, quorum_field_label(field) + " must be " + std::to_string(kMaxQuorumCount) + " or fewer"});
}

bool overlaps(const Membership& a, const Membership& b) {
  // Both ends are days in post (a membership to 31 March and one from 31 March share a day).
  const bool a_before_b = a.to && *a.to < b.from;
  const bool b_before_a = b.to && *b.to < a.from;
  return !a_before_b && !b_before_a;
}

std::string period(const Membership& m) {
  return "from " + long_date(m.from) + (m.to ? " to " + long_date(*m.to) : " with no end date");
}

std::string name_of(const std::map<Id, Person>& people, Id id) {
  auto it = people.find(id);
  return it == people.end() ? "Someone" : it->second.name;
}

std::optional<FieldProblem> overlap_problem(const Membership& m, const std::vector<Membership>& existing,
                                            const std::map<Id, Person>& people) {
  for (const auto& other : existing) {
    if (other.id == m.id || other.committee_id != m.committee_id || !overlaps(m, other)) continue;
    if (other.person_id == m.person_id)
      return FieldProblem{"person_id", name_of(people, m.person_id) + " is already a member of this committee " + period(other) +
                                           ". End that membership first, or choose dates that do not overlap with it"};
    if (m.role == CommitteeRole::chair && other.role == CommitteeRole::chair)
      return FieldProblem{"role", name_of(people, other.person_id) + " is already the chair " + period(other) +
                                      ". A committee has one chair at a time: end that membership first, or choose dates that do not overlap with it"};
  }
  return std::nullopt;
}

void check_roles(Problems& out, const Membership& m, const Committee& committee, const Person& person) {
  // Healthwatch and Health and Wellbeing Board representatives attend without a vote (PCCC terms).
  if (person.kind == PersonKind::attendee && m.role != CommitteeRole::non_voting)
    out.add({"role", person.name + " is recorded as an attendee (for example a Healthwatch representative): attendees can only be non-voting members"});
  else if (committee.quorum.lay_chair && person.kind != PersonKind::lay &&
           (m.role == CommitteeRole::chair || m.role == CommitteeRole::vice_chair))
    out.add({"role", "This committee's terms of reference require a lay chair and lay vice-chair, and " + person.name +
                               " is not a lay member"});
}

void check_left(Problems& out, const Membership& m, const Person& person) {
  if (!person.left_on) return;
  const std::string left = person.name + " left the organisation on " + long_date(*person.left_on);
  if (m.from > *person.left_on) out.add({"from", left + ": a membership cannot start after that"});
  else if (!m.to || *m.to > *person.left_on) out.add({"to", left + ": enter an end date on or before that day"});
}

std::map<Id, Person> people_of(SQLite::Database& db, const std::vector<Membership>& memberships) {
  std::map<Id, Person> out;
  PersonStore store(db);
  for (const auto& m : memberships)
    if (!out.contains(m.person_id))
      if (auto p = store.find(m.person_id)) out.emplace(p->id, *p);
  return out;
}

// Checks and saves one membership version inside the caller's transaction.
Result<Membership> save_membership(SQLite::Database& db, Membership m, const Committee& committee, const std::string& actor) {
  MembershipStore store(db);
  auto person = PersonStore(db).find(m.person_id);
  if (!person) return {std::nullopt, {{"person_id", "Select a person from the register"}}};
  const auto existing = store.for_committee(committee.id);
  auto people = people_of(db, existing);
  people.emplace(person->id, *person);
  auto problems = membership_problems(m, committee, *person, existing, people);
  if (!problems.empty()) return {std::nullopt, problems};
  store.save(m, actor);
  return {m, {}};
}
}  // namespace

std::string quorum_field_label(const std::string& field) {
  if (field == "min_voting") return "Voting members needed";
  if (field == "min_lay") return "Lay members needed";
  if (field == "min_executive") return "Executive members needed";
  if (field == "min_clinical") return "Clinical members needed";
  if (field == "lay_executive_majority") return "Lay and executive majority";
  if (field == "lay_chair") return "Lay chair";
  return field;
}

Problems committee_problems(const Committee& c, const std::vector<Committee>& others) {
  Problems out;
  if (c.name.empty()) out.add({"name", "Enter the committee's name"});
  else if (utf8_length(c.name) > kShortTextMax)
    out.add({"name", "Name must be " + std::to_string(kShortTextMax) + " characters or fewer"});
  else
    for (const auto& o : others)
      if (o.id != c.id && ascii_lower(o.name) == ascii_lower(c.name)) {
        out.add({"name", "A committee called " + o.name + " already exists: choose a different name"});
        break;
      }
  if (!c.ref.empty()) {
    if (c.ref.size() > kRefMax || !std::all_of(c.ref.begin(), c.ref.end(), ref_char))
      out.add({"ref", "Reference must be " + std::to_string(kRefMax) +
                                " characters or fewer, using only letters, numbers, hyphens, underscores and full stops"});
    else
      for (const auto& o : others)
        if (o.id != c.id && o.ref == c.ref) {
          out.add({"ref", "The reference " + c.ref + " is already used by " + o.name + ": choose another, or leave it empty"});
          break;
        }
  }
  if (utf8_length(c.description) > kLongTextMax)
    out.add({"description", "Description must be " + std::to_string(kLongTextMax) + " characters or fewer"});
  check_count(out, "min_voting", c.quorum.min_voting);
  check_count(out, "min_lay", c.quorum.min_lay);
  check_count(out, "min_executive", c.quorum.min_executive);
  check_count(out, "min_clinical", c.quorum.min_clinical);
  return out;
}

Problems membership_problems(const Membership& m, const Committee& committee, const Person& person,
                                              const std::vector<Membership>& existing, const std::map<Id, Person>& people) {
  Problems out;
  if (m.to && *m.to < m.from) {
    out.add({"to", "The end date must be the same as or after the start date (" + long_date(m.from) + ")"});
    return out;  // the other checks compare periods, which mean nothing backwards
  }
  if (auto overlap = overlap_problem(m, existing, people)) out.add(*overlap);
  check_roles(out, m, committee, person);
  check_left(out, m, person);
  return out;
}

Result<Committee> create_committee(SQLite::Database& db, Committee committee, const std::string& actor) {
  WriteTransaction tx(db);
  CommitteeStore store(db);
  committee.id = 0;
  auto problems = committee_problems(committee, store.all());
  problems.add_all(committee_body_problems(db, committee));
  if (!problems.empty()) return {std::nullopt, problems};
  store.save(committee, actor);
  tx.commit();
  return {committee, {}};
}

std::optional<Result<Committee>> edit_committee(SQLite::Database& db, Committee committee, const std::string& actor) {
  WriteTransaction tx(db);
  CommitteeStore store(db);
  auto current = store.find(committee.id);
  if (!current) return std::nullopt;
  committee.ref = current->ref;  // the external key never changes
  auto problems = committee_problems(committee, store.all());
  problems.add_all(committee_body_problems(db, committee));
  if (!problems.empty()) return Result<Committee>{std::nullopt, problems};
  store.save(committee, actor);  // no new version when nothing changed
  tx.commit();
  return Result<Committee>{committee, {}};
}

std::optional<Result<Membership>> add_membership(SQLite::Database& db, Membership membership, const std::string& actor) {
  WriteTransaction tx(db);
  auto committee = CommitteeStore(db).find(membership.committee_id);
  if (!committee) return std::nullopt;
  membership.id = 0;
  membership.ref.clear();
  auto result = save_membership(db, membership, *committee, actor);
  if (result.saved) tx.commit();
  return result;
}

std::optional<Result<Membership>> end_membership(SQLite::Database& db, Id committee_id, Id membership_id, const Date& to,
                                                      const std::string& actor) {
  WriteTransaction tx(db);
  auto committee = CommitteeStore(db).find(committee_id);
  auto membership = MembershipStore(db).find(membership_id);
  if (!committee || !membership || membership->committee_id != committee_id) return std::nullopt;
  membership->to = to;
  auto result = save_membership(db, *membership, *committee, actor);
  if (result.saved) tx.commit();
  return result;
}

}  // namespace probity
