#include "model/store/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <filesystem>
#include <regex>

#include "model/store/audit_log.hpp"
#include "model/base/crypto.hpp"
#include "model/store/database.hpp"

namespace probity {
namespace {
namespace fs = std::filesystem;

// SQLite syncs what it writes, but the copy is renamed and linked by us: sync the file and the
// directory entry too, or a power cut could leave a name pointing at nothing.
void sync_path(const fs::path& path, bool directory) {
  int fd = ::open(path.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0) throw BackupError("cannot open " + path.string() + " to sync it: " + std::strerror(errno));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw BackupError("cannot sync " + path.string() + ": " + std::strerror(errno));
}

fs::path parent_of(const std::string& path) {
  auto parent = fs::absolute(path).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

void remove_quietly(const fs::path& path) {
  std::error_code ec;
  fs::remove(path, ec);
  fs::remove(path.string() + "-journal", ec);
  fs::remove(path.string() + "-wal", ec);
  fs::remove(path.string() + "-shm", ec);
}

void vacuum_into(SQLite::Database& db, const std::string& path) {
  SQLite::Statement vacuum(db, "VACUUM INTO ?");
  vacuum.bind(1, path);
  vacuum.exec();
}
}  // namespace

DatabaseCheck check_database_file(const std::string& path) {
  DatabaseCheck check;
  try {
    if (!fs::is_regular_file(path)) {
      check.problem = "no database file at " + path;
      return check;
    }
    // Read-write but never created, and no pragmas that would change the file: a backup is
    // checked as it is. (Read-only connections cannot always open a WAL-mode file.)
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.setBusyTimeout(10000);
    SQLite::Statement integrity(db, "PRAGMA integrity_check");
    std::string first;
    int rows = 0;
    while (integrity.executeStep()) {
      if (rows++ == 0) first = integrity.getColumn(0).getString();
    }
    if (rows != 1 || first != "ok") {
      check.problem = "integrity check failed: " + first;
      return check;
    }
    if (!db.tableExists("schema_migrations") || !db.tableExists("audit_log")) {
      check.problem = "not a Probity database (no schema_migrations or audit_log table)";
      return check;
    }
    auto audit = verify_audit_chain(db);
    if (!audit.ok) {
      check.problem = "audit chain broken at row " + std::to_string(audit.first_broken_id.value_or(0)) + ": " + audit.problem;
      return check;
    }
    check.audit_rows = audit.rows_checked;
    check.ok = true;
  } catch (const std::exception& e) {
    check.problem = std::string("cannot read it as a database: ") + e.what();
  }
  return check;
}

BackupResult backup_database(SQLite::Database& source, const std::string& destination) {
  if (fs::exists(destination)) throw BackupError(destination + " already exists; a backup never overwrites a file");
  const fs::path dir = parent_of(destination);
  if (!fs::is_directory(dir)) throw BackupError("no directory " + dir.string() + " for the backup");
  const fs::path partial = dir / (fs::path(destination).filename().string() + ".partial-" + random_hex(6));
  try {
    vacuum_into(source, partial.string());
    sync_path(partial, false);
    auto check = check_database_file(partial.string());
    if (!check.ok) throw BackupError("the copy failed its check, so no backup was made: " + check.problem);
    // link() fails if the name exists, so a file that appeared meanwhile is never replaced.
    if (::link(partial.c_str(), destination.c_str()) != 0) {
      const int err = errno;
      if (err == EEXIST) throw BackupError(destination + " already exists; a backup never overwrites a file");
      throw BackupError("cannot create " + destination + ": " + std::strerror(err));
    }
    remove_quietly(partial);
    sync_path(dir, true);
    BackupResult result;
    result.path = destination;
    result.bytes = static_cast<long long>(fs::file_size(destination));
    result.audit_rows = check.audit_rows;
    return result;
  } catch (...) {
    remove_quietly(partial);
    throw;
  }
}

std::string kept_backup_name(const std::string& stamp) { return "probity-" + stamp + ".db"; }

std::vector<std::string> prune_kept_backups(const std::string& dir, int keep) {
  // Only names this command makes: probity-YYYYMMDDTHHMMSSZ.db. A copy someone put there by hand,
  // a partial file or an upgrade's backup is never removed by rotation.
  static const std::regex kept_name(R"(probity-[0-9]{8}T[0-9]{6}Z\.db)");
  std::vector<std::string> kept;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file() && std::regex_match(it->path().filename().string(), kept_name))
      kept.push_back(it->path().string());
  if (ec) throw BackupError("cannot read the backup folder " + dir + ": " + ec.message());
  std::sort(kept.begin(), kept.end());
  std::vector<std::string> removed;
  const auto to_keep = static_cast<std::size_t>(std::max(keep, 1));
  for (std::size_t i = 0; i + to_keep < kept.size(); ++i) {
    if (!fs::remove(kept[i], ec) || ec)
      throw BackupError("cannot remove the old backup " + kept[i] + ": " + (ec ? ec.message() : "it went missing"));
    removed.push_back(kept[i]);
  }
  if (!removed.empty()) sync_path(fs::path(dir), true);
  return removed;
}

RestoreResult restore_database(const std::string& backup_file, const std::string& target, const std::string& stamp) {
  auto backup_check = check_database_file(backup_file);
  if (!backup_check.ok) throw BackupError(backup_file + " is not a usable backup: " + backup_check.problem);
  if (fs::exists(target) && fs::equivalent(backup_file, target)) throw BackupError("the backup and the database are the same file");

  RestoreResult result;
  const bool had_database = fs::exists(target);
  {
    SQLite::Database db(target, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.setBusyTimeout(0);
    db.exec("PRAGMA synchronous=FULL");
    // In exclusive locking mode the lock taken by the first write transaction is kept until the
    // connection closes. Any other connection (a running server keeps its pool open) holds a
    // shared lock, so this fails at once rather than pulling the file from under it.
    db.exec("PRAGMA locking_mode=EXCLUSIVE");
    try {
      db.exec("BEGIN EXCLUSIVE");
      db.exec("COMMIT");
    } catch (const SQLite::Exception& e) {
      if (e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED)
        throw BackupError(target + " is in use (is `probity serve` running?); stop it, then restore");
      throw;
    }
    if (had_database) {
      const std::string kept = target + ".before-restore-" + stamp;
      if (fs::exists(kept)) throw BackupError(kept + " already exists; try again in a second");
      vacuum_into(db, kept);
      sync_path(kept, false);
      sync_path(parent_of(kept), true);
      result.previous_kept_as = kept;
    }
    // Page by page into the locked connection, in one SQLite transaction: a crash leaves
    // either the old database or the restored one, never a mixture.
    db.backup(backup_file.c_str(), SQLite::Database::Load);
  }
  auto after = check_database_file(target);
  if (!after.ok)
    throw BackupError("the restored database failed its check (" + after.problem + "); the previous one is at " +
                      result.previous_kept_as);
  if (after.audit_rows != backup_check.audit_rows)
    throw BackupError("the restored database has " + std::to_string(after.audit_rows) + " audit rows, the backup " +
                      std::to_string(backup_check.audit_rows));
  result.audit_rows = after.audit_rows;
  return result;
}

}  // namespace probity
