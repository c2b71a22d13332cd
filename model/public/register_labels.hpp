#pragma once
// The words the public register shows for each closed vocabulary (categories, roles, kinds,
// outcomes), and the case folding its search and sorting use.
#include <string>
#include <string_view>

#include "model/store/enums.hpp"

namespace probity {

/// "Financial", "Non-financial professional", "Non-financial personal", "Indirect".
std::string_view public_label(InterestCategory category);
/// "Chair", "Vice-chair", "Voting member", "Non-voting member".
std::string_view public_label(CommitteeRole role);
/// "Gift", "Hospitality".
std::string_view public_label(GiftKind kind);
/// "Accepted", "Declined".
std::string_view public_label(GiftOutcome outcome);
/// "GP member", "Lay member", "Executive", "Clinician", "Officer", "Attendee".
std::string_view public_label(PersonKind kind);
/// "GP practice", "Company", "NHS trust", ... as the register's "nature of business".
std::string_view public_label(OrganisationKind kind);

/// Case folding for search and sort: ASCII and the Latin-1 letters (so "SIÂN" finds "Siân");
/// other UTF-8 passes through unchanged. Throws nothing.
std::string fold_case(std::string_view text);

}  // namespace probity
