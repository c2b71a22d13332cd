#pragma once
// What a member should do with a gift or hospitality offered to them, under the national
// guidance's thresholds (configurable: local policies may be stricter).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/store/entities.hpp"

namespace probity {

/// The national figures. Boundaries are as the guidance words them: "up to £6" includes £6,
/// "£50 and over" includes £50, "£25 to £75" includes both ends, "over £75" starts at £75.01.
struct GiftThresholds {
  std::int64_t supplier_promotional_max_pence = 600;   // supplier gifts: promotional items up to £6 only
  std::int64_t gift_declare_from_pence = 5000;         // other gifts: £50 and over declared, on the body's behalf
  std::int64_t hospitality_declare_from_pence = 2500;  // hospitality: £25 and over declared
  std::int64_t hospitality_max_pence = 7500;           // hospitality: over £75 needs senior approval
  int aggregation_months = 12;                         // gifts from one source in this period count together
  // Hospitality from an actual or potential supplier or contractor is accepted only if modest and
  // reasonable, is declared whatever its value, and needs senior approval that governance records
  // (config "gifts": {"supplier_hospitality_needs_approval"}). On by default.
  bool supplier_hospitality_needs_approval = true;
};

enum class GiftDecision { must_decline, accept_and_declare, need_not_declare, needs_senior_approval };

template <>
struct EnumNames<GiftDecision> {
  static constexpr auto values = std::to_array<std::pair<GiftDecision, std::string_view>>(
      {{GiftDecision::must_decline, "must_decline"},
       {GiftDecision::accept_and_declare, "accept_and_declare"},
       {GiftDecision::need_not_declare, "need_not_declare"},
       {GiftDecision::needs_senior_approval, "needs_senior_approval"}});
};

struct GiftClassification {
  GiftDecision decision = GiftDecision::need_not_declare;
  bool on_behalf_of_organisation = false;  // gifts of £50 and over (alone or together) belong to the body
  std::int64_t running_total_pence = 0;    // this offer plus earlier gifts counted with it
  std::string explanation;                 // plain English, for the form to show before submit
  bool approval_required = false;          // governance must record senior approval (supplier hospitality)
};

/// True when two offers come from the same source: the same organisation on record when both
/// name one, otherwise the same source text ignoring case and surrounding spaces. Does not throw.
bool same_source(const Gift& a, const Gift& b);

/// Classifies `offer` against the thresholds. `earlier` may hold any of the person's gifts:
/// only accepted gifts from the same source, offered in the aggregation period up to and
/// including the offer's own date (`offer.offered_on`) and other than the offer itself, count
/// towards the running total. The window is anchored on the offer's date, not today's, so a gift
/// declared late is judged as on the day it was offered. Does not throw.
GiftClassification classify_offer(const Gift& offer, const std::vector<Gift>& earlier, const GiftThresholds& thresholds = {});

/// True when the supplier hospitality rule applies to this offer: the rule is on, and it is
/// hospitality (not cash) from a supplier or contractor. Throws nothing.
bool needs_recorded_approval(const Gift& gift, const GiftThresholds& thresholds);

/// True while an accepted offer that needs recorded approval has none yet: the declaration shows
/// "awaiting approval". Throws nothing.
bool awaiting_approval(const Gift& gift, const GiftThresholds& thresholds);

/// True when the approver and the reason are published with the entry: an approval is recorded
/// and the value is over the hospitality upper threshold (£75). Throws nothing.
bool approval_published(const Gift& gift, const GiftThresholds& thresholds);

}  // namespace probity
