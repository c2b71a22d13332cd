#pragma once
// Sign-in throttling: attempts are counted by the address typed (trimmed, case ignored), whether
// or not an account has it. After config().lockout_failures failures within lockout_window the
// address is locked for lockout_duration, and each failure in a row asks the caller to wait
// longer before answering. Counts live in the login_throttle table; ended ones are purged.
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "model/accounts/account_config.hpp"
#include "model/base/timestamp.hpp"

namespace probity {

class SignInThrottle {
 public:
  explicit SignInThrottle(SQLite::Database& db, AccountConfig config = {});

  /// The key attempts at `typed` are counted under: the address as typed, trimmed and
  /// lower-cased (ASCII only, like SQLite's lower() and NOCASE), whether or not an account has
  /// it. Text that cannot be an address is kept only as its SHA-256: people do type their
  /// password into the email box.
  static std::string key_for(std::string_view typed);

  /// What counting one attempt found.
  struct Attempt {
    std::optional<Instant> locked_until;  // set when the key was already locked: not counted
    int failures = 0;                     // failures in the current window, this one included
    std::optional<Instant> locks_until;   // set when this attempt is the one that locks
  };
  /// Counts an attempt at `key` as a failure before its password is checked (clear() takes it
  /// back on success), starting a new window when the last one is over or a lock has run its
  /// course. While the key is locked nothing is counted. Run it inside the caller's write
  /// transaction, so that attempts sent at once see each other's counts.
  Attempt count_attempt(const std::string& key, Instant now);
  /// Forgets the count and any lock of `key` (a successful sign-in, or a new password).
  void clear(const std::string& key);
  /// How long to wait before answering an attempt that made `failures` failures in a row:
  /// failure_delay_base after the first, doubling after each, up to failure_delay_max.
  std::chrono::milliseconds failure_delay(int failures) const;
  /// Forgets sign-in counts whose window is over and whose lock has ended; returns how many.
  int purge_login_throttle(Instant now);

 private:
  SQLite::Database& db_;
  AccountConfig config_;
};

}  // namespace probity
