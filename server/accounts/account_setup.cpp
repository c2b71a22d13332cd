#include "server/accounts/account_setup.hpp"

#include <stdexcept>

#include "model/store/database.hpp"
#include "model/register/person_store.hpp"
#include "model/accounts/user_store.hpp"

namespace probity {

User create_account_with_password(SQLite::Database& db, const AccountConfig& config, const std::string& email,
                                  std::optional<Id> person_id, UserRole role, const std::string& password,
                                  const std::string& actor) {
  auto problems = validate_new_password(password, email, config.password);
  if (!problems.empty()) throw std::invalid_argument(problems.front());
  UserStore accounts(db, config);
  const Instant now = now_instant();
  // One transaction: an account is never left behind without its password.
  SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
  User user = accounts.create_user(email, person_id, role, actor, now);
  auto link = accounts.create_password_link(user.id, actor, now);
  auto set = accounts.set_password_with_link(link.token, password, now);
  if (set.outcome != SetPasswordOutcome::ok || !set.user)
    throw std::invalid_argument(set.problems.empty() ? "the password was refused" : set.problems.front());
  tx.commit();
  return *set.user;
}

std::vector<std::string> create_demo_accounts(SQLite::Database& db, const AccountConfig& config) {
  struct Demo {
    const char* email;
    const char* person_ref;
    UserRole role;
  };
  const Demo demos[] = {
      {"governance@northbrook.example", "p-evans", UserRole::governance},
      {"hassan@northbrook.example", "p-hassan", UserRole::member},
      {"okonkwo@northbrook.example", "p-okonkwo", UserRole::member},
      {"ellison@northbrook.example", "p-ellison", UserRole::member},
      // Several bodies: the chair of NHS Southvale CCG's primary care commissioning
      // committee, which meets in common with Northbrook's.
      {"marsh@southvale.example", "p-sv-marsh", UserRole::member},
      // The Conflicts of Interest Guardian: an independent role with no declarations of its own here.
      {"guardian@northbrook.example", nullptr, UserRole::guardian},
  };
  std::vector<std::string> made;
  UserStore accounts(db, config);
  PersonStore people(db);
  for (const auto& d : demos) {
    if (accounts.find_user_by_email(d.email)) continue;
    if (!d.person_ref) {
      create_account_with_password(db, config, d.email, std::nullopt, d.role, kDemoPassword, "demo");
      made.emplace_back(d.email);
      continue;
    }
    auto person = people.find_by_ref(d.person_ref);
    if (!person || accounts.find_user_by_person(person->id)) continue;
    create_account_with_password(db, config, d.email, person->id, d.role, kDemoPassword, "demo");
    made.emplace_back(d.email);
  }
  return made;
}

}  // namespace probity
