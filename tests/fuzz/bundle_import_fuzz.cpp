// libFuzzer target: the bundle importer, fed arbitrary bytes as the text of a bundle, against a
// register that already holds the demo data (so refs into the database are exercised too).
// Beyond "no crash, no sanitizer report, no stray exception", it checks the importer's promises:
// a refused bundle writes nothing; an accepted one leaves a valid audit chain; and the export of
// the result imports again without error and without writing anything (re-import is a no-op).
#include <SQLiteCpp/Backup.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string_view>

#include "model/audit_log.hpp"
#include "model/bundle.hpp"
#include "model/database.hpp"

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
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("PRAGMA foreign_keys=ON");
  SQLite::Backup copy(db, demo_register());  // a fresh copy of the demo register per input
  copy.executeStep();

  const long long before = audit_rows(db);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto result = probity::import_bundle_text(db, text, "fuzz");
  if (!result.ok) {
    require(!result.errors.empty(), "a refused bundle says why");
    require(audit_rows(db) == before, "a refused bundle writes nothing");
    return 0;
  }
  require(result.errors.empty(), "an accepted bundle has no errors");
  require(probity::verify_audit_chain(db).ok, "the audit chain verifies after an import");
  const long long after = audit_rows(db);
  auto again = probity::import_bundle(db, probity::export_bundle(db), "fuzz-roundtrip");
  if (!again.ok) std::fprintf(stderr, "re-import of the export failed: %s\n", again.errors.front().text().c_str());
  require(again.ok, "the export of an imported register imports again");
  require(audit_rows(db) == after, "re-importing the export changes nothing");
  return 0;
}
