#pragma once
// The closed vocabularies of the register, with their stable string names (used in the
// database, the bundle format, the JSON API and forms alike).
#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace probity {

enum class OrganisationKind {
  gp_practice, federation, primary_care_network, company, nhs_trust, nhs_body, local_authority, charity, university, other,
  community_pharmacy, dental_practice, optometrist
};
enum class PersonKind { gp, lay, executive, clinical, officer, attendee };
enum class CommitteeRole { chair, vice_chair, voting, non_voting };
enum class InterestCategory { financial, non_financial_professional, non_financial_personal, indirect };
// Lifecycle of anything a person declares: drafts and returned entries are never public.
enum class DeclarationStatus { draft, submitted, approved, returned };
// The kinds of interest the national guidance lists, under the four categories.
enum class InterestKind {
  outside_employment, shareholdings, patents, loyalty_interests, donations, sponsored_events, sponsored_research,
  sponsored_posts, clinical_private_practice, other
};
enum class GiftKind { gift, hospitality };
enum class GiftOutcome { accepted, declined };
enum class MeetingStatus { planned, held, cancelled };
// A body of a joint arrangement (migration 0021) and where its register is published.
enum class BodyKind { ccg, icb, nhs_england, other };
enum class BodyPublication { here, elsewhere };
enum class AttendanceStatus { expected, present, apologies, absent };
enum class AgendaCategory {
  declarations, gp_contract, local_incentive_scheme, enhanced_service, practice_merger, procurement, finance, governance, other,
  pharmacy_service, dental_service, optometry_service
};

template <typename E>
struct EnumNames;

#define PROBITY_ENUM_NAMES(E, ...)                                   \
  template <>                                                        \
  struct EnumNames<E> {                                              \
    static constexpr auto values = std::to_array<std::pair<E, std::string_view>>({__VA_ARGS__}); \
  };

PROBITY_ENUM_NAMES(OrganisationKind, {OrganisationKind::gp_practice, "gp_practice"}, {OrganisationKind::federation, "federation"},
                   {OrganisationKind::primary_care_network, "primary_care_network"}, {OrganisationKind::company, "company"},
                   {OrganisationKind::nhs_trust, "nhs_trust"}, {OrganisationKind::nhs_body, "nhs_body"},
                   {OrganisationKind::local_authority, "local_authority"}, {OrganisationKind::charity, "charity"},
                   {OrganisationKind::university, "university"}, {OrganisationKind::other, "other"},
                   {OrganisationKind::community_pharmacy, "community_pharmacy"}, {OrganisationKind::dental_practice, "dental_practice"},
                   {OrganisationKind::optometrist, "optometrist"})
PROBITY_ENUM_NAMES(PersonKind, {PersonKind::gp, "gp"}, {PersonKind::lay, "lay"}, {PersonKind::executive, "executive"},
                   {PersonKind::clinical, "clinical"}, {PersonKind::officer, "officer"}, {PersonKind::attendee, "attendee"})
PROBITY_ENUM_NAMES(CommitteeRole, {CommitteeRole::chair, "chair"}, {CommitteeRole::vice_chair, "vice_chair"},
                   {CommitteeRole::voting, "voting"}, {CommitteeRole::non_voting, "non_voting"})
PROBITY_ENUM_NAMES(InterestCategory, {InterestCategory::financial, "financial"},
                   {InterestCategory::non_financial_professional, "non_financial_professional"},
                   {InterestCategory::non_financial_personal, "non_financial_personal"}, {InterestCategory::indirect, "indirect"})
PROBITY_ENUM_NAMES(DeclarationStatus, {DeclarationStatus::draft, "draft"}, {DeclarationStatus::submitted, "submitted"},
                   {DeclarationStatus::approved, "approved"}, {DeclarationStatus::returned, "returned"})
PROBITY_ENUM_NAMES(InterestKind, {InterestKind::outside_employment, "outside_employment"},
                   {InterestKind::shareholdings, "shareholdings"}, {InterestKind::patents, "patents"},
                   {InterestKind::loyalty_interests, "loyalty_interests"}, {InterestKind::donations, "donations"},
                   {InterestKind::sponsored_events, "sponsored_events"}, {InterestKind::sponsored_research, "sponsored_research"},
                   {InterestKind::sponsored_posts, "sponsored_posts"},
                   {InterestKind::clinical_private_practice, "clinical_private_practice"}, {InterestKind::other, "other"})
PROBITY_ENUM_NAMES(GiftKind, {GiftKind::gift, "gift"}, {GiftKind::hospitality, "hospitality"})
PROBITY_ENUM_NAMES(GiftOutcome, {GiftOutcome::accepted, "accepted"}, {GiftOutcome::declined, "declined"})
PROBITY_ENUM_NAMES(MeetingStatus, {MeetingStatus::planned, "planned"}, {MeetingStatus::held, "held"},
                   {MeetingStatus::cancelled, "cancelled"})
PROBITY_ENUM_NAMES(BodyKind, {BodyKind::ccg, "ccg"}, {BodyKind::icb, "icb"}, {BodyKind::nhs_england, "nhs_england"},
                   {BodyKind::other, "other"})
PROBITY_ENUM_NAMES(BodyPublication, {BodyPublication::here, "here"}, {BodyPublication::elsewhere, "elsewhere"})
PROBITY_ENUM_NAMES(AttendanceStatus, {AttendanceStatus::expected, "expected"}, {AttendanceStatus::present, "present"},
                   {AttendanceStatus::apologies, "apologies"}, {AttendanceStatus::absent, "absent"})
PROBITY_ENUM_NAMES(AgendaCategory, {AgendaCategory::declarations, "declarations"}, {AgendaCategory::gp_contract, "gp_contract"},
                   {AgendaCategory::local_incentive_scheme, "local_incentive_scheme"},
                   {AgendaCategory::enhanced_service, "enhanced_service"}, {AgendaCategory::practice_merger, "practice_merger"},
                   {AgendaCategory::procurement, "procurement"}, {AgendaCategory::finance, "finance"},
                   {AgendaCategory::governance, "governance"}, {AgendaCategory::other, "other"},
                   {AgendaCategory::pharmacy_service, "pharmacy_service"}, {AgendaCategory::dental_service, "dental_service"},
                   {AgendaCategory::optometry_service, "optometry_service"})
#undef PROBITY_ENUM_NAMES

/// The stable name of an enum value.
template <typename E>
constexpr std::string_view to_string(E value) {
  for (const auto& [v, name] : EnumNames<E>::values)
    if (v == value) return name;
  return "";
}

/// The enum value with this name, or nullopt for an unknown name.
template <typename E>
constexpr std::optional<E> enum_from_string(std::string_view name) {
  for (const auto& [v, n] : EnumNames<E>::values)
    if (n == name) return v;
  return std::nullopt;
}

/// Like enum_from_string but throws std::runtime_error (used when reading our own database).
template <typename E>
E enum_from_db(std::string_view name) {
  if (auto v = enum_from_string<E>(name)) return *v;
  throw std::runtime_error("unknown enum value in database: " + std::string(name));
}

/// The allowed names, comma separated, for error messages ("one of gp, lay, ...").
template <typename E>
std::string enum_choices() {
  std::string out;
  for (const auto& [v, name] : EnumNames<E>::values) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

/// Agenda categories whose decisions affect every practice of their kind by default (guidance:
/// local incentive schemes, enhanced services, area-wide contract changes; the same for the
/// services commissioned from every community pharmacy, dental practice or optometrist).
constexpr bool affects_all_gp_practices_by_default(AgendaCategory c) {
  return c == AgendaCategory::local_incentive_scheme || c == AgendaCategory::enhanced_service ||
         c == AgendaCategory::pharmacy_service || c == AgendaCategory::dental_service || c == AgendaCategory::optometry_service;
}

}  // namespace probity
