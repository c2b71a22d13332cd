#pragma once
// An account as the rest of the program sees it (User: never its password hash), the shape of
// an email address, and reading accounts from the users table. Callers use UserStore
// (model/accounts/user_store.hpp); the session, API token and sign-in units read accounts here instead, so
// that none of them depends on UserStore, which ends sessions and revokes tokens itself.
#include <SQLiteCpp/SQLiteCpp.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/store/entities.hpp"
#include "model/base/timestamp.hpp"

namespace probity {

// Chair rights are not a role here: they follow from committee memberships (chair_rights.hpp).
// The Conflicts of Interest Guardian decides withholding requests and signs off breaches; it is
// stored as the users.guardian flag (migration 0018), the role column reading "member".
enum class UserRole { member, governance, guardian };

template <>
struct EnumNames<UserRole> {
  static constexpr auto values =
      std::to_array<std::pair<UserRole, std::string_view>>({{UserRole::member, "member"}, {UserRole::governance, "governance"}, {UserRole::guardian, "guardian"}});
};

/// An account as the rest of the program sees it (never the password hash).
struct User {
  Id id = 0;
  std::string email;
  std::optional<Id> person_id;
  UserRole role = UserRole::member;
  bool has_password = false;
  bool password_allowed = true;  // governance may allow single sign-on only
  bool disabled = false;
  std::string created_at;
  std::optional<Instant> locked_until;  // set while (or after) a lockout of this address
  std::optional<std::string> password_last_used_at;  // the last sign-in with the password, if any
  // The body a governance account belongs to (users.body_id, migration 0021); nullopt: the whole
  // instance (every body). See model/register/governance_scope.hpp.
  std::optional<Id> body_id;
};

/// `typed` without the spaces, tabs and line breaks around it.
std::string trim_email(std::string_view typed);
/// True when `email` has the shape of an address: at most 254 characters, one '@' with text
/// either side, a '.' after it, and no spaces, tabs, line breaks, '<', '>' or '"'.
bool looks_like_email(std::string_view email);

/// The account, or nullopt. Does not throw on a missing account.
std::optional<User> find_user(SQLite::Database& db, Id id);
/// The account with this email (trimmed), compared case-insensitively; nullopt if none.
std::optional<User> find_user_by_email(SQLite::Database& db, std::string_view email);
/// The account linked to this register person; nullopt if none.
std::optional<User> find_user_by_person(SQLite::Database& db, Id person_id);
/// Every account, by email.
std::vector<User> all_users(SQLite::Database& db);

}  // namespace probity
