// Single sign-on with OpenID Connect (docs/oidc.md): the authorisation code flow with PKCE.
//
//   GET /sign-in/oidc/{provider}   stores a sign-in (state, nonce, PKCE verifier) bound to this
//                                  browser by a short-lived cookie, and sends it to the provider;
//   GET /sign-in/oidc/callback     uses that sign-in up, exchanges the code at the token endpoint,
//                                  checks the ID token, and finds or links the account
//                                  (model/accounts/identity_sign_in.hpp).
//
// Governance turns each provider on or off (/governance/sign-in-providers) and each account's
// password sign-in (/governance/accounts/{id}/password-sign-in). Anything wrong on the way back
// gets a page saying what to do and a line in the security log, never a session.
#include "server/accounts/oidc_routes.hpp"

#include <regex>

#include "model/accounts/auth_events.hpp"
#include "model/accounts/identity_sign_in.hpp"
#include "model/accounts/identity_store.hpp"
#include "model/accounts/session_store.hpp"
#include "model/accounts/user_store.hpp"
#include "model/base/date.hpp"
#include "model/register/person_store.hpp"
#include "server/accounts/account_views.hpp"
#include "server/accounts/oidc_client.hpp"
#include "server/accounts/oidc_config.hpp"
#include "server/http/auth.hpp"
#include "server/http/request_input.hpp"
#include "server/http/routes.hpp"

namespace probity {
namespace {
using json = nlohmann::json;
using Req = httplib::Request;
using Res = httplib::Response;

/// The cookie that binds a sign-in under way to the browser that started it.
constexpr const char* kBrowserCookie = "probity_oidc";
const std::string kProvidersPage = "/governance/sign-in-providers";

bool provider_enabled(SQLite::Database& db, const OidcProviderConfig& p) { return provider_enabled_setting(db, p.id).value_or(p.enabled); }

std::string provider_name(const OidcProviderConfig& p) {
  // "Sign in with NHSmail" → "NHSmail", for sentences.
  const std::string prefix = "Sign in with ";
  return p.display_name.rfind(prefix, 0) == 0 ? p.display_name.substr(prefix.size()) : p.display_name;
}

std::string browser_cookie(const Config& config, const std::string& value, std::chrono::seconds max_age) {
  std::string cookie = std::string(kBrowserCookie) + "=" + value + "; Path=/sign-in/oidc; HttpOnly; SameSite=Lax; Max-Age=" +
                       std::to_string(value.empty() ? 0 : max_age.count());
  if (!config.tls_cert.empty() || config.secure_cookies) cookie += "; Secure";
  return cookie;
}

std::string browser_token(const Req& req) { return request_cookie(req, kBrowserCookie).value_or(""); }

std::string url_encode(const std::string& s) { return httplib::detail::encode_query_param(s); }

// Where the provider sends the browser back: base_url when set (it should be, in production),
// else the address this request came to. The provider only accepts a registered one either way.
std::string redirect_uri(const Config& config, const Req& req) {
  std::string base = config.base_url;
  if (base.empty()) {
    static const std::regex host_shape(R"([A-Za-z0-9.\-]{1,253}(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]{2,45}\](:[0-9]{1,5})?)");
    const std::string host = req.get_header_value("Host");
    base = std::regex_match(host, host_shape) ? std::string(config.tls_cert.empty() ? "http://" : "https://") + host
                                              : config.effective_base_url();
  }
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/sign-in/oidc/callback";
}

// A query parameter given at most once, printable ASCII, within a length; "" when absent.
std::string callback_param(const Req& req, const char* name) {
  if (req.get_param_value_count(name) > 1)
    throw HttpError(400, "bad_callback", std::string("The sign-in answer was not understood: ") + name + " was given more than once. Start signing in again.");
  const std::string v = req.get_param_value(name);
  if (v.size() > 4096) throw HttpError(400, "bad_callback", std::string("The sign-in answer was not understood: ") + name + " is too long. Start signing in again.");
  for (char c : v)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
      throw HttpError(400, "bad_callback", std::string("The sign-in answer was not understood: ") + name + " holds characters this service does not accept. Start signing in again.");
  return v;
}

void log_failure(App& app, const Req& req, const std::string& detail) {
  auto db = app.pool().acquire();
  AuthEventLog(*db).log(AuthEventKind::login_failed, std::nullopt, "", "", client_address(app.config(), req), "single sign-on: " + detail, auth_now());
}

// A page explaining what went wrong, with the way back to signing in.
void explain(App& app, const Req& req, Res& res, int status, const std::string& title, std::vector<std::string> paragraphs) {
  res.set_header("Set-Cookie", browser_cookie(app.config(), "", {}));
  app.render_page(req, res, "sign_in_problem",
                  {{"title", title}, {"paragraphs", paragraphs}, {"sign_in_href", "/sign-in"}}, status);
}

FindPersonByEmail person_finder(SQLite::Database& db) {
  return [&db](const std::string& email) -> std::optional<RegisterMatch> {
    auto person = PersonStore(db).find_by_email(email);
    if (!person) return std::nullopt;
    return RegisterMatch{person->id, person->left_on && *person->left_on <= Date::today()};
  };
}

bool claim_true(const json& claims, const std::string& name) {
  if (!claims.contains(name)) return false;
  const auto& v = claims.at(name);
  return (v.is_boolean() && v.get<bool>()) || (v.is_string() && v.get<std::string>() == "true");
}

std::string claim_text(const json& claims, const char* name) {
  return claims.contains(name) && claims.at(name).is_string() ? claims.at(name).get<std::string>() : "";
}

void start_route(App& app) {
  app.http().Get(R"(/sign-in/oidc/([a-z0-9-]{1,40}))", [&app](const Req& req, Res& res) {
    const OidcConfig config = oidc_config(app.config());
    const auto* provider = config.find(req.matches[1]);
    auto db = app.pool().acquire();
    if (!provider || !provider_enabled(*db, *provider)) throw not_found("That way of signing in");
    const std::string next = safe_next(req.get_param_value("next"));
    if (app.current_user(req)) {
      res.set_redirect(next.empty() ? "/my" : next, 303);
      return;
    }
    ProviderMetadata metadata;
    try {
      metadata = provider_metadata(*provider, config);
    } catch (const OidcUnavailable& e) {
      log_failure(app, req, std::string("provider unavailable: ") + e.what());
      explain(app, req, res, 502, provider_name(*provider) + " is not answering",
              {provider_name(*provider) + " did not answer in time, so you cannot sign in with it just now.",
               "Try again in a few minutes. If you have a Probity password, you can sign in with that instead."});
      return;
    }
    const Instant now = auth_now();
    PendingSignIns pending(*db);
    pending.purge_expired(now);
    const std::string callback = redirect_uri(app.config(), req);
    const auto started = pending.start(provider->id, callback, next, now, config.sign_in_lifetime);
    std::string scopes;
    for (const auto& s : provider->scopes) scopes += (scopes.empty() ? "" : " ") + s;
    const std::string sep = metadata.authorization_endpoint.find('?') == std::string::npos ? "?" : "&";
    res.set_header("Set-Cookie", browser_cookie(app.config(), started.browser_token, config.sign_in_lifetime));
    res.set_redirect(metadata.authorization_endpoint + sep + "response_type=code&client_id=" + url_encode(provider->client_id) +
                         "&redirect_uri=" + url_encode(callback) + "&scope=" + url_encode(scopes) + "&state=" + started.state +
                         "&nonce=" + started.nonce + "&code_challenge=" + started.code_challenge + "&code_challenge_method=S256",
                     303);
  });
}

void callback_route(App& app) {
  app.http().Get("/sign-in/oidc/callback", [&app](const Req& req, Res& res) {
    const std::string state = callback_param(req, "state");
    const std::string code = callback_param(req, "code");
    const std::string error = callback_param(req, "error");
    const std::string iss = callback_param(req, "iss");
    const std::string source = client_address(app.config(), req);
    const OidcConfig config = oidc_config(app.config());
    const std::vector<std::string> start_again = {
        "Go back to the sign-in page and start again. If this keeps happening, ask your governance team for help."};

    if (state.empty() && code.empty() && error.empty()) {
      // Nothing to finish (a bookmark, the back button): to the sign-in page, or on if signed in.
      res.set_redirect(app.current_user(req) ? "/my" : "/sign-in", 303);
      return;
    }
    auto db = app.pool().acquire();
    const auto consumed = PendingSignIns(*db).consume(state, browser_token(req), auth_now());
    if (consumed.refusal != PendingRefusal::none) {
      log_failure(app, req, "callback refused: " + pending_refusal_text(consumed.refusal));
      explain(app, req, res, 400, "This sign-in could not be completed",
              {consumed.refusal == PendingRefusal::expired ? "The sign-in took too long." : "The sign-in was not started in this browser, or has already been used.",
               start_again[0]});
      return;
    }
    const auto& pending = *consumed.sign_in;
    const auto* provider = config.find(pending.provider_id);
    if (!provider || !provider_enabled(*db, *provider)) {
      log_failure(app, req, "provider " + pending.provider_id + " is no longer enabled");
      explain(app, req, res, 403, "This way of signing in is turned off", {"The governance team has turned this way of signing in off.", start_again[0]});
      return;
    }
    const std::string name = provider_name(*provider);
    if (!error.empty()) {
      log_failure(app, req, name + " answered " + error.substr(0, 100));
      explain(app, req, res, error == "access_denied" ? 403 : 400, name + " did not sign you in",
              {name + " did not sign you in, so you are not signed in to Probity.", start_again[0]});
      return;
    }
    if (code.empty() || (!iss.empty() && iss != provider->issuer)) {
      log_failure(app, req, code.empty() ? "callback without a code" : "callback from another issuer: " + iss.substr(0, 200));
      explain(app, req, res, 400, "This sign-in could not be completed", start_again);
      return;
    }

    IdTokenCheck check;
    try {
      const std::string id_token = exchange_code(*provider, config, code, pending.code_verifier, pending.redirect_uri);
      check = verify_provider_id_token(*provider, config, id_token,
                                       {provider->issuer, provider->client_id, pending.nonce, auth_now(), config.clock_skew});
    } catch (const OidcRefused& e) {
      log_failure(app, req, e.what());
      explain(app, req, res, 400, "This sign-in could not be completed", {name + " did not accept this sign-in.", start_again[0]});
      return;
    } catch (const OidcUnavailable& e) {
      log_failure(app, req, std::string("provider unavailable: ") + e.what());
      explain(app, req, res, 502, name + " is not answering",
              {name + " did not answer in time, so you are not signed in.", "Try again in a few minutes."});
      return;
    }
    if (!check.ok()) {
      log_failure(app, req, name + ": ID token refused: " + check.reason);
      explain(app, req, res, 400, "This sign-in could not be completed",
              {"The answer from " + name + " could not be trusted, so you are not signed in.", start_again[0]});
      return;
    }

    ProviderIdentity who{provider->id, name, provider->issuer, claim_text(check.claims, "sub"), claim_text(check.claims, "email"),
                         claim_true(check.claims, provider->email_verified_claim)};
    const auto result = sign_in_with_identity(*db, who, provider->allowed_email_domains, person_finder(*db), auth_now(), source);
    switch (result.outcome) {
      case IdentitySignInOutcome::ok:
        break;
      case IdentitySignInOutcome::domain_not_allowed:
        explain(app, req, res, 403, "You cannot sign in with this account",
                {"Your " + name + " account's email address is not one this service accepts for " + name + ".",
                 "Sign in with your organisation's account, or ask your governance team for help."});
        return;
      case IdentitySignInOutcome::disabled:
      case IdentitySignInOutcome::has_left:
        explain(app, req, res, 403, "Your account cannot be used", {"Your Probity account is disabled. Ask your governance team if you think this is wrong."});
        return;
      case IdentitySignInOutcome::linked_elsewhere:
        explain(app, req, res, 409, "Your account is linked to another " + name + " account",
                {"Your Probity account is already linked to a different " + name + " account.",
                 "Ask your governance team to check which account should be linked."});
        return;
      case IdentitySignInOutcome::no_email:
      case IdentitySignInOutcome::email_not_verified:
      case IdentitySignInOutcome::not_on_register:
        explain(app, req, res, 403, "Ask your governance team for access",
                {"You signed in to " + name + ", but Probity could not match you to anyone on the register of interests.",
                 result.outcome == IdentitySignInOutcome::not_on_register
                     ? "Only people on the register, and the governance team, have Probity accounts."
                     : name + " did not confirm your email address, so Probity cannot use it to find you.",
                 "Ask your governance team to add you, or to check the email address they hold for you. Then sign in again."});
        return;
    }

    SessionStore sessions(*db, account_config(app.config()));
    if (auto old = session_token(req)) sessions.revoke(*old, auth_now());
    auto made = sessions.create_session(result.user->id, auth_now());
    res.set_header("Set-Cookie", session_cookie(app.config(), made.token));
    res.set_header("Set-Cookie", browser_cookie(app.config(), "", {}));
    const std::string next = safe_next(pending.next);
    res.set_redirect(!next.empty() ? next : result.user->person_id ? "/my" : result.user->role == UserRole::governance ? "/governance" : "/", 303);
  });
}

json providers_page_view(SQLite::Database& db, const OidcConfig& config) {
  json rows = json::array();
  for (const auto& p : config.providers) {
    const bool on = provider_enabled(db, p);
    rows.push_back({{"id", p.id},
                    {"name", provider_name(p)},
                    {"issuer", p.issuer},
                    {"domains", p.allowed_email_domains.empty() ? std::string("Any") : [&] {
                       std::string d;
                       for (const auto& x : p.allowed_email_domains) d += (d.empty() ? "" : ", ") + x;
                       return d;
                     }()},
                    {"enabled", on},
                    {"status", on ? "On" : "Off"},
                    {"action", kProvidersPage + "/" + p.id},
                    {"button", on ? "Turn off" : "Turn on"},
                    {"value", on ? "no" : "yes"}});
  }
  return {{"title", "Single sign-on"}, {"providers", rows}, {"has_providers", !rows.empty()}};
}

bool yes_no(const Fields& form, const char* name) {
  const std::string v = form.get(name);
  if (v != "yes" && v != "no") {
    throw HttpError(422, "invalid_input", "Select yes or no", json{{name, "Select yes or no"}});
  }
  return v == "yes";
}

void governance_routes(App& app) {
  auto& s = app.http();
  s.Get(kProvidersPage, [&app](const Req& req, Res& res) {
    require_governance(app, req);
    auto db = app.pool().acquire();
    auto data = providers_page_view(*db, oidc_config(app.config()));
    data["csrf_token"] = app.csrf_token(req, res);
    if (req.get_param_value("saved") == "1") data["notice"] = "The setting is saved.";
    app.render_page(req, res, "sign_in_providers", data);
  });

  s.Post(kProvidersPage + R"(/([a-z0-9-]{1,40}))", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    Fields form = require_csrf(app, req);
    const OidcConfig config = oidc_config(app.config());
    const auto* provider = config.find(req.matches[1]);
    if (!provider) throw not_found("That sign-in provider");
    const bool enabled = yes_no(form, "enabled");
    auto db = app.pool().acquire();
    set_provider_enabled(*db, provider->id, enabled, actor_of(user), auth_now());
    AuthEventLog(*db).log(AuthEventKind::account_changed, std::nullopt, "", actor_of(user), client_address(app.config(), req),
                          "single sign-on with " + provider_name(*provider) + (enabled ? " turned on" : " turned off"), auth_now());
    res.set_redirect(kProvidersPage + "?saved=1", 303);
  });

  s.Post(R"(/governance/accounts/(\d{1,18})/password-sign-in)", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    Fields form = require_csrf(app, req);
    auto db = app.pool().acquire();
    UserStore accounts(*db, account_config(app.config()));
    auto account = accounts.find_user(id_at(req, 1));
    if (!account || !governance_scope(*db, user).sees_account(account->person_id, account->body_id)) throw not_found("That account");
    const bool allowed = yes_no(form, "allowed");
    accounts.set_password_allowed(account->id, allowed, actor_of(user), auth_now());
    res.set_redirect("/governance/accounts/" + std::to_string(account->id) + "?saved=" + (allowed ? "password-allowed" : "password-stopped") +
                         "#sign-in-methods",
                     303);
  });
}

}  // namespace

json oidc_sign_in_view(const App& app, SQLite::Database& db, const std::string& next) {
  json buttons = json::array();
  for (const auto& p : oidc_config(app.config()).providers)
    if (provider_enabled(db, p))
      buttons.push_back({{"href", "/sign-in/oidc/" + p.id + (next.empty() ? "" : "?next=" + url_encode(next))}, {"label", p.display_name}});
  return {{"sso_providers", buttons}, {"has_sso", !buttons.empty()}};
}

json oidc_signed_out_view(const App& app, SQLite::Database& db, const std::string& provider_id) {
  const OidcConfig config = oidc_config(app.config());
  const auto* p = config.find(provider_id);
  if (!p || !provider_enabled(db, *p)) return json::object();
  auto metadata = cached_provider_metadata(*p);
  if (!metadata || metadata->end_session_endpoint.empty()) return json::object();
  const std::string sep = metadata->end_session_endpoint.find('?') == std::string::npos ? "?" : "&";
  return {{"sso_sign_out",
           {{"href", metadata->end_session_endpoint + sep + "client_id=" + url_encode(p->client_id)},
            {"text", "Sign out of " + provider_name(*p) + " too"}}}};
}

std::string oidc_sign_out_suffix(const App& app, SQLite::Database& db, Id user_id) {
  const OidcConfig config = oidc_config(app.config());
  for (const auto& identity : IdentityStore(db).for_user(user_id))
    if (const auto* p = config.find(identity.provider_id); p && provider_enabled(db, *p)) return "&provider=" + p->id;
  return "";
}

json sign_in_methods_view(const App& app, SQLite::Database& db, const User& user) {
  const OidcConfig config = oidc_config(app.config());
  auto last = [](const std::optional<std::string>& iso) { return iso ? long_date_of_instant(*iso) : std::string("Never"); };
  json methods = json::array();
  std::string password = !user.has_password ? "No password set" : user.password_allowed ? "Allowed" : "Not allowed";
  if (user.has_password && !user.password_allowed) password += " (a password is set, but cannot be used)";
  methods.push_back({{"method", "Password"}, {"detail", password}, {"last_used", last(user.password_last_used_at)}});
  for (const auto& identity : IdentityStore(db).for_user(user.id)) {
    const auto* p = config.find(identity.provider_id);
    methods.push_back({{"method", p ? provider_name(*p) : identity.provider_id},
                       {"detail", "Linked on " + long_date_of_instant(identity.linked_at) + (identity.email.empty() ? "" : " as " + identity.email)},
                       {"last_used", last(identity.last_used_at)}});
  }
  return {{"sign_in_methods", methods},
          {"password_allowed", user.password_allowed},
          {"password_allowed_action", "/governance/accounts/" + std::to_string(user.id) + "/password-sign-in"}};
}

void register_oidc_routes(App& app) {
  // A wrong "oidc" section, or a missing client secret, stops start-up, not the first sign-in.
  oidc_config(app.config());
  callback_route(app);  // before the provider route, whose pattern "callback" would also match
  start_route(app);
  governance_routes(app);
}

}  // namespace probity
