#include "model/store/group_commit.hpp"

#include <catch2/catch.hpp>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support.hpp"

using namespace probity;
using probity::testing::TestDb;

namespace {
// A plain table for these tests (the register's tables refuse deletes and need many columns).
void make_table(SQLite::Database& db) { db.exec("CREATE TABLE gc_test (n INTEGER PRIMARY KEY, note TEXT)"); }

void insert(SQLite::Database& db, int n) {
  SQLite::Statement s(db, "INSERT INTO gc_test(n, note) VALUES (?, 'x')");
  s.bind(1, n);
  s.exec();
}

int rows_in(SQLite::Database& db, const std::string& where = "") {
  return db.execAndGet("SELECT COUNT(*) FROM gc_test " + where).getInt();
}
}  // namespace

TEST_CASE("every acknowledged write of concurrent callers is in the database") {
  TestDb t;
  make_table(*t);
  std::vector<int> returned;
  {
    GroupCommitWriter writer(t.path);
    constexpr int kThreads = 8, kEach = 25;
    std::vector<std::future<std::vector<int>>> callers;
    for (int c = 0; c < kThreads; ++c)
      callers.push_back(std::async(std::launch::async, [&writer, c] {
        std::vector<int> acknowledged;
        for (int k = 0; k < kEach; ++k) {
          const int n = c * 1000 + k;
          acknowledged.push_back(writer.run([n](SQLite::Database& db) {
            WriteTransaction tx(db);  // a savepoint inside the batch's transaction
            insert(db, n);
            tx.commit();
            return n;
          }));
        }
        return acknowledged;
      }));
    for (auto& f : callers)
      for (int n : f.get()) returned.push_back(n);
    const auto stats = writer.stats();
    CHECK(stats.writes == kThreads * kEach);
    CHECK(stats.batches <= stats.writes);
  }
  // Read on another connection: what was acknowledged was committed.
  auto other = open_database(t.path, false);
  REQUIRE(returned.size() == 200);
  for (int n : returned) CHECK(rows_in(*other, "WHERE n = " + std::to_string(n)) == 1);
  CHECK(rows_in(*other) == 200);
}

TEST_CASE("a write that fails in a batch is rolled back alone; the others in its batch are committed") {
  TestDb t;
  make_table(*t);
  GroupCommitWriter writer(t.path);
  // Hold the writer inside a first batch until three more writes are queued behind it, so that
  // those three share the next transaction.
  std::promise<void> started, release;
  auto released = release.get_future().share();
  auto first = std::async(std::launch::async, [&] {
    writer.run([&](SQLite::Database& db) {
      insert(db, 1);
      started.set_value();
      released.wait();
    });
  });
  started.get_future().wait();  // the writer is now inside the first batch
  // Queued one at a time, each waiting for the previous to be in the queue: launched together,
  // the threads could queue in any order, and the duplicate could then come before the write it
  // duplicates (seen once in CI).
  auto queued = [&](std::size_t n, std::future<void> f) {
    while (writer.stats().queued < n) std::this_thread::yield();
    return f;
  };
  auto before = queued(1, std::async(std::launch::async, [&] { writer.run([](SQLite::Database& db) { insert(db, 2); }); }));
  auto failing = queued(2, std::async(std::launch::async, [&] {
    writer.run([](SQLite::Database& db) {
      WriteTransaction tx(db);
      insert(db, 3);  // written, then the write fails: this row must not survive
      throw std::runtime_error("refused by a rule");
    });
  }));
  auto duplicate = queued(3, std::async(std::launch::async, [&] {
    writer.run([](SQLite::Database& db) { insert(db, 2); });  // a constraint failure inside the batch
  }));
  auto after = queued(4, std::async(std::launch::async, [&] { writer.run([](SQLite::Database& db) { insert(db, 4); }); }));
  release.set_value();
  first.get();
  before.get();
  after.get();
  CHECK_THROWS_WITH(failing.get(), "refused by a rule");
  CHECK_THROWS_AS(duplicate.get(), SQLite::Exception);

  auto other = open_database(t.path, false);
  CHECK(rows_in(*other, "WHERE n IN (1, 2, 4)") == 3);
  CHECK(rows_in(*other, "WHERE n = 3") == 0);
  CHECK(rows_in(*other) == 3);
  // The four queued writes went into one transaction (the first had one of its own).
  CHECK(writer.stats().batches == 2);
  CHECK(writer.stats().writes == 3);
}

TEST_CASE("WriteTransaction outside a batch is still its own BEGIN IMMEDIATE transaction") {
  TestDb t;
  make_table(*t);
  {
    WriteTransaction tx(*t);
    insert(*t, 1);
  }  // not committed: rolled back
  CHECK(rows_in(*t) == 0);
  {
    WriteTransaction tx(*t);
    insert(*t, 1);
    tx.commit();
  }
  CHECK(rows_in(*t) == 1);
  CHECK(!in_group_commit(*t));
}
