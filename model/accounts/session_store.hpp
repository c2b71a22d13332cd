#pragma once
// Server-side sessions: a random cookie token (only its SHA-256 is stored) with a CSRF token of
// its own, for an account or for nobody. A session ends after config().session_idle without use
// or session_absolute in all, at sign-out, or when its account's sessions are revoked; sign-outs
// and revocations go to the security log. Every time-dependent call takes `now`.
#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>
#include <string_view>

#include "model/accounts/account_config.hpp"
#include "model/store/entities.hpp"
#include "model/base/timestamp.hpp"

namespace probity {

struct Session {
  Id id = 0;
  std::optional<Id> user_id;  // nullopt: anonymous, carries only a CSRF token
  std::string csrf_token;
  Instant created_at;
  Instant last_seen_at;
};

/// A session just made: `token` goes into the cookie and is not stored anywhere.
struct NewSession {
  std::string token;
  Session session;
};

class SessionStore {
 public:
  explicit SessionStore(SQLite::Database& db, AccountConfig config = {});

  /// A new session with a 128-bit random token and its own CSRF token.
  NewSession create_session(std::optional<Id> user_id, Instant now);
  /// The session for a cookie token, if it exists and has passed neither the idle nor the
  /// absolute timeout; nullopt otherwise. Does not extend it (see touch).
  std::optional<Session> find_session(std::string_view token, Instant now) const;
  /// Records activity on a live session (extending the idle timeout, never the absolute one);
  /// false when the session is unknown or expired (an expired one is removed).
  bool touch(std::string_view token, Instant now);
  /// Ends a session server-side (log out); logged when it belonged to an account. False when unknown.
  bool revoke(std::string_view token, Instant now);
  /// Ends every session of an account (e.g. after a password change); returns how many.
  int revoke_all_for_user(Id user_id, const std::string& actor, Instant now);
  /// Deletes sessions past either timeout; returns how many.
  int purge_expired_sessions(Instant now);

 private:
  bool session_is_live(const Session& s, Instant now) const;

  SQLite::Database& db_;
  AccountConfig config_;
};

}  // namespace probity
