#include "model/store/database.hpp"

#include "model/base/names.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <set>
#include <shared_mutex>
#include <string_view>
#include <unordered_map>

namespace probity {
namespace {

// The statement caches of the open connections, by connection. Only the map is shared between
// threads; a connection's own cache is used by the one thread holding the connection.
using StatementCache = std::map<std::string, CachedStatement::Entry, std::less<>>;
constexpr std::size_t kMaxCachedStatements = 256;  // beyond this a connection's cache starts again
std::shared_mutex caches_mutex;  // every statement looks its cache up; only opening and closing write
std::unordered_map<const SQLite::Database*, std::unique_ptr<StatementCache>> caches;

// The connection whose group-commit batch this thread is running (only ever the writer
// thread's own); set by the group-commit writer around each batch.
thread_local const SQLite::Database* t_batch_db = nullptr;

StatementCache* cache_of(const SQLite::Database& db) {
  std::shared_lock lock(caches_mutex);
  auto it = caches.find(&db);
  return it == caches.end() ? nullptr : it->second.get();
}

}  // namespace

void CloseDatabase::operator()(SQLite::Database* db) const {
  std::unique_ptr<StatementCache> cache;
  {
    std::unique_lock lock(caches_mutex);
    if (auto it = caches.find(db); it != caches.end()) {
      cache = std::move(it->second);
      caches.erase(it);
    }
  }
  cache.reset();  // finalise the statements while the connection is still open
  delete db;
}

CachedStatement::CachedStatement(SQLite::Database& db, const std::string& sql) {
  if (auto* cache = cache_of(db)) {
    auto it = cache->find(sql);
    if (it == cache->end()) {
      if (cache->size() >= kMaxCachedStatements) {
        // Start again, keeping any statement a caller further up the stack is still stepping.
        for (auto i = cache->begin(); i != cache->end();) i = i->second.in_use ? std::next(i) : cache->erase(i);
      }
      it = cache->emplace(sql, Entry{std::make_unique<SQLite::Statement>(db, sql), false}).first;
    }
    if (!it->second.in_use) {
      entry_ = &it->second;
      entry_->in_use = true;
      statement_ = entry_->statement.get();
      return;
    }
  }
  own_ = std::make_unique<SQLite::Statement>(db, sql);
  statement_ = own_.get();
}

CachedStatement::~CachedStatement() {
  if (!entry_) return;
  try {
    statement_->reset();  // ends its read of the database, so no snapshot outlives the caller
    statement_->clearBindings();
  } catch (const std::exception&) {
    // reset() reports the error of the statement's last step again; it is reset all the same.
  }
  entry_->in_use = false;
}

namespace {
// SQL functions the schema's triggers call (migration 0014: the public register's sort keys),
// so that the database sorts names exactly as the code does. Deterministic and innocuous: safe
// in triggers, indexes and views. NULL in, NULL out.
template <std::string (*Key)(std::string_view)>
void text_key_function(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const std::string key = Key(std::string_view(text, static_cast<std::size_t>(sqlite3_value_bytes(argv[0]))));
  sqlite3_result_text(ctx, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
}

}  // namespace

void add_sql_functions(SQLite::Database& db) {
  constexpr int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  auto check = [&](int rc, const char* name) {
    if (rc != SQLITE_OK) throw SQLite::Exception(std::string("cannot add the SQL function ") + name, rc);
  };
  check(sqlite3_create_function_v2(db.getHandle(), "probity_name_key", 1, flags, nullptr, &text_key_function<name_sort_key>, nullptr,
                                   nullptr, nullptr),
        "probity_name_key");
  check(sqlite3_create_function_v2(db.getHandle(), "probity_fold", 1, flags, nullptr, &text_key_function<fold_case>, nullptr, nullptr,
                                   nullptr),
        "probity_fold");
}

bool configure_sqlite_process() { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK; }

DatabasePtr open_database(const std::string& path, bool create) {
  // No mutex of SQLite's own per call: a connection is only ever used by one thread at a time
  // (a ConnectionPool lease, or the group-commit writer's own thread).
  int flags = SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX;
  if (create) flags |= SQLite::OPEN_CREATE;
  DatabasePtr db(new SQLite::Database(path, flags));
  {
    std::unique_lock lock(caches_mutex);
    caches[db.get()] = std::make_unique<StatementCache>();
  }
  db->setBusyTimeout(10000);
  db->exec("PRAGMA journal_mode=WAL");
  // FULL: a register of record must not lose an acknowledged declaration on power loss.
  db->exec("PRAGMA synchronous=FULL");
  db->exec("PRAGMA foreign_keys=ON");
  add_sql_functions(*db);
  return db;
}

SchemaState schema_state(SQLite::Database& db, const Migrations& known) {
  SchemaState state;
  std::set<std::string> recorded;
  if (db.tableExists("schema_migrations")) {
    SQLite::Statement names(db, "SELECT name FROM schema_migrations ORDER BY name");
    while (names.executeStep()) recorded.insert(names.getColumn(0).getString());
  }
  state.new_database = recorded.empty();
  for (const auto& entry : known)
    if (!recorded.count(entry.first)) state.pending.push_back(entry.first);
  for (const auto& name : recorded)
    if (!known.count(name)) state.unknown.push_back(name);
  return state;
}

void refuse_newer_database(const std::vector<std::string>& unknown) {
  std::string names;
  for (const auto& name : unknown) names += (names.empty() ? "" : ", ") + name;
  throw NewerDatabaseError(unknown, "the database was upgraded by a newer release of Probity (it has the migration" +
                                        std::string(unknown.size() == 1 ? " " : "s ") + names +
                                        ", which this release does not know); run that release or a newer one, or restore "
                                        "the backup taken before that upgrade");
}

std::vector<std::string> apply_migrations(SQLite::Database& db, const Migrations& migrations) {
  // A database a newer release has migrated is refused before anything is written: this binary
  // would read and write a schema it does not know, and an older migration run over it could
  // undo what the newer one did.
  if (auto unknown = schema_state(db, migrations).unknown; !unknown.empty()) refuse_newer_database(unknown);
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL "
      "DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))");
  std::vector<std::string> applied;
  for (const auto& [name, sql] : migrations) {  // std::map: applied in name order
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

bool in_group_commit(const SQLite::Database& db) { return t_batch_db == &db; }

void set_group_commit_connection(const SQLite::Database* db) { t_batch_db = db; }

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

AtomicWrite::AtomicWrite(SQLite::Database& db) {
  if (sqlite3_get_autocommit(db.getHandle()) != 0) tx_.emplace(db);
}

void AtomicWrite::commit() {
  if (tx_) tx_->commit();
}

ConnectionPool::ConnectionPool(std::string path, std::size_t max_idle)
    : path_(std::move(path)), max_idle_(std::max<std::size_t>(max_idle, 1)) {}

std::size_t ConnectionPool::idle() const {
  std::lock_guard lock(mutex_);
  return idle_.size();
}

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
  {
    std::lock_guard lock(pool_->mutex_);
    if (pool_->idle_.size() < pool_->max_idle_) {
      pool_->idle_.push_back(std::move(db_));
      return;
    }
  }
  db_.reset();  // closed outside the lock
}

}  // namespace probity
