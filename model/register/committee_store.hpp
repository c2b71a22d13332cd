#pragma once
#include "model/store/versioned_store.hpp"

namespace probity {

/// Committees and their terms of reference.
class CommitteeStore : public VersionedStore<Committee> {
 public:
  using VersionedStore::VersionedStore;
};

/// Memberships of committees, with role and dates.
class MembershipStore : public VersionedStore<Membership> {
 public:
  using VersionedStore::VersionedStore;
  std::vector<Membership> for_committee(Id committee_id) const {
    return select("WHERE committee_id = ?", [&](SQLite::Statement& s) { s.bind(1, committee_id); });
  }
  std::vector<Membership> for_person(Id person_id) const {
    return select("WHERE person_id = ?", [&](SQLite::Statement& s) { s.bind(1, person_id); });
  }
  /// The membership of this person in this committee that started on `from` (the natural key).
  std::optional<Membership> find_by_key(Id committee_id, Id person_id, const Date& from) const {
    auto rows = select("WHERE committee_id = ? AND person_id = ? AND date_from = ?", [&](SQLite::Statement& s) {
      s.bind(1, committee_id);
      s.bind(2, person_id);
      s.bind(3, from.iso());
    });
    if (rows.empty()) return std::nullopt;
    return rows.front();
  }
};

}  // namespace probity
