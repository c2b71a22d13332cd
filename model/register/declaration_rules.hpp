#pragma once
// The rules for what a member submits about their own declarations: an interest, its end date, a
// nil return, and a gift or hospitality offer with what they did with it. Each reader takes the
// submitted Fields (a form or a JSON body, the same rules for both) and records one plain-English
// problem per wrong field; none of them touches the database or knows about HTTP.
#include <optional>
#include <string>

#include "model/store/entities.hpp"
#include "model/base/fields.hpp"
#include "model/register/gift_rules.hpp"
#include "model/base/problems.hpp"

namespace probity {

/// An interest as submitted: the register fields plus the organisation as the member named it.
struct InterestInput {
  Interest interest;  // category, indirect, relationship, nature, from, to, action_taken set
  std::string organisation_name;
  std::string organisation_identifier;
};

/// Reads an interest's fields (category, relationship, organisation_name,
/// organisation_identifier, nature, from, to, aware_on (the start date when empty),
/// action_taken; dates as YYYY-MM-DD; kind (empty: other) and the kind's own fields,
/// model/register/interest_kinds.hpp). Adds a message
/// per wrong field to `problems`; returns the input when there were none. Throws nothing.
std::optional<InterestInput> read_interest(const Fields& in, Problems& problems);

/// Reads an end date (`to`, required) and checks it against the interest's start. Throws nothing.
std::optional<Date> read_end_date(const Fields& in, const Interest& interest, Problems& problems);

/// Reads a nil return (`statement`, and `confirm` that it is true). Throws nothing.
std::optional<NilReturn> read_nil_return(const Fields& in, Problems& problems);

/// Reads a gift or hospitality offer (kind, source, from_supplier, cash_or_voucher, description,
/// value in pounds, offered_on; and, when `for_submit`, outcome and approved_by). The outcome is
/// not checked against the rules here: see gift_outcome_problems. Throws nothing.
std::optional<Gift> read_gift(const Fields& in, Problems& problems, bool for_submit);

/// Problems with a gift's recorded outcome under its classification: an offer that must be
/// declined recorded as accepted, or one that needs senior approval accepted without it.
/// Throws nothing.
Problems gift_outcome_problems(const Gift& gift, const GiftClassification& classification);

}  // namespace probity
