#pragma once
// Shared test fixtures: a fresh migrated database in a temporary directory.
#include <filesystem>
#include <memory>
#include <string>

#include "model/crypto.hpp"
#include "model/database.hpp"

namespace probity::testing {

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

/// A new database file with every migration applied.
struct TestDb {
  TempDir dir;
  std::string path = dir.file("register.db");
  std::unique_ptr<SQLite::Database> db = [this] {
    auto d = open_database(path, true);
    apply_migrations(*d);
    return d;
  }();
  SQLite::Database& operator*() { return *db; }
};

}  // namespace probity::testing
