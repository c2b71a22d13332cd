// libFuzzer target: the bundle importer, fed arbitrary bytes as the text of a bundle, against a
// register that already holds the demo data (so refs into the database are exercised too).
// Beyond "no crash, no sanitizer report, no stray exception", it checks the importer's promises:
// a refused bundle writes nothing (every row of every table, and the schema, as in the demo
// register: not only the audit log, which a write that skipped the audit would not touch); an
// accepted one leaves a valid audit chain; and the export of the result imports again without
// error and without writing anything (again every table compared).
//
// Comparing every table costs about twice the import of a refused bundle, so it is done only
// where something may have changed: rows change only through INSERT, UPDATE and DELETE
// statements, which sqlite3_total_changes64 counts (those run by triggers too, and even when
// rolled back), and the schema only through DDL, which moves PRAGMA schema_version. When neither
// moved, no table can differ. Every 16th refused bundle is compared in full anyway, so the
// comparison itself is exercised.
#include <SQLiteCpp/Backup.h>
#include <sqlite3.h>

#include <cstdio>
#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>
#include <map>
#include <string_view>

#include "model/store/audit_log.hpp"
#include "model/bundle/bundle.hpp"
#include "model/store/database.hpp"

namespace probity {
const std::map<std::string, std::string_view>& embedded_demo();
}

namespace {
void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "bundle_import_fuzz: broken promise: %s\n", what);
    std::abort();
  }
}

SQLite::Database& demo_register() {
  static auto db = [] {
    auto d = probity::open_database(":memory:", true);
    probity::apply_migrations(*d);
    auto r = probity::import_bundle_text(*d, probity::embedded_demo().at("demo.json"), "demo");
    require(r.ok, "the demo bundle imports");
    return d;
  }();
  return *db;
}

long long audit_rows(SQLite::Database& db) { return db.execAndGet("SELECT COUNT(*) FROM audit_log").getInt64(); }

// The whole database as text: the schema, then every table's rows (each value with its type, so
// NULL, '' and 0 differ), sorted because some tables are WITHOUT ROWID.
std::string all_tables(SQLite::Database& db) {
  std::string out;
  std::vector<std::string> tables;
  SQLite::Statement schema(db, "SELECT type, name, sql FROM sqlite_master ORDER BY type, name");
  while (schema.executeStep()) {
    out += schema.getColumn(0).getString() + " " + schema.getColumn(1).getString() + ": " + schema.getColumn(2).getString() + "\n";
    if (schema.getColumn(0).getString() == "table") tables.push_back(schema.getColumn(1).getString());
  }
  for (const auto& table : tables) {
    out += "#" + table + "\n";
    std::vector<std::string> lines;
    SQLite::Statement rows(db, "SELECT * FROM \"" + table + "\"");
    while (rows.executeStep()) {
      std::string line;
      for (int i = 0; i < rows.getColumnCount(); ++i) {
        const auto value = rows.getColumn(i);
        line += std::to_string(value.getType()) + ":" + value.getString() + "\x1f";
      }
      lines.push_back(std::move(line));
    }
    std::sort(lines.begin(), lines.end());
    for (const auto& line : lines) out += line + "\n";
  }
  return out;
}

const std::string& demo_tables() {
  static const std::string text = all_tables(demo_register());
  return text;
}

// What the fast check reads: rows changed by statements so far, and the schema's version.
std::pair<long long, long long> write_marks(SQLite::Database& db) {
  return {sqlite3_total_changes64(db.getHandle()), db.execAndGet("PRAGMA schema_version").getInt64()};
}

bool unchanged_since(SQLite::Database& db, std::pair<long long, long long> marks, const std::string& before) {
  static unsigned long refused = 0;
  if (write_marks(db) == marks && ++refused % 16 != 0) return true;
  return all_tables(db) == before;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  probity::add_sql_functions(db);  // the register's triggers call them
  db.exec("PRAGMA foreign_keys=ON");
  SQLite::Backup copy(db, demo_register());  // a fresh copy of the demo register per input
  copy.executeStep();

  const auto marks = write_marks(db);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto result = probity::import_bundle_text(db, text, "fuzz");
  if (!result.ok) {
    require(!result.errors.empty(), "a refused bundle says why");
    require(unchanged_since(db, marks, demo_tables()), "a refused bundle writes nothing (every table as it was)");
    return 0;
  }
  require(result.errors.empty(), "an accepted bundle has no errors");
  require(probity::verify_audit_chain(db).ok, "the audit chain verifies after an import");
  const long long after = audit_rows(db);
  const std::string imported = all_tables(db);
  auto again = probity::import_bundle(db, probity::export_bundle(db), "fuzz-roundtrip");
  if (!again.ok) std::fprintf(stderr, "re-import of the export failed: %s\n", again.errors.front().text().c_str());
  require(again.ok, "the export of an imported register imports again");
  require(audit_rows(db) == after, "re-importing the export adds no audit rows");
  require(all_tables(db) == imported, "re-importing the export changes nothing (every table as it was)");
  return 0;
}
