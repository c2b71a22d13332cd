#include <sqlite3.h>

#include <fstream>
#include <limits>
#include <regex>
#include <sstream>

#include <catch2/catch.hpp>

#include "model/bundle/bundle.hpp"
#include "model/store/audit_log.hpp"
#include "model/register/committee_store.hpp"
#include "model/store/database.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_store.hpp"
#include "support.hpp"

using namespace probity;

namespace {
Person gp(const std::string& name) {
  Person p;
  p.name = name;
  p.kind = PersonKind::gp;
  p.position = "GP partner";
  return p;
}
Interest interest_of(Id person, const std::string& nature) {
  Interest i;
  i.person_id = person;
  i.nature = nature;
  i.from = *Date::parse("2024-04-01");
  i.declared_on = *Date::parse("2024-04-10");
  return i;
}

// Every *_current view's identity table, versions table and id column, from the schema.
struct CurrentView {
  std::string view, table, versions, id_column;
};
std::vector<CurrentView> current_views(SQLite::Database& db) {
  static const std::regex shape(R"(FROM (\w+) e JOIN (\w+) v ON v\.(\w+) = e\.id)");
  std::vector<CurrentView> out;
  SQLite::Statement q(db, "SELECT name, sql FROM sqlite_master WHERE type = 'view' AND name LIKE '%\\_current' ESCAPE '\\' ORDER BY name");
  while (q.executeStep()) {
    const std::string sql = q.getColumn(1).getString();
    std::smatch m;
    REQUIRE(std::regex_search(sql, m, shape));
    out.push_back({q.getColumn(0).getString(), m[1], m[2], m[3]});
  }
  return out;
}

// Every row of every *_current view, as text, in id order.
std::map<std::string, std::string> view_contents(SQLite::Database& db, const std::vector<CurrentView>& views) {
  std::map<std::string, std::string> out;
  for (const auto& v : views) {
    SQLite::Statement q(db, "SELECT * FROM " + v.view + " ORDER BY id");
    std::string& text = out[v.view];
    while (q.executeStep()) {
      for (int i = 0; i < q.getColumnCount(); ++i) text += std::string(q.getColumnName(i)) + "=" + q.getColumn(i).getString() + "|";
      text += "\n";
    }
  }
  return out;
}

// Identity rows whose current_version is not their largest version.
long long stale_current_versions(SQLite::Database& db, const CurrentView& v) {
  return db.execAndGet("SELECT COUNT(*) FROM " + v.table + " e WHERE e.current_version IS NOT (SELECT MAX(w.version) FROM " +
                       v.versions + " w WHERE w." + v.id_column + " = e.id)")
      .getInt64();
}
}  // namespace

TEST_CASE("migrations are applied once and recorded") {
  testing::TestDb t;
  CHECK(t.db->execAndGet("SELECT COUNT(*) FROM schema_migrations").getInt() >= 1);
  CHECK(apply_migrations(*t).empty());  // a second start applies nothing
  CHECK(t.db->execAndGet("PRAGMA foreign_keys").getInt() == 1);
  CHECK(t.db->execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(t.db->execAndGet("PRAGMA synchronous").getInt() == 2);  // FULL
}

TEST_CASE("an edit writes a new version and keeps the old one") {
  testing::TestDb t;
  PersonStore people(*t);
  InterestStore interests(*t);
  Person p = gp("Dr Asha Patel");
  Interest i;
  {
    WriteTransaction tx(*t);
    people.save(p, "test");
    i = interest_of(p.id, "Partner, Riverside Surgery");
    auto first = interests.save(i, "test");
    CHECK(first.version == 1);
    CHECK(first.changed);
    tx.commit();
  }
  {
    WriteTransaction tx(*t);
    i.nature = "Senior partner, Riverside Surgery";
    auto second = interests.save(i, "alice");
    CHECK(second.version == 2);
    tx.commit();
  }
  auto history = interests.history(i.id);
  REQUIRE(history.size() == 2);
  CHECK(history[0].entity.nature == "Partner, Riverside Surgery");
  CHECK(history[1].entity.nature == "Senior partner, Riverside Surgery");
  CHECK(history[1].recorded_by == "alice");
  CHECK(interests.find(i.id)->nature == "Senior partner, Riverside Surgery");
  CHECK(interests.for_person(p.id).size() == 1);
}

TEST_CASE("saving unchanged content writes no new version") {
  testing::TestDb t;
  PersonStore people(*t);
  Person p = gp("Dr Ben Okafor");
  WriteTransaction tx(*t);
  people.save(p, "test");
  auto again = people.save(p, "test");
  CHECK_FALSE(again.changed);
  CHECK(again.version == 1);
  tx.commit();
  CHECK(people.history(p.id).size() == 1);
}

TEST_CASE("the database refuses to update or delete register rows") {
  testing::TestDb t;
  PersonStore people(*t);
  Person p = gp("Dr Chen Li");
  {
    WriteTransaction tx(*t);
    people.save(p, "test");
    tx.commit();
  }
  CHECK_THROWS_WITH(t.db->exec("UPDATE person_versions SET name = 'x'"), Catch::Contains("append-only"));
  CHECK_THROWS_WITH(t.db->exec("DELETE FROM people"), Catch::Contains("append-only"));
  CHECK_THROWS_WITH(t.db->exec("DELETE FROM audit_log"), Catch::Contains("append-only"));
  CHECK(people.find(p.id)->name == "Dr Chen Li");
}

TEST_CASE("each identity row names its current version, which only a new version moves, and only forward") {
  testing::TestDb t;
  PersonStore people(*t);
  Person p = gp("Dr Chen Li");
  {
    WriteTransaction tx(*t);
    people.save(p, "test");
    p.position = "Senior partner";
    people.save(p, "test");
    tx.commit();
  }
  CHECK(t.db->execAndGet("SELECT current_version FROM people WHERE id = " + std::to_string(p.id)).getInt() == 2);
  CHECK(people.current_version(p.id) == 2);
  CHECK(people.current_version(p.id + 1000) == 0);  // no such person
  CHECK(people.find(p.id)->position == "Senior partner");
  CHECK_THROWS_WITH(t.db->exec("UPDATE people SET current_version = 1"), Catch::Contains("only moves forward"));
  CHECK_THROWS_WITH(t.db->exec("UPDATE people SET current_version = 2"), Catch::Contains("only moves forward"));
  CHECK_THROWS_WITH(t.db->exec("UPDATE people SET ref = 'p-other'"), Catch::Contains("append-only"));
  CHECK_THROWS_WITH(t.db->exec("UPDATE people SET created_at = '2020-01-01T00:00:00Z'"), Catch::Contains("append-only"));
  // An older version written behind the store's back is refused, and the current one stays.
  CHECK_THROWS_WITH(t.db->exec("INSERT INTO person_versions (person_id, version, name, email, kind, position, practice_id, "
                               "left_on, decision_maker, body_id, recorded_at, recorded_by) SELECT person_id, 1, name, email, "
                               "kind, 'Older', practice_id, left_on, decision_maker, body_id, recorded_at, recorded_by FROM "
                               "person_versions WHERE version = 2"),
                    Catch::Contains("only moves forward") || Catch::Contains("UNIQUE"));
  CHECK(people.find(p.id)->position == "Senior partner");
  for (const auto& v : current_views(*t)) {
    CAPTURE(v.view);
    CHECK(stale_current_versions(*t, v) == 0);
  }
}

TEST_CASE("a database from before identity rows named their current version gets it, and every view reads the same") {
  testing::TestDb t;
  {
    std::ifstream in(std::string(PROBITY_SOURCE_DIR) + "/config/demo.json");
    std::stringstream text;
    text << in.rdbuf();
    REQUIRE(import_bundle_text(*t, text.str(), "demo").ok);
  }
  // Some entities with more than one version.
  {
    WriteTransaction tx(*t);
    PersonStore people(*t);
    auto everyone = people.all();
    REQUIRE(everyone.size() >= 2);
    for (std::size_t i = 0; i < 2; ++i) {
      everyone[i].position += " (acting)";
      people.save(everyone[i], "test");
      everyone[i].position += " again";
      people.save(everyone[i], "test");
    }
    InterestStore interests(*t);
    auto all = interests.all();
    REQUIRE(!all.empty());
    all.front().nature += ", changed";
    interests.save(all.front(), "test");
    tx.commit();
  }
  const auto views = current_views(*t);
  REQUIRE(views.size() >= 21);
  // Take the migration's work away, as on a database from before it: the views find the largest
  // version again, and the identity tables lose the column.
  // Views first, every one: ALTER TABLE checks the whole schema, and triggers read the views.
  for (const auto& v : views)
    for (const std::string& sql :
         {"DROP TRIGGER " + v.table + "_no_update", "DROP TRIGGER " + v.table + "_current_forward",
          "DROP TRIGGER " + v.versions + "_current", "DROP VIEW " + v.view})
      t.db->exec(sql);
  for (const auto& v : views)
    t.db->exec("CREATE VIEW " + v.view + " AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM " + v.table +
               " e JOIN " + v.versions + " v ON v." + v.id_column + " = e.id AND v.version = (SELECT MAX(w.version) FROM " +
               v.versions + " w WHERE w." + v.id_column + " = e.id)");
  for (const auto& v : views) {
    t.db->exec("ALTER TABLE " + v.table + " DROP COLUMN current_version");
    t.db->exec("CREATE TRIGGER " + v.table + "_no_update BEFORE UPDATE ON " + v.table + " BEGIN SELECT RAISE(ABORT, '" + v.table +
               " is append-only'); END");
  }
  t.db->exec("DELETE FROM schema_migrations WHERE name = '0025_current_versions.sql'");
  const auto old_contents = view_contents(*t, views);
  CHECK(old_contents.at("person_current").find("again") != std::string::npos);

  CHECK(apply_migrations(*t) == std::vector<std::string>{"0025_current_versions.sql"});
  CHECK(view_contents(*t, current_views(*t)) == old_contents);
  for (const auto& v : current_views(*t)) {
    CAPTURE(v.view);
    CHECK(stale_current_versions(*t, v) == 0);
    CHECK(t.db->execAndGet("SELECT COUNT(*) FROM " + v.table + " WHERE current_version = 0").getInt64() == 0);
  }
  CHECK(t.db->execAndGet("SELECT MAX(current_version) FROM people").getInt() == 3);
}

TEST_CASE("a write outside a transaction is refused, and a failed transaction leaves nothing") {
  testing::TestDb t;
  PersonStore people(*t);
  InterestStore interests(*t);
  Person p = gp("Dr Dana Evans");
  CHECK_THROWS_AS(people.save(p, "test"), std::logic_error);
  CHECK(people.all().empty());

  {
    WriteTransaction tx(*t);
    people.save(p, "test");
    Interest bad = interest_of(999, "no such person");  // foreign key fails
    CHECK_THROWS_AS(interests.save(bad, "test"), SQLite::Exception);
    // tx goes out of scope without commit: the person must be rolled back too
  }
  CHECK(people.all().empty());
  CHECK(t.db->execAndGet("SELECT COUNT(*) FROM audit_log").getInt() == 0);
}

TEST_CASE("refs are kept, generated when absent, and unique") {
  testing::TestDb t;
  OrganisationStore orgs(*t);
  Organisation a{0, "org-riverside", "Riverside Surgery", "Y01234", OrganisationKind::gp_practice, std::nullopt};
  Organisation b{0, "", "Acme Health Ltd", "01234567", OrganisationKind::company, std::nullopt};
  WriteTransaction tx(*t);
  orgs.save(a, "test");
  orgs.save(b, "test");
  CHECK(a.ref == "org-riverside");
  CHECK(b.ref.rfind("organisation-", 0) == 0);
  CHECK(orgs.find_by_ref("org-riverside")->id == a.id);
  CHECK(orgs.find_by_identifier("01234567")->id == b.id);
  Organisation dup{0, "org-riverside", "Other", "", OrganisationKind::other, std::nullopt};
  CHECK_THROWS_AS(orgs.save(dup, "test"), SQLite::Exception);
}

TEST_CASE("every change is audited with before and after, and the chain verifies") {
  testing::TestDb t;
  PersonStore people(*t);
  Person p = gp("Dr Erin Fox");
  {
    WriteTransaction tx(*t);
    people.save(p, "governance:1");
    p.position = "Clinical lead";
    people.save(p, "governance:1");
    tx.commit();
  }
  auto rows = audit_for(*t, "person", p.id);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].action == "create");
  CHECK(rows[0].before_json.empty());
  CHECK(rows[1].action == "update");
  CHECK(nlohmann::json::parse(rows[1].before_json).at("position") == "GP partner");
  CHECK(nlohmann::json::parse(rows[1].after_json).at("position") == "Clinical lead");
  CHECK(rows[1].prev_hash == rows[0].hash);
  auto check = verify_audit_chain(*t);
  CHECK(check.ok);
  CHECK(check.rows_checked == 2);
}

TEST_CASE("the audit chain detects a row altered behind the application's back") {
  testing::TestDb t;
  PersonStore people(*t);
  for (const char* name : {"A", "B", "C"}) {
    Person p = gp(name);
    WriteTransaction tx(*t);
    people.save(p, "test");
    tx.commit();
  }
  // Someone with the file drops the trigger and edits row 2.
  t.db->exec("DROP TRIGGER audit_log_no_update");
  t.db->exec("UPDATE audit_log SET actor = 'someone else' WHERE id = 2");
  auto check = verify_audit_chain(*t);
  CHECK_FALSE(check.ok);
  REQUIRE(check.first_broken_id.has_value());
  CHECK(*check.first_broken_id == 2);
  CHECK(check.problem == "row 2 was altered: its content does not match its hash");
}

namespace {
// Statements on the connection that are part-way through a result (and so hold a read open).
int busy_statements(SQLite::Database& db) {
  int busy = 0;
  for (sqlite3_stmt* s = sqlite3_next_stmt(db.getHandle(), nullptr); s; s = sqlite3_next_stmt(db.getHandle(), s))
    busy += sqlite3_stmt_busy(s) != 0;
  return busy;
}
}  // namespace

TEST_CASE("a connection keeps its prepared statements and hands each one out clean") {
  testing::TestDb t;
  SQLite::Database& db = *t;
  db.exec("CREATE TABLE numbers(n INTEGER)");
  db.exec("INSERT INTO numbers(n) VALUES (1), (2), (3)");
  const std::string sql = "SELECT n FROM numbers WHERE n >= ? ORDER BY n";

  const SQLite::Statement* first = nullptr;
  {
    CachedStatement q(db, sql);
    q->bind(1, 2);
    REQUIRE(q->executeStep());  // one row read, the rest left: the statement is still busy
    CHECK(q->getColumn(0).getInt() == 2);
    first = &*q;
    CHECK(busy_statements(db) == 1);
  }
  // Reset on release: no read left open on the connection, no binding carried over.
  CHECK(busy_statements(db) == 0);
  {
    CachedStatement q(db, sql);
    CHECK(&*q == first);              // the same statement, not prepared again
    REQUIRE_FALSE(q->executeStep());  // ? is NULL again: n >= NULL matches nothing
  }

  SECTION("a statement in use further up the stack is not handed out twice") {
    CachedStatement outer(db, sql);
    outer->bind(1, 1);
    REQUIRE(outer->executeStep());
    CachedStatement inner(db, sql);
    CHECK(&*inner != &*outer);
    inner->bind(1, 3);
    REQUIRE(inner->executeStep());
    CHECK(inner->getColumn(0).getInt() == 3);
    REQUIRE(outer->executeStep());
    CHECK(outer->getColumn(0).getInt() == 2);  // the outer walk was not disturbed
  }

  SECTION("a connection not opened by open_database prepares a statement of its own each time") {
    SQLite::Database other(t.path, SQLite::OPEN_READONLY);
    CachedStatement q(other, sql);
    q->bind(1, 3);
    REQUIRE(q->executeStep());
    CHECK(q->getColumn(0).getInt() == 3);
  }
}

TEST_CASE("the connection pool reuses connections and keeps at most max_idle of them open") {
  probity::testing::TestDb t;
  ConnectionPool pool(t.path, 3);
  {
    std::vector<ConnectionPool::Lease> burst;
    for (int i = 0; i < 8; ++i) burst.push_back(pool.acquire());  // eight readers at once
    CHECK(pool.idle() == 0);
  }
  CHECK(pool.idle() == 3);  // the other five were closed
  SQLite::Database* reused = nullptr;
  {
    auto lease = pool.acquire();
    reused = &*lease;
    CHECK(pool.idle() == 2);
  }
  auto again = pool.acquire();
  CHECK(&*again == reused);  // the one just returned
  SQLite::Statement q(*again, "SELECT COUNT(*) FROM schema_migrations");
  REQUIRE(q.executeStep());
  CHECK(q.getColumn(0).getInt() > 0);
}

TEST_CASE("a list of ids in nlohmann's compact form is read without JSON, and any other text is left to nlohmann") {
  // Every list nlohmann writes reads back the same; anything else (spaces, leading zeros, numbers
  // that are not 64-bit integers, broken lists) is declined, and the caller reads it with nlohmann
  // as it always did.
  for (const std::vector<Id>& ids : std::vector<std::vector<Id>>{
           {}, {0}, {7}, {1, 2, 3}, {-5, 0, 42}, {std::numeric_limits<Id>::max(), std::numeric_limits<Id>::min()}}) {
    const std::string text = nlohmann::json(ids).dump();
    CAPTURE(text);
    REQUIRE(sqlcol::compact_ids(text).has_value());
    CHECK(*sqlcol::compact_ids(text) == ids);
  }
  for (const char* text : {"", "[", "]", "[,]", "[1,]", "[,1]", "[1,,2]", "[ 1]", "[1 ]", "[1, 2]", "[01]", "[-01]", "[1.5]",
                           "[1e3]", "[+1]", "[\"1\"]", "[null]", "{}", "[[1]]", "[99999999999999999999]", "[-]", "1"}) {
    CAPTURE(text);
    CHECK_FALSE(sqlcol::compact_ids(text).has_value());
  }
}
