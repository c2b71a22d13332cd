#pragma once
// Reading what a member submits (from a form or a JSON body, the same rules for both) into
// register records, with a plain-English message per field for every mistake.
#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <optional>
#include <string>

#include "model/entities.hpp"
#include "model/gift_rules.hpp"
#include "model/fields.hpp"
#include "server/forms.hpp"

namespace probity {

/// An interest as submitted: the register fields plus the organisation as the member named it.
struct InterestInput {
  Interest interest;  // category, indirect, relationship, nature, from, to, action_taken set
  std::string organisation_name;
  std::string organisation_identifier;
};

/// Validates an interest's fields (category, relationship, organisation_name,
/// organisation_identifier, nature, from, to, action_taken; dates as YYYY-MM-DD). Adds a message
/// per wrong field to `errors`; returns the input when there were none. Does not throw.
std::optional<InterestInput> read_interest(const Fields& in, Problems& errors);

/// Validates an end date (`to`) against the interest's start. Does not throw.
std::optional<Date> read_end_date(const Fields& in, const Interest& interest, Problems& errors);

/// Validates a nil return (`statement`, `confirm`). Does not throw.
std::optional<NilReturn> read_nil_return(const Fields& in, Problems& errors);

/// Validates a gift or hospitality offer (kind, source, from_supplier, cash_or_voucher,
/// description, value in pounds, offered_on, outcome, approved_by). Outcome and approval are
/// only required when `for_submit`; the caller checks them against the classification. Does not throw.
std::optional<Gift> read_gift(const Fields& in, Problems& errors, bool for_submit);

/// Checks a gift's recorded outcome against what the rules say (must decline, senior approval).
void check_gift_outcome(const Gift& gift, const GiftClassification& c, Problems& errors);

/// The organisation named in an interest: the one on record with that identifier, else with
/// that name (ignoring case), else a new one. Must run inside a WriteTransaction.
Id resolve_organisation(SQLite::Database& db, const std::string& name, const std::string& identifier, const std::string& actor);

/// Fields fields → Fields, joining NHS date inputs (`x-day`, `x-month`, `x-year`) into `x`.
Fields fields_from_form(const Fields& form);
/// A JSON object → Fields (strings as they are, booleans "yes"/"no", numbers as text, null as
/// empty). Throws HttpError 400 for a body that is not an object or a value of another type.
Fields fields_from_json(const std::string& body);

/// View data for an NHS date input: {"x_day", "x_month", "x_year"} from the form, or split
/// from `x` (YYYY-MM-DD) when the form did not send the parts.
void add_date_parts(nlohmann::json& view, const std::string& name, const Fields& fields);

/// The element ids errors link to when they differ from the field name (dates: the day input).
const std::map<std::string, std::string>& field_ids();

}  // namespace probity
