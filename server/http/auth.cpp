#include "server/http/auth.hpp"

#include "model/register/governance_scope.hpp"

#include <memory>
#include <mutex>

#include "model/accounts/api_token_store.hpp"
#include "model/meetings/chair_rights.hpp"
#include "model/base/crypto.hpp"
#include "model/register/person_store.hpp"
#include "model/accounts/server_secret.hpp"
#include "model/accounts/session_store.hpp"
#include "model/accounts/user_store.hpp"
#include "server/http/connection_server.hpp"

namespace probity {
namespace {
std::mutex g_clock_mutex;
std::function<Instant()> g_clock;

template <typename Rep>
void read_seconds(const nlohmann::json& section, const char* key, Rep& out, long long min, long long max) {
  if (!section.contains(key)) return;
  const auto& v = section.at(key);
  if (!v.is_number_integer()) throw ConfigError(std::string("accounts.") + key + " must be a whole number");
  const auto n = v.get<long long>();
  if (n < min || n > max)
    throw ConfigError(std::string("accounts.") + key + " must be from " + std::to_string(min) + " to " + std::to_string(max));
  out = Rep(n);
}

// Only the cookie's value is parsed; other cookies of the site are ignored.
std::optional<std::string> cookie_value(const std::string& header, const std::string& name) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    auto end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    auto part = header.substr(pos, end - pos);
    pos = end + 1;
    const auto b = part.find_first_not_of(' ');
    if (b == std::string::npos) continue;
    part = part.substr(b);
    const auto eq = part.find('=');
    if (eq != std::string::npos && part.substr(0, eq) == name) return part.substr(eq + 1);
  }
  return std::nullopt;
}

std::optional<std::string> bearer_token(const httplib::Request& req) {
  const auto header = req.get_header_value("Authorization");
  constexpr std::string_view prefix = "Bearer ";
  if (header.size() <= prefix.size() || header.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  return header.substr(prefix.size());
}

// The session token this response has just set (a session made earlier in the same request).
std::optional<std::string> token_set_on(const httplib::Response& res) {
  const auto count = res.get_header_value_count("Set-Cookie");
  for (std::size_t i = 0; i < count; ++i) {
    const auto value = res.get_header_value("Set-Cookie", i);
    const std::string prefix = std::string(kSessionCookie) + "=";
    if (value.rfind(prefix, 0) == 0) {
      auto token = value.substr(prefix.size(), value.find(';') - prefix.size());
      if (!token.empty()) return token;
    }
  }
  return std::nullopt;
}

CurrentUser to_current(SQLite::Database& db, const User& user) {
  CurrentUser cu;
  cu.user_id = user.id;
  cu.person_id = user.person_id;
  cu.email = user.email;
  cu.governance = user.role == UserRole::governance;
  cu.guardian = user.role == UserRole::guardian;
  cu.body_id = user.body_id;
  if (user.person_id)
    if (auto person = PersonStore(db).find(*user.person_id)) cu.name = person->name;
  return cu;
}

// Signed-out forms carry a signed double-submit token: the browser keeps a random value in the
// kCsrfCookie cookie, and the form carries the HMAC of that value under a key only the server
// knows. A cross-site page can neither read the cookie nor compute the HMAC, and nothing is
// stored per visitor (every visit to the sign-in form used to add a session row, never deleted).
constexpr const char* kCsrfKeyName = "csrf_signing_key";
constexpr std::size_t kCsrfNonceBytes = 16;

std::string signed_out_csrf_token(const std::string& key, std::string_view nonce) {
  return hmac_sha256_hex(key, "probity signed-out form:" + std::string(nonce));
}

// The cookie's value if it is one we could have made (so nothing else is ever signed).
std::optional<std::string> csrf_nonce(const httplib::Request& req) {
  const auto count = req.get_header_value_count("Cookie");
  for (std::size_t i = 0; i < count; ++i)
    if (auto v = cookie_value(req.get_header_value("Cookie", i), kCsrfCookie)) {
      std::vector<unsigned char> bytes;
      if (v->size() == 2 * kCsrfNonceBytes && from_hex(*v, bytes)) return v;
    }
  return std::nullopt;
}

std::string csrf_cookie(const Config& config, const std::string& nonce) {
  std::string cookie = std::string(kCsrfCookie) + "=" + nonce + "; Path=/; HttpOnly; SameSite=Lax";
  if (!config.tls_cert.empty() || config.secure_cookies) cookie += "; Secure";
  return cookie;
}

HttpError sign_in_required() {
  return HttpError(401, "sign_in_required", "Sign in to use this page.");
}
}  // namespace

AccountConfig account_config(const Config& config) {
  AccountConfig c;
  if (!config.raw.is_object() || !config.raw.contains("accounts")) return c;
  const auto& s = config.raw.at("accounts");
  if (!s.is_object()) throw ConfigError("accounts must be an object");
  constexpr long long day = 24 * 3600;
  read_seconds(s, "session_idle_seconds", c.session_idle, 60, day);
  read_seconds(s, "session_absolute_seconds", c.session_absolute, 60, 7 * day);
  if (s.contains("lockout_failures")) {
    int n = 0;
    read_seconds(s, "lockout_failures", n, 1, 100);
    c.lockout_failures = n;
  }
  read_seconds(s, "lockout_window_seconds", c.lockout_window, 1, day);
  read_seconds(s, "lockout_seconds", c.lockout_duration, 1, day);
  read_seconds(s, "failure_delay_ms", c.failure_delay_base, 0, 10000);
  read_seconds(s, "failure_delay_max_ms", c.failure_delay_max, 0, 30000);
  read_seconds(s, "password_link_seconds", c.password_link_lifetime, 60, 30 * day);
  read_seconds(s, "password_reset_link_seconds", c.password_reset_link_lifetime, 60, day);
  read_seconds(s, "password_resets_per_address_per_hour", c.password_resets_per_address, 1, 100);
  read_seconds(s, "password_resets_per_client_per_hour", c.password_resets_per_client, 1, 10000);
  if (s.contains("api_token_days")) {
    int days = 0;
    read_seconds(s, "api_token_days", days, 1, 366);  // a year at most: tokens are meant to be renewed
    c.api_token_lifetime = std::chrono::hours(24 * days);
  }
  read_seconds(s, "hashing_concurrency", c.hashing.concurrent, 1, 256);
  read_seconds(s, "hashing_queue", c.hashing.queue, 0, 4096);
  read_seconds(s, "hashing_wait_ms", c.hashing.wait, 0, 30000);
  if (s.contains("scrypt")) {
    const auto& p = s.at("scrypt");
    if (!p.is_object()) throw ConfigError("accounts.scrypt must be an object");
    // Lower costs are for tests only; the floor is N=2^15, r=8, p=3.
    read_seconds(p, "log2_n", c.scrypt.log2_n, 4, 22);
    read_seconds(p, "r", c.scrypt.r, 1, 32);
    read_seconds(p, "p", c.scrypt.p, 1, 16);
  }
  return c;
}

Instant auth_now() {
  std::lock_guard lock(g_clock_mutex);
  return g_clock ? g_clock() : now_instant();
}

void set_auth_clock_for_testing(std::function<Instant()> clock) {
  std::lock_guard lock(g_clock_mutex);
  g_clock = std::move(clock);
}

std::string safe_next(const std::string& next) {
  if (next.size() < 2 || next.size() > 512 || next[0] != '/' || next[1] == '/' || next[1] == '\\') return "";
  for (char c : next) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x21 || byte > 0x7e || c == '\\') return "";
  }
  return next;
}

std::optional<std::string> request_cookie(const httplib::Request& req, const std::string& name) {
  const auto count = req.get_header_value_count("Cookie");
  for (std::size_t i = 0; i < count; ++i)
    if (auto v = cookie_value(req.get_header_value("Cookie", i), name); v && !v->empty()) return v;
  return std::nullopt;
}

std::optional<std::string> session_token(const httplib::Request& req) { return request_cookie(req, kSessionCookie); }

std::string session_cookie(const Config& config, const std::string& token) {
  std::string cookie = std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Lax";
  if (!config.tls_cert.empty() || config.secure_cookies) cookie += "; Secure";
  if (token.empty()) cookie += "; Max-Age=0";
  return cookie;
}

std::string client_address(const Config& config, const httplib::Request& req) {
  if (!config.trusted_proxy) return req.remote_addr;
  const auto count = req.get_header_value_count("X-Forwarded-For");
  if (count == 0) return req.remote_addr;
  // A client may send its own X-Forwarded-For; nginx appends the peer it saw after it, so only
  // the last entry of the last header is the proxy's word.
  std::string last = req.get_header_value("X-Forwarded-For", count - 1);
  if (const auto comma = last.rfind(','); comma != std::string::npos) last = last.substr(comma + 1);
  const auto b = last.find_first_not_of(" \t");
  last = b == std::string::npos ? "" : last.substr(b, last.find_last_not_of(" \t") - b + 1);
  // IPv4 or IPv6 text only: anything else is not an address a proxy would write.
  const bool address = !last.empty() && last.size() <= 45 &&
                       last.find_first_not_of("0123456789abcdefABCDEF.:") == std::string::npos;
  return address ? last : req.remote_addr;
}

void install_authentication(App& app) {
  // Read from the configuration once: building it per request also asked the kernel how many
  // cores there are (the default hashing limits), an open, read and close of a /sys file on
  // every signed-in request.
  auto accounts = std::make_shared<const AccountConfig>(account_config(app.config()));
  app.authenticator = [&app, accounts](const httplib::Request& req) -> std::optional<CurrentUser> {
    // Most requests (the public register) carry neither credential: answer them without
    // borrowing a database connection.
    auto bearer = App::wants_json(req) ? bearer_token(req) : std::nullopt;
    auto token = bearer ? std::nullopt : session_token(req);
    if (!bearer && !token) return std::nullopt;
    auto db = app.pool().acquire();
    const AccountConfig& config = *accounts;
    const Instant now = auth_now();
    if (bearer) {
      // Automation uses bearer tokens; the API also accepts the browser's session.
      auto user = ApiTokenStore(*db, config).user_for_api_token(*bearer, now);
      if (!user) return std::nullopt;
      return to_current(*db, *user);
    }
    SessionStore sessions(*db, config);
    auto session = sessions.find_session(*token, now);
    if (!session || !session->user_id) return std::nullopt;
    auto user = UserStore(*db, config).find_user(*session->user_id);
    if (!user || user->disabled) return std::nullopt;
    // Extending the idle timeout is a write: done at most once a minute per session.
    if (now - session->last_seen_at >= std::chrono::minutes(1)) sessions.touch(*token, now);
    return to_current(*db, *user);
  };

  app.csrf_provider = [&app, accounts](const httplib::Request& req, httplib::Response& res) -> std::string {
    auto db = app.pool().acquire();
    SessionStore sessions(*db, *accounts);
    const Instant now = auth_now();
    if (auto just_set = token_set_on(res))
      if (auto s = sessions.find_session(*just_set, now)) return s->csrf_token;
    if (auto token = session_token(req))
      if (auto s = sessions.find_session(*token, now)) return s->csrf_token;
    // Signed out: a signed double-submit token, so forms work before sign-in without a row per visit.
    auto nonce = csrf_nonce(req);
    if (!nonce) {
      nonce = random_hex(kCsrfNonceBytes);
      res.set_header("Set-Cookie", csrf_cookie(app.config(), *nonce));
    }
    // The page holds this visitor's own token: no shared cache may keep it.
    res.headers.erase("Cache-Control");
    res.set_header("Cache-Control", "no-store");
    return signed_out_csrf_token(server_secret(*db, kCsrfKeyName, now), *nonce);
  };

  app.server().set_post_routing_handler([&app](const httplib::Request& req, httplib::Response& res) {
    // Pages behind sign-in must not stay in shared or back-button caches.
    // Replaces a public page's "no-cache": set_header would add a second Cache-Control.
    if (bearer_token(req) || token_set_on(res) || app.current_user(req)) {
      res.headers.erase("Cache-Control");
      res.set_header("Cache-Control", "no-store");
    }
  });
}

Fields require_csrf(App& app, const httplib::Request& req) {
  const bool json_body = req.get_header_value("Content-Type").rfind("application/json", 0) == 0;
  // The API reads JSON only; telling an API client its body is "not a form" would mislead it.
  if (App::wants_json(req) && !json_body && !req.body.empty())
    throw HttpError(415, "unsupported_media_type", "Send the request body as JSON, with Content-Type: application/json.");
  Fields form = json_body ? Fields() : parse_form(req);
  if (App::wants_json(req) && bearer_token(req)) return form;
  std::string sent = form.raw("csrf_token");
  if (sent.empty()) sent = req.get_header_value("X-CSRF-Token");
  const HttpError refused(403, "csrf_failed",
                          "This form could not be accepted because its security token is missing or out of date. "
                          "Go back, reload the page and try again.");
  if (sent.empty()) throw refused;
  auto db = app.pool().acquire();
  const Instant now = auth_now();
  if (auto token = session_token(req)) {
    // With a live session only that session's token will do: a signed-out token, which anyone
    // able to plant a cookie could make for themselves, must not act for a signed-in user.
    if (auto session = SessionStore(*db, account_config(app.config())).find_session(*token, now)) {
      if (!constant_time_equal(session->csrf_token, sent)) throw refused;
      return form;
    }
  }
  auto nonce = csrf_nonce(req);
  if (!nonce || !constant_time_equal(signed_out_csrf_token(server_secret(*db, kCsrfKeyName, now), *nonce), sent)) throw refused;
  return form;
}

void prepare_csrf_signing(App& app) {
  auto db = app.pool().acquire();
  server_secret(*db, kCsrfKeyName, now_instant());
}

HashingGate::Turn hashing_turn(HashingGate& gate, httplib::Response& res) {
  may_block();  // waiting for a turn, then hashing: let other connections be served meanwhile
  if (auto turn = gate.enter()) return std::move(*turn);
  const auto wait_ms = gate.limits().wait.count();
  res.set_header("Retry-After", std::to_string(std::max<long long>(1, (wait_ms + 999) / 1000)));
  throw HttpError(503, "busy", "Too many people are signing in at once. Wait a few seconds and try again.");
}

CurrentUser require_user(const App& app, const httplib::Request& req) {
  auto user = app.current_user(req);
  if (!user) throw sign_in_required();
  return *user;
}

CurrentUser require_governance(const App& app, const httplib::Request& req) {
  auto user = require_user(app, req);
  if (!user.governance) throw HttpError(403, "forbidden", "Only the governance team can use this page.");
  return user;
}

GovernanceScope governance_scope(SQLite::Database& db, const CurrentUser& user) {
  return GovernanceScope(db, user.body_id);
}

void require_sees_person(App& app, const CurrentUser& user, Id person_id) {
  if (!user.body_id) return;
  auto db = app.pool().acquire();
  if (!governance_scope(*db, user).sees_person(person_id)) throw not_found("That person");
}

void require_sees_meeting(App& app, const CurrentUser& user, Id meeting_id) {
  if (!user.body_id) return;
  auto db = app.pool().acquire();
  if (!governance_scope(*db, user).sees_meeting(meeting_id)) throw not_found("That meeting");
}

void require_sees_declaration(App& app, const CurrentUser& user, const std::string& kind, Id id) {
  if (!user.body_id) return;
  auto db = app.pool().acquire();
  if (!governance_scope(*db, user).sees_declaration(kind, id)) throw not_found("That entry");
}

CurrentUser require_guardian(const App& app, const httplib::Request& req) {
  auto user = require_user(app, req);
  if (!user.guardian) throw HttpError(403, "forbidden", "Only the Conflicts of Interest Guardian can use this page.");
  return user;
}

CurrentUser require_governance_or_guardian(const App& app, const httplib::Request& req) {
  auto user = require_user(app, req);
  if (!user.governance && !user.guardian)
    throw HttpError(403, "forbidden", "Only the governance team and the Conflicts of Interest Guardian can use this page.");
  return user;
}

CurrentUser require_member(const App& app, const httplib::Request& req) {
  auto user = require_user(app, req);
  if (!user.person_id)
    throw HttpError(403, "no_register_entry", "Your account is not linked to a person on the register, so you have no declarations to make.");
  return user;
}

CurrentUser require_chair_of(App& app, const httplib::Request& req, Id committee_id) {
  auto user = require_user(app, req);
  auto db = app.pool().acquire();
  // A body's governance account manages only its body's committees (GovernanceScope); a chair
  // keeps the committees they chair, whichever body owns them.
  const bool governs = user.governance && governance_scope(*db, user).sees_committee(committee_id);
  if (governs) return user;
  if (user.person_id && is_chair_of(*db, *user.person_id, committee_id, Date::today())) return user;
  if (user.governance) throw not_found("That committee");
  throw HttpError(403, "forbidden", "Only the chair or vice-chair of this committee can use this page.");
}

std::string actor_of(const CurrentUser& user) { return "user:" + std::to_string(user.user_id) + " " + user.email; }

}  // namespace probity
