#include "model/database.hpp"

#include <sqlite3.h>

#include <iostream>
#include <map>
#include <string_view>

#include "model/group_commit.hpp"

namespace probity {
const std::map<std::string, std::string_view>& embedded_migrations();

std::unique_ptr<SQLite::Database> open_database(const std::string& path, bool create) {
  int flags = SQLite::OPEN_READWRITE | SQLite::OPEN_FULLMUTEX;
  if (create) flags |= SQLite::OPEN_CREATE;
  auto db = std::make_unique<SQLite::Database>(path, flags);
  db->setBusyTimeout(10000);
  db->exec("PRAGMA journal_mode=WAL");
  // FULL: a register of record must not lose an acknowledged declaration on power loss.
  db->exec("PRAGMA synchronous=FULL");
  db->exec("PRAGMA foreign_keys=ON");
  return db;
}

std::vector<std::string> apply_migrations(SQLite::Database& db) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL "
      "DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))");
  std::vector<std::string> applied;
  for (const auto& [name, sql] : embedded_migrations()) {  // std::map: applied in name order
    WriteTransaction tx(db);
    SQLite::Statement seen(db, "SELECT 1 FROM schema_migrations WHERE name = ?");
    seen.bind(1, name);
    if (seen.executeStep()) continue;
    db.exec(std::string(sql));
    SQLite::Statement record(db, "INSERT INTO schema_migrations(name) VALUES (?)");
    record.bind(1, name);
    record.exec();
    tx.commit();
    applied.push_back(name);
  }
  return applied;
}

bool register_is_empty(SQLite::Database& db) {
  return db.execAndGet("SELECT (SELECT COUNT(*) FROM people) + (SELECT COUNT(*) FROM organisations)").getInt64() == 0;
}

WriteTransaction::WriteTransaction(SQLite::Database& db) : db_(db), savepoint_(in_group_commit(db)) {
  db_.exec(savepoint_ ? "SAVEPOINT write_transaction" : "BEGIN IMMEDIATE");
}

WriteTransaction::~WriteTransaction() {
  // Nothing to undo when SQLite has already rolled the transaction back after an error.
  if (done_ || sqlite3_get_autocommit(db_.getHandle()) != 0) return;
  try {
    if (savepoint_) {
      db_.exec("ROLLBACK TO write_transaction");
      db_.exec("RELEASE write_transaction");
    } else {
      db_.exec("ROLLBACK");
    }
  } catch (const std::exception& e) {
    // A destructor must not throw; SQLite has already rolled back if the statement failed.
    std::cerr << "probity: rollback failed: " << e.what() << "\n";
  }
}

void WriteTransaction::commit() {
  db_.exec(savepoint_ ? "RELEASE write_transaction" : "COMMIT");
  done_ = true;
}

ConnectionPool::ConnectionPool(std::string path) : path_(std::move(path)) {}

ConnectionPool::Lease ConnectionPool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto db = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(db));
    }
  }
  return Lease(*this, open_database(path_, false));
}

ConnectionPool::Lease::~Lease() {
  if (!db_ || !pool_) return;
  std::lock_guard lock(pool_->mutex_);
  pool_->idle_.push_back(std::move(db_));
}

}  // namespace probity
