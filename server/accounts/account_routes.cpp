// Sign-in, sign-out and set-password links, and the sessions and CSRF checks every signed-in
// area relies on.
#include <atomic>
#include <memory>
#include <thread>

#include "model/accounts/session_store.hpp"
#include "model/accounts/sign_in.hpp"
#include "model/accounts/sign_in_throttle.hpp"
#include "model/accounts/user_store.hpp"
#include "server/accounts/oidc_routes.hpp"
#include "server/http/app.hpp"
#include "server/http/auth.hpp"
#include "server/http/metrics.hpp"
#include "server/http/request_log.hpp"
#include "server/http/routes.hpp"

namespace probity {

namespace {
// Expired sessions and ended sign-in counts are deleted at most this often, from the sign-in
// path: that is the only place either kind of row is made, so both tables stay bounded by the
// sign-ins of their lifetime, with no thread of our own to stop.
constexpr std::chrono::minutes kPurgeEvery{5};

// What the password routes share for the life of the app.
struct PasswordRoutesState {
  explicit PasswordRoutesState(const AccountConfig& config) : gate(config.hashing) {}
  HashingGate gate;  // every request path that hashes a password takes a turn here
  std::atomic<long long> next_purge{0};  // seconds since the epoch, on auth_now()'s clock
};

void purge_now_and_then(PasswordRoutesState& state, SQLite::Database& db, const AccountConfig& config, Instant now) {
  long long due = state.next_purge.load();
  const long long t = now.time_since_epoch().count();
  if (t < due) return;
  // One request purges; any others arriving meanwhile carry on.
  if (!state.next_purge.compare_exchange_strong(due, t + std::chrono::seconds(kPurgeEvery).count())) return;
  SessionStore(db, config).purge_expired_sessions(now);
  SignInThrottle(db, config).purge_login_throttle(now);
}

std::string landing_for(const User& user) {
  if (user.person_id) return "/my";
  if (user.role == UserRole::guardian) return "/guardian";
  return user.role == UserRole::governance ? "/governance" : "/";
}

void render_sign_in(App& app, const httplib::Request& req, httplib::Response& res, nlohmann::json data, int status) {
  data["title"] = data.contains("error_summary") ? "Error: Sign in" : "Sign in";
  data["csrf_token"] = app.csrf_token(req, res);
  app.render_page(req, res, "sign_in", data, status);
}

std::string locked_message(Instant until) {
  auto text = iso_instant(until);  // 2026-11-23T14:05:09Z
  return "This account is locked for a while after too many failed sign-in attempts. Try again after " +
         text.substr(11, 5) + " UTC on " + text.substr(0, 10) + ", or ask the governance team for help.";
}

void sign_in_routes(App& app, const std::shared_ptr<PasswordRoutesState>& state) {
  auto& s = app.http();
  s.Get("/sign-in", [&app](const httplib::Request& req, httplib::Response& res) {
    if (app.current_user(req)) {
      auto next = safe_next(req.get_param_value("next"));
      res.set_redirect(next.empty() ? "/my" : next, 303);
      return;
    }
    nlohmann::json data = {{"email", ""}, {"next", safe_next(req.get_param_value("next"))}};
    if (req.has_param("signed_out")) data["notice"] = "You have signed out.";
    {
      auto db = app.pool().acquire();
      data.update(oidc_sign_in_view(app, *db, data["next"].get<std::string>()));
      if (req.has_param("signed_out")) data.update(oidc_signed_out_view(app, *db, req.get_param_value("provider")));
    }
    render_sign_in(app, req, res, data, 200);
  });

  s.Post("/sign-in", [&app, state](const httplib::Request& req, httplib::Response& res) {
    Fields form = require_csrf(app, req);
    const std::string email = form.get("email");
    const std::string password = form.raw("password");
    nlohmann::json data = {{"email", email}, {"next", safe_next(form.get("next"))}};
    Problems errors;
    if (email.empty()) errors.add("email", "Enter your email address");
    if (password.empty()) errors.add("password", "Enter your password");
    if (!errors.empty()) {
      data.update(error_view(errors));
      render_sign_in(app, req, res, data, 422);
      return;
    }
    auto db = app.pool().acquire();
    const AccountConfig config = account_config(app.config());
    SessionStore sessions(*db, config);
    purge_now_and_then(*state, *db, config, auth_now());
    LoginResult result;
    {
      auto turn = hashing_turn(state->gate, res);
      result = SignIn(*db, config).login(email, password, auth_now(), client_address(app.config(), req));
    }
    // Slows guessing: the store says how long, growing with each failure.
    std::this_thread::sleep_for(result.delay);
    if (result.outcome == LoginOutcome::ok && result.user) {
      // A new session at sign-in, so a token planted before sign-in is worth nothing after.
      if (auto old = session_token(req)) sessions.revoke(*old, auth_now());
      auto made = sessions.create_session(result.user->id, auth_now());
      res.set_header("Set-Cookie", session_cookie(app.config(), made.token));
      const auto next = safe_next(form.get("next"));
      res.set_redirect(next.empty() ? landing_for(*result.user) : next, 303);
      return;
    }
    // Logged without the address typed (a password is sometimes typed there) or the password.
    const std::string source = client_address(app.config(), req);
    auto& counters = service_counters();
    if (result.outcome == LoginOutcome::locked) {
      counters.sign_in_locked.fetch_add(1, std::memory_order_relaxed);
      log_event(LogLevel::warning, "sign_in_locked", {{"source", source}});
    } else {
      (result.outcome == LoginOutcome::disabled ? counters.sign_in_disabled : counters.sign_in_bad_credentials)
          .fetch_add(1, std::memory_order_relaxed);
      log_event(LogLevel::warning, "sign_in_failed",
                {{"reason", result.outcome == LoginOutcome::disabled ? "disabled" : "bad_credentials"}, {"source", source}});
    }
    if (result.outcome == LoginOutcome::locked && result.locked_until) {
      errors.add("email", locked_message(*result.locked_until));
      data.update(error_view(errors));
      render_sign_in(app, req, res, data, 429);
      return;
    }
    // The same words for an unknown address, a wrong password and a disabled account, so the
    // page does not tell which addresses have accounts.
    errors.add("email", "The email address or password is not correct");
    data.update(error_view(errors));
    render_sign_in(app, req, res, data, 422);
  });

  s.Post("/sign-out", [&app](const httplib::Request& req, httplib::Response& res) {
    require_csrf(app, req);
    std::string single_sign_on;  // the provider whose own sign-out the next page offers, if any
    if (auto token = session_token(req)) {
      auto db = app.pool().acquire();
      if (auto user = app.current_user(req)) single_sign_on = oidc_sign_out_suffix(app, *db, user->user_id);
      SessionStore(*db, account_config(app.config())).revoke(*token, auth_now());
    }
    res.set_header("Set-Cookie", session_cookie(app.config(), ""));
    res.set_redirect("/sign-in?signed_out=1" + single_sign_on, 303);
  });

  // One-time links from governance: the token is the credential, so it is only ever compared
  // by hash inside the store.
  const std::string link_pattern = R"(/set-password/([0-9a-zA-Z_-]{16,200}))";
  s.Get(link_pattern, [&app](const httplib::Request& req, httplib::Response& res) {
    const std::string token = req.matches[1];
    auto db = app.pool().acquire();
    auto user = UserStore(*db, account_config(app.config())).password_link_user(token, auth_now());
    if (!user)
      throw HttpError(404, "link_not_valid", "This set-password link has expired or has already been used. Ask the governance team for a new one.");
    nlohmann::json data = {{"title", "Set your password"}, {"email", user->email}, {"action", req.path}};
    data["csrf_token"] = app.csrf_token(req, res);
    app.render_page(req, res, "set_password", data);
  });

  s.Post(link_pattern, [&app, state](const httplib::Request& req, httplib::Response& res) {
    Fields form = require_csrf(app, req);
    const std::string token = req.matches[1];
    auto db = app.pool().acquire();
    UserStore accounts(*db, account_config(app.config()));
    auto user = accounts.password_link_user(token, auth_now());
    if (!user)
      throw HttpError(404, "link_not_valid", "This set-password link has expired or has already been used. Ask the governance team for a new one.");
    const std::string password = form.raw("password");
    Problems errors;
    if (password.empty()) errors.add("password", "Enter a new password");
    else if (form.raw("confirm") != password) errors.add("confirm", "The two passwords do not match");
    if (errors.empty()) {
      SetPasswordResult result;
      {
        auto turn = hashing_turn(state->gate, res);
        result = accounts.set_password_with_link(token, password, auth_now());
      }
      if (result.outcome == SetPasswordOutcome::ok) {
        app.render_page(req, res, "message",
                        {{"title", "Your password is set"},
                         {"paragraphs", {"You can now sign in with your email address and new password."}},
                         {"link", {{"href", "/sign-in"}, {"text", "Sign in"}}}});
        return;
      }
      if (result.outcome == SetPasswordOutcome::invalid_link)
        throw HttpError(404, "link_not_valid", "This set-password link has expired or has already been used. Ask the governance team for a new one.");
      errors.add("password", result.problems.empty() ? "Choose a different password" : result.problems.front());
    }
    nlohmann::json data = {{"title", "Error: Set your password"}, {"email", user->email}, {"action", req.path}};
    data.update(error_view(errors));
    data["csrf_token"] = app.csrf_token(req, res);
    app.render_page(req, res, "set_password", data, 422);
  });
}
}  // namespace

void register_account_routes(App& app) {
  // A wrong "accounts" section stops start-up, not the first sign-in.
  const AccountConfig config = account_config(app.config());
  // Made now rather than by the first unknown address, which would otherwise take two scrypt runs.
  dummy_password_hash(config.scrypt);
  prepare_csrf_signing(app);
  install_authentication(app);
  sign_in_routes(app, std::make_shared<PasswordRoutesState>(config));
}

}  // namespace probity
