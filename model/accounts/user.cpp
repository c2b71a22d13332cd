#include "model/accounts/user.hpp"

#include "model/store/database.hpp"

namespace probity {
namespace {

// locked_until comes from the sign-in throttle, which is keyed by the address
// (SignInThrottle::key_for in model/accounts/sign_in_throttle.hpp).
constexpr const char* kUserColumns =
    "id, email, person_id, CASE WHEN guardian = 1 THEN 'guardian' ELSE role END, password_hash IS NOT NULL, disabled, created_at, "
    "(SELECT t.locked_until FROM login_throttle t WHERE t.email = lower(users.email)), password_allowed, password_last_used_at, body_id";

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
  u.password_allowed = q.getColumn(8).getInt() != 0;
  if (!q.getColumn(9).isNull()) u.password_last_used_at = q.getColumn(9).getString();
  if (!q.getColumn(10).isNull()) u.body_id = q.getColumn(10).getInt64();
  return u;
}

}  // namespace

std::string trim_email(std::string_view s) {
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

std::optional<User> find_user(SQLite::Database& db, Id id) {
  CachedStatement q_cached(db, std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?");
  SQLite::Statement& q = *q_cached;
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return read_user(q);
}

std::optional<User> find_user_by_email(SQLite::Database& db, std::string_view email) {
  CachedStatement q_cached(db, std::string("SELECT ") + kUserColumns + " FROM users WHERE email = ?");  // column is NOCASE
  SQLite::Statement& q = *q_cached;
  q.bind(1, trim_email(email));
  if (!q.executeStep()) return std::nullopt;
  return read_user(q);
}

std::optional<User> find_user_by_person(SQLite::Database& db, Id person_id) {
  CachedStatement q_cached(db, std::string("SELECT ") + kUserColumns + " FROM users WHERE person_id = ?");
  SQLite::Statement& q = *q_cached;
  q.bind(1, person_id);
  if (!q.executeStep()) return std::nullopt;
  return read_user(q);
}

std::vector<User> all_users(SQLite::Database& db) {
  SQLite::Statement q(db, std::string("SELECT ") + kUserColumns + " FROM users ORDER BY email");
  std::vector<User> out;
  while (q.executeStep()) out.push_back(read_user(q));
  return out;
}

}  // namespace probity
