#pragma once
// Governance's review decisions on submitted declarations (interests, gifts, nil returns), kept
// append-only in the `reviews` table beside the declaration's own versions.
#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>
#include <vector>

#include "model/store/entities.hpp"
#include "model/store/enums.hpp"

namespace probity {

enum class ReviewDecision { approved, returned };

template <>
struct EnumNames<ReviewDecision> {
  static constexpr auto values = std::to_array<std::pair<ReviewDecision, std::string_view>>(
      {{ReviewDecision::approved, "approved"}, {ReviewDecision::returned, "returned"}});
};

struct Review {
  Id id = 0;
  std::string entity_kind;  // "interest", "gift" or "nil_return"
  Id entity_id = 0;
  int version = 0;          // the version reviewed
  ReviewDecision decision = ReviewDecision::approved;
  std::string comment;
  std::string reviewer;     // the audit actor, e.g. "user:3 guardian@nhs.net"
  std::string recorded_at;  // UTC ISO 8601
};

/// True for the kinds that go through review: "interest", "gift", "nil_return". Throws nothing.
bool is_reviewable_kind(const std::string& kind);

/// The status a declaration takes when its member changes it: a returned one is submitted again;
/// where review is on, an approved one goes back for review too (governance approved other
/// words); otherwise it keeps its status. The same rule for interests, gifts and nil returns.
/// Throws nothing.
DeclarationStatus status_after_member_change(DeclarationStatus current, bool review_required);

class ReviewStore {
 public:
  explicit ReviewStore(SQLite::Database& db) : db_(db) {}

  /// Appends a review. Must run inside a WriteTransaction (with the declaration's new version).
  /// Throws std::invalid_argument for an unknown kind or a return without a comment,
  /// std::logic_error outside a transaction, SQLite::Exception on failure.
  Review record(const std::string& entity_kind, Id entity_id, int version, ReviewDecision decision, const std::string& comment,
                const std::string& reviewer);

  /// Every review of one declaration, oldest first.
  std::vector<Review> for_entity(const std::string& entity_kind, Id entity_id) const;
  /// The latest review of one declaration, or nullopt when it was never reviewed.
  std::optional<Review> latest_for(const std::string& entity_kind, Id entity_id) const;

 private:
  SQLite::Database& db_;
};

}  // namespace probity
