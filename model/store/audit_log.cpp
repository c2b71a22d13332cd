#include "model/store/audit_log.hpp"

#include "model/base/crypto.hpp"
#include "model/store/database.hpp"
#include "model/base/date.hpp"

namespace probity {
namespace {
constexpr const char* kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

std::string row_hash(const AuditEntry& e) {
  // Unit separator between fields so that no field boundary can be shifted without notice.
  const char sep = '\x1f';
  std::string text = e.prev_hash;
  for (const std::string& field :
       {std::to_string(e.id), e.at, e.actor, e.action, e.entity_kind, e.entity_id ? std::to_string(*e.entity_id) : std::string("-"),
        e.version ? std::to_string(*e.version) : std::string("-"), e.before_json, e.after_json}) {
    text += sep;
    text += field;
  }
  return sha256_hex(text);
}

AuditEntry read_row(SQLite::Statement& q) {
  AuditEntry e;
  e.id = q.getColumn(0).getInt64();
  e.at = q.getColumn(1).getString();
  e.actor = q.getColumn(2).getString();
  e.action = q.getColumn(3).getString();
  e.entity_kind = q.getColumn(4).getString();
  if (!q.getColumn(5).isNull()) e.entity_id = q.getColumn(5).getInt64();
  if (!q.getColumn(6).isNull()) e.version = q.getColumn(6).getInt();
  e.before_json = q.getColumn(7).getString();
  e.after_json = q.getColumn(8).getString();
  e.prev_hash = q.getColumn(9).getString();
  e.hash = q.getColumn(10).getString();
  return e;
}

constexpr const char* kAuditColumns = "id, at, actor, action, entity_kind, entity_id, version, before_json, after_json, prev_hash, hash";
}  // namespace

void append_audit(SQLite::Database& db, const std::string& actor, const std::string& action, const std::string& entity_kind,
                  std::optional<long long> entity_id, std::optional<int> version,
                  const std::optional<nlohmann::json>& before, const std::optional<nlohmann::json>& after) {
  AuditEntry e;
  CachedStatement last_cached(db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
  SQLite::Statement& last = *last_cached;
  if (last.executeStep()) {
    e.id = last.getColumn(0).getInt64() + 1;
    e.prev_hash = last.getColumn(1).getString();
  } else {
    e.id = 1;
    e.prev_hash = kGenesis;
  }
  e.at = utc_timestamp_now();
  e.actor = actor;
  e.action = action;
  e.entity_kind = entity_kind;
  e.entity_id = entity_id;
  e.version = version;
  e.before_json = before ? before->dump() : "";
  e.after_json = after ? after->dump() : "";
  e.hash = row_hash(e);
  CachedStatement ins_cached(db, std::string("INSERT INTO audit_log(") + kAuditColumns + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  SQLite::Statement& ins = *ins_cached;
  ins.bind(1, static_cast<int64_t>(e.id));
  ins.bind(2, e.at);
  ins.bind(3, e.actor);
  ins.bind(4, e.action);
  ins.bind(5, e.entity_kind);
  if (e.entity_id) ins.bind(6, static_cast<int64_t>(*e.entity_id)); else ins.bind(6);
  if (e.version) ins.bind(7, *e.version); else ins.bind(7);
  if (before) ins.bind(8, e.before_json); else ins.bind(8);
  if (after) ins.bind(9, e.after_json); else ins.bind(9);
  ins.bind(10, e.prev_hash);
  ins.bind(11, e.hash);
  ins.exec();
}

std::vector<AuditEntry> audit_for(SQLite::Database& db, const std::string& entity_kind, long long entity_id) {
  SQLite::Statement q(db, std::string("SELECT ") + kAuditColumns + " FROM audit_log WHERE entity_kind = ? AND entity_id = ? ORDER BY id");
  q.bind(1, entity_kind);
  q.bind(2, static_cast<int64_t>(entity_id));
  std::vector<AuditEntry> out;
  while (q.executeStep()) out.push_back(read_row(q));
  return out;
}

std::vector<AuditEntry> recent_audit(SQLite::Database& db, int limit) {
  SQLite::Statement q(db, std::string("SELECT ") + kAuditColumns + " FROM audit_log ORDER BY id DESC LIMIT ?");
  q.bind(1, limit);
  std::vector<AuditEntry> out;
  while (q.executeStep()) out.push_back(read_row(q));
  return out;
}

AuditVerification verify_audit_chain(SQLite::Database& db) {
  AuditVerification result;
  SQLite::Statement q(db, std::string("SELECT ") + kAuditColumns + " FROM audit_log ORDER BY id");
  std::string expected_prev = kGenesis;
  long long expected_id = 1;
  while (q.executeStep()) {
    AuditEntry e = read_row(q);
    ++result.rows_checked;
    auto fail = [&](std::string problem) {
      result.ok = false;
      result.first_broken_id = e.id;
      result.problem = std::move(problem);
    };
    if (e.id != expected_id) fail("row " + std::to_string(expected_id) + " is missing");
    else if (e.prev_hash != expected_prev) fail("row " + std::to_string(e.id) + " does not link to the row before it");
    else if (row_hash(e) != e.hash) fail("row " + std::to_string(e.id) + " was altered: its content does not match its hash");
    if (!result.ok) return result;
    expected_prev = e.hash;
    expected_id = e.id + 1;
  }
  return result;
}

long long last_audit_id(SQLite::Database& db) {
  CachedStatement q(db, "SELECT COALESCE(MAX(id), 0) FROM audit_log");
  q->executeStep();
  return q->getColumn(0).getInt64();
}

}  // namespace probity
