#include "model/accounts/api_token_store.hpp"

#include <algorithm>
#include <stdexcept>

#include "model/accounts/auth_events.hpp"
#include "model/base/crypto.hpp"
#include "model/store/database.hpp"

namespace probity {
namespace {

constexpr std::size_t kApiTokenBytes = 32;
constexpr const char* kApiTokenPrefix = "prb_";  // recognisable if it leaks into a log or repository
constexpr std::size_t kApiTokenLabelMax = 200;
// How stale a token's last_used_at may get: enough for a person reviewing tokens, and a busy
// client costs one write a minute rather than one per request.
constexpr std::chrono::seconds kApiTokenUseInterval{60};

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

ApiTokenState ApiTokenInfo::state(Instant now) const {
  if (revoked_at) return ApiTokenState::revoked;
  // As stored: ISO text sorts in time order, the same comparison the lookup makes.
  return expires_at > iso_instant(now) ? ApiTokenState::active : ApiTokenState::expired;
}

ApiTokenStore::ApiTokenStore(SQLite::Database& db, AccountConfig config) : db_(db), config_(std::move(config)) {}

NewApiToken ApiTokenStore::create_api_token(Id user_id, const std::string& label, const std::string& actor, Instant now,
                                            std::optional<std::chrono::seconds> lifetime) {
  const auto life = lifetime.value_or(config_.api_token_lifetime);
  if (life <= std::chrono::seconds(0)) throw std::invalid_argument("A token must be valid for some time: give 1 day or more");
  if (label.size() > kApiTokenLabelMax) throw std::invalid_argument("The label must be 200 characters or fewer");
  if (std::any_of(label.begin(), label.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    throw std::invalid_argument("The label must be one line of text");
  AtomicWrite tx(db_);
  auto user = find_user(db_, user_id);
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
  AuthEventLog(db_).log(AuthEventKind::token_created, user_id, user->email, actor, "",
                        "token " + std::to_string(made.id) + " " + label + " (expires " + iso_instant(made.expires_at) + ")", now);
  tx.commit();
  return made;
}

std::optional<User> ApiTokenStore::user_for_api_token(std::string_view token, Instant now) {
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
  auto user = find_user(db_, user_id);
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

std::optional<ApiTokenInfo> ApiTokenStore::find_api_token(Id token_id) const {
  SQLite::Statement q(db_, std::string("SELECT ") + kTokenColumns + " FROM api_tokens WHERE id = ?");
  q.bind(1, token_id);
  if (!q.executeStep()) return std::nullopt;
  return read_token(q);
}

bool ApiTokenStore::revoke_api_token(Id token_id, const std::string& actor, Instant now) {
  AtomicWrite tx(db_);
  SQLite::Statement up(db_, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
  up.bind(1, iso_instant(now));
  up.bind(2, token_id);
  if (up.exec() != 1) return false;
  auto info = find_api_token(token_id);
  auto user = find_user(db_, info->user_id);
  AuthEventLog(db_).log(AuthEventKind::token_revoked, info->user_id, user ? user->email : "", actor, "",
                        "token " + std::to_string(token_id) + " " + info->label, now);
  tx.commit();
  return true;
}

int ApiTokenStore::revoke_api_tokens_for_user(Id user_id, const std::string& actor, Instant now, const std::string& reason) {
  AtomicWrite tx(db_);
  int n = 0;
  auto user = find_user(db_, user_id);
  for (const auto& t : api_tokens_for(user_id)) {
    if (t.revoked_at) continue;
    SQLite::Statement up(db_, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
    up.bind(1, iso_instant(now));
    up.bind(2, t.id);
    if (up.exec() != 1) continue;
    ++n;
    AuthEventLog(db_).log(AuthEventKind::token_revoked, user_id, user ? user->email : "", actor, "",
                          "token " + std::to_string(t.id) + " " + t.label + ": " + reason, now);
  }
  tx.commit();
  return n;
}

std::vector<ApiTokenInfo> ApiTokenStore::api_tokens_for(Id user_id) const {
  SQLite::Statement q(db_, std::string("SELECT ") + kTokenColumns + " FROM api_tokens WHERE user_id = ? ORDER BY id");
  q.bind(1, user_id);
  std::vector<ApiTokenInfo> out;
  while (q.executeStep()) out.push_back(read_token(q));
  return out;
}

}  // namespace probity
