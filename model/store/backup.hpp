#pragma once
// Online backup and restore of the register's SQLite file. A register of record must be
// recoverable: a backup is only reported as made once the copy has been checked (SQLite's
// integrity_check and the audit chain), and a restore never destroys the database it replaces.
#include <SQLiteCpp/SQLiteCpp.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace probity {

/// A backup or restore that could not be done; the message says why in plain words.
struct BackupError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct DatabaseCheck {
  bool ok = false;
  std::string problem;       // empty when ok
  long long audit_rows = 0;  // rows of the audit chain verified
};

/// Checks a Probity database file without changing it: PRAGMA integrity_check, that it carries
/// Probity's schema, and the audit chain. Never throws; an unreadable file is a failed check.
DatabaseCheck check_database_file(const std::string& path);

struct BackupResult {
  std::string path;
  long long bytes = 0;
  long long audit_rows = 0;
};

/// Writes a consistent snapshot of `source` to `destination` while other connections keep
/// writing (VACUUM INTO reads in one transaction; WAL lets writers go on). The copy is made
/// under a temporary name, synced, checked, and only then linked to `destination`, so a file at
/// that name is always a verified backup. Throws BackupError if `destination` exists or the
/// copy fails its check; SQLite::Exception if the source cannot be read.
BackupResult backup_database(SQLite::Database& source, const std::string& destination);

/// The file name of a backup in a folder of kept copies (`probity backup --dir`):
/// `probity-<stamp>.db`, where `stamp` is a compact UTC time such as 20261123T140509Z, so that
/// names sort by age.
std::string kept_backup_name(const std::string& stamp);

/// Removes the oldest of the backups in `dir` named as kept_backup_name names them, keeping the
/// newest `keep` (at least 1); any other file in `dir` is left alone. Returns the paths removed,
/// oldest first. Throws BackupError when `dir` cannot be read or a file cannot be removed.
std::vector<std::string> prune_kept_backups(const std::string& dir, int keep);

struct RestoreResult {
  std::string previous_kept_as;  // empty when there was no database at the target before
  long long audit_rows = 0;
};

/// Replaces the database at `target` with the contents of `backup_file`. Checks the backup first;
/// refuses (BackupError) while any other connection has the target open, by taking SQLite's
/// exclusive lock; keeps a consistent copy of the old database as
/// `<target>.before-restore-<stamp>`; copies with SQLite's backup API under that lock and checks
/// the result. `stamp` is usually a UTC timestamp such as 20261123T140509Z.
RestoreResult restore_database(const std::string& backup_file, const std::string& target, const std::string& stamp);

}  // namespace probity
