#include "model/public/register_labels.hpp"

#include <vector>

#include "model/register/interest_kinds.hpp"

namespace probity {

std::string_view public_label(InterestCategory category) {
  switch (category) {
    case InterestCategory::financial:
      return "Financial";
    case InterestCategory::non_financial_professional:
      return "Non-financial professional";
    case InterestCategory::non_financial_personal:
      return "Non-financial personal";
    case InterestCategory::indirect:
      return "Indirect";
  }
  return "";
}

std::string_view public_label(CommitteeRole role) {
  switch (role) {
    case CommitteeRole::chair:
      return "Chair";
    case CommitteeRole::vice_chair:
      return "Vice-chair";
    case CommitteeRole::voting:
      return "Voting member";
    case CommitteeRole::non_voting:
      return "Non-voting member";
  }
  return "";
}

std::string_view public_label(GiftKind kind) { return kind == GiftKind::gift ? "Gift" : "Hospitality"; }

std::string_view public_label(GiftOutcome outcome) { return outcome == GiftOutcome::accepted ? "Accepted" : "Declined"; }

std::string_view public_label(PersonKind kind) {
  switch (kind) {
    case PersonKind::gp: return "GP member";
    case PersonKind::lay: return "Lay member";
    case PersonKind::executive: return "Executive";
    case PersonKind::clinical: return "Clinician";
    case PersonKind::officer: return "Officer";
    case PersonKind::attendee: return "Attendee";
  }
  return "";
}

std::string_view public_label(OrganisationKind kind) {
  switch (kind) {
    case OrganisationKind::gp_practice: return "GP practice";
    case OrganisationKind::federation: return "GP federation";
    case OrganisationKind::primary_care_network: return "Primary care network";
    case OrganisationKind::company: return "Company";
    case OrganisationKind::nhs_trust: return "NHS trust";
    case OrganisationKind::nhs_body: return "NHS body";
    case OrganisationKind::local_authority: return "Local authority";
    case OrganisationKind::charity: return "Charity";
    case OrganisationKind::university: return "University";
    case OrganisationKind::other: return "Other organisation";
    case OrganisationKind::community_pharmacy: return "Community pharmacy";
    case OrganisationKind::dental_practice: return "Dental practice";
    case OrganisationKind::optometrist: return "Optometrist (opticians)";
  }
  return "";
}

std::string_view public_label(DeclarationStatus status) {
  switch (status) {
    case DeclarationStatus::draft: return "Draft";
    case DeclarationStatus::submitted: return "Submitted";
    case DeclarationStatus::approved: return "Approved";
    case DeclarationStatus::returned: return "Returned";
  }
  return "";
}

std::string_view public_label(MeetingStatus status) {
  switch (status) {
    case MeetingStatus::planned: return "Planned";
    case MeetingStatus::held: return "Held";
    case MeetingStatus::cancelled: return "Cancelled";
  }
  return "";
}

std::string_view public_label(AttendanceStatus status) {
  switch (status) {
    case AttendanceStatus::expected: return "Expected";
    case AttendanceStatus::present: return "Present";
    case AttendanceStatus::apologies: return "Apologies";
    case AttendanceStatus::absent: return "Absent";
  }
  return "";
}

std::string_view public_label(AgendaCategory category) {
  switch (category) {
    case AgendaCategory::declarations: return "Declarations of interest";
    case AgendaCategory::gp_contract: return "GP contract";
    case AgendaCategory::local_incentive_scheme: return "Local incentive scheme";
    case AgendaCategory::enhanced_service: return "Enhanced service";
    case AgendaCategory::practice_merger: return "Practice merger";
    case AgendaCategory::procurement: return "Procurement";
    case AgendaCategory::finance: return "Finance";
    case AgendaCategory::governance: return "Governance";
    case AgendaCategory::other: return "Other";
    case AgendaCategory::pharmacy_service: return "Community pharmacy services";
    case AgendaCategory::dental_service: return "Dental services";
    case AgendaCategory::optometry_service: return "Optometry (eye care) services";
  }
  return "";
}

namespace {
template <typename E>
std::optional<std::string_view> enum_label(std::string_view code) {
  if (auto v = enum_from_string<E>(code)) return public_label(*v);
  return std::nullopt;
}

// Codes that are not one of the stored vocabularies' enums: compliance and year states, review
// decisions, account roles, token states, management actions, breach statuses and kinds of record.
struct CodeWords {
  std::string_view code;
  std::string_view label;
};
constexpr CodeWords kOtherCodes[] = {
    {"up_to_date", "Up to date"},
    {"due", "Due"},
    {"overdue", "Overdue"},
    {"never_declared", "Never declared"},
    {"no_declaration", "No declaration"},
    {"none_received", "None received"},
    {"nil_return", "Nil return"},
    {"declared", "Declared"},
    {"returned", "Returned"},
    {"member", "Member"},
    {"active", "Active"},
    {"expired", "Expired"},
    {"revoked", "Revoked"},
    {"participate", "Take full part"},
    {"no_vote", "Discussion, no vote"},
    {"leave_room", "Leave the room for the item"},
    {"papers_withheld", "Leave the room; papers withheld"},
    {"open", "Open"},
    {"confirmed", "Confirmed"},
    {"dismissed", "Dismissed"},
    {"took_up_post", "Took up post"},
    {"joined_committee", "Joined a committee"},
    {"role_changed", "Change of role"},
    {"annual", "Annual confirmation"},
    {"became_aware", "Became aware of an interest"},
    {"leaving", "Leaving"},
    // The register of procurement decisions: a row's status and its procurement routes.
    {"published", "Published"},
    {"competitive_tender", "Competitive tender"},
    {"direct_award", "Direct award"},
    {"framework_call_off", "Call-off from a framework"},
    {"contract_variation", "Contract variation or extension"},
    // The breaches register and the Conflicts of Interest Guardian.
    {"guardian", "Conflicts of Interest Guardian"},
    {"signed_off", "Signed off by the Guardian"},
    {"late_declaration", "Interest not declared within 28 days"},
    {"gift_not_declined", "Gift or hospitality that should have been declined"},
    {"undeclared_at_meeting", "Conflict not declared at a meeting"},
    {"took_part_when_excluded", "Took part when excluded"},
    {"meeting_check", "The meeting check (a certain conflict with no declaration)"},
    {"self_reported", "Reported by the person themselves"},
    {"reported_by_colleague", "Reported by a colleague"},
    {"governance_review", "Governance team's review"},
    {"audit", "Audit"},
    {"requested", "Asked for"},
    {"forwarded", "With the Guardian"},
    {"agreed", "Agreed"},
    {"refused", "Refused"},
    {"withholding_request", "Request to withhold an entry"},
};

struct KindWords {
  std::string_view kind;
  std::string_view label;
};
constexpr KindWords kRecordKinds[] = {
    {"interest", "Interest"},
    {"gift", "Gift or hospitality"},
    {"nil_return", "Nil return"},
    {"person", "Person"},
    {"organisation", "Organisation"},
    {"committee", "Committee"},
    {"membership", "Committee membership"},
    {"meeting", "Meeting"},
    {"agenda_item", "Agenda item"},
    {"attendance", "Attendance"},
    {"conflict_decision", "Chair's decision"},
    {"meeting_declaration", "Declaration at a meeting"},
    {"movement", "Leaving or returning to the room"},
    {"breach", "Breach"},
    {"item_outcome", "Item outcome"},
    {"co_opted_member", "Co-opted member"},
    {"review", "Review decision"},
    {"confirmation", "Annual confirmation"},
    {"user", "Account"},
    {"account", "Account"},
    {"api_token", "API token"},
    // The register of procurement decisions.
    {"procurement_decision", "Procurement decision"},
};
}  // namespace

std::optional<std::string_view> code_label(std::string_view field, std::string_view code) {
  // The field settles the vocabulary where a code means different things in different ones.
  if (field == "category") {
    if (auto l = enum_label<InterestCategory>(code)) return l;
    if (auto l = enum_label<AgendaCategory>(code)) return l;
  }
  if (field == "role" || field == "roles") {
    if (auto l = enum_label<CommitteeRole>(code)) return l;
    if (code == "governance") return "Governance team";
    if (code == "member") return "Member";
  }
  if (field == "kind" || field == "kinds" || field == "person_kind") {
    if (auto l = enum_label<PersonKind>(code)) return l;
    if (auto l = enum_label<GiftKind>(code)) return l;
    if (auto l = enum_label<OrganisationKind>(code)) return l;
    if (auto l = enum_label<InterestKind>(code)) return l;  // kinds of interest
    if (auto l = enum_label<BodyKind>(code)) return l;      // kinds of body
  }
  if (field == "publication")  // a body's publication policy
    if (auto l = enum_label<BodyPublication>(code)) return l;
  if (field == "entity_kind" || field == "record_kind")
    for (const auto& k : kRecordKinds)
      if (k.kind == code) return k.label;
  if (field == "status" || field == "state") {
    if (auto l = enum_label<DeclarationStatus>(code)) return l;
    if (auto l = enum_label<AttendanceStatus>(code)) return l;
    if (auto l = enum_label<MeetingStatus>(code)) return l;
  }
  for (const auto& c : kOtherCodes)
    if (c.code == code) return c.label;
  if (auto l = enum_label<InterestCategory>(code)) return l;
  if (auto l = enum_label<CommitteeRole>(code)) return l;
  if (auto l = enum_label<PersonKind>(code)) return l;
  if (auto l = enum_label<OrganisationKind>(code)) return l;
  if (auto l = enum_label<DeclarationStatus>(code)) return l;
  if (auto l = enum_label<GiftKind>(code)) return l;
  if (auto l = enum_label<GiftOutcome>(code)) return l;
  if (auto l = enum_label<AttendanceStatus>(code)) return l;
  if (auto l = enum_label<MeetingStatus>(code)) return l;
  if (auto l = enum_label<AgendaCategory>(code)) return l;
  for (const auto& k : kRecordKinds)
    if (k.kind == code) return k.label;
  return std::nullopt;
}

std::string record_kind_label(std::string_view kind) {
  for (const auto& k : kRecordKinds)
    if (k.kind == kind) return std::string(k.label);
  std::string out(kind);
  for (char& c : out)
    if (c == '_') c = ' ';
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::string code_list_label(std::string_view field, std::string_view codes) {
  std::string out;
  while (!codes.empty()) {
    const auto comma = codes.find(',');
    std::string_view one = codes.substr(0, comma);
    codes = comma == std::string_view::npos ? std::string_view() : codes.substr(comma + 1);
    while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
    while (!one.empty() && one.back() == ' ') one.remove_suffix(1);
    if (one.empty()) continue;
    if (!out.empty()) out += ", ";
    auto l = code_label(field, one);
    out += l ? std::string(*l) : std::string(one);
  }
  return out;
}


// ---- Bodies (the public register per body) ----------------------------------------
std::string_view public_label(BodyKind kind) {
  switch (kind) {
    case BodyKind::ccg: return "Clinical commissioning group";
    case BodyKind::icb: return "Integrated care board";
    case BodyKind::nhs_england: return "NHS England";
    case BodyKind::other: return "Other";
  }
  return "";
}

std::string_view public_label(BodyPublication publication) {
  return publication == BodyPublication::here ? "Published here" : "Published elsewhere";
}
// ---- end of bodies --------------------------------------------------------------------------

// ---- Kinds of interest and supplier hospitality's approval ----------------------------------
// The kinds' labels live with their fields in model/register/interest_kinds.cpp: one table.
std::string_view public_label(InterestKind kind) { return interest_kind_info(kind).label; }

}  // namespace probity
