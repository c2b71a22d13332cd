#pragma once
// Conflict flagging: for each agenda item and each person expected at the meeting,
// which of their registered interests, gifts or roles conflict with the item, why, how sure we
// are, and what the guidance suggests the chair does. Pure: data and a date in, data out (the
// names and titles it prepares for the similar-name rule are kept between calls, keyed by their
// text, so that what it keeps can never differ from what it would make).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/meetings/meeting_records.hpp"
#include "model/store/entities.hpp"

namespace probity {

// The conflict rules, in the order the brief shows them. `withheld` is never flagged: it
// replaces the rule of a flag resting on entries withheld from the public register when the
// flag is shown to anyone but the governance team, since the rule itself says what kind of
// interest it is (indirect, in a parent organisation, a similar name).
enum class ConflictRule {
  organisation, organisation_group, own_practice, all_gp_practices, indirect, gift_or_hospitality, similar_name, withheld,
  all_pharmacies, all_dental_practices, all_optometrists, declared_at_meeting
};
enum class Confidence { certain, possible };

template <>
struct EnumNames<ConflictRule> {
  static constexpr auto values = std::to_array<std::pair<ConflictRule, std::string_view>>(
      {{ConflictRule::organisation, "organisation"}, {ConflictRule::organisation_group, "organisation_group"},
       {ConflictRule::own_practice, "own_practice"}, {ConflictRule::all_gp_practices, "all_gp_practices"},
       {ConflictRule::indirect, "indirect"}, {ConflictRule::gift_or_hospitality, "gift_or_hospitality"},
       {ConflictRule::similar_name, "similar_name"}, {ConflictRule::withheld, "withheld"},
       {ConflictRule::all_pharmacies, "all_pharmacies"}, {ConflictRule::all_dental_practices, "all_dental_practices"},
       {ConflictRule::all_optometrists, "all_optometrists"}, {ConflictRule::declared_at_meeting, "declared_at_meeting"}});
};

/// The kind of practice or provider an item marked "affects all" reaches: GP practices (the
/// default), or, for the pharmacy, dental and optometry service categories, every community
/// pharmacy, dental practice or optometrist.
enum class ProviderSector { gp_practices, community_pharmacies, dental_practices, optometrists };

/// The sector an item of this category reaches when it affects all practices.
ProviderSector sector_of(AgendaCategory category);
/// True when a financial stake in an organisation of this kind conflicts on items affecting the
/// whole sector: for GP practices, a practice, a GP federation or a primary care network.
bool in_sector(OrganisationKind kind, ProviderSector sector);
/// "all GP practices", "all community pharmacies", ...
std::string_view sector_phrase(ProviderSector sector);
template <>
struct EnumNames<Confidence> {
  static constexpr auto values = std::to_array<std::pair<Confidence, std::string_view>>(
      {{Confidence::certain, "certain"}, {Confidence::possible, "possible"}});
};

/// One reason why one person is (or may be) conflicted on one agenda item.
struct ConflictFlag {
  Id agenda_item_id = 0;
  Id person_id = 0;
  ConflictRule rule = ConflictRule::organisation;
  Confidence confidence = Confidence::certain;
  bool indirect = false;   // through a relative's or associate's interest
  bool financial = false;  // a financial conflict (drives the suggested action)
  // Rests on interests withheld from the public register. Such interests still count (the chair
  // must know the person is conflicted), but never share a flag with published ones, so that
  // their details can be left out of the flag as a whole (model/meetings/conflicts_report.hpp).
  bool withheld = false;
  std::string reason;      // plain English, naming the person, the organisation and the item
  std::vector<Id> interest_ids;
  std::vector<Id> gift_ids;
  std::string suggested_action;
};

/// Someone expected at the meeting: a member (with their committee role) or an attendee.
struct MeetingParticipant {
  Person person;
  std::optional<CommitteeRole> role;  // nullopt: an attendee who is not a member
  bool co_opted = false;              // co-opted for the whole meeting (role: voting)
};

/// What flagging needs. `interests` and `gifts` may hold more than the participants' (they are
/// ignored); `organisations` must hold every organisation the items, interests, gifts and
/// practices refer to, and the parents and children of the items' organisations. The rules read
/// only some fields, so a loader may leave the others empty (build_conflicts_report does): of an
/// interest, id, person_id, category, indirect, relationship, organisation_id, nature, from, to,
/// status and withheld; of a gift, id, person_id, kind, organisation_id, description,
/// value_pence, offered_on, outcome and status; of an organisation, id, name, identifier, kind
/// and parent_id. Interests and gifts naming no organisation are never flagged.
struct FlaggingInput {
  Date meeting_date;
  std::vector<AgendaItem> items;
  std::vector<MeetingParticipant> people;
  std::vector<Interest> interests;
  std::vector<Gift> gifts;
  std::vector<Organisation> organisations;
  // Declarations made at the meeting: one for an item by someone with no other flag on it (an
  // interest the register lacks, a co-opted member's own) flags them as possibly conflicted.
  std::vector<MeetingDeclaration> declarations{};
};

/// Settings local policy may change; the defaults are the national guidance.
struct FlaggingOptions {
  int gift_lookback_months = 12;  // gifts and hospitality in the 12 months before the meeting
  // A declined offer creates no obligation, so by default it does not flag; a body that wants
  // every offer from a bidder surfaced can turn this on.
  bool include_declined_gifts = false;
  // name_closeness (of the distinctive words) at or above which two organisation names are
  // flagged as possibly the same: 0.85 allows about one wrong letter in seven ("Brightwatter
  // Diagnostics" ~ "Brightwater Diagnostics", 0.96) while keeping "Riverside Surgery" and
  // "Riverdale Surgery" (0.67) or "Northgate" and "Southgate Medical Centre" (0.78) apart.
  double similar_name_threshold = 0.85;
};

/// The flags for one agenda item, ordered by participant (input order), then rule.
struct ItemFlags {
  Id agenda_item_id = 0;
  std::vector<ConflictFlag> flags;
};

/// True when the interest counts for conflict checks on `date`: submitted or approved (drafts
/// and returned entries do not; withheld ones do), from <= date and (no end or end >= date).
bool counts_for_conflicts_on(const Interest& interest, const Date& date);

/// Flags every item (in the order given) against every participant. Throws nothing.
///
/// Cost: building the indexes is O(I + G + O) for I interests, G gifts and O organisations
/// (organisation id -> interests in force, organisation id -> gifts in the window, exact name
/// key and identifier -> organisation ids, parent -> children). Each item then looks up only its
/// linked organisations and their parents and children: O(L + matching interests) per item,
/// never a scan of every interest per cell. The one comparison that cannot be indexed,
/// similar_name, compares each item's L linked names and title with the distinct organisations
/// the participants hold interests in (O_p, a few hundred at most): O(items x O_p x L) short
/// edit distances.
std::vector<ItemFlags> flag_conflicts(const FlaggingInput& input, const FlaggingOptions& options = {});

}  // namespace probity
