#pragma once
// Reading every version of many entities in one query, one entity at a time: what the public
// register (which shows each entry's latest *published* version) and the annual assurance report
// (which reads the versions recorded by an instant) both need.
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "model/store/entity_traits.hpp"
#include "model/store/versioned_store.hpp"

namespace probity {

/// "a, b, c" as "v.a, v.b, v.c". Throws nothing.
inline std::string prefixed_columns(std::string_view columns, std::string_view prefix) {
  std::string out;
  std::size_t start = 0;
  while (start <= columns.size()) {
    auto end = columns.find(',', start);
    if (end == std::string_view::npos) end = columns.size();
    auto name = columns.substr(start, end - start);
    name.remove_prefix(std::min(name.find_first_not_of(' '), name.size()));
    if (!out.empty()) out += ", ";
    out.append(prefix).append(name);
    start = end + 1;
  }
  return out;
}

/// Every version of the entities selected by `where` (a condition on e.id or on the version v),
/// one entity at a time and oldest first, handed to `each` as the rows arrive: only one entity's
/// versions are held at once, however large the register. Throws SQLite::Exception.
template <typename T, typename Bind, typename Each>
void for_each_version_group(SQLite::Database& db, const std::string& where, Bind&& bind, Each&& each) {
  using Traits = EntityTraits<T>;
  SQLite::Statement q(db, "SELECT e.id, e.ref, " + prefixed_columns(Traits::columns, "v.") +
                              ", v.version, v.recorded_at FROM " + Traits::table + " e JOIN " + Traits::versions +
                              " v ON v." + Traits::id_column + " = e.id " + where + " ORDER BY e.id, v.version");
  bind(q);
  std::vector<Version<T>> group;
  const int n = Traits::column_count + 2;
  while (q.executeStep()) {
    Version<T> v{Traits::read(q), q.getColumn(n).getInt(), q.getColumn(n + 1).getString(), ""};
    if (!group.empty() && group.front().entity.id != v.entity.id) {
      each(group);
      group.clear();
    }
    group.push_back(std::move(v));
  }
  if (!group.empty()) each(group);
}

/// The entities of versions, in the same order. Throws nothing.
template <typename T>
std::vector<T> entities_of(const std::vector<Version<T>>& versions) {
  std::vector<T> out;
  out.reserve(versions.size());
  for (const auto& v : versions) out.push_back(v.entity);
  return out;
}

}  // namespace probity
