#include "model/public/register_labels.hpp"

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

std::string fold_case(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c + ('a' - 'A'));
    } else if (c == 0xC3 && i + 1 < text.size()) {
      // U+00C0..U+00DE (À..Þ, except × U+00D7) are encoded C3 80..9E; their lower case is 0x20 on.
      auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97) next = static_cast<unsigned char>(next + 0x20);
      out += static_cast<char>(c);
      out += static_cast<char>(next);
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace probity
