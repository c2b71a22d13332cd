#include <catch2/catch.hpp>

#include <fstream>
#include <set>

#include "model/store/commit_watch.hpp"
#include "model/store/database.hpp"
#include "support.hpp"

using namespace probity;
using namespace probity::testing;

namespace {
void commit_note(SQLite::Database& db, const std::string& text) {
  WriteTransaction tx(db);
  SQLite::Statement insert(db, "INSERT INTO watch_notes(text) VALUES (?)");
  insert.bind(1, text);
  insert.exec();
  tx.commit();
}
}  // namespace

TEST_CASE("the commit watch sees every commit, from any connection, and nothing else") {
  TestDb t;
  t.db->exec("CREATE TABLE watch_notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
  CommitWatch watch(t.path);
  REQUIRE(watch.available());
  const auto start = watch.version();
  REQUIRE(start);

  SECTION("reads, and a read transaction left open, change nothing") {
    SQLite::Statement count(*t.db, "SELECT COUNT(*) FROM audit_log");
    REQUIRE(count.executeStep());
    auto other = open_database(t.path, false);
    SQLite::Transaction reading(*other);
    SQLite::Statement again(*other, "SELECT COUNT(*) FROM watch_notes");
    REQUIRE(again.executeStep());
    CHECK(watch.version() == start);
  }

  SECTION("each commit, on this connection or another, gives a new version") {
    auto other = open_database(t.path, false);  // as another process would
    std::set<std::uint64_t> seen{*start};
    for (int i = 0; i < 20; ++i) {
      commit_note(i % 2 ? *t.db : *other, "note " + std::to_string(i));
      const auto now = watch.version();
      REQUIRE(now);
      CHECK(seen.insert(*now).second);  // never a version seen before
      CHECK(watch.version() == now);    // and steady until the next commit
    }
  }

  SECTION("a rolled-back transaction is not a commit") {
    {
      WriteTransaction tx(*t.db);
      t.db->exec("INSERT INTO watch_notes(text) VALUES ('never')");
    }  // rolled back
    CHECK(watch.version() == start);
  }

  SECTION("a checkpoint that restarts the log, then a commit, still gives a new version") {
    commit_note(*t.db, "before");
    const auto before = watch.version();
    t.db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    commit_note(*t.db, "after");
    CHECK(watch.version() != before);
    CHECK(watch.version() != start);
  }
}

TEST_CASE("the commit watch is unavailable where there is no WAL index to read") {
  TempDir dir;
  CHECK_FALSE(CommitWatch(dir.file("missing.db")).available());
  CHECK_FALSE(CommitWatch(":memory:").available());
  CHECK_FALSE(CommitWatch("").available());
  CHECK_FALSE(CommitWatch(dir.file("missing.db")).version());
  {
    std::ofstream junk(dir.file("junk.db-shm"), std::ios::binary);
    junk << std::string(200, 'x');  // the right size, but not a WAL index
  }
  CHECK_FALSE(CommitWatch(dir.file("junk.db")).available());
}
