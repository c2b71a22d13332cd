#pragma once
// What the governance team submits (a form or a JSON body, the same rules for both): a review
// decision, a reason for withholding an entry, the date a person left. The readers record one
// plain-English problem per wrong field; the actions read first, write nothing when anything is
// wrong, and otherwise do the governance action (model/register/governance_actions.hpp), whose checks of
// the entry's state run inside its write transaction. Nothing here knows about HTTP.
#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>

#include "model/store/entities.hpp"
#include "model/base/fields.hpp"
#include "model/register/governance_actions.hpp"
#include "model/base/problems.hpp"

namespace probity {

/// A review decision as submitted.
struct ReviewInput {
  ReviewDecision decision = ReviewDecision::approved;
  std::string comment;
  std::optional<int> version;  // the version the reviewer saw, when the form or client says
};

/// Reads `decision` ("approve"/"approved" or "return"/"returned"), `comment` (required for a
/// return) and `version` (optional, a whole number). Throws nothing.
std::optional<ReviewInput> read_review(const Fields& in, Problems& problems);

/// Reads the `reason` for withholding an entry (required). Throws nothing.
std::optional<std::string> read_withhold_reason(const Fields& in, Problems& problems);

/// Reads `left_on`, the date a person left (required, a real date). Throws nothing.
std::optional<Date> read_left_on(const Fields& in, Problems& problems);

/// What a submitted review came to: the decision read, and what review_declaration answered
/// (only `done` wrote anything).
struct ReviewAnswer {
  ReviewDecision decision = ReviewDecision::approved;
  ReviewOutcome outcome = ReviewOutcome::done;
};

/// Reads a review (read_review) and, when it reads, decides it with review_declaration. With
/// problems nothing is tried. Throws as review_declaration.
Result<ReviewAnswer> review_entry(SQLite::Database& db, const std::string& kind, Id id, const Fields& in, const std::string& actor);

/// Reads the reason (read_withhold_reason) and, when it reads, withholds interest `id` with
/// set_interest_withheld. Nullopt when the reason reads but there is no such interest. Throws
/// SQLite::Exception on failure.
std::optional<Result<Interest>> withhold_interest(SQLite::Database& db, Id id, const Fields& in, const std::string& actor);

/// Reads the date (read_left_on) and, when it reads, records the leaver with mark_person_left.
/// Nullopt when the date reads but there is no such person. Throws SQLite::Exception on failure.
std::optional<Result<LeaverResult>> record_leaver(SQLite::Database& db, Id person_id, const Fields& in, const std::string& actor,
                                                  Instant now);

}  // namespace probity
