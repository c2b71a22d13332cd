#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "model/store/backup.hpp"
#include "model/bundle/bundle.hpp"
#include "support.hpp"

namespace {
using probity::testing::TestDb;

nlohmann::json declaration(int n) {
  const std::string ref = std::to_string(n);
  return nlohmann::json::parse(R"({"people": [{"ref": "p-)" + ref + R"(", "name": "Dr )" + ref + R"(", "kind": "gp"}],
      "interests": [{"ref": "i-)" + ref + R"(", "person": "p-)" + ref + R"(", "category": "financial",
                     "nature": "Partner of a GP practice", "from": "2025-01-01", "declared_on": "2025-01-10"}]})");
}

std::set<std::string> stored_interests(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  std::set<std::string> refs;
  SQLite::Statement q(db, "SELECT ref FROM interests");
  while (q.executeStep()) refs.insert(q.getColumn(0).getString());
  return refs;
}

void import_ok(SQLite::Database& db, const nlohmann::json& bundle) {
  auto r = probity::import_bundle(db, bundle, "test");
  REQUIRE(r.ok);
}
}  // namespace

TEST_CASE("a backup taken while another thread writes declarations is intact and holds every acknowledged write") {
  TestDb t;
  std::mutex mutex;
  std::vector<std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::thread writer([&] {
    auto db = probity::open_database(t.path, false);  // its own connection, as a server thread has
    for (int n = 0; !stop; ++n) {
      auto r = probity::import_bundle(*db, declaration(n), "writer");
      if (!r.ok) ++failures;
      std::lock_guard lock(mutex);
      acknowledged.push_back("i-" + std::to_string(n));
    }
  });
  auto wait_for_writes = [&](std::size_t at_least) {
    for (;;) {
      {
        std::lock_guard lock(mutex);
        if (acknowledged.size() >= at_least) return;
      }
      std::this_thread::yield();
    }
  };

  for (int round = 0; round < 3; ++round) {
    wait_for_writes(static_cast<std::size_t>(10 * (round + 1)));
    std::vector<std::string> before;
    {
      std::lock_guard lock(mutex);
      before = acknowledged;  // acknowledged before the backup started
    }
    const std::string file = t.dir.file("backup-" + std::to_string(round) + ".db");
    auto source = probity::open_database(t.path, false);
    auto result = probity::backup_database(*source, file);
    CAPTURE(round, before.size());
    CHECK(result.path == file);
    CHECK(result.audit_rows >= static_cast<long long>(2 * before.size()));
    auto check = probity::check_database_file(file);
    CHECK(check.problem == "");
    CHECK(check.ok);
    auto in_backup = stored_interests(file);
    for (const auto& ref : before) CHECK(in_backup.count(ref) == 1);
  }
  stop = true;
  writer.join();
  CHECK(failures == 0);
  // No temporary copies are left beside the backups.
  for (const auto& entry : std::filesystem::directory_iterator(t.dir.path))
    CHECK(entry.path().filename().string().find(".partial-") == std::string::npos);
}

TEST_CASE("a backup never overwrites an existing file") {
  TestDb t;
  const std::string file = t.dir.file("taken.db");
  std::ofstream(file) << "precious";
  CHECK_THROWS_WITH(probity::backup_database(*t, file), file + " already exists; a backup never overwrites a file");
  std::ifstream in(file);
  std::string content;
  in >> content;
  CHECK(content == "precious");
}

TEST_CASE("check_database_file refuses junk, a non-Probity database and a broken audit chain") {
  TestDb t;
  import_ok(*t, declaration(1));
  const std::string junk = t.dir.file("junk.db");
  std::ofstream(junk) << "this is not a database";
  auto j = probity::check_database_file(junk);
  CHECK_FALSE(j.ok);
  CHECK_THAT(j.problem, Catch::StartsWith("cannot read it as a database"));

  const std::string other = t.dir.file("other.db");
  SQLite::Database(other, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE).exec("CREATE TABLE x(y)");
  CHECK(probity::check_database_file(other).problem ==
        "not a Probity database (no schema_migrations or audit_log table)");

  CHECK(probity::check_database_file(t.dir.file("absent.db")).problem == "no database file at " + t.dir.file("absent.db"));

  const std::string copy = t.dir.file("copy.db");
  probity::backup_database(*t, copy);
  {
    SQLite::Database raw(copy, SQLite::OPEN_READWRITE);
    raw.exec("DROP TRIGGER audit_log_no_update");
    raw.exec("UPDATE audit_log SET actor = 'intruder' WHERE id = 1");
  }
  auto tampered = probity::check_database_file(copy);
  CHECK_FALSE(tampered.ok);
  CHECK_THAT(tampered.problem, Catch::StartsWith("audit chain broken at row 1"));
}

TEST_CASE("restore replaces the database, keeps the old one, and refuses while it is in use or the backup is bad") {
  TestDb t;
  import_ok(*t, declaration(1));
  const std::string backup = t.dir.file("b.db");
  probity::backup_database(*t, backup);
  import_ok(*t, declaration(2));  // written after the backup: the restore takes it away

  SECTION("refused while another connection has the database open") {
    CHECK_THROWS_WITH(probity::restore_database(backup, t.path, "20260101T000000Z"),
                      t.path + " is in use (is `probity serve` running?); stop it, then restore");
    CHECK(stored_interests(t.path) == std::set<std::string>{"i-1", "i-2"});
    CHECK_FALSE(std::filesystem::exists(t.path + ".before-restore-20260101T000000Z"));
  }
  SECTION("refused when the backup is not a usable Probity database; nothing changes") {
    t.db.reset();
    const std::string junk = t.dir.file("junk.db");
    std::ofstream(junk) << "not a database at all";
    CHECK_THROWS_WITH(probity::restore_database(junk, t.path, "20260101T000000Z"),
                      Catch::StartsWith(junk + " is not a usable backup: cannot read it as a database"));
    CHECK(stored_interests(t.path) == std::set<std::string>{"i-1", "i-2"});
  }
  SECTION("once nothing has it open, the backup is put in place and the old database kept") {
    t.db.reset();
    auto r = probity::restore_database(backup, t.path, "20260101T000000Z");
    CHECK(r.previous_kept_as == t.path + ".before-restore-20260101T000000Z");
    CHECK(stored_interests(t.path) == std::set<std::string>{"i-1"});
    CHECK(stored_interests(r.previous_kept_as) == std::set<std::string>{"i-1", "i-2"});
    CHECK(probity::check_database_file(t.path).ok);
    // The restored file is a working register: it opens with our settings and takes writes.
    auto db = probity::open_database(t.path, false);
    probity::apply_migrations(*db);
    import_ok(*db, declaration(3));
    CHECK(stored_interests(t.path) == std::set<std::string>{"i-1", "i-3"});
  }
}
