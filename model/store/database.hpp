#pragma once
// The register's SQLite connections: opening one with the settings a register of record needs,
// applying the numbered migrations compiled into the binary, each connection's statement cache,
// write transactions (BEGIN IMMEDIATE, a savepoint inside a group-commit batch, or joined to the
// caller's own) and the pool requests borrow connections from.
#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace probity {

/// Closes a connection opened by open_database, finalising the statements it cached first.
struct CloseDatabase {
  void operator()(SQLite::Database* db) const;
};
using DatabasePtr = std::unique_ptr<SQLite::Database, CloseDatabase>;

/// A prepared statement for `sql` on `db`. A connection from open_database keeps the statements
/// it has prepared, so a query run again on it is only bound and stepped: preparing a statement
/// through the *_current views costs more than running it on the few rows a request reads
/// (measured: three quarters of the CPU of a declaration went to sqlite3_prepare). The cached one
/// is used unless it is already being stepped further up the stack; other connections get a new
/// statement. Reset, with bindings cleared, when it goes out of scope. Like the connection itself,
/// not to be shared between threads.
class CachedStatement {
 public:
  CachedStatement(SQLite::Database& db, const std::string& sql);
  ~CachedStatement();
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;
  SQLite::Statement& operator*() { return *statement_; }
  SQLite::Statement* operator->() { return statement_; }

  struct Entry {
    std::unique_ptr<SQLite::Statement> statement;
    bool in_use = false;
  };

 private:
  Entry* entry_ = nullptr;  // the connection's, when borrowed from its cache
  std::unique_ptr<SQLite::Statement> own_;
  SQLite::Statement* statement_ = nullptr;
};

/// Gives the connection the SQL functions the schema's triggers call (probity_name_key and
/// probity_fold: the public register's sort keys, migration 0014). open_database does it; a
/// connection opened another way must do it before it writes to the register, or the write fails
/// with "no such function". Throws SQLite::Exception.
void add_sql_functions(SQLite::Database& db);

/// Sets SQLite up for this process, before any connection is opened (so before any thread
/// starts): no global allocation statistics. SQLite counts every allocation under one global
/// mutex, which all threads then queue on (futex waits were the largest item in a profile of
/// cached public reads, and most of the access-control test's time under the sanitizers), and
/// nothing here reads those statistics. The command line (run_cli) and the tests' main both call
/// it, so the tests run SQLite as the service does. False when SQLite was already initialised.
bool configure_sqlite_process();

/// Opens (creating if asked) a database with WAL, synchronous=FULL, foreign keys and a busy
/// timeout. Throws SQLite::Exception when the file cannot be opened.
DatabasePtr open_database(const std::string& path, bool create);

/// Migrations by file name ("0001_register.sql" → its SQL), applied in name order.
using Migrations = std::map<std::string, std::string_view>;

/// The migrations compiled into this binary (model/store/migrations/*.sql).
const Migrations& embedded_migrations();

/// The database records a migration this binary does not have: a newer release wrote it, and
/// this one would not know its schema. The message says so in plain words.
struct NewerDatabaseError : std::runtime_error {
  NewerDatabaseError(std::vector<std::string> unknown_migrations, const std::string& message)
      : std::runtime_error(message), unknown(std::move(unknown_migrations)) {}
  std::vector<std::string> unknown;  // the migrations recorded that this binary lacks, in name order
};

/// Where a database stands against a set of migrations. Reads only.
struct SchemaState {
  bool new_database = false;         // no migration recorded yet (a new or empty file)
  std::vector<std::string> pending;  // known here, not yet applied, in name order
  std::vector<std::string> unknown;  // applied there, not known here (a newer release's)
};

/// Compares the database's schema_migrations with `known`, changing nothing. Throws
/// SQLite::Exception when the database cannot be read.
SchemaState schema_state(SQLite::Database& db, const Migrations& known = embedded_migrations());

/// Throws the NewerDatabaseError that names the `unknown` migrations (from schema_state).
[[noreturn]] void refuse_newer_database(const std::vector<std::string>& unknown);

/// Applies every migration of `migrations` not yet recorded in schema_migrations, each in its own
/// transaction. Returns the names applied. Throws NewerDatabaseError, before changing anything,
/// when the database records a migration not in `migrations`; SQLite::Exception if one fails
/// (that one is rolled back).
std::vector<std::string> apply_migrations(SQLite::Database& db, const Migrations& migrations = embedded_migrations());

/// True when the database has no register rows yet (no people and no organisations).
bool register_is_empty(SQLite::Database& db);

/// True while `db` is the connection of the group-commit batch this thread is running
/// (model/store/group_commit.hpp): WriteTransaction then opens a savepoint instead of BEGIN IMMEDIATE.
bool in_group_commit(const SQLite::Database& db);
/// Marks `db` as the connection of the group-commit batch this thread is running, or, with
/// nullptr, marks none. Thread-local: only the group-commit writer's own thread sets it.
void set_group_commit_connection(const SQLite::Database* db);

/// A write transaction that takes the write lock at BEGIN (BEGIN IMMEDIATE), so two writers
/// never deadlock upgrading read locks; rolls back unless commit() is called. On the connection
/// of a group-commit batch (model/store/group_commit.hpp) it is a savepoint inside the batch's
/// transaction instead: commit() releases it, and the batch's COMMIT makes it durable.
/// Throws SQLite::Exception if the transaction cannot begin or commit.
class WriteTransaction {
 public:
  explicit WriteTransaction(SQLite::Database& db);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit();

 private:
  SQLite::Database& db_;
  bool savepoint_ = false;
  bool done_ = false;
};

/// A WriteTransaction, unless the connection is already inside a transaction: then it joins
/// that one (as the versioned store's writes do) and commit() leaves the committing to its owner.
/// For a read-then-write sequence that must not be overtaken, whether or not the caller holds a
/// transaction of its own. Throws as WriteTransaction.
class AtomicWrite {
 public:
  explicit AtomicWrite(SQLite::Database& db);
  void commit();

 private:
  std::optional<WriteTransaction> tx_;
};

/// SQLiteCpp's Database must not be shared between threads, so each request borrows one
/// connection from this pool for its duration. Connections are opened on demand and reused; at
/// most `max_idle` are kept once returned, the rest closed. (After each change to the register,
/// every reader of a stale page holds a connection at once; kept, each would fill its own page
/// cache, up to 2 MiB, and the load test's memory crept up with them.)
class ConnectionPool {
 public:
  explicit ConnectionPool(std::string path, std::size_t max_idle = 16);

  class Lease {
   public:
    Lease(ConnectionPool& pool, DatabasePtr db) : pool_(&pool), db_(std::move(db)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = default;
    ~Lease();
    SQLite::Database& operator*() { return *db_; }
    SQLite::Database* operator->() { return db_.get(); }

   private:
    ConnectionPool* pool_;
    DatabasePtr db_;
  };

  /// A connection for this thread's exclusive use until the lease ends.
  Lease acquire();
  /// Connections kept open for reuse now (for tests).
  std::size_t idle() const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::size_t max_idle_;
  mutable std::mutex mutex_;
  std::vector<DatabasePtr> idle_;
};

}  // namespace probity
