#include "server/declaration_input.hpp"

#include <algorithm>

#include "model/database.hpp"
#include "model/text.hpp"
#include "model/organisation_store.hpp"
#include "server/http_error.hpp"

namespace probity {
namespace {
std::string pad(const std::string& s, std::size_t width) {
  if (s.empty() || s.size() > width || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return s;
  return std::string(width - s.size(), '0') + s;
}
}  // namespace

const std::map<std::string, std::string>& field_ids() {
  static const std::map<std::string, std::string> ids = {
      {"from", "from-day"}, {"to", "to-day"}, {"offered_on", "offered_on-day"}, {"category", "category-financial"},
      {"kind", "kind-gift"}, {"from_supplier", "from_supplier-yes"}, {"cash_or_voucher", "cash_or_voucher-yes"},
      {"outcome", "outcome-accepted"}, {"confirm", "confirm"}, {"left_on", "left_on-day"}, {"decision", "decision-approve"}};
  return ids;
}

std::optional<InterestInput> read_interest(const Fields& in, Problems& errors) {
  InterestInput out;
  auto& i = out.interest;
  const std::string category = in.get("category");
  if (auto c = enum_from_string<InterestCategory>(category)) i.category = *c;
  else errors.add("category", "Select the type of interest");
  i.indirect = i.category == InterestCategory::indirect;
  i.relationship = in.text("relationship", "Who holds the interest", kShortTextMax, errors,
                        i.indirect ? "Enter who holds the interest, for example spouse or business partner" : "");
  if (!i.indirect) i.relationship.clear();
  out.organisation_name = in.text("organisation_name", "Organisation name", kShortTextMax, errors, "Enter the name of the organisation");
  out.organisation_identifier = in.text("organisation_identifier", "Identifier", 20, errors);
  i.nature = in.text("nature", "Nature of the interest", kLongTextMax, errors, "Enter the nature of the interest");
  auto from = in.date("from", "date the interest started", errors, true);
  auto to = in.date("to", "date the interest ended", errors, false);
  if (from && to && *to < *from) errors.add("to", "The date the interest ended must be the same as or after the date it started");
  i.action_taken = in.text("action_taken", "Action taken", kLongTextMax, errors);
  if (!errors.empty()) return std::nullopt;
  i.from = *from;
  i.to = to;
  return out;
}

std::optional<Date> read_end_date(const Fields& in, const Interest& interest, Problems& errors) {
  auto to = in.date("to", "date the interest ended", errors, true);
  if (to && *to < interest.from) {
    errors.add("to", "The date the interest ended must be the same as or after the date it started (" + interest.from.iso() + ")");
    return std::nullopt;
  }
  return to;
}

std::optional<NilReturn> read_nil_return(const Fields& in, Problems& errors) {
  NilReturn n;
  n.statement = in.text("statement", "Statement", kLongTextMax, errors, "Enter your statement");
  const auto confirm = in.get("confirm");
  if (confirm != "yes" && confirm != "true") errors.add("confirm", "Confirm that the statement is true");
  if (!errors.empty()) return std::nullopt;
  return n;
}

std::optional<Gift> read_gift(const Fields& in, Problems& errors, bool for_submit) {
  Gift g;
  if (auto k = enum_from_string<GiftKind>(in.get("kind"))) g.kind = *k;
  else errors.add("kind", "Select whether it is a gift or hospitality");
  g.source = in.text("source", "Who offered it", kShortTextMax, errors, "Enter who offered it");
  if (auto v = in.yes_no("from_supplier", "Select yes if it came from a supplier or contractor", errors)) g.from_supplier = *v;
  if (auto v = in.yes_no("cash_or_voucher", "Select yes if it is cash or vouchers", errors)) g.cash_or_voucher = *v;
  g.description = in.text("description", "Description", kLongTextMax, errors, "Enter a description of what was offered");
  const std::string value = in.get("value");
  if (value.empty()) errors.add("value", "Enter the value in pounds");
  else if (auto pence = parse_pounds(value[0] == '\xc2' && value.size() > 2 && value[1] == '\xa3' ? value.substr(2) : value)) g.value_pence = *pence;
  else errors.add("value", "Value must be an amount in pounds, like 30 or 12.50");
  if (auto d = in.date("offered_on", "date it was offered", errors, true)) g.offered_on = *d;
  if (for_submit) {
    if (auto o = enum_from_string<GiftOutcome>(in.get("outcome"))) g.outcome = *o;
    else errors.add("outcome", "Select whether you accepted or declined it");
    g.approved_by = in.text("approved_by", "Senior approval", kShortTextMax, errors);
  }
  if (!errors.empty()) return std::nullopt;
  return g;
}

void check_gift_outcome(const Gift& gift, const GiftClassification& c, Problems& errors) {
  if (gift.outcome != GiftOutcome::accepted) return;
  if (c.decision == GiftDecision::must_decline)
    errors.add("outcome", "This offer must be declined under the rules: record it as declined");
  else if (c.decision == GiftDecision::needs_senior_approval && gift.approved_by.empty())
    errors.add("approved_by", "Enter who gave senior approval to accept it, or record it as declined");
}

Id resolve_organisation(SQLite::Database& db, const std::string& name, const std::string& identifier, const std::string& actor) {
  OrganisationStore orgs(db);
  if (auto o = orgs.find_by_identifier(identifier)) return o->id;
  auto same = orgs.select("WHERE lower(name) = lower(?)", [&](SQLite::Statement& s) { s.bind(1, name); });
  if (!same.empty()) return same.front().id;
  Organisation o;
  o.name = name;
  o.identifier = identifier;
  o.kind = OrganisationKind::other;
  orgs.save(o, actor);
  return o.id;
}

Fields fields_from_form(const Fields& form) {
  Fields out;
  for (const auto& [name, value] : form.all()) out.set(name, form.get(name));
  for (const char* d : {"from", "to", "offered_on", "left_on"}) {
    const std::string base = d;
    if (!form.has(base + "-day") && !form.has(base + "-month") && !form.has(base + "-year")) continue;
    const auto day = form.get(base + "-day"), month = form.get(base + "-month"), year = form.get(base + "-year");
    out.set(base, (day.empty() && month.empty() && year.empty()) ? "" : pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2));
  }
  return out;
}

Fields fields_from_json(const std::string& body) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception&) {
    throw HttpError(400, "invalid_json", "The request body is not valid JSON.");
  }
  try {
    return Fields::from_json(j);
  } catch (const InputError& e) {
    throw HttpError(400, "invalid_json", e.what());
  }
}

void add_date_parts(nlohmann::json& view, const std::string& name, const Fields& fields) {
  auto part = [&](const char* suffix) {
    return fields.has(name + suffix) ? std::optional<std::string>(fields.raw(name + suffix)) : std::nullopt;
  };
  if (part("-day") || part("-month") || part("-year")) {
    view[name + "_day"] = part("-day").value_or("");
    view[name + "_month"] = part("-month").value_or("");
    view[name + "_year"] = part("-year").value_or("");
    return;
  }
  auto d = Date::parse(fields.raw(name));
  view[name + "_day"] = d ? std::to_string(d->day()) : "";
  view[name + "_month"] = d ? std::to_string(d->month()) : "";
  view[name + "_year"] = d ? std::to_string(d->year()) : "";
}

}  // namespace probity
