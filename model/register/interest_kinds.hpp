#pragma once
// The kinds of interest the national guidance lists under the four categories (outside
// employment, shareholdings and other ownership, patents, ...), each with the details the
// guidance asks for. An interest stores its kind and its details as a small map of text; this is
// the one table of which fields each kind has, their plain-English labels and hints, and the
// reader that checks them field by field. Field names are unique across kinds, so a form may show
// every kind's fields at once (without JavaScript) and the reader takes only the chosen kind's.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/base/fields.hpp"
#include "model/base/problems.hpp"
#include "model/store/enums.hpp"

namespace probity {

struct InterestKindField {
  std::string_view name;   // the form field and the details key, e.g. "practice_name"
  std::string_view label;  // "Name of the practice"
  std::string_view hint;   // may be empty
  bool required = true;
  bool money = false;      // an amount in pounds, kept as written ("250" or "250.00")
};

struct InterestKindInfo {
  InterestKind kind = InterestKind::other;
  std::string_view label;  // "Clinical private practice"
  std::string_view hint;   // what it covers, for the radio's hint
  std::vector<InterestKindField> fields;
};

/// Every kind, in the order the forms list them (other last). Throws nothing.
const std::vector<InterestKindInfo>& interest_kinds();

/// The entry for one kind. Throws nothing.
const InterestKindInfo& interest_kind_info(InterestKind kind);

/// Reads the chosen kind's fields from `in` (other kinds' fields are ignored) and records one
/// problem per wrong field: a required field left empty, text longer than kShortTextMax (the
/// address kLongTextMax), an amount that is not in pounds. Returns the details with empty
/// optional fields left out. Throws nothing.
std::map<std::string, std::string> read_interest_details(InterestKind kind, const Fields& in, Problems& problems);

/// Problems with stored details for a kind (a bundle or an API body): the same checks as
/// read_interest_details, plus a key that the kind does not have. Throws nothing.
Problems interest_details_problems(InterestKind kind, const std::map<std::string, std::string>& details);

}  // namespace probity
