#include "server/declaration_input.hpp"

#include <algorithm>

#include "model/database.hpp"
#include "model/organisation_store.hpp"
#include "server/http_error.hpp"

namespace probity {
namespace {
constexpr std::size_t kShortText = 200;
constexpr std::size_t kLongText = 2000;

std::string get(const Fields& in, const std::string& key) {
  auto it = in.find(key);
  return it == in.end() ? std::string() : it->second;
}

// Length in characters (UTF-8 code points), as the messages say.
std::size_t length(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

std::string text(const Fields& in, const std::string& key, const std::string& label, std::size_t max, FieldErrors& errors,
                 const char* required_message = nullptr) {
  std::string v = get(in, key);
  if (v.empty() && required_message) errors.add(key, required_message);
  else if (length(v) > max) errors.add(key, label + " must be " + std::to_string(max) + " characters or fewer");
  return v;
}

std::optional<Date> date(const Fields& in, const std::string& key, const std::string& label, FieldErrors& errors, bool required) {
  const std::string v = get(in, key);
  if (v.empty()) {
    if (required) errors.add(key, "Enter the " + label);
    return std::nullopt;
  }
  auto d = Date::parse(v);
  std::string cap = label;
  cap[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(cap[0])));
  if (!d) errors.add(key, cap + " must be a real date");
  else if (d->year() < 1900 || d->year() > 2200) errors.add(key, cap + " must be a real date");
  else return d;
  return std::nullopt;
}

std::optional<bool> yes_no(const Fields& in, const std::string& key, const char* message, FieldErrors& errors) {
  const std::string v = get(in, key);
  if (v == "yes" || v == "true") return true;
  if (v == "no" || v == "false") return false;
  errors.add(key, message);
  return std::nullopt;
}

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

std::optional<InterestInput> read_interest(const Fields& in, FieldErrors& errors) {
  InterestInput out;
  auto& i = out.interest;
  const std::string category = get(in, "category");
  if (auto c = enum_from_string<InterestCategory>(category)) i.category = *c;
  else errors.add("category", "Select the type of interest");
  i.indirect = i.category == InterestCategory::indirect;
  i.relationship = text(in, "relationship", "Who holds the interest", kShortText, errors,
                        i.indirect ? "Enter who holds the interest, for example spouse or business partner" : nullptr);
  if (!i.indirect) i.relationship.clear();
  out.organisation_name = text(in, "organisation_name", "Organisation name", kShortText, errors, "Enter the name of the organisation");
  out.organisation_identifier = text(in, "organisation_identifier", "Identifier", 20, errors);
  i.nature = text(in, "nature", "Nature of the interest", kLongText, errors, "Enter the nature of the interest");
  auto from = date(in, "from", "date the interest started", errors, true);
  auto to = date(in, "to", "date the interest ended", errors, false);
  if (from && to && *to < *from) errors.add("to", "The date the interest ended must be the same as or after the date it started");
  i.action_taken = text(in, "action_taken", "Action taken", kLongText, errors);
  if (!errors.empty()) return std::nullopt;
  i.from = *from;
  i.to = to;
  return out;
}

std::optional<Date> read_end_date(const Fields& in, const Interest& interest, FieldErrors& errors) {
  auto to = date(in, "to", "date the interest ended", errors, true);
  if (to && *to < interest.from) {
    errors.add("to", "The date the interest ended must be the same as or after the date it started (" + interest.from.iso() + ")");
    return std::nullopt;
  }
  return to;
}

std::optional<NilReturn> read_nil_return(const Fields& in, FieldErrors& errors) {
  NilReturn n;
  n.statement = text(in, "statement", "Statement", kLongText, errors, "Enter your statement");
  const auto confirm = get(in, "confirm");
  if (confirm != "yes" && confirm != "true") errors.add("confirm", "Confirm that the statement is true");
  if (!errors.empty()) return std::nullopt;
  return n;
}

std::optional<Gift> read_gift(const Fields& in, FieldErrors& errors, bool for_submit) {
  Gift g;
  if (auto k = enum_from_string<GiftKind>(get(in, "kind"))) g.kind = *k;
  else errors.add("kind", "Select whether it is a gift or hospitality");
  g.source = text(in, "source", "Who offered it", kShortText, errors, "Enter who offered it");
  if (auto v = yes_no(in, "from_supplier", "Select yes if it came from a supplier or contractor", errors)) g.from_supplier = *v;
  if (auto v = yes_no(in, "cash_or_voucher", "Select yes if it is cash or vouchers", errors)) g.cash_or_voucher = *v;
  g.description = text(in, "description", "Description", kLongText, errors, "Enter a description of what was offered");
  const std::string value = get(in, "value");
  if (value.empty()) errors.add("value", "Enter the value in pounds");
  else if (auto pence = parse_pounds(value[0] == '\xc2' && value.size() > 2 && value[1] == '\xa3' ? value.substr(2) : value)) g.value_pence = *pence;
  else errors.add("value", "Value must be an amount in pounds, like 30 or 12.50");
  if (auto d = date(in, "offered_on", "date it was offered", errors, true)) g.offered_on = *d;
  if (for_submit) {
    if (auto o = enum_from_string<GiftOutcome>(get(in, "outcome"))) g.outcome = *o;
    else errors.add("outcome", "Select whether you accepted or declined it");
    g.approved_by = text(in, "approved_by", "Senior approval", kShortText, errors);
  }
  if (!errors.empty()) return std::nullopt;
  return g;
}

void check_gift_outcome(const Gift& gift, const GiftClassification& c, FieldErrors& errors) {
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

Fields fields_from_form(const Form& form) {
  Fields out;
  for (const auto& [name, value] : form.fields()) out[name] = form.get(name);
  for (const char* d : {"from", "to", "offered_on", "left_on"}) {
    const std::string base = d;
    if (!form.has(base + "-day") && !form.has(base + "-month") && !form.has(base + "-year")) continue;
    const auto day = form.get(base + "-day"), month = form.get(base + "-month"), year = form.get(base + "-year");
    out[base] = (day.empty() && month.empty() && year.empty()) ? "" : pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2);
  }
  return out;
}

Fields fields_from_json(const std::string& body) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception&) {
    throw HttpError(400, "bad_json", "The request body is not valid JSON.");
  }
  if (!j.is_object()) throw HttpError(400, "bad_json", "The request body must be a JSON object.");
  Fields out;
  for (const auto& [key, value] : j.items()) {
    if (value.is_string()) {
      const auto s = value.get<std::string>();
      if (!is_clean_text(s)) throw HttpError(400, "bad_json", "The field '" + key + "' contains characters this service does not accept.");
      const auto b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
      out[key] = b == std::string::npos ? "" : s.substr(b, e - b + 1);
    } else if (value.is_boolean()) {
      out[key] = value.get<bool>() ? "yes" : "no";
    } else if (value.is_number()) {
      out[key] = value.dump();
    } else if (value.is_null()) {
      out[key] = "";
    } else {
      throw HttpError(400, "bad_json", "The field '" + key + "' must be text, a number or true/false.");
    }
  }
  return out;
}

void add_date_parts(nlohmann::json& view, const std::string& name, const Fields& fields) {
  auto part = [&](const char* suffix) {
    auto it = fields.find(name + suffix);
    return it == fields.end() ? std::optional<std::string>() : std::optional<std::string>(it->second);
  };
  if (part("-day") || part("-month") || part("-year")) {
    view[name + "_day"] = part("-day").value_or("");
    view[name + "_month"] = part("-month").value_or("");
    view[name + "_year"] = part("-year").value_or("");
    return;
  }
  auto it = fields.find(name);
  auto d = it == fields.end() ? std::nullopt : Date::parse(it->second);
  view[name + "_day"] = d ? std::to_string(d->day()) : "";
  view[name + "_month"] = d ? std::to_string(d->month()) : "";
  view[name + "_year"] = d ? std::to_string(d->year()) : "";
}

}  // namespace probity
