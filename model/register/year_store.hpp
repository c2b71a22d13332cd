#pragma once
// The declaration year's records and reads: annual confirmations and line managers (versioned,
// audited, like every register record), the member's confirmation and governance's line manager
// actions, and the set-based read of everything the lifecycle needs (declaration_year.hpp) for
// everyone at once: a handful of queries for the whole register, not one per person.
#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/base/fields.hpp"
#include "model/base/problems.hpp"
#include "model/register/declaration_year.hpp"
#include "model/store/versioned_store.hpp"

namespace probity {

class ConfirmationStore : public VersionedStore<Confirmation> {
 public:
  using VersionedStore::VersionedStore;
  std::vector<Confirmation> for_person(Id person_id) const {
    return select("WHERE person_id = ?", [&](SQLite::Statement& s) { s.bind(1, person_id); });
  }
};

class LineManagerStore : public VersionedStore<LineManager> {
 public:
  using VersionedStore::VersionedStore;
  std::optional<LineManager> for_person(Id person_id) const {
    auto rows = select("WHERE person_id = ?", [&](SQLite::Statement& s) { s.bind(1, person_id); });
    if (rows.empty()) return std::nullopt;
    return rows.back();
  }
};

/// Everyone's records for the lifecycle (or one person's), in person id order. Reads people,
/// memberships with their committees, in-place role changes, interests, confirmations, nil
/// returns and line managers with one query each. Throws SQLite::Exception.
std::vector<PersonRecord> load_year_records(SQLite::Database& db, std::optional<Id> person = std::nullopt);

/// Everyone's records as load_year_records reads them, `batch` people at a time in person id
/// order: `each` gets one batch's records, so memory follows the batch rather than the register.
/// Each query reads only the batch's people, through the person indexes of the versions tables.
/// Throws SQLite::Exception (and whatever `each` throws).
void for_each_year_records(SQLite::Database& db, std::size_t batch, const std::function<void(std::vector<PersonRecord>&)>& each);

/// for_each_year_records' step, for a caller that reads each batch in a transaction of its own:
/// the records of the (at most) `batch` people with the lowest ids above `after`, as
/// load_year_records reads them, with `after` moved to the last of them; nullopt when no one is
/// left. Throws SQLite::Exception.
std::optional<std::vector<PersonRecord>> next_year_records(SQLite::Database& db, Id& after, std::size_t batch);

/// The member's annual confirmation ("my entries are complete and current as of `today`"): needs
/// `confirm` = yes; records how many current interests it confirmed. With none it says what a nil
/// return says, and counts the same (the page offers the nil return instead). Written with an
/// audit row; confirming again in the same year adds another record. Throws SQLite::Exception.
Result<Confirmation> confirm_entries(SQLite::Database& db, Id person_id, const Fields& in, const Date& today, const YearRules& rules,
                                     const std::string& actor);

/// Records (or changes, or with both fields empty clears) person `person_id`'s line manager:
/// `manager_name` and `manager_email`, both needed together. Nullopt when there is no such
/// person. Throws SQLite::Exception.
std::optional<Result<LineManager>> set_line_manager(SQLite::Database& db, Id person_id, const Fields& in, const std::string& actor);

}  // namespace probity
