#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/bundle/bundle.hpp"
#include "model/store/upgrade.hpp"
#include "support.hpp"

using namespace probity;

namespace {
namespace fs = std::filesystem;

// This release's migrations plus one more, standing in for the next release's: the upgrade is
// tested from a database at today's schema, which is what the release after this one will meet.
// It changes the schema and the data, so its effects (and their absence in the backup) show.
Migrations with_next_release_migration() {
  Migrations next = embedded_migrations();
  next.emplace("9999_next_release.sql",
               "ALTER TABLE people ADD COLUMN upgrade_note TEXT; "
               "CREATE TABLE upgrade_notes AS SELECT id AS person_id, 'migrated' AS note FROM people;");
  return next;
}

long long count_rows(SQLite::Database& db, const std::string& sql) { return db.execAndGet(sql).getInt64(); }

void load_demo(SQLite::Database& db) {
  std::ifstream in(std::string(PROBITY_SOURCE_DIR) + "/config/demo.json");
  std::stringstream text;
  text << in.rdbuf();
  REQUIRE(import_bundle_text(db, text.str(), "demo").ok);
}
}  // namespace

TEST_CASE("upgrading a database of this release with the demo data backs it up first and keeps every record") {
  testing::TestDb t;
  load_demo(*t);
  const long long people = count_rows(*t, "SELECT COUNT(*) FROM people");
  const long long interests = count_rows(*t, "SELECT COUNT(*) FROM interests");
  const long long audit = count_rows(*t, "SELECT COUNT(*) FROM audit_log");
  REQUIRE(people > 0);

  auto r = upgrade_database(*t, t.path, "20261203T101500Z", with_next_release_migration());
  CHECK(r.applied == std::vector<std::string>{"9999_next_release.sql"});
  REQUIRE(r.backup);
  CHECK(r.backup->path == t.path + ".before-upgrade-20261203T101500Z");
  CHECK(r.backup->audit_rows == audit);

  // The upgraded database: every record kept, the new migration's change made.
  CHECK(count_rows(*t, "SELECT COUNT(*) FROM people") == people);
  CHECK(count_rows(*t, "SELECT COUNT(*) FROM interests") == interests);
  CHECK(count_rows(*t, "SELECT COUNT(*) FROM pragma_table_info('people') WHERE name = 'upgrade_note'") == 1);
  CHECK(count_rows(*t, "SELECT COUNT(*) FROM upgrade_notes WHERE note = 'migrated'") == people);
  CHECK(check_database_file(t.path).ok);

  // The backup: verified, and the database as it was before the migration.
  CHECK(check_database_file(r.backup->path).ok);
  SQLite::Database before(r.backup->path, SQLite::OPEN_READONLY);
  CHECK(schema_state(before, with_next_release_migration()).pending == std::vector<std::string>{"9999_next_release.sql"});
  CHECK(count_rows(before, "SELECT COUNT(*) FROM pragma_table_info('people') WHERE name = 'upgrade_note'") == 0);
  CHECK_FALSE(before.tableExists("upgrade_notes"));
  CHECK(count_rows(before, "SELECT COUNT(*) FROM people") == people);

  // Started again: nothing to do, so no second backup.
  auto again = upgrade_database(*t, t.path, "20261203T101600Z", with_next_release_migration());
  CHECK(again.applied.empty());
  CHECK_FALSE(again.backup);
  CHECK_FALSE(fs::exists(t.path + ".before-upgrade-20261203T101600Z"));
}

TEST_CASE("a new database is migrated without a backup, there being nothing to keep") {
  testing::TempDir dir;
  const std::string path = dir.file("new.db");
  auto db = open_database(path, true);
  auto r = upgrade_database(*db, path, "20261203T101500Z");
  CHECK(r.applied.size() == embedded_migrations().size());
  CHECK_FALSE(r.backup);
  CHECK_FALSE(fs::exists(upgrade_backup_path(path, "20261203T101500Z")));
  CHECK(schema_state(*db).pending.empty());
}

TEST_CASE("a database a newer release migrated is refused before anything is written") {
  testing::TestDb t;
  const long long before = count_rows(*t, "SELECT COUNT(*) FROM schema_migrations");
  t.db->exec("INSERT INTO schema_migrations(name) VALUES ('9999_next_release.sql')");
  const auto state = schema_state(*t);
  CHECK(state.unknown == std::vector<std::string>{"9999_next_release.sql"});
  CHECK(state.pending.empty());
  CHECK_FALSE(state.new_database);

  const std::string message =
      "the database was upgraded by a newer release of Probity (it has the migration 9999_next_release.sql, which this "
      "release does not know); run that release or a newer one, or restore the backup taken before that upgrade";
  CHECK_THROWS_MATCHES(apply_migrations(*t), NewerDatabaseError, Catch::Message(message));
  CHECK_THROWS_AS(upgrade_database(*t, t.path, "20261203T101500Z"), NewerDatabaseError);
  CHECK_FALSE(fs::exists(upgrade_backup_path(t.path, "20261203T101500Z")));
  CHECK(count_rows(*t, "SELECT COUNT(*) FROM schema_migrations") == before + 1);

  // Even with a migration of its own still to run, the older binary changes nothing.
  Migrations fewer = embedded_migrations();
  const std::string last = fewer.rbegin()->first;
  t.db->exec("DELETE FROM schema_migrations WHERE name = '" + last + "'");
  fewer.emplace("9998_pending_here.sql", "CREATE TABLE should_not_exist (x INTEGER);");
  try {
    upgrade_database(*t, t.path, "20261203T101500Z", fewer);
    FAIL("a newer database was upgraded");
  } catch (const NewerDatabaseError& e) {
    CHECK(e.unknown == std::vector<std::string>{"9999_next_release.sql"});
  }
  CHECK_FALSE(t.db->tableExists("should_not_exist"));
}

TEST_CASE("rotation keeps the newest copies it made and never touches other files") {
  testing::TempDir dir;
  const std::vector<std::string> stamps = {"20261130T023000Z", "20261201T023000Z", "20261202T023000Z", "20261203T023000Z"};
  for (const auto& stamp : stamps) std::ofstream(dir.file(kept_backup_name(stamp))) << stamp;
  for (const auto* other : {"notes.txt", "probity-manual.db", "probity-20261101T023000Z.db.partial-abc", "probity.db"})
    std::ofstream(dir.file(other)) << "keep me";
  fs::create_directories(dir.file("probity-20261001T023000Z.db"));  // a folder, not a copy

  auto removed = prune_kept_backups(dir.path.string(), 2);
  CHECK(removed == std::vector<std::string>{dir.file("probity-20261130T023000Z.db"), dir.file("probity-20261201T023000Z.db")});
  CHECK(fs::exists(dir.file("probity-20261202T023000Z.db")));
  CHECK(fs::exists(dir.file("probity-20261203T023000Z.db")));
  for (const auto* other : {"notes.txt", "probity-manual.db", "probity-20261101T023000Z.db.partial-abc", "probity.db",
                            "probity-20261001T023000Z.db"})
    CHECK(fs::exists(dir.file(other)));

  CHECK(prune_kept_backups(dir.path.string(), 2).empty());
  CHECK(prune_kept_backups(dir.path.string(), 0).size() == 1);  // at least one is always kept
  CHECK(fs::exists(dir.file("probity-20261203T023000Z.db")));
  CHECK_THROWS_AS(prune_kept_backups(dir.file("no-such-folder"), 2), BackupError);
}
