#pragma once
// The bundle: a JSON document carrying a whole register (organisations, people, committees with
// memberships, interests, gifts, nil returns, meetings with attendance and agenda), documented in
// docs/bundle-format.md. Entities are cross-referenced by author-chosen `ref`s, stored as stable
// external keys, so importing the same refs again updates rather than duplicates.
#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace probity {

struct BundleError {
  std::string path;     // JSON path, e.g. "interests[3].from" ("$" for the whole document)
  std::string message;  // e.g. "not a date (expected YYYY-MM-DD)"
  std::string text() const { return path + ": " + message; }
};

struct ImportResult {
  bool ok = false;
  std::vector<BundleError> errors;  // every problem found; nothing was written when not empty
  nlohmann::json ids = nlohmann::json::object();  // {"people": {"p1": 1}, ...} on success
};

/// Validates the whole bundle, then writes it in one transaction (all or nothing). Refs may point
/// to entities in the file or already in the database. Throws only for database failures (after
/// rolling back); every problem with the input is reported in the result instead.
ImportResult import_bundle(SQLite::Database& db, const nlohmann::json& bundle, const std::string& actor);

/// Parses `text` as JSON (reporting a parse error as a "$" error), then imports it as above.
ImportResult import_bundle_text(SQLite::Database& db, std::string_view text, const std::string& actor);

/// The current state of every entity as a bundle that import_bundle accepts. Throws SQLite::Exception.
nlohmann::json export_bundle(SQLite::Database& db);

}  // namespace probity
