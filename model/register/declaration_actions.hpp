#pragma once
// What a member does to their own declarations: declare, change and end an interest; make and
// change a nil return; check a gift or hospitality offer against the rules, then declare or
// change it. Each action reads the submitted Fields with the rules in declaration_rules.hpp and,
// inside one write transaction, checks what the database holds (the record is the member's, the
// gifts counted with an offer) before it writes a new version; nothing is written when anything
// is wrong. Another person's record answers exactly like a missing one, so ids reveal nothing.
// Nothing here knows about HTTP: pages and the API call the same actions.
#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>

#include "model/register/declaration_rules.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/gift_rules.hpp"
#include "model/base/problems.hpp"

namespace probity {

/// Record `id` of `Store` (InterestStore, GiftStore, NilReturnStore) when it belongs to person
/// `person_id`; nullopt when it is missing or someone else's. Throws SQLite::Exception.
template <typename Store>
auto find_own(SQLite::Database& db, Id person_id, Id id) -> decltype(Store(db).find(id)) {
  auto record = Store(db).find(id);
  if (record && record->person_id != person_id) return std::nullopt;
  return record;
}

/// A gift or hospitality offer as read from the member's input, and what the rules say of it.
struct GiftOffer {
  Gift gift;
  GiftClassification classification;
};

/// Declares an interest for `person_id` (declared on `today`, submitted), the organisation
/// matched by identifier, then by name (ignoring case), else added. Throws SQLite::Exception.
Result<Interest> declare_interest(SQLite::Database& db, Id person_id, const Fields& in, const Date& today, const std::string& actor);

/// A new version of the member's interest `id` from the same fields as declare_interest; its
/// status follows status_after_member_change. Nullopt when it is not theirs.
std::optional<Result<Interest>> change_interest(SQLite::Database& db, Id person_id, Id id, const Fields& in, bool review_required,
                                                const std::string& actor);

/// Records the end date (`to`) of the member's interest `id` as a new version. Nullopt when it is
/// not theirs.
std::optional<Result<Interest>> end_interest(SQLite::Database& db, Id person_id, Id id, const Fields& in, const std::string& actor);

/// Makes a nil return for `person_id` (made on `today`, submitted).
Result<NilReturn> make_nil_return(SQLite::Database& db, Id person_id, const Fields& in, const Date& today, const std::string& actor);

/// A new version of the member's nil return `id` with the new statement; made_on stays the day
/// it was first made (as an interest keeps declared_on), so correcting it does not move the
/// annual cycle. Nullopt when it is not theirs.
std::optional<Result<NilReturn>> change_nil_return(SQLite::Database& db, Id person_id, Id id, const Fields& in, bool review_required,
                                                   const std::string& actor);

/// Reads an offer (read_gift; outcome and approval too when `for_submit`) and classifies it
/// against the member's other gifts. Writes nothing: `saved` is the offer read and judged, for
/// the form to show before submit. `editing`: the member's gift being changed; the rules leave
/// its earlier version out of the running total (it is the same offer, not another one from the
/// source), and its organisation on record still names the source while the source's words stay.
/// The outcome is not checked against the classification here (declare_gift does).
Result<GiftOffer> check_gift(SQLite::Database& db, Id person_id, const Fields& in, bool for_submit, const GiftThresholds& thresholds,
                             const Gift* editing = nullptr);

/// Declares a gift or hospitality offer for `person_id` (declared on `today`, submitted) after
/// check_gift and gift_outcome_problems.
Result<GiftOffer> declare_gift(SQLite::Database& db, Id person_id, const Fields& in, const GiftThresholds& thresholds, const Date& today,
                               const std::string& actor);

/// A new version of the member's gift `id` after the same checks as declare_gift; the declared
/// date and ref stay, the status follows status_after_member_change. Nullopt when it is not theirs.
std::optional<Result<GiftOffer>> change_gift(SQLite::Database& db, Id person_id, Id id, const Fields& in, const GiftThresholds& thresholds,
                                             bool review_required, const std::string& actor);

}  // namespace probity
