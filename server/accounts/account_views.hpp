#pragma once
// View data for the governance pages about accounts: the list of accounts, and one account with
// its API tokens and the disable, enable and revoke forms. The JSON API sends the same account
// and token objects (account_json, token_json) without the page's labels.
#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>
#include <string>

#include "model/accounts/api_token_store.hpp"
#include "model/base/date_text.hpp"  // long_date_of_instant
#include "model/base/timestamp.hpp"
#include "model/register/governance_scope.hpp"
#include "model/accounts/user.hpp"
#include "server/http/forms.hpp"

namespace probity {

/// {"id", "email", "person_id", "person_name", "role", "disabled", "has_password", "created_at"}
/// (person_id and person_name null for an account with no register entry). Throws SQLite::Exception.
nlohmann::json account_json(SQLite::Database& db, const User& user);

/// {"id", "label", "created_at", "created_by", "expires_at", "last_used_at", "revoked_at", "status"}:
/// last_used_at and revoked_at null when never; status "active", "expired" or "revoked" at `now`.
nlohmann::json token_json(const ApiTokenInfo& token, Instant now);

/// Every account, by email, for /governance/accounts. Throws SQLite::Exception.
nlohmann::json accounts_page_view(SQLite::Database& db, Instant now, const GovernanceScope* scope = nullptr);  // scope: only what it sees

/// One account for /governance/accounts/{id}: its details, whether its person has left, the
/// disable or enable form and its tokens with a revoke form for each live one. `errors` fill the
/// error summary. Throws SQLite::Exception.
nlohmann::json account_page_view(SQLite::Database& db, const User& user, Instant now, const Problems& errors);

}  // namespace probity
