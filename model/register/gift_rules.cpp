#include "model/register/gift_rules.hpp"

#include <algorithm>

namespace probity {
namespace {

std::string pounds(std::int64_t pence) { return "£" + format_pounds(pence); }

std::string normalised(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  std::string out(s.substr(first, last - first + 1));
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

GiftClassification classify_hospitality(const Gift& offer, const GiftThresholds& t) {
  const std::int64_t v = offer.value_pence;
  const std::string worth = "This hospitality is worth " + pounds(v) + ". ";
  if (needs_recorded_approval(offer, t)) {
    GiftClassification c{GiftDecision::accept_and_declare, false, v,
                         worth + "Hospitality from a supplier or contractor may be accepted only if it is modest and "
                                 "reasonable. It must be declared, and it needs senior approval, which the governance team "
                                 "records: until then your declaration shows as awaiting approval.",
                         true};
    if (v > t.hospitality_max_pence)
      c.explanation += " Over " + pounds(t.hospitality_max_pence) + ", the approver and the reason are published with it.";
    return c;
  }
  if (v < t.hospitality_declare_from_pence)
    return {GiftDecision::need_not_declare, false, v,
            worth + "Hospitality worth less than " + pounds(t.hospitality_declare_from_pence) +
                " may be accepted and need not be declared."};
  if (v <= t.hospitality_max_pence)
    return {GiftDecision::accept_and_declare, false, v,
            worth + "Hospitality worth " + pounds(t.hospitality_declare_from_pence) + " to " + pounds(t.hospitality_max_pence) +
                " may be accepted and must be declared."};
  // Guidance: over the upper limit it is declined unless senior approval is given and recorded;
  // once the approver is recorded the offer is accepted and declared with that approval.
  if (!normalised(offer.approved_by).empty())
    return {GiftDecision::accept_and_declare, false, v,
            worth + "Hospitality worth more than " + pounds(t.hospitality_max_pence) + " was approved by " + offer.approved_by +
                ": it may be accepted and must be declared with that approval."};
  return {GiftDecision::needs_senior_approval, false, v,
          worth + "Hospitality worth more than " + pounds(t.hospitality_max_pence) +
              " must be declined unless a senior manager approves it; record who approved it."};
}

}  // namespace

bool needs_recorded_approval(const Gift& g, const GiftThresholds& t) {
  return t.supplier_hospitality_needs_approval && g.kind == GiftKind::hospitality && g.from_supplier && !g.cash_or_voucher;
}

bool awaiting_approval(const Gift& g, const GiftThresholds& t) {
  return needs_recorded_approval(g, t) && g.outcome == GiftOutcome::accepted && !g.approved_on;
}

bool approval_published(const Gift& g, const GiftThresholds& t) {
  return g.approved_on.has_value() && g.outcome == GiftOutcome::accepted && g.value_pence > t.hospitality_max_pence;
}

bool same_source(const Gift& a, const Gift& b) {
  if (a.organisation_id && b.organisation_id) return *a.organisation_id == *b.organisation_id;
  const std::string sa = normalised(a.source), sb = normalised(b.source);
  return !sa.empty() && sa == sb;
}

GiftClassification classify_offer(const Gift& offer, const std::vector<Gift>& earlier, const GiftThresholds& t) {
  const std::int64_t v = offer.value_pence;
  if (offer.cash_or_voucher)
    return {GiftDecision::must_decline, false, v, "Cash and vouchers must always be declined, whatever their value."};
  if (offer.kind == GiftKind::hospitality) return classify_hospitality(offer, t);

  const std::string worth = "This gift is worth " + pounds(v) + ". ";
  // The supplier rule stands apart from the £50 rule: anything above a promotional trinket is
  // declined outright, so there is nothing to add up.
  if (offer.from_supplier) {
    if (v <= t.supplier_promotional_max_pence)
      return {GiftDecision::need_not_declare, false, v,
              worth + "Low-value promotional items from a supplier or contractor, worth " +
                  pounds(t.supplier_promotional_max_pence) + " or less, may be accepted and need not be declared."};
    return {GiftDecision::must_decline, false, v,
            worth + "Gifts from suppliers or contractors must be declined, except low-value promotional items worth " +
                pounds(t.supplier_promotional_max_pence) + " or less."};
  }

  // "Several gifts from one source in a year that add up to £50 or more count together."
  // Declined gifts were never received, so they do not add up.
  const Date window_start = offer.offered_on.plus_months(-t.aggregation_months);
  std::int64_t earlier_total = 0;
  for (const Gift& g : earlier) {
    if (offer.id != 0 && g.id == offer.id) continue;
    if (g.kind != GiftKind::gift || g.outcome != GiftOutcome::accepted || g.cash_or_voucher) continue;
    if (g.offered_on <= window_start || g.offered_on > offer.offered_on) continue;
    if (!same_source(g, offer)) continue;
    earlier_total += g.value_pence;
  }
  const std::int64_t total = v + earlier_total;

  if (v >= t.gift_declare_from_pence)
    return {GiftDecision::accept_and_declare, true, total,
            worth + "Gifts worth " + pounds(t.gift_declare_from_pence) +
                " or more may be accepted only on behalf of the organisation, and must be declared."};
  if (total >= t.gift_declare_from_pence)
    return {GiftDecision::accept_and_declare, true, total,
            worth + "With other gifts from the same source in the last " + std::to_string(t.aggregation_months) +
                " months the total is " + pounds(total) + ". Gifts from one source that add up to " +
                pounds(t.gift_declare_from_pence) +
                " or more count together: this one may be accepted only on behalf of the organisation, and must be declared."};
  std::string text = worth + "Gifts worth less than " + pounds(t.gift_declare_from_pence) + " may be accepted and need not be declared.";
  if (earlier_total > 0)
    text += " With other gifts from the same source in the last " + std::to_string(t.aggregation_months) +
            " months the total is " + pounds(total) + ", still under " + pounds(t.gift_declare_from_pence) + ".";
  return {GiftDecision::need_not_declare, false, total, text};
}

}  // namespace probity
