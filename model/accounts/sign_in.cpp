#include "model/accounts/sign_in.hpp"

#include <string>

#include "model/accounts/auth_events.hpp"
#include "model/store/database.hpp"
#include "model/accounts/password.hpp"
#include "model/accounts/sign_in_throttle.hpp"

namespace probity {

SignIn::SignIn(SQLite::Database& db, AccountConfig config) : db_(db), config_(std::move(config)) {}

LoginResult SignIn::login(std::string_view email_in, std::string_view password, Instant now, std::string_view source) {
  LoginResult result;
  AuthEventLog events(db_);
  SignInThrottle throttle(db_, config_);
  const std::string email = trim_email(email_in);
  // What was typed as the email is logged, unless it cannot be one: people do type their
  // password into the wrong box, and the security log must never hold a password.
  const std::string logged_email = looks_like_email(email) ? email : "(not an email address)";
  const std::string key = SignInThrottle::key_for(email);

  // One write transaction decides whether this attempt may be checked at all, and counts it as a
  // failure before it is: attempts sent at once therefore see each other, and however many
  // arrive together, at most lockout_failures of them in a window get their password checked.
  // The lock and the count belong to the address typed, so an unknown address is answered
  // exactly as an account's would be.
  std::optional<User> user;
  std::string stored;
  SignInThrottle::Attempt attempt;
  {
    AtomicWrite tx(db_);
    user = find_user_by_email(db_, email);
    if (user) {
      CachedStatement q(db_, "SELECT password_hash FROM users WHERE id = ?");
      q->bind(1, user->id);
      q->executeStep();
      if (!q->getColumn(0).isNull()) stored = q->getColumn(0).getString();
    }
    attempt = throttle.count_attempt(key, now);
    if (attempt.locked_until) {
      // The password is not even checked while locked, so guessing gains nothing; and with
      // nothing checked there is nothing to slow down, so no delay holds a worker.
      result.outcome = LoginOutcome::locked;
      result.locked_until = attempt.locked_until;
      events.log(AuthEventKind::login_locked, user ? std::optional<Id>(user->id) : std::nullopt, logged_email, "", source,
                 "attempt while locked", now);
      tx.commit();
      return result;
    }
    tx.commit();
  }

  // scrypt outside any transaction: it takes a while, and the write lock must not wait for it.
  // Exactly one run whether or not the address has an account (the dummy hash is made once per
  // process), so the time taken does not tell them apart either. If it throws, the attempt
  // stays counted as a failure.
  const bool password_ok = verify_password(password, stored.empty() ? dummy_password_hash(config_.scrypt) : stored) && !stored.empty();
  const bool accepted = password_ok && user && !user->disabled && user->password_allowed;
  std::string rehashed;
  if (accepted && password_needs_rehash(stored, config_.scrypt)) rehashed = hash_password(password, config_.scrypt);

  AtomicWrite tx(db_);
  if (accepted) {
    // A success clears the count and any lock this attempt's own reservation set.
    throttle.clear(key);
    if (!rehashed.empty()) {
      // Only over the hash just checked: a password set meanwhile through a link stays.
      SQLite::Statement rehash(db_, "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?");
      rehash.bind(1, rehashed);
      rehash.bind(2, user->id);
      rehash.bind(3, stored);
      rehash.exec();
    }
    SQLite::Statement used(db_, "UPDATE users SET password_last_used_at = ? WHERE id = ?");
    used.bind(1, iso_instant(now));
    used.bind(2, user->id);
    used.exec();
    events.log(AuthEventKind::login_ok, user->id, logged_email, "", source, "", now);
    tx.commit();
    result.outcome = LoginOutcome::ok;
    result.user = find_user(db_, user->id);
    return result;
  }

  // A failure, already counted above.
  const std::string why = !user                     ? "unknown email"
                          : user->disabled           ? "account disabled"
                          : stored.empty()           ? "no password set"
                          : !password_ok             ? "wrong password"
                          : !user->password_allowed  ? "password sign-in not allowed for this account"
                                                     : "wrong password";
  const std::optional<Id> user_id = user ? std::optional<Id>(user->id) : std::nullopt;
  events.log(AuthEventKind::login_failed, user_id, logged_email, "", source, why, now);
  result.delay = throttle.failure_delay(attempt.failures);
  if (attempt.locks_until) {
    events.log(AuthEventKind::login_locked, user_id, logged_email, "", source,
               std::to_string(attempt.failures) + " failed attempts: locked until " + iso_instant(*attempt.locks_until), now);
    result.outcome = LoginOutcome::locked;
    result.locked_until = attempt.locks_until;
  } else if (user && user->disabled) {
    result.outcome = LoginOutcome::disabled;
  }
  tx.commit();
  return result;
}

}  // namespace probity
