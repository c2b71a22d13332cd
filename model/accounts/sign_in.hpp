#pragma once
// Signing in with an email address and a password: counted and locked out by the address typed
// (model/accounts/sign_in_throttle.hpp), one scrypt check whether or not the address has an account, an
// old hash upgraded on success, and every attempt in the security log. Making the new session
// is the caller's (model/accounts/session_store.hpp).
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <optional>
#include <string_view>

#include "model/accounts/account_config.hpp"
#include "model/base/timestamp.hpp"
#include "model/accounts/user.hpp"

namespace probity {

enum class LoginOutcome { ok, bad_credentials, locked, disabled };

struct LoginResult {
  LoginOutcome outcome = LoginOutcome::bad_credentials;
  std::optional<User> user;                   // set when ok
  std::chrono::milliseconds delay{0};         // how long the caller should wait before answering
  std::optional<Instant> locked_until;        // set when locked
};

class SignIn {
 public:
  explicit SignIn(SQLite::Database& db, AccountConfig config = {});

  /// Checks an email and password, with lockout after repeated failures. Attempts are counted
  /// and locked by the address typed (trimmed, case ignored) whether or not an account has it, so
  /// an unknown address gets the same answers (bad_credentials, then locked), in the same time
  /// (one scrypt run), as a wrong password. Counting happens in one write transaction before the
  /// password is checked, so concurrent attempts cannot get past the limit together; while
  /// locked, nothing is checked. The caller should wait `delay` before replying, then renew the
  /// session (revoke the old, create a new one). `source` (e.g. the client address) is logged.
  /// Throws std::runtime_error only if hashing fails (the attempt then stays counted).
  LoginResult login(std::string_view email, std::string_view password, Instant now, std::string_view source = "");

 private:
  SQLite::Database& db_;
  AccountConfig config_;
};

}  // namespace probity
