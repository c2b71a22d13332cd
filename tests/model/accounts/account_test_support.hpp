#pragma once
// What the account units' tests share: a fixed clock, a cheap scrypt setting, the kinds of an
// account's security events, and an account with a password set through a link.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "model/accounts/account_config.hpp"
#include "model/accounts/auth_events.hpp"
#include "model/base/timestamp.hpp"
#include "model/accounts/user_store.hpp"

namespace probity::testing {

inline const Instant t0 = *parse_instant("2025-05-01T09:00:00Z");

inline AccountConfig test_config() {
  AccountConfig c;
  c.scrypt = ScryptParams{10, 8, 1};  // the format and flow are under test here, not the cost
  return c;
}

inline std::vector<std::string> event_kinds(SQLite::Database& db, Id user) {
  std::vector<std::string> out;
  for (const auto& e : AuthEventLog(db).events_for_user(user)) out.emplace_back(to_string(e.kind));
  return out;
}

// An account with a password set through a link, as governance would hand it over.
inline User account_with_password(UserStore& accounts, const std::string& email, const std::string& password) {
  User u = accounts.create_user(email, std::nullopt, UserRole::member, "governance:1", t0);
  auto link = accounts.create_password_link(u.id, "governance:1", t0);
  auto set = accounts.set_password_with_link(link.token, password, t0);
  REQUIRE(set.outcome == SetPasswordOutcome::ok);
  return *set.user;
}

}  // namespace probity::testing
