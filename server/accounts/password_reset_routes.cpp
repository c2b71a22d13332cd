// Self-service password reset: "Forgotten your password?" on the sign-in page leads to a form
// asking for the email address; when an active account uses it, a one-time set-password link
// (short-lived: accounts.password_reset_link_seconds) goes to that address by email, and setting
// the password through it is the set-password flow of account_routes.cpp.
//
// The answer never says whether an account uses the address, not even by its timing: a
// well-formed request is answered at once with the same redirect and page, and the work (both
// request counts, the security-log entry and, only for a real, active account within the limits,
// the link and its message, committed together) is done afterwards by one worker thread. The
// worker's queue is bounded: when a flood fills it, further requests are answered the same and
// dropped. Requests are also bounded per address typed and per client address, each per hour, so
// nobody can make Probity flood an inbox.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "model/accounts/auth_events.hpp"
#include "model/accounts/request_limit.hpp"
#include "model/accounts/sign_in_throttle.hpp"
#include "model/accounts/user_store.hpp"
#include "server/http/app.hpp"
#include "server/http/request_log.hpp"
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
  // towards the other.
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
  }
  AuthEventLog(db).log(AuthEventKind::password_reset_requested, user ? std::optional<Id>(user->id) : std::nullopt, email, "", client,
                       done, now);
  return done;
}

// The one worker that does the requests' work after they are answered. Made with the routes,
// it lives as long as they do: the App destroys its routes before its writer, and the destructor
// finishes the requests already queued before it returns.
class ResetWorker {
 public:
  explicit ResetWorker(App& app) : app_(app), thread_([this] { loop(); }) {}
  ~ResetWorker() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  ResetWorker(const ResetWorker&) = delete;
  ResetWorker& operator=(const ResetWorker&) = delete;

  /// Queues one request; false (and nothing queued) when the queue is full.
  bool submit(std::string email, std::string client, Instant now) {
    {
      std::lock_guard lock(mutex_);
      if (queue_.size() >= kMaxQueued) return false;
      queue_.push_back({std::move(email), std::move(client), now});
    }
    wake_.notify_one();
    return true;
  }

 private:
  static constexpr std::size_t kMaxQueued = 256;
  struct Request {
    std::string email;
    std::string client;
    Instant at;
  };

  void loop() {
    for (;;) {
      Request r;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and nothing left to do
        r = std::move(queue_.front());
        queue_.pop_front();
      }
      try {
        const AccountConfig config = account_config(app_.config());
        app_.writer().run([&](SQLite::Database& db) {
          const long long t = r.at.time_since_epoch().count();
          if (t >= next_purge_) {
            next_purge_ = t + std::chrono::seconds(kPurgeEvery).count();
            RequestLimit(db, 1, kLimitWindow).purge(r.at);
          }
          request_reset(db, app_.config(), config, r.email, r.client, r.at);
        });
      } catch (const std::exception& e) {
        // Nobody waits for the answer: the server's log is the only place to say it failed.
        log_event(LogLevel::error, "password_reset_not_recorded", {{"error", e.what()}});
      }
    }
  }

  App& app_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Request> queue_;
  bool stopping_ = false;
  long long next_purge_ = 0;  // the worker's own: seconds since the epoch
  std::thread thread_;       // last: it starts once everything above is ready
};

void reset_routes(App& app) {
  auto& s = app.http();
  auto worker = std::make_shared<ResetWorker>(app);

  s.Get("/password-reset", [&app](const Req& req, Res& res) {
    const AccountConfig config = account_config(app.config());
    app.render_page(req, res, "password_reset", form_view(app, req, res, config, {{"email", ""}}));
  });

  s.Post("/password-reset", [&app, worker](const Req& req, Res& res) {
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
    // Answered before the work, so that the answer cannot depend on the address; a full queue
    // (a flood) drops the request, answered the same.
    worker->submit(email, client_address(app.config(), req), auth_now());
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
