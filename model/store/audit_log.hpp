#pragma once
// The append-only audit trail. Each row holds the SHA-256 of its own content and of the row
// before it, so altering or removing a row in the database file breaks the chain detectably.
#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace probity {

struct AuditEntry {
  long long id = 0;
  std::string at;
  std::string actor;
  std::string action;
  std::string entity_kind;
  std::optional<long long> entity_id;
  std::optional<int> version;
  std::string before_json;  // empty when there was no before (a creation)
  std::string after_json;
  std::string prev_hash;
  std::string hash;
};

/// Appends one row chained to the last. Call inside the transaction that made the change.
/// Throws SQLite::Exception on failure.
void append_audit(SQLite::Database& db, const std::string& actor, const std::string& action, const std::string& entity_kind,
                  std::optional<long long> entity_id, std::optional<int> version,
                  const std::optional<nlohmann::json>& before, const std::optional<nlohmann::json>& after);

/// The id of the newest audit row, 0 when there is none. Every change to the register writes one
/// in the same transaction, so inside a read transaction this names the state being read (the
/// caches of built responses are keyed by it). Uses the connection's cached statement.
long long last_audit_id(SQLite::Database& db);

/// The audit rows for one entity, oldest first.
std::vector<AuditEntry> audit_for(SQLite::Database& db, const std::string& entity_kind, long long entity_id);

/// The latest `limit` audit rows of every kind, newest first.
std::vector<AuditEntry> recent_audit(SQLite::Database& db, int limit);

struct AuditVerification {
  bool ok = true;
  long long rows_checked = 0;
  std::optional<long long> first_broken_id;  // the first row whose hash or link does not match
  std::string problem;                       // plain-English description of what is wrong
};

/// Recomputes every row's hash in order and checks each links to the one before.
AuditVerification verify_audit_chain(SQLite::Database& db);

}  // namespace probity
