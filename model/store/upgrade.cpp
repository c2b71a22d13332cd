#include "model/store/upgrade.hpp"

namespace probity {

std::string upgrade_backup_path(const std::string& database_path, const std::string& stamp) {
  return database_path + ".before-upgrade-" + stamp;
}

UpgradeResult upgrade_database(SQLite::Database& db, const std::string& database_path, const std::string& stamp,
                               const Migrations& migrations) {
  UpgradeResult result;
  const SchemaState state = schema_state(db, migrations);
  if (!state.unknown.empty()) refuse_newer_database(state.unknown);
  if (state.pending.empty()) return result;
  if (!state.new_database) result.backup = backup_database(db, upgrade_backup_path(database_path, stamp));
  result.applied = apply_migrations(db, migrations);
  return result;
}

}  // namespace probity
