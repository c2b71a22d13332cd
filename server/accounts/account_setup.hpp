#pragma once
// Accounts made outside the web pages: the first governance account (`probity init --email`)
// and the demo accounts (`probity serve --demo-if-empty`).
#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>
#include <vector>

#include "model/accounts/account_config.hpp"
#include "model/accounts/user.hpp"

namespace probity {

/// The one password of every demo account. For demonstrations only: printed at start-up.
inline constexpr const char* kDemoPassword = "northbrook-demo-only";

/// Creates an account with this password (checked against the password rules) and returns it.
/// Throws std::invalid_argument with a plain message for a used or malformed email or a
/// refused password; nothing is created then.
User create_account_with_password(SQLite::Database& db, const AccountConfig& config, const std::string& email,
                                  std::optional<Id> person_id, UserRole role, const std::string& password,
                                  const std::string& actor);

/// The demo accounts, linked to the demo data set's people: governance@ (the board secretary),
/// hassan@ (a GP member), okonkwo@ (PCCC vice-chair), ellison@ (PCCC chair), all with
/// kDemoPassword. Skips any that already exist or whose person is missing; returns the emails made.
std::vector<std::string> create_demo_accounts(SQLite::Database& db, const AccountConfig& config);

}  // namespace probity
