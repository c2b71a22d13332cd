// Self-service password reset: "Forgotten your password?" on the sign-in page leads to a form
// asking for the email address; when an active account uses it, a one-time set-password link
// (short-lived: accounts.password_reset_link_seconds) goes to that address by email, and setting
// the password through it is the set-password flow of account_routes.cpp.
//
// The answer never says whether an account uses the address: every well-formed request gets the
// same redirect and page, over the limit too, and runs the same write (both request counts and a
// security-log entry), composing the message either way; only a real, active account's request
// adds the link and the outbox row to it. Requests are bounded per address typed and per client
// address, each per hour, so nobody can make Probity flood an inbox.
#include <atomic>
#include <memory>

#include "model/accounts/auth_events.hpp"
#include "model/accounts/request_limit.hpp"
#include "model/accounts/sign_in_throttle.hpp"
#include "model/accounts/user_store.hpp"
#include "server/http/app.hpp"
#include "server/http/auth.hpp"
#include "server/http/forms.hpp"
#include "server/http/routes.hpp"
#include "server/mail/mail_compose.hpp"
#include "server/mail/mail_kinds.hpp"

namespace probity {
namespace {
using json = nlohmann::json;
using Req = httplib::Request;
using Res = httplib::Response;

constexpr std::chrono::hours kLimitWindow{1};
constexpr std::chrono::minutes kPurgeEvery{5};
const std::string kActor = "password reset";

json form_view(App& app, const Req& req, Res& res, const AccountConfig& config, json data) {
  data["title"] = data.contains("error_summary") ? "Error: Reset your password" : "Reset your password";
  data["enabled"] = mail_kind_enabled(app.config(), "password_reset");
  data["valid_for"] = duration_words(config.password_reset_link_lifetime);
  data["csrf_token"] = app.csrf_token(req, res);
  return data;
}

// What was done for one request, for the security log (never the token).
std::string request_reset(SQLite::Database& db, const Config& config, const AccountConfig& accounts, const std::string& email,
                          const std::string& client, Instant now) {
  // Both counts are made whatever the outcome, so a request over one limit still counts
  // towards the other, and the work does not depend on whether the address has an account.
  const bool address_ok = RequestLimit(db, accounts.password_resets_per_address, kLimitWindow)
                              .allow("reset-address:" + SignInThrottle::key_for(email), now);
  const bool client_ok =
      RequestLimit(db, accounts.password_resets_per_client, kLimitWindow).allow("reset-client:" + client, now);
  const auto user = find_user_by_email(db, email);
  std::string done;
  if (!address_ok) done = "refused: too many requests for this address";
  else if (!client_ok) done = "refused: too many requests from this client";
  else if (!user) done = "no account uses this address";
  else if (user->disabled) done = "the account is disabled";
  else done = "link sent";
  if (done == "link sent") {
    AccountConfig reset = accounts;
    reset.password_link_lifetime = accounts.password_reset_link_lifetime;
    const auto link = UserStore(db, reset).create_password_link(user->id, kActor, now);
    enqueue_password_reset(db, config, *user, link, accounts.password_reset_link_lifetime, now);
  } else {
    // The same rendering as a real message, thrown away, so the answer takes as long.
    compose_mail(config, "password_reset", {email, "", std::nullopt},
                 {{"link", mail_link(config, "/set-password/" + std::string(64, '0'))},
                  {"valid_for", duration_words(accounts.password_reset_link_lifetime)}, {"email", email}, {"governance", false}},
                 "");
  }
  AuthEventLog(db).log(AuthEventKind::password_reset_requested, user ? std::optional<Id>(user->id) : std::nullopt, email, "", client,
                       done, now);
  return done;
}

struct ResetState {
  std::atomic<long long> next_purge{0};
};

void reset_routes(App& app) {
  auto& s = app.http();
  auto state = std::make_shared<ResetState>();

  s.Get("/password-reset", [&app](const Req& req, Res& res) {
    const AccountConfig config = account_config(app.config());
    app.render_page(req, res, "password_reset", form_view(app, req, res, config, {{"email", ""}}));
  });

  s.Post("/password-reset", [&app, state](const Req& req, Res& res) {
    Fields form = require_csrf(app, req);
    const AccountConfig config = account_config(app.config());
    const std::string email = trim_email(form.get("email"));
    Problems errors;
    // Only the shape of the address is checked here: the same for every address, so the
    // answer says nothing about accounts.
    if (email.empty()) errors.add("email", "Enter your email address");
    else if (!looks_like_email(email)) errors.add("email", "Enter an email address in the correct format, like name@example.com");
    if (!errors.empty()) {
      json data = {{"email", form.get("email")}};
      data.update(error_view(errors));
      app.render_page(req, res, "password_reset", form_view(app, req, res, config, data), 422);
      return;
    }
    if (!mail_kind_enabled(app.config(), "password_reset")) return res.set_redirect("/password-reset", 303);
    {
      const Instant now = auth_now();
      const std::string client = client_address(app.config(), req);
      app.writer().run([&](SQLite::Database& db) {
        long long due = state->next_purge.load();
        const long long t = now.time_since_epoch().count();
        if (t >= due && state->next_purge.compare_exchange_strong(due, t + std::chrono::seconds(kPurgeEvery).count()))
          RequestLimit(db, 1, kLimitWindow).purge(now);
        request_reset(db, app.config(), config, email, client, now);
      });
    }
    res.set_redirect("/password-reset/sent", 303);
  });

  s.Get("/password-reset/sent", [&app](const Req& req, Res& res) {
    const AccountConfig config = account_config(app.config());
    app.render_page(req, res, "message",
                    {{"title", "Check your email"},
                     {"paragraphs",
                      {"If an account uses that address, we have sent it a link to choose a new password. The link works once, within " +
                           duration_words(config.password_reset_link_lifetime) + ".",
                       "If no message arrives within a few minutes, check your spam folder and the address you typed, or ask the "
                       "governance team for help."}},
                     {"link", {{"href", "/sign-in"}, {"text", "Back to sign in"}}}});
  });
}
}  // namespace

void register_password_reset_routes(App& app) { reset_routes(app); }

}  // namespace probity
