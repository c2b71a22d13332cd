#pragma once
// The one table of words people read for the service's codes: every closed vocabulary
// (categories, roles, kinds, outcomes, statuses, compliance states, attendance, agenda
// categories, record kinds) has its plain-English label here, and pages never show the code
// itself. Also the case folding the register's search and sorting use.
#include <optional>
#include <string>
#include <string_view>

#include "model/base/names.hpp"
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

/// "Outside employment", "Clinical private practice", ... (model/register/interest_kinds.hpp).
std::string_view public_label(InterestKind kind);

/// "Draft", "Submitted", "Approved", "Returned".
std::string_view public_label(DeclarationStatus status);
/// "Planned", "Held", "Cancelled".
std::string_view public_label(MeetingStatus status);
/// "Expected", "Present", "Apologies", "Absent".
std::string_view public_label(AttendanceStatus status);
/// "Declarations of interest", "GP contract", "Local incentive scheme", ...
std::string_view public_label(AgendaCategory category);
// ---- Bodies (the public register per body) ----
/// "Clinical commissioning group", "Integrated care board", "NHS England", "Other".
std::string_view public_label(BodyKind kind);
/// "Published here", "Published elsewhere".
std::string_view public_label(BodyPublication publication);
// ---- end of bodies ----

/// The label of a code as stored (a value of any of the vocabularies above, a compliance or
/// year state such as "overdue", "nil_return", "no_declaration", "never_declared", a review
/// decision, an account role, a management action, or a kind of record such as "interest" or
/// "conflict_decision"). `field` (the JSON field the code came from, e.g. "category", "kind",
/// "role", "status") settles codes that mean different things in different vocabularies;
/// nullopt when the code is not one of these. Throws nothing.
std::optional<std::string_view> code_label(std::string_view field, std::string_view code);
/// A kind of record as people read it: "interest" -> "Interest", "conflict_decision" ->
/// "Chair's decision", "nil_return" -> "Nil return"; an unknown kind is written with spaces for
/// underscores and a capital first letter. Throws nothing.
std::string record_kind_label(std::string_view kind);
/// A list of codes as stored, comma separated ("lay, vice_chair"), as labels ("Lay member,
/// Vice-chair"). Throws nothing.
std::string code_list_label(std::string_view field, std::string_view codes);


}  // namespace probity
