#include "model/account_store.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "model/audit_log.hpp"
#include "model/crypto.hpp"
#include "model/database.hpp"

namespace probity {
namespace {

constexpr std::size_t kSessionTokenBytes = 16;  // 128 bits, as the issue asks
constexpr std::size_t kLinkTokenBytes = 32;     // lives for days in a URL that is handed over: longer
constexpr std::size_t kApiTokenBytes = 32;
constexpr const char* kApiTokenPrefix = "prb_";  // recognisable if it leaks into a log or repository
constexpr std::size_t kApiTokenLabelMax = 200;
// How stale a token's last_used_at may get: enough for a person reviewing tokens, and a busy
// client costs one write a minute rather than one per request.
constexpr std::chrono::seconds kApiTokenUseInterval{60};

// locked_until comes from the sign-in throttle, which is keyed by the address (see throttle_key).
constexpr const char* kUserColumns =
    "id, email, person_id, role, password_hash IS NOT NULL, disabled, created_at, "
    "(SELECT t.locked_until FROM login_throttle t WHERE t.email = lower(users.email))";

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

bool looks_like_email(std::string_view e) {
  const auto at = e.find('@');
  return e.size() <= 254 && at != std::string_view::npos && at > 0 && at + 1 < e.size() && e.find('@', at + 1) == std::string_view::npos &&
         e.find_first_of(" \t\r\n<>\"") == std::string_view::npos && e.find('.', at) != std::string_view::npos;
}

// The key sign-in attempts are counted under: the address as typed, trimmed and lower-cased
// (ASCII only, like SQLite's lower() and NOCASE), whether or not an account has it. Text that
// cannot be an address is kept only as its SHA-256: people do type their password into the
// email box.
std::string throttle_key(std::string_view typed) {
  std::string key = trim(typed);
  for (char& c : key)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return looks_like_email(key) ? key : "#" + sha256_hex(key);
}

Instant instant(const SQLite::Column& c) {
  auto t = parse_instant(c.getString());
  if (!t) throw std::runtime_error("bad timestamp in database");
  return *t;
}

User read_user(SQLite::Statement& q) {
  User u;
  u.id = q.getColumn(0).getInt64();
  u.email = q.getColumn(1).getString();
  if (!q.getColumn(2).isNull()) u.person_id = q.getColumn(2).getInt64();
  u.role = enum_from_db<UserRole>(q.getColumn(3).getString());
  u.has_password = q.getColumn(4).getInt() != 0;
  u.disabled = q.getColumn(5).getInt() != 0;
  u.created_at = q.getColumn(6).getString();
  u.locked_until = instant_or_null(q.getColumn(7));
  return u;
}

nlohmann::json user_json(const User& u) {
  // Deliberately no password hash and no lockout counters: this goes into the audit log.
  return {{"id", u.id},
          {"email", u.email},
          {"person_id", u.person_id ? nlohmann::json(*u.person_id) : nlohmann::json(nullptr)},
          {"role", to_string(u.role)},
          {"disabled", u.disabled}};
}

Session read_session(SQLite::Statement& q) {
  Session s;
  s.id = q.getColumn(0).getInt64();
  if (!q.getColumn(1).isNull()) s.user_id = q.getColumn(1).getInt64();
  s.csrf_token = q.getColumn(2).getString();
  s.created_at = instant(q.getColumn(3));
  s.last_seen_at = instant(q.getColumn(4));
  return s;
}

AuthEvent read_event(SQLite::Statement& q) {
  AuthEvent e;
  e.id = q.getColumn(0).getInt64();
  e.at = q.getColumn(1).getString();
  e.kind = enum_from_db<AuthEventKind>(q.getColumn(2).getString());
  if (!q.getColumn(3).isNull()) e.user_id = q.getColumn(3).getInt64();
  e.email = q.getColumn(4).getString();
  e.actor = q.getColumn(5).getString();
  e.source = q.getColumn(6).getString();
  e.detail = q.getColumn(7).getString();
  return e;
}

constexpr const char* kEventColumns = "id, at, event, user_id, email, actor, source, detail";

}  // namespace

AccountStore::AccountStore(SQLite::Database& db, AccountConfig config) : db_(db), config_(std::move(config)) {}

// ---------------------------------------------------------------- accounts

User AccountStore::create_user(std::string_view email_in, std::optional<Id> person_id, UserRole role, const std::string& actor,
                               Instant now) {
  const std::string email = trim(email_in);
  if (!looks_like_email(email)) throw std::invalid_argument("Enter an email address in the correct format, like name@example.com");
  AtomicWrite tx(db_);
  if (find_user_by_email(email)) throw std::invalid_argument("An account with this email address already exists");
  SQLite::Statement ins(db_, "INSERT INTO users(email, person_id, role, created_at) VALUES (?, ?, ?, ?)");
  ins.bind(1, email);
  if (person_id) ins.bind(2, *person_id); else ins.bind(2);
  ins.bind(3, std::string(to_string(role)));
  ins.bind(4, iso_instant(now));
  ins.exec();
  User created = *find_user(db_.getLastInsertRowid());
  audit_user(actor, "create", std::nullopt, created);
  log_event(AuthEventKind::account_created, created.id, email, actor, "", "role " + std::string(to_string(role)), now);
  tx.commit();
  return created;
}

std::optional<User> AccountStore::find_user(Id id) const {
  CachedStatement q_cached(db_, std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?");
  SQLite::Statement& q = *q_cached;
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return read_user(q);
}

std::optional<User> AccountStore::find_user_by_email(std::string_view email) const {
  CachedStatement q_cached(db_, std::string("SELECT ") + kUserColumns + " FROM users WHERE email = ?");  // column is NOCASE
  SQLite::Statement& q = *q_cached;
  q.bind(1, trim(email));
  if (!q.executeStep()) return std::nullopt;
  return read_user(q);
}

std::optional<User> AccountStore::find_user_by_person(Id person_id) const {
  CachedStatement q_cached(db_, std::string("SELECT ") + kUserColumns + " FROM users WHERE person_id = ?");
  SQLite::Statement& q = *q_cached;
  q.bind(1, person_id);
  if (!q.executeStep()) return std::nullopt;
  return read_user(q);
}

std::vector<User> AccountStore::all_users() const {
  SQLite::Statement q(db_, std::string("SELECT ") + kUserColumns + " FROM users ORDER BY email");
  std::vector<User> out;
  while (q.executeStep()) out.push_back(read_user(q));
  return out;
}

bool AccountStore::set_role(Id user_id, UserRole role, const std::string& actor, Instant now) {
  AtomicWrite tx(db_);
  auto before = find_user(user_id);
  if (!before) return false;
  if (before->role == role) return true;
  SQLite::Statement up(db_, "UPDATE users SET role = ? WHERE id = ?");
  up.bind(1, std::string(to_string(role)));
  up.bind(2, user_id);
  up.exec();
  User after = *find_user(user_id);
  audit_user(actor, "update", before, after);
  log_event(AuthEventKind::account_changed, user_id, after.email, actor, "", "role " + std::string(to_string(role)), now);
  tx.commit();
  return true;
}

bool AccountStore::set_disabled(Id user_id, bool disabled, const std::string& actor, Instant now) {
  AtomicWrite tx(db_);
  auto before = find_user(user_id);
  if (!before) return false;
  if (before->disabled == disabled) return true;
  SQLite::Statement up(db_, "UPDATE users SET disabled = ? WHERE id = ?");
  up.bind(1, disabled ? 1 : 0);
  up.bind(2, user_id);
  up.exec();
  User after = *find_user(user_id);
  audit_user(actor, "update", before, after);
  log_event(AuthEventKind::account_changed, user_id, after.email, actor, "", disabled ? "disabled" : "enabled", now);
  if (disabled) {
    // Revoked, not suspended: re-enabling must not bring back a token that may have been
    // handed on while the account was off.
    revoke_all_for_user(user_id, actor, now);
    revoke_api_tokens_for_user(user_id, actor, now, "account disabled");
  }
  tx.commit();
  return true;
}

// ---------------------------------------------------------------- set-password links

PasswordLink AccountStore::create_password_link(Id user_id, const std::string& actor, Instant now) {
  AtomicWrite tx(db_);
  auto user = find_user(user_id);
  if (!user) throw std::invalid_argument("There is no such account");
  // Only the newest link works: a link handed to the wrong person can be cancelled by making another.
  SQLite::Statement expire(db_, "UPDATE password_links SET expires_at = ? WHERE user_id = ? AND used_at IS NULL AND expires_at > ?");
  expire.bind(1, iso_instant(now));
  expire.bind(2, user_id);
  expire.bind(3, iso_instant(now));
  expire.exec();
  PasswordLink link{random_hex(kLinkTokenBytes), now + config_.password_link_lifetime};
  SQLite::Statement ins(db_, "INSERT INTO password_links(user_id, token_hash, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?)");
  ins.bind(1, user_id);
  ins.bind(2, sha256_hex(link.token));
  ins.bind(3, iso_instant(now));
  ins.bind(4, actor);
  ins.bind(5, iso_instant(link.expires_at));
  ins.exec();
  log_event(AuthEventKind::password_link_created, user_id, user->email, actor, "", "expires " + iso_instant(link.expires_at), now);
  tx.commit();
  return link;
}

std::optional<User> AccountStore::password_link_user(std::string_view token, Instant now) const {
  // expires_at is compared as text: the format sorts chronologically.
  SQLite::Statement q(db_, "SELECT user_id FROM password_links WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?");
  q.bind(1, sha256_hex(token));
  q.bind(2, iso_instant(now));
  if (!q.executeStep()) return std::nullopt;
  return find_user(q.getColumn(0).getInt64());
}

SetPasswordResult AccountStore::set_password_with_link(std::string_view token, std::string_view password, Instant now) {
  SetPasswordResult result;
  auto user = password_link_user(token, now);
  if (!user) return result;  // unknown, used or expired: one answer for all three
  result.problems = validate_new_password(password, user->email, config_.password);
  if (!result.problems.empty()) {
    result.outcome = SetPasswordOutcome::rejected;
    return result;
  }
  const std::string hash = hash_password(password, config_.scrypt);  // slow: outside the write lock
  AtomicWrite tx(db_);
  // Use the link up in the same statement that checks it, so two concurrent submissions
  // cannot both succeed.
  SQLite::Statement use(db_, "UPDATE password_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?");
  use.bind(1, iso_instant(now));
  use.bind(2, sha256_hex(token));
  use.bind(3, iso_instant(now));
  if (use.exec() != 1) return result;
  SQLite::Statement set(db_, "UPDATE users SET password_hash = ? WHERE id = ?");
  set.bind(1, hash);
  set.bind(2, user->id);
  set.exec();
  // A new password ends any lockout of the address: whoever holds the link was trusted with it.
  SQLite::Statement unlock(db_, "DELETE FROM login_throttle WHERE email = ?");
  unlock.bind(1, throttle_key(user->email));
  unlock.exec();
  log_event(AuthEventKind::password_set, user->id, user->email, "", "", "through a set-password link", now);
  revoke_all_for_user(user->id, "", now);
  revoke_api_tokens_for_user(user->id, "", now, "password set");
  tx.commit();
  result.outcome = SetPasswordOutcome::ok;
  result.user = find_user(user->id);
  return result;
}

// ---------------------------------------------------------------- login

std::chrono::milliseconds AccountStore::failure_delay(int failures) const {
  auto delay = config_.failure_delay_base;
  for (int i = 1; i < failures && delay < config_.failure_delay_max; ++i) delay *= 2;
  return std::min(delay, config_.failure_delay_max);
}

LoginResult AccountStore::login(std::string_view email_in, std::string_view password, Instant now, std::string_view source) {
  LoginResult result;
  const std::string email = trim(email_in);
  // What was typed as the email is logged, unless it cannot be one: people do type their
  // password into the wrong box, and the security log must never hold a password.
  const std::string logged_email = looks_like_email(email) ? email : "(not an email address)";
  const std::string key = throttle_key(email);

  // One write transaction decides whether this attempt may be checked at all, and counts it as a
  // failure before it is: attempts sent at once therefore see each other, and however many
  // arrive together, at most lockout_failures of them in a window get their password checked.
  // The lock and the count belong to the address typed, so an unknown address is answered
  // exactly as an account's would be.
  std::optional<User> user;
  std::string stored;
  int failures = 0;
  std::optional<Instant> locks_until;  // set when this attempt is the one that locks
  {
    AtomicWrite tx(db_);
    user = find_user_by_email(email);
    if (user) {
      CachedStatement q(db_, "SELECT password_hash FROM users WHERE id = ?");
      q->bind(1, user->id);
      q->executeStep();
      if (!q->getColumn(0).isNull()) stored = q->getColumn(0).getString();
    }
    CachedStatement q(db_, "SELECT failures, window_start, locked_until FROM login_throttle WHERE email = ?");
    q->bind(1, key);
    std::optional<Instant> since;
    bool lock_ended = false;
    if (q->executeStep()) {
      failures = q->getColumn(0).getInt();
      since = instant_or_null(q->getColumn(1));
      const auto locked_until = instant_or_null(q->getColumn(2));
      lock_ended = locked_until.has_value();
      if (locked_until && *locked_until > now) {
        q->reset();
        // The password is not even checked while locked, so guessing gains nothing; and with
        // nothing checked there is nothing to slow down, so no delay holds a worker.
        result.outcome = LoginOutcome::locked;
        result.locked_until = locked_until;
        log_event(AuthEventKind::login_locked, user ? std::optional<Id>(user->id) : std::nullopt, logged_email, "", source,
                  "attempt while locked", now);
        tx.commit();
        return result;
      }
    }
    q->reset();
    // A new window starts when the last one is over, or when a lock has run its course.
    if (!since || lock_ended || now - *since >= config_.lockout_window) {
      failures = 0;
      since = now;
    }
    ++failures;
    if (failures >= config_.lockout_failures) locks_until = now + config_.lockout_duration;
    CachedStatement up(db_,
                       "INSERT INTO login_throttle(email, failures, window_start, locked_until) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT(email) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start, "
                       "locked_until = excluded.locked_until");
    up->bind(1, key);
    up->bind(2, failures);
    up->bind(3, iso_instant(*since));
    if (locks_until) up->bind(4, iso_instant(*locks_until)); else up->bind(4);
    up->exec();
    tx.commit();
  }

  // scrypt outside any transaction: it takes a while, and the write lock must not wait for it.
  // Exactly one run whether or not the address has an account (the dummy hash is made once per
  // process), so the time taken does not tell them apart either. If it throws, the attempt
  // stays counted as a failure.
  const bool password_ok = verify_password(password, stored.empty() ? dummy_password_hash(config_.scrypt) : stored) && !stored.empty();
  const bool accepted = password_ok && user && !user->disabled;
  std::string rehashed;
  if (accepted && password_needs_rehash(stored, config_.scrypt)) rehashed = hash_password(password, config_.scrypt);

  AtomicWrite tx(db_);
  if (accepted) {
    // A success clears the count and any lock this attempt's own reservation set.
    CachedStatement reset(db_, "DELETE FROM login_throttle WHERE email = ?");
    reset->bind(1, key);
    reset->exec();
    if (!rehashed.empty()) {
      // Only over the hash just checked: a password set meanwhile through a link stays.
      SQLite::Statement rehash(db_, "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?");
      rehash.bind(1, rehashed);
      rehash.bind(2, user->id);
      rehash.bind(3, stored);
      rehash.exec();
    }
    log_event(AuthEventKind::login_ok, user->id, logged_email, "", source, "", now);
    tx.commit();
    result.outcome = LoginOutcome::ok;
    result.user = find_user(user->id);
    return result;
  }

  // A failure, already counted above.
  const std::string why = !user ? "unknown email" : user->disabled ? "account disabled" : stored.empty() ? "no password set" : "wrong password";
  const std::optional<Id> user_id = user ? std::optional<Id>(user->id) : std::nullopt;
  log_event(AuthEventKind::login_failed, user_id, logged_email, "", source, why, now);
  result.delay = failure_delay(failures);
  if (locks_until) {
    log_event(AuthEventKind::login_locked, user_id, logged_email, "", source,
              std::to_string(failures) + " failed attempts: locked until " + iso_instant(*locks_until), now);
    result.outcome = LoginOutcome::locked;
    result.locked_until = locks_until;
  } else if (user && user->disabled) {
    result.outcome = LoginOutcome::disabled;
  }
  tx.commit();
  return result;
}

int AccountStore::purge_login_throttle(Instant now) {
  // Rows whose window is over and whose lock (if any) has ended count for nothing any more.
  CachedStatement del(db_, "DELETE FROM login_throttle WHERE window_start <= ? AND (locked_until IS NULL OR locked_until <= ?)");
  del->bind(1, iso_instant(now - config_.lockout_window));
  del->bind(2, iso_instant(now));
  return del->exec();
}

// ---------------------------------------------------------------- sessions

bool AccountStore::session_is_live(const Session& s, Instant now) const {
  return now < s.last_seen_at + config_.session_idle && now < s.created_at + config_.session_absolute;
}

NewSession AccountStore::create_session(std::optional<Id> user_id, Instant now) {
  NewSession made;
  made.token = random_hex(kSessionTokenBytes);
  made.session.user_id = user_id;
  made.session.csrf_token = random_hex(kSessionTokenBytes);
  made.session.created_at = now;
  made.session.last_seen_at = now;
  SQLite::Statement ins(db_, "INSERT INTO sessions(token_hash, user_id, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)");
  ins.bind(1, sha256_hex(made.token));
  if (user_id) ins.bind(2, *user_id); else ins.bind(2);
  ins.bind(3, made.session.csrf_token);
  ins.bind(4, iso_instant(now));
  ins.bind(5, iso_instant(now));
  ins.exec();
  made.session.id = db_.getLastInsertRowid();
  return made;
}

std::optional<Session> AccountStore::find_session(std::string_view token, Instant now) const {
  CachedStatement q_cached(db_, "SELECT id, user_id, csrf_token, created_at, last_seen_at FROM sessions WHERE token_hash = ?");
  SQLite::Statement& q = *q_cached;
  q.bind(1, sha256_hex(token));
  if (!q.executeStep()) return std::nullopt;
  Session s = read_session(q);
  if (!session_is_live(s, now)) return std::nullopt;
  return s;
}

bool AccountStore::touch(std::string_view token, Instant now) {
  const std::string hash = sha256_hex(token);
  if (!find_session(token, now)) {
    SQLite::Statement del(db_, "DELETE FROM sessions WHERE token_hash = ?");
    del.bind(1, hash);
    del.exec();
    return false;
  }
  CachedStatement up_cached(db_, "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?");
  SQLite::Statement& up = *up_cached;
  up.bind(1, iso_instant(now));
  up.bind(2, hash);
  return up.exec() == 1;
}

bool AccountStore::revoke(std::string_view token, Instant now) {
  AtomicWrite tx(db_);
  CachedStatement q_cached(db_, "SELECT id, user_id, csrf_token, created_at, last_seen_at FROM sessions WHERE token_hash = ?");
  SQLite::Statement& q = *q_cached;
  q.bind(1, sha256_hex(token));
  if (!q.executeStep()) return false;
  Session s = read_session(q);
  q.reset();
  SQLite::Statement del(db_, "DELETE FROM sessions WHERE id = ?");
  del.bind(1, s.id);
  del.exec();
  if (s.user_id) {
    auto user = find_user(*s.user_id);
    log_event(AuthEventKind::logout, s.user_id, user ? user->email : "", "", "", "", now);
  }
  tx.commit();
  return true;
}

int AccountStore::revoke_all_for_user(Id user_id, const std::string& actor, Instant now) {
  AtomicWrite tx(db_);
  SQLite::Statement del(db_, "DELETE FROM sessions WHERE user_id = ?");
  del.bind(1, user_id);
  const int n = del.exec();
  if (n > 0) {
    auto user = find_user(user_id);
    log_event(AuthEventKind::sessions_revoked, user_id, user ? user->email : "", actor, "", std::to_string(n) + " session(s) ended", now);
  }
  tx.commit();
  return n;
}

int AccountStore::purge_expired_sessions(Instant now) {
  SQLite::Statement del(db_, "DELETE FROM sessions WHERE last_seen_at <= ? OR created_at <= ?");
  del.bind(1, iso_instant(now - config_.session_idle));
  del.bind(2, iso_instant(now - config_.session_absolute));
  return del.exec();
}

// ---------------------------------------------------------------- API tokens

ApiTokenState ApiTokenInfo::state(Instant now) const {
  if (revoked_at) return ApiTokenState::revoked;
  // As stored: ISO text sorts in time order, the same comparison the lookup makes.
  return expires_at > iso_instant(now) ? ApiTokenState::active : ApiTokenState::expired;
}

NewApiToken AccountStore::create_api_token(Id user_id, const std::string& label, const std::string& actor, Instant now,
                                           std::optional<std::chrono::seconds> lifetime) {
  const auto life = lifetime.value_or(config_.api_token_lifetime);
  if (life <= std::chrono::seconds(0)) throw std::invalid_argument("A token must be valid for some time: give 1 day or more");
  if (label.size() > kApiTokenLabelMax) throw std::invalid_argument("The label must be 200 characters or fewer");
  if (std::any_of(label.begin(), label.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    throw std::invalid_argument("The label must be one line of text");
  AtomicWrite tx(db_);
  auto user = find_user(user_id);
  if (!user) throw std::invalid_argument("There is no such account");
  // A token for a disabled account would be dead on arrival; refusing says why.
  if (user->disabled) throw std::invalid_argument("The account " + user->email + " is disabled: enable it first");
  NewApiToken made;
  made.token = kApiTokenPrefix + random_hex(kApiTokenBytes);
  made.expires_at = now + life;
  SQLite::Statement ins(db_,
                        "INSERT INTO api_tokens(user_id, token_hash, label, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?)");
  ins.bind(1, user_id);
  ins.bind(2, sha256_hex(made.token));
  ins.bind(3, label);
  ins.bind(4, iso_instant(now));
  ins.bind(5, actor);
  ins.bind(6, iso_instant(made.expires_at));
  ins.exec();
  made.id = db_.getLastInsertRowid();
  log_event(AuthEventKind::token_created, user_id, user->email, actor, "",
            "token " + std::to_string(made.id) + " " + label + " (expires " + iso_instant(made.expires_at) + ")", now);
  tx.commit();
  return made;
}

std::optional<User> AccountStore::user_for_api_token(std::string_view token, Instant now) {
  Id token_id = 0;
  Id user_id = 0;
  std::optional<Instant> last_used;
  {
    // Looked up by hash: an index lookup on a value the attacker cannot choose to be near a
    // real one, so no timing comparison of secrets happens here. expires_at is compared as
    // text (the format sorts chronologically); a token without one never matches.
    CachedStatement q_cached(db_, "SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?");
    SQLite::Statement& q = *q_cached;
    q.bind(1, sha256_hex(token));
    q.bind(2, iso_instant(now));
    if (!q.executeStep()) return std::nullopt;
    token_id = q.getColumn(0).getInt64();
    user_id = q.getColumn(1).getInt64();
    last_used = instant_or_null(q.getColumn(2));
  }
  auto user = find_user(user_id);
  if (!user || user->disabled) return std::nullopt;
  if (!last_used || now - *last_used >= kApiTokenUseInterval) {
    try {
      CachedStatement up_cached(db_, "UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND revoked_at IS NULL");
      SQLite::Statement& up = *up_cached;
      up.bind(1, iso_instant(now));
      up.bind(2, token_id);
      up.exec();
    } catch (const SQLite::Exception&) {
      // Last-used is for people reviewing tokens: a busy database must not refuse a valid token.
    }
  }
  return user;
}

namespace {
constexpr const char* kTokenColumns = "id, user_id, label, created_at, created_by, expires_at, last_used_at, revoked_at";

ApiTokenInfo read_token(SQLite::Statement& q) {
  ApiTokenInfo t;
  t.id = q.getColumn(0).getInt64();
  t.user_id = q.getColumn(1).getInt64();
  t.label = q.getColumn(2).getString();
  t.created_at = q.getColumn(3).getString();
  t.created_by = q.getColumn(4).getString();
  t.expires_at = q.getColumn(5).getString();  // NULL reads as "": expired, as the lookup treats it
  if (!q.getColumn(6).isNull()) t.last_used_at = q.getColumn(6).getString();
  if (!q.getColumn(7).isNull()) t.revoked_at = q.getColumn(7).getString();
  return t;
}
}  // namespace

std::optional<ApiTokenInfo> AccountStore::find_api_token(Id token_id) const {
  SQLite::Statement q(db_, std::string("SELECT ") + kTokenColumns + " FROM api_tokens WHERE id = ?");
  q.bind(1, token_id);
  if (!q.executeStep()) return std::nullopt;
  return read_token(q);
}

bool AccountStore::revoke_api_token(Id token_id, const std::string& actor, Instant now) {
  AtomicWrite tx(db_);
  SQLite::Statement up(db_, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
  up.bind(1, iso_instant(now));
  up.bind(2, token_id);
  if (up.exec() != 1) return false;
  auto info = find_api_token(token_id);
  auto user = find_user(info->user_id);
  log_event(AuthEventKind::token_revoked, info->user_id, user ? user->email : "", actor, "",
            "token " + std::to_string(token_id) + " " + info->label, now);
  tx.commit();
  return true;
}

int AccountStore::revoke_api_tokens_for_user(Id user_id, const std::string& actor, Instant now, const std::string& reason) {
  AtomicWrite tx(db_);
  int n = 0;
  auto user = find_user(user_id);
  for (const auto& t : api_tokens_for(user_id)) {
    if (t.revoked_at) continue;
    SQLite::Statement up(db_, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
    up.bind(1, iso_instant(now));
    up.bind(2, t.id);
    if (up.exec() != 1) continue;
    ++n;
    log_event(AuthEventKind::token_revoked, user_id, user ? user->email : "", actor, "",
              "token " + std::to_string(t.id) + " " + t.label + ": " + reason, now);
  }
  tx.commit();
  return n;
}

std::vector<ApiTokenInfo> AccountStore::api_tokens_for(Id user_id) const {
  SQLite::Statement q(db_, std::string("SELECT ") + kTokenColumns + " FROM api_tokens WHERE user_id = ? ORDER BY id");
  q.bind(1, user_id);
  std::vector<ApiTokenInfo> out;
  while (q.executeStep()) out.push_back(read_token(q));
  return out;
}

// ---------------------------------------------------------------- security log

void AccountStore::log_event(AuthEventKind kind, std::optional<Id> user_id, std::string_view email, std::string_view actor,
                             std::string_view source, std::string_view detail, Instant now) {
  SQLite::Statement ins(db_, "INSERT INTO auth_events(at, event, user_id, email, actor, source, detail) VALUES (?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, iso_instant(now));
  ins.bind(2, std::string(to_string(kind)));
  if (user_id) ins.bind(3, *user_id); else ins.bind(3);
  ins.bind(4, std::string(email));
  ins.bind(5, std::string(actor));
  ins.bind(6, std::string(source));
  ins.bind(7, std::string(detail));
  ins.exec();
}

void AccountStore::audit_user(const std::string& actor, const std::string& action, const std::optional<User>& before,
                              const User& after) {
  append_audit(db_, actor, action, "user", after.id, std::nullopt, before ? std::optional<nlohmann::json>(user_json(*before)) : std::nullopt,
               user_json(after));
}

std::vector<AuthEvent> AccountStore::events_for_user(Id user_id) const {
  SQLite::Statement q(db_, std::string("SELECT ") + kEventColumns + " FROM auth_events WHERE user_id = ? ORDER BY id");
  q.bind(1, user_id);
  std::vector<AuthEvent> out;
  while (q.executeStep()) out.push_back(read_event(q));
  return out;
}

std::vector<AuthEvent> AccountStore::recent_events(int limit) const {
  SQLite::Statement q(db_, std::string("SELECT ") + kEventColumns + " FROM auth_events ORDER BY id DESC LIMIT ?");
  q.bind(1, limit);
  std::vector<AuthEvent> out;
  while (q.executeStep()) out.push_back(read_event(q));
  return out;
}

}  // namespace probity
