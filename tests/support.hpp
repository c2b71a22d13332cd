#pragma once
// Shared test fixtures: a fresh migrated database in a temporary directory.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "model/base/crypto.hpp"
#include "model/base/date.hpp"
#include "model/store/database.hpp"

namespace probity::testing {

// A date written in the tests as ISO text ("2026-08-08"); the tests' own text, so always valid.
inline Date d(const char* iso) { return *Date::parse(iso); }
inline Date day(const char* iso) { return d(iso); }

inline bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

/// A temporary directory removed when the object goes away.
struct TempDir {
  std::filesystem::path path;
  TempDir() : path(std::filesystem::temp_directory_path() / ("probity-test-" + random_hex(8))) {
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

/// A database file with every migration applied and nothing else, made once per process: the
/// migrations cost about 0.2 s of CPU under the sanitizers, and a run of the tests makes a fresh
/// database over a thousand times. Closed before it is copied, so its WAL is checkpointed into
/// the file and removed, and the file alone is the whole database.
inline const std::string& migrated_database_file() {
  static const TempDir dir;
  static const std::string path = [] {
    std::string file = dir.file("migrated.db");
    auto made = open_database(file, true);
    apply_migrations(*made);
    return file;
  }();
  return path;
}

/// A new database file with every migration applied: a copy of migrated_database_file().
struct TestDb {
  TempDir dir;
  std::string path = dir.file("register.db");
  probity::DatabasePtr db = [this] {
    std::filesystem::copy_file(migrated_database_file(), path);
    return open_database(path, false);
  }();
  SQLite::Database& operator*() { return *db; }
};

/// Every text value in every table that contains `secret`, as "table.column": for checking
/// that passwords and tokens are never stored in clear.
inline std::vector<std::string> where_stored(SQLite::Database& db, const std::string& secret) {
  std::vector<std::string> found;
  SQLite::Statement tables(db, "SELECT name FROM sqlite_master WHERE type = 'table'");
  while (tables.executeStep()) {
    const std::string table = tables.getColumn(0).getString();
    SQLite::Statement rows(db, "SELECT * FROM \"" + table + "\"");
    while (rows.executeStep())
      for (int i = 0; i < rows.getColumnCount(); ++i)
        if (rows.getColumn(i).isText() && rows.getColumn(i).getString().find(secret) != std::string::npos)
          found.push_back(table + "." + rows.getColumnName(i));
  }
  return found;
}

}  // namespace probity::testing
