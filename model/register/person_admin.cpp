#include "model/register/person_admin.hpp"

#include <algorithm>
#include <cctype>

#include "model/register/bodies.hpp"
#include "model/store/database.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_store.hpp"
#include "model/base/text.hpp"

namespace probity {
namespace {

std::optional<Organisation> practice_of(SQLite::Database& db, const Person& p) {
  if (!p.practice_id) return std::nullopt;
  return OrganisationStore(db).find(*p.practice_id);
}

}  // namespace

bool email_well_formed(const std::string& email) {
  const auto at = email.find('@');
  if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos) return false;
  const std::string domain = email.substr(at + 1);
  const auto dot = domain.find('.');
  if (dot == std::string::npos || dot == 0 || domain.back() == '.') return false;
  return std::none_of(email.begin(), email.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == '<' || c == '>' || c == '"' || c == ',';
  });
}

Problems person_problems(const Person& p, const std::optional<Organisation>& practice, const std::vector<Person>& others) {
  Problems out;
  if (is_blank(p.name)) out.add({"name", "Enter the person's full name"});
  else if (utf8_length(p.name) > kShortTextMax)
    out.add({"name", "Name must be " + std::to_string(kShortTextMax) + " characters or fewer"});
  if (!p.email.empty()) {
    if (p.email.size() > kEmailMax) out.add({"email", "Email address must be " + std::to_string(kEmailMax) + " characters or fewer"});
    else if (!email_well_formed(p.email))
      out.add({"email", "Enter an email address in the correct format, like name@example.nhs.uk"});
    else
      for (const auto& o : others)
        if (o.id != p.id && ascii_lower(o.email) == ascii_lower(p.email)) {
          out.add({"email", "The email address " + p.email + " is already used by " + o.name + ": each person needs their own"});
          break;
        }
  }
  if (utf8_length(p.position) > kShortTextMax)
    out.add({"position", "Position must be " + std::to_string(kShortTextMax) + " characters or fewer"});
  if (p.practice_id) {
    if (p.kind != PersonKind::gp) out.add({"practice_id", "Only GP members have a practice: choose no practice, or choose GP as the kind"});
    else if (!practice) out.add({"practice_id", "Select a GP practice from the list"});
    else if (practice->kind != OrganisationKind::gp_practice)
      out.add({"practice_id", practice->name + " is not a GP practice: select the practice they work in"});
  }
  return out;
}

Result<Person> create_person(SQLite::Database& db, Person person, const std::string& actor) {
  WriteTransaction tx(db);
  PersonStore store(db);
  person.id = 0;
  person.ref.clear();
  person.left_on.reset();
  auto problems = person_problems(person, practice_of(db, person), store.all());
  problems.add_all(person_body_problems(db, person));
  if (!problems.empty()) return {std::nullopt, problems};
  store.save(person, actor);
  tx.commit();
  return {person, {}};
}

std::optional<Result<Person>> edit_person(SQLite::Database& db, Person person, const std::string& actor) {
  WriteTransaction tx(db);
  PersonStore store(db);
  auto current = store.find(person.id);
  if (!current) return std::nullopt;
  person.ref = current->ref;          // the external key never changes
  person.left_on = current->left_on;  // leaving has its own action, which also ends memberships
  auto problems = person_problems(person, practice_of(db, person), store.all());
  problems.add_all(person_body_problems(db, person));
  if (!problems.empty()) return Result<Person>{std::nullopt, problems};
  store.save(person, actor);  // no new version when nothing changed
  tx.commit();
  return Result<Person>{person, {}};
}

}  // namespace probity
