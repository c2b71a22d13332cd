#pragma once
// Single sign-on with OpenID Connect (docs/oidc.md): what the sign-in and sign-out pages and
// governance's account page show of it. The routes themselves are register_oidc_routes's
// (server/http/routes.hpp).
#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>
#include <string>

#include "model/accounts/user.hpp"
#include "server/http/app.hpp"

namespace probity {

/// For the sign-in page: {"sso_providers": [{"href", "label"}], "has_sso"} for each enabled
/// provider, carrying `next` (already checked to be a path on this site).
nlohmann::json oidc_sign_in_view(const App& app, SQLite::Database& db, const std::string& next);

/// For the signed-out notice: {"sso_sign_out": {"href", "text"}} when `provider_id` is an
/// enabled provider whose end-session endpoint is known; empty otherwise. Makes no request.
nlohmann::json oidc_signed_out_view(const App& app, SQLite::Database& db, const std::string& provider_id);

/// The sign-out's query addition, "&provider=<id>", when the account signing out has an
/// identity at an enabled provider (the sign-in page then offers that provider's sign-out).
std::string oidc_sign_out_suffix(const App& app, SQLite::Database& db, Id user_id);

/// For governance's account page: {"sign_in_methods": [{"method", "detail", "last_used"}],
/// "password_allowed", "password_allowed_action"}.
nlohmann::json sign_in_methods_view(const App& app, SQLite::Database& db, const User& user);

}  // namespace probity
