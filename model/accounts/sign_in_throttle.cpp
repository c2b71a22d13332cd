#include "model/accounts/sign_in_throttle.hpp"

#include <algorithm>

#include "model/base/crypto.hpp"
#include "model/store/database.hpp"
#include "model/accounts/user.hpp"

namespace probity {

SignInThrottle::SignInThrottle(SQLite::Database& db, AccountConfig config) : db_(db), config_(std::move(config)) {}

std::string SignInThrottle::key_for(std::string_view typed) {
  std::string key = trim_email(typed);
  for (char& c : key)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return looks_like_email(key) ? key : "#" + sha256_hex(key);
}

SignInThrottle::Attempt SignInThrottle::count_attempt(const std::string& key, Instant now) {
  Attempt attempt;
  CachedStatement q(db_, "SELECT failures, window_start, locked_until FROM login_throttle WHERE email = ?");
  q->bind(1, key);
  std::optional<Instant> since;
  bool lock_ended = false;
  if (q->executeStep()) {
    attempt.failures = q->getColumn(0).getInt();
    since = instant_or_null(q->getColumn(1));
    const auto locked_until = instant_or_null(q->getColumn(2));
    lock_ended = locked_until.has_value();
    if (locked_until && *locked_until > now) {
      q->reset();
      attempt.locked_until = locked_until;
      return attempt;
    }
  }
  q->reset();
  // A new window starts when the last one is over, or when a lock has run its course.
  if (!since || lock_ended || now - *since >= config_.lockout_window) {
    attempt.failures = 0;
    since = now;
  }
  ++attempt.failures;
  if (attempt.failures >= config_.lockout_failures) attempt.locks_until = now + config_.lockout_duration;
  CachedStatement up(db_,
                     "INSERT INTO login_throttle(email, failures, window_start, locked_until) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT(email) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start, "
                     "locked_until = excluded.locked_until");
  up->bind(1, key);
  up->bind(2, attempt.failures);
  up->bind(3, iso_instant(*since));
  if (attempt.locks_until) up->bind(4, iso_instant(*attempt.locks_until)); else up->bind(4);
  up->exec();
  return attempt;
}

void SignInThrottle::clear(const std::string& key) {
  CachedStatement del(db_, "DELETE FROM login_throttle WHERE email = ?");
  del->bind(1, key);
  del->exec();
}

std::chrono::milliseconds SignInThrottle::failure_delay(int failures) const {
  auto delay = config_.failure_delay_base;
  for (int i = 1; i < failures && delay < config_.failure_delay_max; ++i) delay *= 2;
  return std::min(delay, config_.failure_delay_max);
}

int SignInThrottle::purge_login_throttle(Instant now) {
  // Rows whose window is over and whose lock (if any) has ended count for nothing any more.
  CachedStatement del(db_, "DELETE FROM login_throttle WHERE window_start <= ? AND (locked_until IS NULL OR locked_until <= ?)");
  del->bind(1, iso_instant(now - config_.lockout_window));
  del->bind(2, iso_instant(now));
  return del->exec();
}

}  // namespace probity
