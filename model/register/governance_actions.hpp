#pragma once
// What the governance team does to the register: review submitted declarations, withhold an
// interest from the public register, and record that a person has left. Each change is a new
// version written through the stores (so it is audited), inside one transaction per action.
// Reading what governance submits is model/register/governance_input.hpp. Outcomes are values; nothing
// partly applies.
#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>
#include <vector>

#include "model/store/entities.hpp"
#include "model/register/review_store.hpp"
#include "model/base/timestamp.hpp"

namespace probity {

/// One declaration awaiting review: its newest version is `submitted`.
struct ReviewQueueItem {
  std::string kind;  // "interest", "gift" or "nil_return"
  Id id = 0;
  int version = 0;
  Id person_id = 0;
  std::string person_name;
  std::string summary;  // the interest's nature, the gift's description, the nil return's statement
  Date declared_on;     // declared_on, or made_on for a nil return
};

/// Every declaration awaiting review, oldest declaration first. Throws SQLite::Exception.
std::vector<ReviewQueueItem> review_queue(SQLite::Database& db);

enum class ReviewOutcome {
  done,
  not_found,            // no declaration of that kind with that id
  not_awaiting_review,  // its newest version is not `submitted`
  version_changed,      // it changed since the version the reviewer saw
};

/// Approves or returns a submitted declaration: a new version with status approved/returned and
/// a row in `reviews`, in one transaction. `seen_version`, when given, must still be the newest.
/// Throws std::invalid_argument for an unknown kind or a return without a comment,
/// SQLite::Exception on failure.
ReviewOutcome review_declaration(SQLite::Database& db, const std::string& kind, Id id, ReviewDecision decision,
                                 const std::string& comment, std::optional<int> seen_version, const std::string& actor);

/// Withholds (reason required) or publishes again (`withhold` false; reason cleared) one
/// interest, as a new version. Nullopt when there is no such interest; the interest unchanged
/// when it already was in that state. Throws std::invalid_argument for a withholding without a
/// reason, SQLite::Exception on failure.
std::optional<Interest> set_interest_withheld(SQLite::Database& db, Id id, bool withhold, const std::string& reason,
                                              const std::string& actor);

struct LeaverResult {
  Person person;
  int interests_ended = 0;
  int memberships_ended = 0;
  std::optional<Id> account_disabled;  // their account, now disabled; nullopt when they have none
};

/// Records that a person left on `left_on`: a new person version with left_on, and each of their
/// interests and committee memberships still open on that date ends on it (each a new version;
/// earlier versions kept). One that starts after `left_on` ends on its own start date. Their
/// account, if they have one, is disabled at `now` whatever `left_on` says (its sessions end and
/// its API tokens are revoked), in the same transaction: a leaver keeps no access. Nullopt when
/// there is no such person. Throws SQLite::Exception on failure.
std::optional<LeaverResult> mark_person_left(SQLite::Database& db, Id person_id, const Date& left_on, const std::string& actor,
                                             Instant now);

}  // namespace probity
