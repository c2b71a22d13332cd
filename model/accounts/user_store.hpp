#pragma once
// Accounts and their passwords: creating an account, finding it (by id, email or register
// person), its role, disabling and re-enabling it, and setting its password through a one-time
// link. Disabling an account or setting its password ends its sessions and revokes its API tokens
// in the same write. Changes go to the audit log and the security log; only the scrypt hash of a
// password and the SHA-256 of a link token are stored. Every time-dependent call takes `now`.
// Signing in is model/accounts/sign_in.hpp's.
#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/accounts/account_config.hpp"
#include "model/store/entities.hpp"
#include "model/base/timestamp.hpp"
#include "model/accounts/user.hpp"

namespace probity {

struct PasswordLink {
  std::string token;  // for the link handed over; only its hash is stored
  Instant expires_at;
};

enum class SetPasswordOutcome { ok, invalid_link, rejected };

struct SetPasswordResult {
  SetPasswordOutcome outcome = SetPasswordOutcome::invalid_link;
  std::vector<std::string> problems;  // when rejected: what is wrong with the password
  std::optional<User> user;           // when ok
};

class UserStore {
 public:
  explicit UserStore(SQLite::Database& db, AccountConfig config = {});

  // --- accounts ---
  /// Creates an account without a password (give the holder a set-password link). Throws
  /// std::invalid_argument with a form-ready message for a malformed or already used email,
  /// SQLite::Exception for an unknown person.
  User create_user(std::string_view email, std::optional<Id> person_id, UserRole role, const std::string& actor, Instant now);
  /// The account, or nullopt. Does not throw on a missing account.
  std::optional<User> find_user(Id id) const { return probity::find_user(db_, id); }
  /// The account with this email, compared case-insensitively; nullopt if none.
  std::optional<User> find_user_by_email(std::string_view email) const { return probity::find_user_by_email(db_, email); }
  /// The account linked to this register person; nullopt if none.
  std::optional<User> find_user_by_person(Id person_id) const { return probity::find_user_by_person(db_, person_id); }
  /// Every account, by email.
  std::vector<User> all_users() const { return probity::all_users(db_); }
  /// Changes the role; false when there is no such account.
  bool set_role(Id user_id, UserRole role, const std::string& actor, Instant now);
  /// Sets the body a governance account belongs to (nullopt: the whole instance); false when there
  /// is no such account. Throws SQLite::Exception for an id that is not a body.
  bool set_body(Id user_id, std::optional<Id> body_id, const std::string& actor, Instant now);
  /// Disables or re-enables an account; disabling ends its sessions and revokes its API tokens
  /// at once, and re-enabling brings neither back. True when the account is now in that state
  /// (also when it already was); false when there is no such account.
  bool set_disabled(Id user_id, bool disabled, const std::string& actor, Instant now);
  /// Allows or stops signing in with a password (single sign-on is unaffected); false when
  /// there is no such account. Stopping it does not end sessions already made.
  bool set_password_allowed(Id user_id, bool allowed, const std::string& actor, Instant now);

  // --- set-password links ---
  /// A one-time link token valid for config().password_link_lifetime; earlier unused links for
  /// the account stop working. Throws std::invalid_argument when there is no such account.
  PasswordLink create_password_link(Id user_id, const std::string& actor, Instant now);
  /// The account a link is for, while the link is unused and unexpired; nullopt otherwise.
  std::optional<User> password_link_user(std::string_view token, Instant now) const;
  /// Sets the password through a link (once): validates it, stores its scrypt hash, uses up the
  /// link, clears any lockout, ends the account's sessions and revokes its API tokens. Throws
  /// std::runtime_error only if hashing fails.
  SetPasswordResult set_password_with_link(std::string_view token, std::string_view password, Instant now);

 private:
  void audit_user(const std::string& actor, const std::string& action, const std::optional<User>& before, const User& after);

  SQLite::Database& db_;
  AccountConfig config_;
};

}  // namespace probity
