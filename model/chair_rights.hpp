#pragma once
// Chair rights are not stored on accounts: they follow from committee memberships, so they
// start and end with the membership and history stays right.
#include <SQLiteCpp/SQLiteCpp.h>

#include <vector>

#include "model/entities.hpp"

namespace probity {

/// True when the person is chair or vice-chair of the committee on `on` (membership from <= on
/// <= to, an open end counting as current). Throws SQLite::Exception on a database error.
bool is_chair_of(SQLite::Database& db, Id person_id, Id committee_id, const Date& on);

/// The committees the person chairs or vice-chairs on `on`, in id order. Throws SQLite::Exception
/// on a database error.
std::vector<Id> committees_chaired(SQLite::Database& db, Id person_id, const Date& on);

}  // namespace probity
