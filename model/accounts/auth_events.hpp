#pragma once
// The security log: sign-ins, lock-outs, sign-outs, account and password changes, and API tokens
// made or revoked, each appended to the auth_events table (append-only: the schema refuses
// updates and deletes). The account units write it; governance and the tests read it back.
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
  password_reset_requested,  // someone asked for a reset link; the detail says what was done
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
       {AuthEventKind::token_revoked, "token_revoked"},
       {AuthEventKind::password_reset_requested, "password_reset_requested"}});
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

class AuthEventLog {
 public:
  explicit AuthEventLog(SQLite::Database& db) : db_(db) {}

  /// Appends one event at `now`: the account it is about (if any) and the email as typed or the
  /// account's, who acted (empty: the account holder), where from (e.g. the client address) and
  /// what happened. Never give it a password or a token. Throws SQLite::Exception.
  void log(AuthEventKind kind, std::optional<Id> user_id, std::string_view email, std::string_view actor,
           std::string_view source, std::string_view detail, Instant now);
  /// The security events about one account, oldest first.
  std::vector<AuthEvent> events_for_user(Id user_id) const;
  /// The latest `limit` security events, newest first.
  std::vector<AuthEvent> recent_events(int limit) const;

 private:
  SQLite::Database& db_;
};

}  // namespace probity
