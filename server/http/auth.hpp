#pragma once
// Who is asking, and may they: session cookies and API tokens (the App's authenticator), CSRF
// tokens for every form, and the checks handlers call before doing anything.
#include <functional>
#include <optional>
#include <string>

#include "model/accounts/account_config.hpp"
#include "model/accounts/hashing_gate.hpp"
#include "model/base/timestamp.hpp"
#include "model/register/governance_scope.hpp"
#include "server/http/app.hpp"
#include "server/http/forms.hpp"

namespace probity {

/// The session cookie's name. HttpOnly, SameSite=Lax, Path=/, and Secure when TLS is on or the
/// config says "secure_cookies" (TLS ends at a proxy in front).
inline constexpr const char* kSessionCookie = "probity_session";

/// The signed-out CSRF cookie's name: a random value whose HMAC the forms carry (same attributes
/// as the session cookie). Signed-out visitors get no session row.
inline constexpr const char* kCsrfCookie = "probity_csrf";

/// The accounts settings from the config file's "accounts" section (seconds unless named):
/// session_idle_seconds, session_absolute_seconds, lockout_failures, lockout_window_seconds,
/// lockout_seconds, failure_delay_ms, failure_delay_max_ms, password_link_seconds,
/// password_reset_link_seconds, password_resets_per_address_per_hour, password_resets_per_client_per_hour,
/// api_token_days (1 to 366, default 90), scrypt {log2_n, r, p}, hashing_concurrency, hashing_queue,
/// hashing_wait_ms. Throws ConfigError for a wrong type or an out-of-range value.
AccountConfig account_config(const Config& config);

/// The time the accounts area works with (the wall clock unless a test moved it).
Instant auth_now();
/// For tests only: make auth_now() return `clock()` (pass nullptr to restore the wall clock).
void set_auth_clock_for_testing(std::function<Instant()> clock);

/// Sets app.authenticator and app.csrf_provider, and marks every response to a signed-in user
/// `Cache-Control: no-store`. Called by register_account_routes.
void install_authentication(App& app);

/// The first non-empty value of cookie `name` in the request's Cookie headers, if any.
std::optional<std::string> request_cookie(const httplib::Request& req, const std::string& name);
/// `next` if it is a path on this site (one leading slash, printable ASCII, no backslash, at most
/// 512 characters), else "": where sign-in (by password or single sign-on) may send the browser
/// afterwards, so a crafted sign-in link cannot send people elsewhere.
std::string safe_next(const std::string& next);
/// The session token from the request's cookie, if any.
std::optional<std::string> session_token(const httplib::Request& req);
/// A Set-Cookie value for the session cookie (`token` empty: expire it now).
std::string session_cookie(const Config& config, const std::string& token);

/// The address the request came from, as logged: the connection's peer, or with
/// "trusted_proxy" the last X-Forwarded-For entry (the one the proxy added; earlier entries are
/// the client's own claims). Text that is not an IP address is ignored. Throws nothing.
std::string client_address(const Config& config, const httplib::Request& req);

/// Refuses (HttpError 403 "csrf_failed") a state-changing request whose CSRF token (form field
/// `csrf_token`, or header `X-CSRF-Token`) does not match its session's or, with no live session,
/// is not the signed token of its kCsrfCookie (compared in constant time). API requests made
/// with a bearer token carry no ambient credentials and need none. Returns the parsed form (empty
/// for a JSON body). Throws HttpError 400/415 for a malformed form, and 415 for an API request
/// whose body is not JSON.
Fields require_csrf(App& app, const httplib::Request& req);

/// Makes the key that signs signed-out CSRF tokens, if the database has none yet (at start-up,
/// so requests only read it). Throws SQLite::Exception if the database cannot be written.
void prepare_csrf_signing(App& app);

/// A turn at password hashing from `gate`, after calling may_block(). Throws HttpError 503
/// "busy", having set `Retry-After` on `res`, when the queue is full or the wait runs out.
HashingGate::Turn hashing_turn(HashingGate& gate, httplib::Response& res);

/// The signed-in user. Throws HttpError 401 when nobody is signed in (pages get a redirect to
/// /sign-in; the API a JSON error).
CurrentUser require_user(const App& app, const httplib::Request& req);
/// A signed-in governance user; 401 as require_user, 403 for anyone else.
CurrentUser require_governance(const App& app, const httplib::Request& req);
/// What governance account `user` may see and change (model/register/governance_scope.hpp): every
/// governance route asks it, and answers 404 (throw not_found) for a record outside it.
GovernanceScope governance_scope(SQLite::Database& db, const CurrentUser& user);
/// Throw not_found (404, as for a record that does not exist) unless governance account `user`
/// sees the person, meeting or declaration (`kind` "interest", "gift", "nil_return"). Instance-wide
/// accounts see everything, so these cost nothing for them.
void require_sees_person(App& app, const CurrentUser& user, Id person_id);
void require_sees_meeting(App& app, const CurrentUser& user, Id meeting_id);
void require_sees_declaration(App& app, const CurrentUser& user, const std::string& kind, Id id);
/// The Conflicts of Interest Guardian signed in; 401 as require_user, 403 for anyone else.
CurrentUser require_guardian(const App& app, const httplib::Request& req);
/// The governance team or the Guardian (the audit committee's reports); 401 as require_user, 403
/// for anyone else.
CurrentUser require_governance_or_guardian(const App& app, const httplib::Request& req);
/// A user who chairs or vice-chairs the committee today, or governance; 401/403 as above.
CurrentUser require_chair_of(App& app, const httplib::Request& req, Id committee_id);
/// A signed-in user whose account is linked to a register person (403 otherwise: e.g. a
/// governance account with no declarations of its own).
CurrentUser require_member(const App& app, const httplib::Request& req);

/// The audit "actor" for a user's changes, e.g. "user:3 asha@nhs.net".
std::string actor_of(const CurrentUser& user);

}  // namespace probity
