#include "model/register/declaration_rules.hpp"

#include "model/base/text.hpp"
#include "model/register/interest_kinds.hpp"

namespace probity {

std::optional<InterestInput> read_interest(const Fields& in, Problems& problems) {
  InterestInput out;
  auto& i = out.interest;
  const std::string category = in.get("category");
  if (auto c = enum_from_string<InterestCategory>(category)) i.category = *c;
  else problems.add("category", "Select the type of interest");
  i.indirect = i.category == InterestCategory::indirect;
  i.relationship = in.text("relationship", "Who holds the interest", kShortTextMax, problems,
                           i.indirect ? "Enter who holds the interest, for example spouse or business partner" : "");
  if (!i.indirect) i.relationship.clear();
  out.organisation_name = in.text("organisation_name", "Organisation name", kShortTextMax, problems, "Enter the name of the organisation");
  out.organisation_identifier = in.text("organisation_identifier", "Identifier", 20, problems);
  i.nature = in.text("nature", "Nature of the interest", kLongTextMax, problems, "Enter the nature of the interest");
  auto from = in.date("from", "date the interest started", problems, true);
  auto to = in.date("to", "date the interest ended", problems, false);
  if (from && to && *to < *from) problems.add("to", "The date the interest ended must be the same as or after the date it started");
  // When they became aware of it starts the 28-day clock; left empty, the start date stands in.
  auto aware = in.date("aware_on", "date you became aware of the interest", problems, false);
  i.action_taken = in.text("action_taken", "Action taken", kLongTextMax, problems);
  // The kind of interest and its own details; absent means other (older clients, the API).
  if (const std::string kind = in.get("kind"); !kind.empty()) {
    if (auto k = enum_from_string<InterestKind>(kind)) i.kind = *k;
    else problems.add("kind", "Select the kind of interest");
  }
  i.details = read_interest_details(i.kind, in, problems);
  if (!problems.empty()) return std::nullopt;
  i.from = *from;
  i.to = to;
  i.aware_on = aware ? aware : from;
  return out;
}

std::optional<Date> read_end_date(const Fields& in, const Interest& interest, Problems& problems) {
  auto to = in.date("to", "date the interest ended", problems, true);
  if (to && *to < interest.from) {
    problems.add("to", "The date the interest ended must be the same as or after the date it started (" + interest.from.iso() + ")");
    return std::nullopt;
  }
  return to;
}

std::optional<NilReturn> read_nil_return(const Fields& in, Problems& problems) {
  NilReturn n;
  n.statement = in.text("statement", "Statement", kLongTextMax, problems, "Enter your statement");
  const auto confirm = in.get("confirm");
  if (confirm != "yes" && confirm != "true") problems.add("confirm", "Confirm that the statement is true");
  if (!problems.empty()) return std::nullopt;
  return n;
}

std::optional<Gift> read_gift(const Fields& in, Problems& problems, bool for_submit) {
  Gift g;
  if (auto k = enum_from_string<GiftKind>(in.get("kind"))) g.kind = *k;
  else problems.add("kind", "Select whether it is a gift or hospitality");
  g.source = in.text("source", "Who offered it", kShortTextMax, problems, "Enter who offered it");
  if (auto v = in.yes_no("from_supplier", "Select yes if it came from a supplier or contractor", problems)) g.from_supplier = *v;
  if (auto v = in.yes_no("cash_or_voucher", "Select yes if it is cash or vouchers", problems)) g.cash_or_voucher = *v;
  g.description = in.text("description", "Description", kLongTextMax, problems, "Enter a description of what was offered");
  const std::string value = in.get("value");
  // "£30" as well as "30": the pound sign is two bytes in UTF-8.
  const bool pound_sign = value.size() > 2 && value[0] == '\xc2' && value[1] == '\xa3';
  if (value.empty()) problems.add("value", "Enter the value in pounds");
  else if (auto pence = parse_pounds(pound_sign ? value.substr(2) : value)) g.value_pence = *pence;
  else problems.add("value", "Value must be an amount in pounds, like 30 or 12.50");
  if (auto d = in.date("offered_on", "date it was offered", problems, true)) g.offered_on = *d;
  if (for_submit) {
    if (auto o = enum_from_string<GiftOutcome>(in.get("outcome"))) g.outcome = *o;
    else problems.add("outcome", "Select whether you accepted or declined it");
    g.approved_by = in.text("approved_by", "Senior approval", kShortTextMax, problems);
  }
  if (!problems.empty()) return std::nullopt;
  return g;
}

Problems gift_outcome_problems(const Gift& gift, const GiftClassification& c) {
  Problems out;
  if (gift.outcome != GiftOutcome::accepted) return out;
  if (c.decision == GiftDecision::must_decline)
    out.add("outcome", "This offer must be declined under the rules: record it as declined");
  else if (c.decision == GiftDecision::needs_senior_approval && gift.approved_by.empty())
    out.add("approved_by", "Enter who gave senior approval to accept it, or record it as declined");
  return out;
}

}  // namespace probity
