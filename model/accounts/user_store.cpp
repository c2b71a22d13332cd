#include "model/accounts/user_store.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "model/accounts/api_token_store.hpp"
#include "model/store/audit_log.hpp"
#include "model/accounts/auth_events.hpp"
#include "model/base/crypto.hpp"
#include "model/store/database.hpp"
#include "model/accounts/password.hpp"
#include "model/accounts/session_store.hpp"
#include "model/accounts/sign_in_throttle.hpp"

namespace probity {
namespace {

constexpr std::size_t kLinkTokenBytes = 32;  // lives for days in a URL that is handed over: longer than a session's

nlohmann::json user_json(const User& u) {
  // Deliberately no password hash and no lockout counters: this goes into the audit log.
  nlohmann::json j = {{"id", u.id},
                      {"email", u.email},
                      {"person_id", u.person_id ? nlohmann::json(*u.person_id) : nlohmann::json(nullptr)},
                      {"role", to_string(u.role)},
                      {"disabled", u.disabled},
                      {"password_allowed", u.password_allowed}};
  if (u.body_id) j["body_id"] = *u.body_id;  // only a body's account: instance-wide ones read as before
  return j;
}

}  // namespace

UserStore::UserStore(SQLite::Database& db, AccountConfig config) : db_(db), config_(std::move(config)) {}

// ---------------------------------------------------------------- accounts

User UserStore::create_user(std::string_view email_in, std::optional<Id> person_id, UserRole role, const std::string& actor,
                            Instant now) {
  const std::string email = trim_email(email_in);
  if (!looks_like_email(email)) throw std::invalid_argument("Enter an email address in the correct format, like name@example.com");
  AtomicWrite tx(db_);
  if (find_user_by_email(email)) throw std::invalid_argument("An account with this email address already exists");
  // A Guardian's role column reads "member" (its CHECK predates the role): the flag says the rest.
  SQLite::Statement ins(db_, "INSERT INTO users(email, person_id, role, guardian, created_at) VALUES (?, ?, ?, ?, ?)");
  ins.bind(1, email);
  if (person_id) ins.bind(2, *person_id); else ins.bind(2);
  ins.bind(3, role == UserRole::guardian ? std::string("member") : std::string(to_string(role)));
  ins.bind(4, role == UserRole::guardian ? 1 : 0);
  ins.bind(5, iso_instant(now));
  ins.exec();
  User created = *find_user(db_.getLastInsertRowid());
  audit_user(actor, "create", std::nullopt, created);
  AuthEventLog(db_).log(AuthEventKind::account_created, created.id, email, actor, "", "role " + std::string(to_string(role)), now);
  tx.commit();
  return created;
}

bool UserStore::set_role(Id user_id, UserRole role, const std::string& actor, Instant now) {
  AtomicWrite tx(db_);
  auto before = find_user(user_id);
  if (!before) return false;
  if (before->role == role) return true;
  SQLite::Statement up(db_, "UPDATE users SET role = ?, guardian = ? WHERE id = ?");
  up.bind(1, role == UserRole::guardian ? std::string("member") : std::string(to_string(role)));
  up.bind(2, role == UserRole::guardian ? 1 : 0);
  up.bind(3, user_id);
  up.exec();
  User after = *find_user(user_id);
  audit_user(actor, "update", before, after);
  AuthEventLog(db_).log(AuthEventKind::account_changed, user_id, after.email, actor, "", "role " + std::string(to_string(role)), now);
  tx.commit();
  return true;
}

bool UserStore::set_body(Id user_id, std::optional<Id> body_id, const std::string& actor, Instant now) {
  AtomicWrite tx(db_);
  auto before = find_user(user_id);
  if (!before) return false;
  if (before->body_id == body_id) return true;
  SQLite::Statement up(db_, "UPDATE users SET body_id = ? WHERE id = ?");
  if (body_id) up.bind(1, *body_id);
  else up.bind(1);
  up.bind(2, user_id);
  up.exec();
  User after = *find_user(user_id);
  audit_user(actor, "update", before, after);
  AuthEventLog(db_).log(AuthEventKind::account_changed, user_id, after.email, actor, "",
                        body_id ? "body " + std::to_string(*body_id) : std::string("all bodies"), now);
  tx.commit();
  return true;
}

bool UserStore::set_disabled(Id user_id, bool disabled, const std::string& actor, Instant now) {
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
  AuthEventLog(db_).log(AuthEventKind::account_changed, user_id, after.email, actor, "", disabled ? "disabled" : "enabled", now);
  if (disabled) {
    // Revoked, not suspended: re-enabling must not bring back a token that may have been
    // handed on while the account was off.
    SessionStore(db_, config_).revoke_all_for_user(user_id, actor, now);
    ApiTokenStore(db_, config_).revoke_api_tokens_for_user(user_id, actor, now, "account disabled");
  }
  tx.commit();
  return true;
}

bool UserStore::set_password_allowed(Id user_id, bool allowed, const std::string& actor, Instant now) {
  AtomicWrite tx(db_);
  auto before = find_user(user_id);
  if (!before) return false;
  if (before->password_allowed == allowed) return true;
  SQLite::Statement up(db_, "UPDATE users SET password_allowed = ? WHERE id = ?");
  up.bind(1, allowed ? 1 : 0);
  up.bind(2, user_id);
  up.exec();
  User after = *find_user(user_id);
  audit_user(actor, "update", before, after);
  AuthEventLog(db_).log(AuthEventKind::account_changed, user_id, after.email, actor, "", allowed ? "password sign-in allowed" : "password sign-in stopped", now);
  tx.commit();
  return true;
}

void UserStore::audit_user(const std::string& actor, const std::string& action, const std::optional<User>& before,
                           const User& after) {
  append_audit(db_, actor, action, "user", after.id, std::nullopt, before ? std::optional<nlohmann::json>(user_json(*before)) : std::nullopt,
               user_json(after));
}

// ---------------------------------------------------------------- set-password links

PasswordLink UserStore::create_password_link(Id user_id, const std::string& actor, Instant now) {
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
  AuthEventLog(db_).log(AuthEventKind::password_link_created, user_id, user->email, actor, "", "expires " + iso_instant(link.expires_at),
                        now);
  tx.commit();
  return link;
}

std::optional<User> UserStore::password_link_user(std::string_view token, Instant now) const {
  // expires_at is compared as text: the format sorts chronologically.
  SQLite::Statement q(db_, "SELECT user_id FROM password_links WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?");
  q.bind(1, sha256_hex(token));
  q.bind(2, iso_instant(now));
  if (!q.executeStep()) return std::nullopt;
  return find_user(q.getColumn(0).getInt64());
}

SetPasswordResult UserStore::set_password_with_link(std::string_view token, std::string_view password, Instant now) {
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
  SignInThrottle(db_, config_).clear(SignInThrottle::key_for(user->email));
  AuthEventLog(db_).log(AuthEventKind::password_set, user->id, user->email, "", "", "through a set-password link", now);
  SessionStore(db_, config_).revoke_all_for_user(user->id, "", now);
  ApiTokenStore(db_, config_).revoke_api_tokens_for_user(user->id, "", now, "password set");
  tx.commit();
  result.outcome = SetPasswordOutcome::ok;
  result.user = find_user(user->id);
  return result;
}

}  // namespace probity
