#include "model/accounts/server_secret.hpp"

#include "model/base/crypto.hpp"
#include "model/store/database.hpp"

namespace probity {

std::string server_secret(SQLite::Database& db, std::string_view name, Instant now) {
  {
    CachedStatement q(db, "SELECT value FROM server_secrets WHERE name = ?");
    q->bind(1, std::string(name));
    if (q->executeStep()) return q->getColumn(0).getString();
  }
  // Whoever inserts first wins; everyone then reads that one.
  WriteTransaction tx(db);
  SQLite::Statement ins(db, "INSERT OR IGNORE INTO server_secrets(name, value, created_at) VALUES (?, ?, ?)");
  ins.bind(1, std::string(name));
  ins.bind(2, random_hex(32));
  ins.bind(3, iso_instant(now));
  ins.exec();
  SQLite::Statement q(db, "SELECT value FROM server_secrets WHERE name = ?");
  q.bind(1, std::string(name));
  q.executeStep();
  std::string value = q.getColumn(0).getString();
  q.reset();
  tx.commit();
  return value;
}

}  // namespace probity
