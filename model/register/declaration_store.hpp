#pragma once
// What people declare: interests, gifts and hospitality, nil returns.
#include "model/store/versioned_store.hpp"

namespace probity {

class InterestStore : public VersionedStore<Interest> {
 public:
  using VersionedStore::VersionedStore;
  std::vector<Interest> for_person(Id person_id) const {
    return select("WHERE person_id = ?", [&](SQLite::Statement& s) { s.bind(1, person_id); });
  }
  /// Interests in one organisation (uses the organisation index, not a scan).
  std::vector<Interest> for_organisation(Id organisation_id) const {
    return select("WHERE organisation_id = ?", [&](SQLite::Statement& s) { s.bind(1, organisation_id); });
  }
};

class GiftStore : public VersionedStore<Gift> {
 public:
  using VersionedStore::VersionedStore;
  std::vector<Gift> for_person(Id person_id) const {
    return select("WHERE person_id = ?", [&](SQLite::Statement& s) { s.bind(1, person_id); });
  }
  std::vector<Gift> for_organisation(Id organisation_id) const {
    return select("WHERE organisation_id = ?", [&](SQLite::Statement& s) { s.bind(1, organisation_id); });
  }
};

class NilReturnStore : public VersionedStore<NilReturn> {
 public:
  using VersionedStore::VersionedStore;
  std::vector<NilReturn> for_person(Id person_id) const {
    return select("WHERE person_id = ?", [&](SQLite::Statement& s) { s.bind(1, person_id); });
  }
};

}  // namespace probity
