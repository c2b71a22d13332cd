// The rules for what a member submits (model/register/declaration_rules.hpp): one plain-English message
// per wrong field, the same for a form and a JSON body, without a database.
#include <catch2/catch.hpp>

#include "model/register/declaration_rules.hpp"
#include "support.hpp"

using namespace probity;

namespace {
using probity::testing::d;

Fields interest(std::initializer_list<std::pair<const std::string, std::string>> changes = {}) {
  Fields f{{"category", "financial"}, {"organisation_name", "Riverside Surgery"}, {"organisation_identifier", "Y01234"},
           {"nature", "Partner"}, {"from", "2024-04-01"}};
  for (const auto& [k, v] : changes) f.set(k, v);
  return f;
}

Fields gift(std::initializer_list<std::pair<const std::string, std::string>> changes = {}) {
  Fields f{{"kind", "gift"}, {"source", "Acme Pharma"}, {"from_supplier", "no"}, {"cash_or_voucher", "no"},
           {"description", "A pen"}, {"value", "5"}, {"offered_on", "2025-04-01"}, {"outcome", "accepted"}};
  for (const auto& [k, v] : changes) f.set(k, v);
  return f;
}
}  // namespace

TEST_CASE("read_interest: a good interest reads; each mistake is one message on its field") {
  Problems p;
  auto good = read_interest(interest({{"to", "2025-03-31"}, {"relationship", "spouse"}}), p);
  REQUIRE(good);
  CHECK(p.empty());
  CHECK(good->interest.category == InterestCategory::financial);
  CHECK_FALSE(good->interest.indirect);
  CHECK(good->interest.relationship.empty());  // only an indirect interest has one
  CHECK(good->interest.from == d("2024-04-01"));
  CHECK(good->interest.to == d("2025-03-31"));
  CHECK(good->organisation_name == "Riverside Surgery");
  CHECK(good->organisation_identifier == "Y01234");

  Problems bad;
  CHECK_FALSE(read_interest(interest({{"category", "bribery"}, {"nature", ""}, {"from", "2025-02-30"}, {"organisation_name", ""},
                                      {"organisation_identifier", std::string(21, '1')}}),
                            bad));
  CHECK(bad.message("category") == "Select the type of interest");
  CHECK(bad.message("nature") == "Enter the nature of the interest");
  CHECK(bad.message("from") == "Date the interest started must be a real date");
  CHECK(bad.message("organisation_name") == "Enter the name of the organisation");
  CHECK(bad.message("organisation_identifier") == "Identifier must be 20 characters or fewer");

  Problems indirect;
  CHECK_FALSE(read_interest(interest({{"category", "indirect"}}), indirect));
  CHECK(indirect.message("relationship") == "Enter who holds the interest, for example spouse or business partner");

  Problems backwards;
  CHECK_FALSE(read_interest(interest({{"to", "2024-03-31"}}), backwards));
  CHECK(backwards.message("to") == "The date the interest ended must be the same as or after the date it started");

  Problems long_nature;
  CHECK_FALSE(read_interest(interest({{"nature", std::string(5001, 'n')}}), long_nature));
  CHECK(long_nature.message("nature") == "Nature of the interest must be 5000 characters or fewer");
}

TEST_CASE("read_end_date: required, a real date, not before the interest started") {
  Interest i;
  i.from = d("2024-04-01");
  Problems p;
  CHECK(read_end_date(Fields{{"to", "2025-03-31"}}, i, p) == d("2025-03-31"));
  Problems missing;
  CHECK_FALSE(read_end_date(Fields{}, i, missing));
  CHECK(missing.message("to") == "Enter the date the interest ended");
  Problems before;
  CHECK_FALSE(read_end_date(Fields{{"to", "2024-03-31"}}, i, before));
  CHECK(before.message("to") == "The date the interest ended must be the same as or after the date it started (2024-04-01)");
}

TEST_CASE("read_nil_return: a statement, confirmed") {
  Problems p;
  auto n = read_nil_return(Fields{{"statement", " Nothing to declare "}, {"confirm", "yes"}}, p);
  REQUIRE(n);
  CHECK(n->statement == "Nothing to declare");
  CHECK(read_nil_return(Fields{{"statement", "x"}, {"confirm", "true"}}, p));
  Problems bad;
  CHECK_FALSE(read_nil_return(Fields{{"statement", ""}, {"confirm", "maybe"}}, bad));
  CHECK(bad.message("statement") == "Enter your statement");
  CHECK(bad.message("confirm") == "Confirm that the statement is true");
}

TEST_CASE("read_gift: value in pounds (with or without £), outcome only when submitting") {
  Problems p;
  auto g = read_gift(gift({{"value", "\xc2\xa3" "12.50"}}), p, true);
  REQUIRE(g);
  CHECK(g->value_pence == 1250);
  CHECK(g->offered_on == d("2025-04-01"));
  CHECK(g->outcome == GiftOutcome::accepted);

  Problems check;
  CHECK(read_gift(gift({{"outcome", ""}}), check, false));  // a check does not need the outcome yet
  Problems submit;
  CHECK_FALSE(read_gift(gift({{"outcome", "kept"}}), submit, true));
  CHECK(submit.message("outcome") == "Select whether you accepted or declined it");

  Problems bad;
  CHECK_FALSE(read_gift(gift({{"kind", "cash"}, {"value", "-5"}, {"from_supplier", "maybe"}, {"source", ""}}), bad, false));
  CHECK(bad.message("kind") == "Select whether it is a gift or hospitality");
  CHECK(bad.message("value") == "Value must be an amount in pounds, like 30 or 12.50");
  CHECK(bad.message("from_supplier") == "Select yes if it came from a supplier or contractor");
  CHECK(bad.message("source") == "Enter who offered it");
  Problems empty_value;
  CHECK_FALSE(read_gift(gift({{"value", ""}}), empty_value, false));
  CHECK(empty_value.message("value") == "Enter the value in pounds");
}

TEST_CASE("gift_outcome_problems: an offer to decline cannot be accepted; senior approval where needed") {
  Gift g;
  g.outcome = GiftOutcome::accepted;
  GiftClassification c;
  c.decision = GiftDecision::must_decline;
  CHECK(gift_outcome_problems(g, c).message("outcome") == "This offer must be declined under the rules: record it as declined");
  c.decision = GiftDecision::needs_senior_approval;
  CHECK(gift_outcome_problems(g, c).message("approved_by") ==
        "Enter who gave senior approval to accept it, or record it as declined");
  g.approved_by = "Director of Finance";
  CHECK(gift_outcome_problems(g, c).empty());
  g.outcome = GiftOutcome::declined;
  c.decision = GiftDecision::must_decline;
  CHECK(gift_outcome_problems(g, c).empty());
}
