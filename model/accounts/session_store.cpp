#include "model/accounts/session_store.hpp"

#include <stdexcept>

#include "model/accounts/auth_events.hpp"
#include "model/base/crypto.hpp"
#include "model/store/database.hpp"
#include "model/accounts/user.hpp"

namespace probity {
namespace {

constexpr std::size_t kSessionTokenBytes = 16;  // 128 bits

Instant instant(const SQLite::Column& c) {
  auto t = parse_instant(c.getString());
  if (!t) throw std::runtime_error("bad timestamp in database");
  return *t;
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

}  // namespace

SessionStore::SessionStore(SQLite::Database& db, AccountConfig config) : db_(db), config_(std::move(config)) {}

bool SessionStore::session_is_live(const Session& s, Instant now) const {
  return now < s.last_seen_at + config_.session_idle && now < s.created_at + config_.session_absolute;
}

NewSession SessionStore::create_session(std::optional<Id> user_id, Instant now) {
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

std::optional<Session> SessionStore::find_session(std::string_view token, Instant now) const {
  CachedStatement q_cached(db_, "SELECT id, user_id, csrf_token, created_at, last_seen_at FROM sessions WHERE token_hash = ?");
  SQLite::Statement& q = *q_cached;
  q.bind(1, sha256_hex(token));
  if (!q.executeStep()) return std::nullopt;
  Session s = read_session(q);
  if (!session_is_live(s, now)) return std::nullopt;
  return s;
}

bool SessionStore::touch(std::string_view token, Instant now) {
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

bool SessionStore::revoke(std::string_view token, Instant now) {
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
    auto user = find_user(db_, *s.user_id);
    AuthEventLog(db_).log(AuthEventKind::logout, s.user_id, user ? user->email : "", "", "", "", now);
  }
  tx.commit();
  return true;
}

int SessionStore::revoke_all_for_user(Id user_id, const std::string& actor, Instant now) {
  AtomicWrite tx(db_);
  SQLite::Statement del(db_, "DELETE FROM sessions WHERE user_id = ?");
  del.bind(1, user_id);
  const int n = del.exec();
  if (n > 0) {
    auto user = find_user(db_, user_id);
    AuthEventLog(db_).log(AuthEventKind::sessions_revoked, user_id, user ? user->email : "", actor, "",
                          std::to_string(n) + " session(s) ended", now);
  }
  tx.commit();
  return n;
}

int SessionStore::purge_expired_sessions(Instant now) {
  SQLite::Statement del(db_, "DELETE FROM sessions WHERE last_seen_at <= ? OR created_at <= ?");
  del.bind(1, iso_instant(now - config_.session_idle));
  del.bind(2, iso_instant(now - config_.session_absolute));
  return del.exec();
}

}  // namespace probity
