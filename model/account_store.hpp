#pragma once
// Accounts, sessions, set-password links, login throttling and API tokens. Operational data
// rather than register records: rows change in place, but every security event is written to
// the append-only auth_events table, and account changes made by governance also go to the
// audit log. Only hashes of passwords and tokens are stored; a clear token is returned once,
// when it is made. Every time-dependent call takes `now`, so tests move the clock.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "model/entities.hpp"
#include "model/hashing_gate.hpp"
#include "model/password.hpp"
#include "model/timestamp.hpp"

namespace probity {

// Chair rights are not a role here: they follow from committee memberships (chair_rights.hpp).
enum class UserRole { member, governance };

enum class ApiTokenState { active, expired, revoked };

enum class AuthEventKind {
  account_created,
  account_changed,
  password_link_created,
  password_set,
  login_ok,
  login_failed,
  login_locked,
  logout,
  sessions_revoked,
  token_created,
  token_revoked,
};

template <>
struct EnumNames<UserRole> {
  static constexpr auto values =
      std::to_array<std::pair<UserRole, std::string_view>>({{UserRole::member, "member"}, {UserRole::governance, "governance"}});
};

template <>
struct EnumNames<ApiTokenState> {
  static constexpr auto values = std::to_array<std::pair<ApiTokenState, std::string_view>>(
      {{ApiTokenState::active, "active"}, {ApiTokenState::expired, "expired"}, {ApiTokenState::revoked, "revoked"}});
};

template <>
struct EnumNames<AuthEventKind> {
  static constexpr auto values = std::to_array<std::pair<AuthEventKind, std::string_view>>(
      {{AuthEventKind::account_created, "account_created"},
       {AuthEventKind::account_changed, "account_changed"},
       {AuthEventKind::password_link_created, "password_link_created"},
       {AuthEventKind::password_set, "password_set"},
       {AuthEventKind::login_ok, "login_ok"},
       {AuthEventKind::login_failed, "login_failed"},
       {AuthEventKind::login_locked, "login_locked"},
       {AuthEventKind::logout, "logout"},
       {AuthEventKind::sessions_revoked, "sessions_revoked"},
       {AuthEventKind::token_created, "token_created"},
       {AuthEventKind::token_revoked, "token_revoked"}});
};

/// Timeouts and lockout numbers (configurable; the defaults follow common NHS and NCSC practice).
struct AccountConfig {
  std::chrono::seconds session_idle{std::chrono::minutes(30)};
  std::chrono::seconds session_absolute{std::chrono::hours(12)};
  int lockout_failures = 5;                                       // this many failures...
  std::chrono::seconds lockout_window{std::chrono::minutes(15)};  // ...within this time...
  std::chrono::seconds lockout_duration{std::chrono::minutes(15)};  // ...lock the account this long
  std::chrono::milliseconds failure_delay_base{250};  // delay after the first failure, doubling after each
  std::chrono::milliseconds failure_delay_max{4000};
  std::chrono::seconds password_link_lifetime{std::chrono::hours(72)};
  // A token that leaks into a script or a log stops working on its own; a new one is one command.
  std::chrono::seconds api_token_lifetime{std::chrono::hours(24 * 90)};
  ScryptParams scrypt;  // raise it and older hashes are upgraded at the next successful login
  PasswordPolicy password;
  // Password hashes run at once from requests (sign-in, set-password), and how many wait how long
  // for a turn (model/hashing_gate.hpp): one per core by default, as each hash keeps a core busy.
  HashingGate::Limits hashing{std::max(1u, std::thread::hardware_concurrency()), 16, std::chrono::milliseconds(2000)};
};

/// An account as the rest of the program sees it (never the password hash).
struct User {
  Id id = 0;
  std::string email;
  std::optional<Id> person_id;
  UserRole role = UserRole::member;
  bool has_password = false;
  bool disabled = false;
  std::string created_at;
  std::optional<Instant> locked_until;  // set while (or after) a lockout of this address
};

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

enum class LoginOutcome { ok, bad_credentials, locked, disabled };

struct LoginResult {
  LoginOutcome outcome = LoginOutcome::bad_credentials;
  std::optional<User> user;                   // set when ok
  std::chrono::milliseconds delay{0};         // how long the caller should wait before answering
  std::optional<Instant> locked_until;        // set when locked
};

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

struct NewApiToken {
  Id id = 0;
  std::string token;  // shown once; only its hash is stored
  Instant expires_at;
};

struct ApiTokenInfo {
  Id id = 0;
  Id user_id = 0;
  std::string label;
  std::string created_at;
  std::string created_by;
  std::string expires_at;
  std::optional<std::string> last_used_at;  // nullopt: never used
  std::optional<std::string> revoked_at;
  /// Revoked wins over expired: a revoked token says so even after its expiry.
  ApiTokenState state(Instant now) const;
};

struct AuthEvent {
  Id id = 0;
  std::string at;
  AuthEventKind kind = AuthEventKind::login_failed;
  std::optional<Id> user_id;
  std::string email;
  std::string actor;
  std::string source;
  std::string detail;
};

class AccountStore {
 public:
  explicit AccountStore(SQLite::Database& db, AccountConfig config = {});

  const AccountConfig& config() const { return config_; }

  // --- accounts ---
  /// Creates an account without a password (give the holder a set-password link). Throws
  /// std::invalid_argument with a form-ready message for a malformed or already used email,
  /// SQLite::Exception for an unknown person.
  User create_user(std::string_view email, std::optional<Id> person_id, UserRole role, const std::string& actor, Instant now);
  /// The account, or nullopt. Does not throw on a missing account.
  std::optional<User> find_user(Id id) const;
  /// The account with this email, compared case-insensitively; nullopt if none.
  std::optional<User> find_user_by_email(std::string_view email) const;
  /// The account linked to this register person; nullopt if none.
  std::optional<User> find_user_by_person(Id person_id) const;
  /// Every account, by email.
  std::vector<User> all_users() const;
  /// Changes the role; false when there is no such account.
  bool set_role(Id user_id, UserRole role, const std::string& actor, Instant now);
  /// Disables or re-enables an account; disabling ends its sessions and revokes its API tokens
  /// at once, and re-enabling brings neither back. True when the account is now in that state
  /// (also when it already was); false when there is no such account.
  bool set_disabled(Id user_id, bool disabled, const std::string& actor, Instant now);

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

  // --- login ---
  /// Checks an email and password, with lockout after repeated failures. Attempts are counted
  /// and locked by the address typed (trimmed, case ignored) whether or not an account has it, so
  /// an unknown address gets the same answers (bad_credentials, then locked), in the same time
  /// (one scrypt run), as a wrong password. Counting happens in one write transaction before the
  /// password is checked, so concurrent attempts cannot get past the limit together; while
  /// locked, nothing is checked. The caller should wait `delay` before replying, then renew the
  /// session (revoke the old, create a new one). `source` (e.g. the client address) is logged.
  /// Throws std::runtime_error only if hashing fails (the attempt then stays counted).
  LoginResult login(std::string_view email, std::string_view password, Instant now, std::string_view source = "");
  /// Forgets sign-in counts whose window is over and whose lock has ended; returns how many.
  int purge_login_throttle(Instant now);

  // --- sessions ---
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

  // --- API tokens ---
  /// A new bearer token for automation, returned in clear this once, valid for `lifetime`
  /// (default config().api_token_lifetime). Throws std::invalid_argument with a plain message
  /// when there is no such account, the account is disabled, the lifetime is not positive, or
  /// the label is longer than 200 characters or not one line of text.
  NewApiToken create_api_token(Id user_id, const std::string& label, const std::string& actor, Instant now,
                               std::optional<std::chrono::seconds> lifetime = std::nullopt);
  /// The enabled account owning an unrevoked, unexpired token; nullopt otherwise. Records the
  /// use as the token's last_used_at when the recorded one is a minute old or more, so a busy
  /// client costs one write a minute rather than one per request.
  std::optional<User> user_for_api_token(std::string_view token, Instant now);
  /// One token (never its value); nullopt when there is none with that id.
  std::optional<ApiTokenInfo> find_api_token(Id token_id) const;
  /// Revokes a token; false when unknown or already revoked.
  bool revoke_api_token(Id token_id, const std::string& actor, Instant now);
  /// Revokes every unrevoked token of an account, each logged with `reason`; returns how many.
  int revoke_api_tokens_for_user(Id user_id, const std::string& actor, Instant now, const std::string& reason);
  /// An account's tokens (never their values), oldest first.
  std::vector<ApiTokenInfo> api_tokens_for(Id user_id) const;

  // --- security log ---
  /// The security events about one account, oldest first.
  std::vector<AuthEvent> events_for_user(Id user_id) const;
  /// The latest `limit` security events, newest first.
  std::vector<AuthEvent> recent_events(int limit) const;

 private:
  void log_event(AuthEventKind kind, std::optional<Id> user_id, std::string_view email, std::string_view actor,
                 std::string_view source, std::string_view detail, Instant now);
  void audit_user(const std::string& actor, const std::string& action, const std::optional<User>& before, const User& after);
  bool session_is_live(const Session& s, Instant now) const;
  std::chrono::milliseconds failure_delay(int failures) const;

  SQLite::Database& db_;
  AccountConfig config_;
};

}  // namespace probity
