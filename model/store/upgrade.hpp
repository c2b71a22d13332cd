#pragma once
// Bringing a database up to this release's schema when the service starts: a database a newer
// release wrote is refused untouched, and one that needs migrating is first backed up, verified,
// beside itself, so an upgrade that goes wrong can be undone with `probity restore`.
#include <optional>
#include <string>
#include <vector>

#include "model/store/backup.hpp"
#include "model/store/database.hpp"

namespace probity {

struct UpgradeResult {
  std::vector<std::string> applied;   // the migrations run, in order; empty when up to date
  std::optional<BackupResult> backup; // the verified copy taken first, when one was needed
};

/// Where upgrade_database keeps the copy it takes of the database at `database_path` before
/// migrating it: `<database_path>.before-upgrade-<stamp>`.
std::string upgrade_backup_path(const std::string& database_path, const std::string& stamp);

/// Migrates `db` (the connection to the file at `database_path`) to `migrations`. Refuses a
/// database that records a migration `migrations` lacks (NewerDatabaseError), changing nothing.
/// When migrations are pending and the database already has a schema (not a new file), first
/// writes a verified backup to upgrade_backup_path(database_path, stamp), and migrates only once
/// it is made; a new database is migrated straight away, there being nothing to keep. Throws
/// BackupError when the backup cannot be made (nothing is migrated then), SQLite::Exception when a
/// migration fails (that one is rolled back; the earlier ones stay, and the backup holds the
/// database as it was).
UpgradeResult upgrade_database(SQLite::Database& db, const std::string& database_path, const std::string& stamp,
                               const Migrations& migrations = embedded_migrations());

}  // namespace probity
