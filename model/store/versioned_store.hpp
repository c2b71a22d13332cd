#pragma once
// The mechanism every aggregate store shares: an entity is an identity row plus append-only
// versions. save() writes a new version only when the content changed, and appends the change
// to the audit log in the same transaction. EntityTraits<T> (entity_traits.hpp) says how one
// type maps to its tables.
#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>
#include <vector>

#include "model/store/database.hpp"
#include "model/store/entities.hpp"
#include "model/store/entity_traits.hpp"

namespace probity {

/// One stored version of an entity, for history views.
template <typename T>
struct Version {
  T entity;
  int version = 0;
  std::string recorded_at;
  std::string recorded_by;
};

/// What save() did.
struct SaveResult {
  Id id = 0;
  int version = 0;
  bool changed = false;  // false: content identical to the current version, nothing written
};

/// A random external reference such as "interest-3f9a1c0b7d2e", for entities created without one.
std::string generate_ref(std::string_view kind);

/// Throws std::logic_error unless `db` is inside a transaction (writes must be atomic).
void require_transaction(SQLite::Database& db);

template <typename T>
class VersionedStore {
 public:
  using Traits = EntityTraits<T>;
  explicit VersionedStore(SQLite::Database& db) : db_(db) {}

  /// The current version, or nullopt when no entity has this id.
  std::optional<T> find(Id id) const {
    auto rows = select(std::string("WHERE id = ?"), [&](SQLite::Statement& s) { s.bind(1, id); });
    if (rows.empty()) return std::nullopt;
    return rows.front();
  }

  /// The current version of the entity with this external ref, or nullopt.
  std::optional<T> find_by_ref(const std::string& ref) const {
    auto rows = select(std::string("WHERE ref = ?"), [&](SQLite::Statement& s) { s.bind(1, ref); });
    if (rows.empty()) return std::nullopt;
    return rows.front();
  }

  /// Current versions of every entity, in id order.
  std::vector<T> all() const { return select("", [](SQLite::Statement&) {}); }

  /// Current versions matching a SQL condition on the current view's columns, in id order;
  /// `bind` binds the condition's parameters.
  template <typename Bind>
  std::vector<T> select(const std::string& where, Bind&& bind) const {
    CachedStatement q(db_, std::string("SELECT id, ref, ") + Traits::columns + " FROM " + Traits::view + " " + where +
                               " ORDER BY id");
    bind(*q);
    std::vector<T> out;
    while (q->executeStep()) out.push_back(Traits::read(*q));
    return out;
  }

  /// Every version of one entity, oldest first (empty when the id is unknown).
  std::vector<Version<T>> history(Id id) const {
    SQLite::Statement q(db_, std::string("SELECT e.id, e.ref, ") + prefixed_columns("v.") + ", v.version, v.recorded_at, v.recorded_by FROM " +
                                 Traits::table + " e JOIN " + Traits::versions + " v ON v." + Traits::id_column +
                                 " = e.id WHERE e.id = ? ORDER BY v.version");
    q.bind(1, id);
    std::vector<Version<T>> out;
    const int n = Traits::column_count + 2;
    while (q.executeStep())
      out.push_back({Traits::read(q), q.getColumn(n).getInt(), q.getColumn(n + 1).getString(), q.getColumn(n + 2).getString()});
    return out;
  }

  /// Creates the entity (id 0) or writes a new version of it; sets entity.id and entity.ref.
  /// Must run inside a WriteTransaction. Throws SQLite::Exception on a constraint failure and
  /// std::logic_error outside a transaction or for an id that does not exist.
  SaveResult save(T& entity, const std::string& actor) {
    require_transaction(db_);
    const std::string now = utc_timestamp_now();
    std::optional<T> before;
    if (entity.id != 0) {
      before = find(entity.id);
      if (!before) throw std::logic_error(std::string("no ") + Traits::kind + " with that id");
      entity.ref = before->ref;  // the external key never changes
      if (*before == entity) return {entity.id, current_version(entity.id), false};
    } else {
      if (entity.ref.empty()) entity.ref = generate_ref(Traits::kind);
      CachedStatement ins(db_, std::string("INSERT INTO ") + Traits::table + "(ref, created_at) VALUES (?, ?)");
      ins->bind(1, entity.ref);
      ins->bind(2, now);
      ins->exec();
      entity.id = db_.getLastInsertRowid();
    }
    const int version = before ? current_version(entity.id) + 1 : 1;
    std::string placeholders;
    for (int i = 0; i < Traits::column_count; ++i) placeholders += ", ?";
    CachedStatement ins(db_, std::string("INSERT INTO ") + Traits::versions + "(" + Traits::id_column + ", version, " +
                                 Traits::columns + ", recorded_at, recorded_by) VALUES (?, ?" + placeholders + ", ?, ?)");
    ins->bind(1, entity.id);
    ins->bind(2, version);
    Traits::bind(*ins, 3, entity);
    ins->bind(3 + Traits::column_count, now);
    ins->bind(4 + Traits::column_count, actor);
    ins->exec();
    append_audit(db_, actor, before ? "update" : "create", Traits::kind, entity.id, version,
                 before ? std::optional<nlohmann::json>(*before) : std::nullopt, nlohmann::json(entity));
    return {entity.id, version, true};
  }

  /// The entity's current version as its identity row names it (kept by the schema's triggers,
  /// migration 0025); 0 for an id that does not exist.
  int current_version(Id id) const {
    CachedStatement q(db_, std::string("SELECT current_version FROM ") + Traits::table + " WHERE id = ?");
    q->bind(1, id);
    return q->executeStep() ? q->getColumn(0).getInt() : 0;
  }

 protected:
  SQLite::Database& db_;

 private:
  static std::string prefixed_columns(const std::string& prefix) {
    std::string out, cols = Traits::columns;
    std::size_t start = 0;
    while (start <= cols.size()) {
      auto end = cols.find(',', start);
      if (end == std::string::npos) end = cols.size();
      auto name = cols.substr(start, end - start);
      name.erase(0, name.find_first_not_of(' '));
      if (!out.empty()) out += ", ";
      out += prefix + name;
      start = end + 1;
    }
    return out;
  }
};

}  // namespace probity
