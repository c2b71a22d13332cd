#pragma once
#include "model/store/versioned_store.hpp"

namespace probity {

/// People: members, officers and attendees whose interests are registered.
class PersonStore : public VersionedStore<Person> {
 public:
  using VersionedStore::VersionedStore;
  /// The person with this email address (compared case-insensitively), if any.
  std::optional<Person> find_by_email(const std::string& email) const {
    auto rows = select("WHERE lower(email) = lower(?) AND email <> ''", [&](SQLite::Statement& s) { s.bind(1, email); });
    if (rows.empty()) return std::nullopt;
    return rows.front();
  }
};

}  // namespace probity
