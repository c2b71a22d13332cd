#include "model/accounts/identity_store.hpp"

#include "model/accounts/oidc_jose.hpp"
#include "model/base/crypto.hpp"
#include "model/store/audit_log.hpp"
#include "model/store/database.hpp"

namespace probity {
namespace {

constexpr const char* kIdentityColumns = "id, user_id, provider_id, issuer, subject, email, linked_at, last_used_at";

Identity read_identity(SQLite::Statement& q) {
  Identity i;
  i.id = q.getColumn(0).getInt64();
  i.user_id = q.getColumn(1).getInt64();
  i.provider_id = q.getColumn(2).getString();
  i.issuer = q.getColumn(3).getString();
  i.subject = q.getColumn(4).getString();
  i.email = q.getColumn(5).getString();
  i.linked_at = q.getColumn(6).getString();
  if (!q.getColumn(7).isNull()) i.last_used_at = q.getColumn(7).getString();
  return i;
}

}  // namespace

std::optional<Identity> IdentityStore::find(std::string_view issuer, std::string_view subject) const {
  SQLite::Statement q(db_, std::string("SELECT ") + kIdentityColumns + " FROM user_identities WHERE issuer = ? AND subject = ?");
  q.bind(1, std::string(issuer));
  q.bind(2, std::string(subject));
  if (!q.executeStep()) return std::nullopt;
  return read_identity(q);
}

std::vector<Identity> IdentityStore::for_user(Id user_id) const {
  SQLite::Statement q(db_, std::string("SELECT ") + kIdentityColumns + " FROM user_identities WHERE user_id = ? ORDER BY id");
  q.bind(1, user_id);
  std::vector<Identity> out;
  while (q.executeStep()) out.push_back(read_identity(q));
  return out;
}

Identity IdentityStore::link(Id user_id, std::string_view provider_id, std::string_view issuer, std::string_view subject,
                             std::string_view email, Instant now) {
  SQLite::Statement ins(db_,
                        "INSERT INTO user_identities(user_id, provider_id, issuer, subject, email, linked_at) VALUES (?, ?, ?, ?, ?, ?)");
  ins.bind(1, user_id);
  ins.bind(2, std::string(provider_id));
  ins.bind(3, std::string(issuer));
  ins.bind(4, std::string(subject));
  ins.bind(5, std::string(email));
  ins.bind(6, iso_instant(now));
  ins.exec();
  return *find(issuer, subject);
}

void IdentityStore::mark_used(Id identity_id, Instant now) {
  SQLite::Statement up(db_, "UPDATE user_identities SET last_used_at = ? WHERE id = ?");
  up.bind(1, iso_instant(now));
  up.bind(2, identity_id);
  up.exec();
}

bool IdentityStore::unlink(Id identity_id) {
  SQLite::Statement del(db_, "DELETE FROM user_identities WHERE id = ?");
  del.bind(1, identity_id);
  return del.exec() > 0;
}

StartedSignIn PendingSignIns::start(std::string_view provider_id, std::string_view redirect_uri, std::string_view next, Instant now,
                                    std::chrono::seconds lifetime) {
  StartedSignIn s;
  s.state = random_base64url(32);
  s.nonce = random_base64url(32);
  s.browser_token = random_base64url(32);
  const std::string verifier = random_base64url(32);  // 43 characters, RFC 7636 section 4.1
  s.code_challenge = pkce_challenge(verifier);
  s.expires_at = now + lifetime;
  SQLite::Statement ins(db_,
                        "INSERT INTO oidc_pending(state_hash, browser_hash, provider_id, nonce, code_verifier, redirect_uri, next, "
                        "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, sha256_hex(s.state));
  ins.bind(2, sha256_hex(s.browser_token));
  ins.bind(3, std::string(provider_id));
  ins.bind(4, s.nonce);
  ins.bind(5, verifier);
  ins.bind(6, std::string(redirect_uri));
  ins.bind(7, std::string(next));
  ins.bind(8, iso_instant(now));
  ins.bind(9, iso_instant(s.expires_at));
  ins.exec();
  return s;
}

ConsumedSignIn PendingSignIns::consume(std::string_view state, std::string_view browser_token, Instant now) {
  ConsumedSignIn out;
  if (state.empty() || state.size() > 200) return out;
  AtomicWrite tx(db_);
  SQLite::Statement q(db_,
                      "SELECT id, browser_hash, provider_id, nonce, code_verifier, redirect_uri, next, expires_at, used_at "
                      "FROM oidc_pending WHERE state_hash = ?");
  q.bind(1, sha256_hex(state));
  if (!q.executeStep()) return out;
  const Id id = q.getColumn(0).getInt64();
  if (!q.getColumn(8).isNull()) {
    out.refusal = PendingRefusal::already_used;
    return out;
  }
  const auto expires = parse_instant(q.getColumn(7).getString());
  if (!constant_time_equal(q.getColumn(1).getString(), sha256_hex(browser_token))) {
    out.refusal = PendingRefusal::other_browser;
    return out;
  }
  PendingSignIn p{q.getColumn(2).getString(), q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getString(),
                  q.getColumn(6).getString()};
  q.reset();
  // Used up whatever happens next: a second callback with this state is refused.
  SQLite::Statement use(db_, "UPDATE oidc_pending SET used_at = ? WHERE id = ?");
  use.bind(1, iso_instant(now));
  use.bind(2, id);
  use.exec();
  tx.commit();
  if (!expires || now >= *expires) {
    out.refusal = PendingRefusal::expired;
    return out;
  }
  out.refusal = PendingRefusal::none;
  out.sign_in = std::move(p);
  return out;
}

int PendingSignIns::purge_expired(Instant now) {
  SQLite::Statement del(db_, "DELETE FROM oidc_pending WHERE expires_at <= ?");
  del.bind(1, iso_instant(now));
  return del.exec();
}

std::optional<bool> provider_enabled_setting(SQLite::Database& db, std::string_view provider_id) {
  SQLite::Statement q(db, "SELECT enabled FROM oidc_provider_settings WHERE provider_id = ?");
  q.bind(1, std::string(provider_id));
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getInt() != 0;
}

void set_provider_enabled(SQLite::Database& db, std::string_view provider_id, bool enabled, const std::string& actor, Instant now) {
  AtomicWrite tx(db);
  const auto before = provider_enabled_setting(db, provider_id);
  SQLite::Statement up(db,
                       "INSERT INTO oidc_provider_settings(provider_id, enabled, changed_at, changed_by) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT(provider_id) DO UPDATE SET enabled = excluded.enabled, changed_at = excluded.changed_at, "
                       "changed_by = excluded.changed_by");
  up.bind(1, std::string(provider_id));
  up.bind(2, enabled ? 1 : 0);
  up.bind(3, iso_instant(now));
  up.bind(4, actor);
  up.exec();
  const nlohmann::json after = {{"provider", provider_id}, {"enabled", enabled}};
  append_audit(db, actor, "update", "sign_in_provider", std::nullopt, std::nullopt,
               before ? std::optional<nlohmann::json>(nlohmann::json{{"provider", provider_id}, {"enabled", *before}}) : std::nullopt, after);
  tx.commit();
}

std::string pending_refusal_text(PendingRefusal refusal) {
  switch (refusal) {
    case PendingRefusal::none:
      return "";
    case PendingRefusal::unknown_state:
      return "unknown state";
    case PendingRefusal::other_browser:
      return "state from another browser";
    case PendingRefusal::expired:
      return "sign-in took too long (state expired)";
    case PendingRefusal::already_used:
      return "state already used (a replayed callback)";
  }
  return "";
}

}  // namespace probity
