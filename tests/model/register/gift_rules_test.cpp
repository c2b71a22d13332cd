#include <catch2/catch.hpp>

#include "model/register/gift_rules.hpp"

using namespace probity;

namespace {
Gift offer(GiftKind kind, std::int64_t pence, const std::string& offered_on = "2025-06-10") {
  Gift g;
  g.kind = kind;
  g.source = "Acme Diagnostics Ltd";
  g.description = "Offer";
  g.value_pence = pence;
  g.offered_on = *Date::parse(offered_on);
  g.declared_on = g.offered_on;
  return g;
}
Gift earlier_gift(Id id, std::int64_t pence, const std::string& offered_on, const std::string& source = "Acme Diagnostics Ltd") {
  Gift g = offer(GiftKind::gift, pence, offered_on);
  g.id = id;
  g.source = source;
  return g;
}
}  // namespace

TEST_CASE("gifts from sources other than suppliers: under £50 need not be declared, £50 and over are declared") {
  auto [pence, decision, on_behalf] = GENERATE(table<std::int64_t, GiftDecision, bool>({
      {0, GiftDecision::need_not_declare, false},
      {4999, GiftDecision::need_not_declare, false},
      {5000, GiftDecision::accept_and_declare, true},
      {5001, GiftDecision::accept_and_declare, true},
      {50000, GiftDecision::accept_and_declare, true},
  }));
  CAPTURE(pence);
  auto c = classify_offer(offer(GiftKind::gift, pence), {});
  CHECK(c.decision == decision);
  CHECK(c.on_behalf_of_organisation == on_behalf);
  CHECK(c.running_total_pence == pence);
}

TEST_CASE("gifts from suppliers or contractors are declined except promotional items up to £6") {
  auto [pence, decision] = GENERATE(table<std::int64_t, GiftDecision>({
      {100, GiftDecision::need_not_declare},
      {599, GiftDecision::need_not_declare},
      {600, GiftDecision::need_not_declare},
      {601, GiftDecision::must_decline},
      {5000, GiftDecision::must_decline},
  }));
  CAPTURE(pence);
  Gift g = offer(GiftKind::gift, pence);
  g.from_supplier = true;
  CHECK(classify_offer(g, {}).decision == decision);
}

TEST_CASE("cash and vouchers are always declined, whatever the value or source") {
  auto [kind, pence, supplier] = GENERATE(table<GiftKind, std::int64_t, bool>({
      {GiftKind::gift, 1, false}, {GiftKind::gift, 500, true}, {GiftKind::gift, 10000, false}, {GiftKind::hospitality, 1000, false}}));
  CAPTURE(to_string(kind), pence, supplier);
  Gift g = offer(kind, pence);
  g.cash_or_voucher = true;
  g.from_supplier = supplier;
  auto c = classify_offer(g, {});
  CHECK(c.decision == GiftDecision::must_decline);
  CHECK(c.explanation == "Cash and vouchers must always be declined, whatever their value.");
}

TEST_CASE("hospitality: under £25 need not be declared, £25 to £75 declared, over £75 needs senior approval") {
  auto [pence, approved_by, decision] = GENERATE(table<std::int64_t, std::string, GiftDecision>({
      {0, "", GiftDecision::need_not_declare},
      {2499, "", GiftDecision::need_not_declare},
      {2500, "", GiftDecision::accept_and_declare},
      {2501, "", GiftDecision::accept_and_declare},
      {7499, "", GiftDecision::accept_and_declare},
      {7500, "", GiftDecision::accept_and_declare},
      {7501, "", GiftDecision::needs_senior_approval},
      {20000, "", GiftDecision::needs_senior_approval},
      {20000, "   ", GiftDecision::needs_senior_approval},  // blank is not an approval
      {7501, "Jo Reed, Director of Governance", GiftDecision::accept_and_declare},
  }));
  CAPTURE(pence, approved_by);
  Gift g = offer(GiftKind::hospitality, pence);
  g.approved_by = approved_by;
  auto c = classify_offer(g, {});
  CHECK(c.decision == decision);
  CHECK_FALSE(c.on_behalf_of_organisation);
}

TEST_CASE("several gifts from one source in 12 months count together") {
  const std::vector<Gift> earlier = {
      earlier_gift(1, 2000, "2024-06-10"),  // exactly 12 months before: outside the window
      earlier_gift(2, 1500, "2024-06-11"),  // first day inside the window
      earlier_gift(3, 1000, "2025-01-15"),
      earlier_gift(4, 9000, "2025-02-01", "Other Supplies plc"),  // another source
      earlier_gift(5, 9000, "2025-07-01"),  // after the offer: not earlier
  };
  // Earlier gifts inside the window from this source: £15 + £10 = £25.
  auto [pence, decision, total] = GENERATE(table<std::int64_t, GiftDecision, std::int64_t>({
      {2000, GiftDecision::need_not_declare, 4500},
      {2499, GiftDecision::need_not_declare, 4999},
      {2500, GiftDecision::accept_and_declare, 5000},
      {2501, GiftDecision::accept_and_declare, 5001},
  }));
  CAPTURE(pence);
  auto c = classify_offer(offer(GiftKind::gift, pence), earlier);
  CHECK(c.decision == decision);
  CHECK(c.running_total_pence == total);
  CHECK(c.on_behalf_of_organisation == (decision == GiftDecision::accept_and_declare));
}

TEST_CASE("the running total ignores declined gifts, hospitality and the offer itself") {
  Gift declined = earlier_gift(1, 4000, "2025-03-01");
  declined.outcome = GiftOutcome::declined;
  Gift lunch = earlier_gift(2, 4000, "2025-03-02");
  lunch.kind = GiftKind::hospitality;
  Gift self = earlier_gift(3, 4000, "2025-06-10");  // an earlier version of the offer being edited
  Gift same_name_other_case = earlier_gift(4, 500, "2025-04-01", "  acme diagnostics LTD ");
  Gift o = offer(GiftKind::gift, 4000);
  o.id = 3;
  auto c = classify_offer(o, {declined, lunch, self, same_name_other_case});
  CHECK(c.running_total_pence == 4500);
  CHECK(c.decision == GiftDecision::need_not_declare);
}

TEST_CASE("sources match by organisation on record when both name one") {
  Gift a = earlier_gift(1, 100, "2025-01-01", "Acme");
  Gift b = earlier_gift(2, 100, "2025-01-01", "Acme Diagnostics (Leeds branch)");
  CHECK_FALSE(same_source(a, b));
  a.organisation_id = 7;
  b.organisation_id = 7;
  CHECK(same_source(a, b));
  b.organisation_id = 8;
  CHECK_FALSE(same_source(a, b));
  Gift blank1 = earlier_gift(3, 100, "2025-01-01", "");
  Gift blank2 = earlier_gift(4, 100, "2025-01-01", " ");
  CHECK_FALSE(same_source(blank1, blank2));  // unknown sources are not assumed to be one
}

TEST_CASE("thresholds are configurable") {
  GiftThresholds strict;
  strict.gift_declare_from_pence = 2500;
  strict.hospitality_max_pence = 5000;
  CHECK(classify_offer(offer(GiftKind::gift, 2500), {}, strict).decision == GiftDecision::accept_and_declare);
  CHECK(classify_offer(offer(GiftKind::hospitality, 5001), {}, strict).decision == GiftDecision::needs_senior_approval);
  strict.aggregation_months = 1;
  CHECK(classify_offer(offer(GiftKind::gift, 2000), {earlier_gift(1, 2000, "2025-04-01")}, strict).running_total_pence == 2000);
}

TEST_CASE("the explanation tells the member what to do and why, with the amounts") {
  Gift supplier = offer(GiftKind::gift, 750);
  supplier.from_supplier = true;
  CHECK(classify_offer(supplier, {}).explanation ==
        "This gift is worth £7.50. Gifts from suppliers or contractors must be declined, except low-value promotional "
        "items worth £6.00 or less.");
  CHECK(classify_offer(offer(GiftKind::gift, 2000), {earlier_gift(1, 3500, "2025-05-01")}).explanation ==
        "This gift is worth £20.00. With other gifts from the same source in the last 12 months the total is £55.00. "
        "Gifts from one source that add up to £50.00 or more count together: this one may be accepted only on behalf "
        "of the organisation, and must be declared.");
  CHECK(classify_offer(offer(GiftKind::gift, 2000), {earlier_gift(1, 1000, "2025-05-01")}).explanation ==
        "This gift is worth £20.00. Gifts worth less than £50.00 may be accepted and need not be declared. With other "
        "gifts from the same source in the last 12 months the total is £30.00, still under £50.00.");
  CHECK(classify_offer(offer(GiftKind::hospitality, 9000), {}).explanation ==
        "This hospitality is worth £90.00. Hospitality worth more than £75.00 must be declined unless a senior manager "
        "approves it; record who approved it.");
  CHECK(classify_offer(offer(GiftKind::hospitality, 3000), {}).explanation ==
        "This hospitality is worth £30.00. Hospitality worth £25.00 to £75.00 may be accepted and must be declared.");
}

// ---- Hospitality from suppliers: accepted only with senior approval that governance records ----

TEST_CASE("hospitality from a supplier needs recorded approval when the rule is on, and not when it is off") {
  Gift g = offer(GiftKind::hospitality, 3000);
  g.from_supplier = true;
  GiftThresholds on;
  auto c = classify_offer(g, {}, on);
  CHECK(c.approval_required);
  CHECK(c.decision == GiftDecision::accept_and_declare);  // declared, whatever its value
  CHECK(needs_recorded_approval(g, on));
  CHECK(awaiting_approval(g, on));

  GiftThresholds off;
  off.supplier_hospitality_needs_approval = false;
  CHECK_FALSE(classify_offer(g, {}, off).approval_required);
  CHECK_FALSE(awaiting_approval(g, off));

  Gift not_supplier = offer(GiftKind::hospitality, 3000);
  CHECK_FALSE(awaiting_approval(not_supplier, on));
  Gift declined = g;
  declined.outcome = GiftOutcome::declined;
  CHECK_FALSE(awaiting_approval(declined, on));
  Gift approved = g;
  approved.approved_on = *Date::parse("2025-06-11");
  CHECK_FALSE(awaiting_approval(approved, on));
}

TEST_CASE("a supplier's hospitality approval is published only over the upper threshold") {
  GiftThresholds t;
  Gift g = offer(GiftKind::hospitality, 7500);
  g.from_supplier = true;
  g.approved_by = "Sarah Whitfield";
  g.approved_on = *Date::parse("2025-06-11");
  CHECK_FALSE(approval_published(g, t));  // £75 is not over £75
  g.value_pence = 7501;
  CHECK(approval_published(g, t));
  g.approved_on.reset();
  CHECK_FALSE(approval_published(g, t));  // nothing recorded, nothing published
}
