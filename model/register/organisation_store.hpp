#pragma once
#include "model/store/versioned_store.hpp"

namespace probity {

/// Organisations: GP practices, federations, companies, NHS bodies.
class OrganisationStore : public VersionedStore<Organisation> {
 public:
  using VersionedStore::VersionedStore;
  /// Organisations whose parent is `parent_id` (e.g. the practices of a federation).
  std::vector<Organisation> children(Id parent_id) const {
    return select("WHERE parent_id = ?", [&](SQLite::Statement& s) { s.bind(1, parent_id); });
  }
  /// The organisation with this identifier (ODS code, Companies House number), if any.
  std::optional<Organisation> find_by_identifier(const std::string& identifier) const {
    if (identifier.empty()) return std::nullopt;
    auto rows = select("WHERE identifier = ?", [&](SQLite::Statement& s) { s.bind(1, identifier); });
    if (rows.empty()) return std::nullopt;
    return rows.front();
  }
};

}  // namespace probity
