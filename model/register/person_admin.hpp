#pragma once
// Governance adds people to the register and changes their details (a new GP member joins a
// committee). The rules are shared with the bundle importer (model/bundle/bundle.cpp): the same length
// limits and the same email shape. As in committee_admin, the checks are pure and the actions
// run them again inside the write transaction; every change is a new version (the old is kept).
#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>
#include <vector>

#include "model/register/committee_admin.hpp"
#include "model/store/entities.hpp"
#include "model/base/text.hpp"

namespace probity {

/// Longest email address (RFC 5321).
inline constexpr std::size_t kEmailMax = 254;

/// True when `email` looks like an address: one '@' with text either side, a dot in the domain,
/// and no spaces or angle brackets. Bundles and the governance forms use the same rule.
bool email_well_formed(const std::string& email);

/// Problems with a person as it would be saved: name required and at most kShortTextMax;
/// email, when given, well formed, at most kEmailMax and not used by another person (ignoring
/// case; `others` may contain the person itself, same id, which is skipped); position at most
/// kShortTextMax; a practice only for GP members, and it must be an organisation of kind
/// gp_practice (`practice` is what practice_id names, nullopt when it names nothing).
/// Empty when all is well. Throws nothing.
Problems person_problems(const Person& person, const std::optional<Organisation>& practice,
                                          const std::vector<Person>& others);

/// Adds a person (a ref is generated; left_on is not set here: marking a leaver has its own
/// action) after person_problems. Throws SQLite::Exception if the database fails.
Result<Person> create_person(SQLite::Database& db, Person person, const std::string& actor);

/// Writes a new version of person `person.id` (name, email, kind, position, practice; the ref
/// and left_on are kept) after person_problems. Nullopt when there is no such person. Throws
/// SQLite::Exception if the database fails.
std::optional<Result<Person>> edit_person(SQLite::Database& db, Person person, const std::string& actor);

}  // namespace probity
