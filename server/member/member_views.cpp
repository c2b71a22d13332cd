#include "server/member/member_views.hpp"

#include "model/public/register_labels.hpp"
#include "model/register/withholding_requests.hpp"

#include <algorithm>

#include "model/register/publication_rules.hpp"
#include "model/register/year_store.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/interest_kinds.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_store.hpp"
#include "model/register/review_store.hpp"

namespace probity {
namespace {
using json = nlohmann::json;

const std::vector<FieldOption>& category_options() {
  static const std::vector<FieldOption> o = {
      {"financial", "Financial",
       "You could gain or lose money from it: for example a partnership in a GP practice, a directorship, shares, paid "
       "employment or consultancy, private practice, or a patent."},
      {"non_financial_professional", "Non-financial professional",
       "Your professional standing or career could benefit: for example an advisory role, membership of a body that lobbies, "
       "research sponsorship, or speaking at events."},
      {"non_financial_personal", "Non-financial personal",
       "A personal benefit that is not money: for example a voluntary role, being a trustee of a charity, or membership of a "
       "campaign group."},
      {"indirect", "Indirect",
       "Held by someone close to you (a spouse, partner, parent, child, close friend or business partner) and would be one of "
       "the types above if it were yours."},
  };
  return o;
}

std::string category_label(InterestCategory c) {
  for (const auto& o : category_options())
    if (o.value == to_string(c)) return o.label;
  return std::string(to_string(c));
}

json interest_row(SQLite::Database& db, const Interest& i, const Date& on) {
  return {{"id", i.id},
          {"review_comment", review_comment(db, "interest", i.id, i.status)},
          {"returned", i.status == DeclarationStatus::returned},
          {"category", category_label(i.category)},
          {"organisation", organisation_name(db, i.organisation_id)},
          {"nature", i.nature},
          {"from", i.from.iso()},
          {"to", i.to ? json(i.to->iso()) : json(false)},
          {"ended", i.to && *i.to < on},
          {"status", status_label(i.status)},
          {"withheld", i.withheld}};
}

json form_base(const Fields& f, const Problems& errors, const std::string& title) {
  json v = error_view(errors, field_ids());
  v["title"] = (errors.empty() ? "" : "Error: ") + title;
  v["heading"] = title;
  (void)f;
  return v;
}
}  // namespace

// What governance said when it returned a declaration, so the member knows what to put right.
json review_comment(SQLite::Database& db, const std::string& kind, Id id, DeclarationStatus status) {
  if (status != DeclarationStatus::returned) return false;
  auto r = ReviewStore(db).latest_for(kind, id);
  return r && !r->comment.empty() ? json(r->comment) : json(false);
}

std::string status_label(DeclarationStatus s) {
  switch (s) {
    case DeclarationStatus::draft: return "Draft";
    case DeclarationStatus::submitted: return "Submitted";
    case DeclarationStatus::approved: return "Approved";
    case DeclarationStatus::returned: return "Returned to you";
  }
  return "";
}

std::string organisation_name(SQLite::Database& db, const std::optional<Id>& id) {
  if (!id) return "";
  auto o = OrganisationStore(db).find(*id);
  return o ? o->name : "";
}

// Why something is due, in the member's words: "you took up post on …", "the annual
// confirmation for 2026 to 2027 is due".
std::string because(const YearEvent& e) {
  if (e.kind == YearEventKind::annual) return "the annual confirmation for " + e.about + " is due";
  if (e.kind == YearEventKind::leaving) return "you leave on " + e.about;
  return "you " + describe_event(e);
}

json my_year_view(const PersonYear& y) {
  std::string headline;
  json lines = json::array();
  const bool annual = y.reason && y.reason->kind == YearEventKind::annual;
  switch (y.state) {
    case YearState::up_to_date:
      headline = "Up to date";
      if (y.next_annual_due) lines.push_back("Your next annual confirmation is due by " + long_date(*y.next_annual_due) + ".");
      break;
    case YearState::due:
      headline = annual ? "Your annual confirmation is due by " + long_date(*y.due_by)
                        : "A declaration is due by " + long_date(*y.due_by) + ", because " + because(*y.reason);
      break;
    case YearState::overdue:
    case YearState::never_declared:
      headline = (y.state == YearState::never_declared ? "You have not made a declaration yet. Overdue since " : "Overdue since ") +
                 long_date(*y.overdue_since) + ", because " + because(*y.reason) + " (due by " + long_date(y.reason->due_by) + ")";
      break;
  }
  for (std::size_t i = 1; i < y.open.size(); ++i)
    lines.push_back("Also due by " + long_date(y.open[i].due_by) + ": " + describe_event(y.open[i]) + ".");
  for (const auto& c : y.contradictions)
    lines.push_back("Your nil return of " + long_date(c.made_on) +
                    " says you have nothing to declare, but you hold interests on the register: it does not count. Confirm your "
                    "entries instead.");
  json late = json::array();
  for (const auto& l : y.late)
    late.push_back("\"" + l.nature + "\" was declared on " + long_date(l.declared_on) + ", " + std::to_string(l.days_late) +
                   (l.days_late == 1 ? " day" : " days") + " after it was due (" + long_date(l.due_by) + ").");
  return {{"state", to_string(y.state)},
          {"label", state_label(y.state)},
          {"headline", headline},
          {"lines", lines},
          {"has_lines", !lines.empty()},
          {"up_to_date", y.state == YearState::up_to_date},
          {"overdue", y.state == YearState::overdue || y.state == YearState::never_declared},
          {"due_by", y.due_by ? json(y.due_by->iso()) : json(nullptr)},
          {"overdue_since", y.overdue_since ? json(y.overdue_since->iso()) : json(nullptr)},
          {"reason", y.reason ? json(describe_event(*y.reason)) : json(nullptr)},
          {"event", y.reason ? json(y.reason->id) : json(nullptr)},
          {"next_annual_due", y.next_annual_due ? json(y.next_annual_due->iso()) : json(nullptr)},
          {"last_confirmed_on", y.last_confirmed_on ? json(y.last_confirmed_on->iso()) : json(nullptr)},
          {"confirmed_this_year", y.confirmed_this_year},
          {"year", year_label(y.year_start)},
          {"late", late},
          {"has_late", !late.empty()}};
}

PersonYear person_year(SQLite::Database& db, Id person_id, const Date& on, const YearRules& rules) {
  auto records = load_year_records(db, person_id);
  return records.empty() ? PersonYear{} : year_state_on(records.front(), on, rules);
}

json dashboard_view(SQLite::Database& db, Id person_id, const Date& on, const YearRules& rules) {
  auto person = PersonStore(db).find(person_id);
  auto interests = InterestStore(db).for_person(person_id);
  auto nils = NilReturnStore(db).for_person(person_id);
  auto gifts = GiftStore(db).for_person(person_id);
  const PersonYear year = person_year(db, person_id, on, rules);

  // `due` is the API's list of sentences; `due_items` the page's, each with its link to put it right.
  json due = json::array(), due_items = json::array();
  auto add_due = [&](const std::string& text, const std::string& href, const std::string& what) {
    due.push_back(text);
    due_items.push_back({{"text", text}, {"href", href}, {"what", what}});
  };
  for (const auto& i : interests)
    if (i.status == DeclarationStatus::returned)
      add_due("Your interest \"" + i.nature + "\" was returned to you: change it and submit it again.",
              "/my/interests/" + std::to_string(i.id) + "/edit", "interest: " + i.nature);

  // Returned gifts and nil returns are due too: until the member changes them they are neither
  // approved nor back in the queue.
  for (const auto& g : gifts)
    if (g.status == DeclarationStatus::returned)
      add_due(std::string(g.kind == GiftKind::gift ? "Your gift" : "Your hospitality") + " from " + g.source +
                  " was returned to you: change it and submit it again.",
              "/my/gifts/" + std::to_string(g.id) + "/edit", std::string(g.kind == GiftKind::gift ? "gift" : "hospitality") + " from " + g.source);
  for (const auto& n : nils)
    if (n.status == DeclarationStatus::returned)
      add_due("Your nil return of " + long_date(n.made_on) + " was returned to you: change it and submit it again.",
              "/my/nil-returns/" + std::to_string(n.id) + "/edit", "nil return of " + long_date(n.made_on));

  // Interests first declared at a meeting and not yet on the register: each with a link to the
  // interest form pre-filled from what was said.
  json from_meetings = json::array();
  for (const auto& e : year.open)
    if (e.kind == YearEventKind::declared_at_meeting && e.meeting_declaration_id) {
      const bool late = e.due_by < on;
      from_meetings.push_back(
          {{"text", "At " + e.meeting + " on " + long_date(e.on) + " you declared \"" + e.about + "\", which is not on the register: " +
                        (late ? "it was due by " : "declare it by ") + long_date(e.due_by) + "."},
           {"meeting", e.meeting},
           {"on", long_date(e.on)},
           {"due_by", e.due_by.iso()},
           {"overdue", late},
           {"meeting_declaration_id", *e.meeting_declaration_id},
           {"href", "/my/interests/new?meeting_declaration=" + std::to_string(*e.meeting_declaration_id)}});
    }

  json current = json::array(), ended = json::array();
  for (const auto& i : interests) (i.to && *i.to < on ? ended : current).push_back(interest_row(db, i, on));
  json gift_rows = json::array();
  for (const auto& g : gifts)
    gift_rows.push_back({{"id", g.id}, {"kind", g.kind == GiftKind::gift ? "Gift" : "Hospitality"}, {"source", g.source},
                         {"description", g.description}, {"value", format_pounds(g.value_pence)}, {"offered_on", g.offered_on.iso()},
                         {"outcome", g.outcome == GiftOutcome::accepted ? "Accepted" : "Declined"}, {"status", status_label(g.status)},
                         {"returned", g.status == DeclarationStatus::returned},
                         {"review_comment", review_comment(db, "gift", g.id, g.status)}});
  json nil_rows = json::array();
  for (const auto& n : nils)
    nil_rows.push_back({{"id", n.id}, {"made_on", n.made_on.iso()}, {"statement", n.statement}, {"status", status_label(n.status)},
                        {"returned", n.status == DeclarationStatus::returned},
                        {"review_comment", review_comment(db, "nil_return", n.id, n.status)}});

  return {{"title", "My declarations"},
          {"name", person ? person->name : ""},
          {"position", person ? person->position : ""},
          {"year", my_year_view(year)},
          {"holds_interests", year.current_interests > 0},
          {"due", due},
          {"from_meetings", from_meetings},
          {"due_items", due_items},
          {"has_due", !due.empty() || !from_meetings.empty()},
          {"current_interests", current},
          {"has_current", !current.empty()},
          {"ended_interests", ended},
          {"has_ended", !ended.empty()},
          {"gifts", gift_rows},
          {"has_gifts", !gift_rows.empty()},
          {"nil_returns", nil_rows},
          {"has_nil_returns", !nil_rows.empty()}};
}

Fields interest_fields(SQLite::Database& db, const Interest& i) {
  Fields f;
  f.set("category", std::string(to_string(i.category)));
  f.set("relationship", i.relationship);
  f.set("organisation_name", organisation_name(db, i.organisation_id));
  if (i.organisation_id)
    if (auto o = OrganisationStore(db).find(*i.organisation_id)) f.set("organisation_identifier", o->identifier);
  f.set("nature", i.nature);
  f.set("from", i.from.iso());
  if (i.to) f.set("to", i.to->iso());
  if (i.aware_on) f.set("aware_on", i.aware_on->iso());
  f.set("action_taken", i.action_taken);
  f.set("kind", std::string(to_string(i.kind)));
  for (const auto& [k, value] : i.details) f.set(k, value);
  return f;
}

// The kind of interest and every kind's own fields, grouped under a heading per kind: without
// JavaScript the member sees them all and fills in the group of the kind they chose (the others
// are ignored). The error summary's link for "kind" goes to the first of these radios.
namespace {
void add_interest_kind_fields(json& v, const Fields& f, const Problems& e) {
  std::vector<FieldOption> options;
  json groups = json::array();
  for (const auto& k : interest_kinds()) {
    options.push_back({std::string(to_string(k.kind)), std::string(k.label), std::string(k.hint)});
    if (k.fields.empty()) continue;
    json fields = json::array();
    for (const auto& field : k.fields)
      fields.push_back(text_field(f, e, std::string(field.name), std::string(field.label) + (field.required ? "" : " (optional)"),
                                  std::string(field.hint)));
    groups.push_back({{"legend", std::string(k.label)},
                      {"hint", "Fill these in only if you chose " + std::string(k.label) + " as the kind of interest."},
                      {"id", "details-" + std::string(to_string(k.kind))},
                      {"fields", fields}});
  }
  Fields shown = f;
  if (shown.get("kind").empty()) shown.set("kind", "other");
  v["f_kind"] = radios(shown, e, "kind", "Kind of interest",
                       "Choose the closest. Then fill in the details for that kind below, if it has any.", options);
  v["kind_groups"] = groups;
  if (v.contains("error_summary"))
    for (auto& item : v["error_summary"])
      if (item.value("href", "") == "#kind-gift") item["href"] = "#kind-outside_employment";
}
}  // namespace

json interest_form_view(const Fields& f, const Problems& e, const std::string& action, bool editing) {
  json v = form_base(f, e, editing ? "Change an interest" : "Declare an interest");
  v["action"] = action;
  v["editing"] = editing;
  v["f_category"] = radios(f, e, "category", "What type of interest is it?", "", category_options());
  v["f_relationship"] = text_field(f, e, "relationship", "Who holds the interest? (indirect interests only)",
                                   "For example spouse, partner, parent, child, close friend or business partner.");
  v["f_organisation_name"] = text_field(f, e, "organisation_name", "Organisation",
                                        "The practice, company, charity or other body the interest is in.");
  v["f_organisation_identifier"] = text_field(f, e, "organisation_identifier", "Identifier (optional)",
                                              "The ODS code for an NHS body or GP practice, or the Companies House number for a company.", "10");
  v["f_nature"] = text_field(f, e, "nature", "Nature of the interest",
                             "Say what the interest is in plain words, for example \"Partner (GMS contract holder)\" or \"Unpaid trustee\".");
  v["f_from"] = date_field(f, e, "from", "When did the interest start?", "For example, 27 3 2024. If you are not sure of the day, use the 1st.");
  v["f_to"] = date_field(f, e, "to", "When did it end? (leave empty if it continues)", "For example, 31 3 2025.");
  v["f_aware_on"] = date_field(f, e, "aware_on", "When did you become aware of this interest?",
                               "For example, 3 9 2026. The 28 days to declare it run from this date (or from when you took up post, if "
                               "later). Leave it empty if it is the date the interest started.");
  v["f_action_taken"] = text_field(f, e, "action_taken", "Action taken to manage it (optional)",
                                   "For example \"Excluded from discussion and decision on items concerning this organisation\".");
  add_interest_kind_fields(v, f, e);
  return v;
}

// The kind of interest and its details, as summary rows in the kind's own order.
json interest_kind_rows(const Interest& i) {
  json rows = json::array({summary_row("Kind of interest", std::string(public_label(i.kind)))});
  for (const auto& f : interest_kind_info(i.kind).fields)
    if (auto d = i.details.find(std::string(f.name)); d != i.details.end()) rows.push_back(summary_row(std::string(f.label), d->second));
  return rows;
}

json interest_detail_view(SQLite::Database& db, const Interest& i, const std::string& saved) {
  json versions = newest_first(history_json<InterestStore>(db, i.id, [](const Interest& e) {
    return json{{"nature", e.nature}, {"from", e.from.iso()}, {"to", e.to ? e.to->iso() : std::string("continuing")},
                {"status", status_label(e.status)}};
  }));
  const std::string notice = saved == "declared" ? "Your interest has been declared."
                             : saved == "updated" ? "Your changes have been saved as a new version. The earlier version is kept."
                             : saved == "ended"   ? "The end date has been recorded."
                             : saved == "withholding" ? "Your request has gone to the governance team, who will prepare it for the Conflicts of Interest Guardian."
                                                  : "";
  return {{"title", "Interest: " + i.nature},
          {"interest", interest_row(db, i, Date::today())},
          {"relationship", i.relationship.empty() ? json(false) : json(i.relationship)},
          {"action_taken", i.action_taken.empty() ? json(false) : json(i.action_taken)},
          {"declared_on", long_date(i.declared_on)},
          {"aware_on", long_date(i.aware_on.value_or(i.from))},
          {"kind_rows", interest_kind_rows(i)},
          {"notice", notice.empty() ? json(false) : json(notice)},
          {"versions", versions},
          {"withholding", withholding_view(db, i)}};
}

json withholding_view(SQLite::Database& db, const Interest& i) {
  // The latest request for this entry, if any, and whether the member may ask (again).
  const auto requests = WithholdingRequestStore(db).for_interest(i.id);
  json v = {{"action", "/my/interests/" + std::to_string(i.id) + "/withholding-request"}};
  bool pending = false;
  if (!requests.empty()) {
    const auto& r = requests.back();
    pending = r.status == WithholdingStatus::requested || r.status == WithholdingStatus::forwarded;
    v["request"] = {{"status_label", std::string(code_label("", to_string(r.status)).value_or(""))},
                    {"reason", r.reason},
                    {"decided", !pending},
                    {"guardian_reason", r.guardian_reason}};
  }
  v["may_ask"] = !pending && !i.withheld;
  return v;
}

json end_form_view(SQLite::Database& db, const Interest& i, const Fields& f, const Problems& e) {
  json v = form_base(f, e, "End an interest");
  v["interest"] = interest_row(db, i, Date::today());
  v["action"] = "/my/interests/" + std::to_string(i.id) + "/end";
  v["f_to"] = date_field(f, e, "to", "When did the interest end?", "For example, 31 3 2025. It stays on the public register for 6 months after this date.");
  return v;
}

json nil_return_view(const Fields& f, const Problems& e, const std::string& action, bool editing) {
  json v = form_base(f, e, editing ? "Change a nil return" : "Make a nil return");
  Fields values = f;
  if (!values.has("statement")) values.set("statement", "I have no interests to declare other than those already on the register.");
  v["action"] = action;
  v["editing"] = editing;
  v["f_statement"] = text_field(values, e, "statement", "Your statement", "");
  v["confirm_error"] = field_error(e, "confirm");
  v["confirm_checked"] = f.raw("confirm") == "yes";
  return v;
}

Fields nil_return_fields(const NilReturn& n) { return {{"statement", n.statement}}; }

json nil_return_detail_view(SQLite::Database& db, const NilReturn& n, const std::string& saved) {
  json versions = newest_first(history_json<NilReturnStore>(db, n.id, [](const NilReturn& e) {
    return json{{"statement", e.statement}, {"status", status_label(e.status)}};
  }));
  const std::string notice = saved == "made"      ? "Your nil return has been made."
                             : saved == "updated" ? "Your changes have been saved as a new version. The earlier version is kept."
                                                  : "";
  return {{"title", "Nil return of " + long_date(n.made_on)},
          {"id", n.id},
          {"made_on", n.made_on.iso()},
          {"statement", n.statement},
          {"status", status_label(n.status)},
          {"review_comment", review_comment(db, "nil_return", n.id, n.status)},
          {"notice", notice.empty() ? json(false) : json(notice)},
          {"versions", versions}};
}

json gift_form_view(const Fields& f, const Problems& e, const std::optional<GiftClassification>& c, const std::string& action,
                    bool editing) {
  json v = form_base(f, e, editing ? "Change a gift or hospitality entry" : "Declare a gift or hospitality");
  v["action"] = action;
  v["editing"] = editing;
  v["f_kind"] = radios(f, e, "kind", "Was it a gift or hospitality?", "Hospitality means meals, drinks, events or travel.",
                       {{"gift", "Gift", ""}, {"hospitality", "Hospitality", ""}});
  v["f_source"] = text_field(f, e, "source", "Who offered it?", "The company, organisation or person.");
  v["f_from_supplier"] = radios(f, e, "from_supplier", "Is the source a supplier or contractor, or could become one?", "",
                                {{"yes", "Yes", ""}, {"no", "No", ""}});
  v["f_cash_or_voucher"] = radios(f, e, "cash_or_voucher", "Is it cash or vouchers?", "", {{"yes", "Yes", ""}, {"no", "No", ""}});
  v["f_description"] = text_field(f, e, "description", "What was offered?", "");
  v["f_value"] = text_field(f, e, "value", "Value in pounds", "An estimate is fine, for example 30 or 12.50.", "5");
  v["f_offered_on"] = date_field(f, e, "offered_on", "When was it offered?", "For example, 27 3 2025.");
  v["f_outcome"] = radios(f, e, "outcome", "What did you do?", "", {{"accepted", "I accepted it", ""}, {"declined", "I declined it", ""}});
  v["f_approved_by"] = text_field(f, e, "approved_by", "Senior approval (if the rules need it)", "Name and role of who approved accepting it.");
  if (c) {
    v["checked"] = true;
    v["decision"] = to_string(c->decision);
    v["must_decline"] = c->decision == GiftDecision::must_decline;
    v["explanation"] = c->explanation;
    v["running_total"] = format_pounds(c->running_total_pence);
  } else {
    v["checked"] = false;
  }
  return v;
}

Fields gift_fields(const Gift& g) {
  return {{"kind", std::string(to_string(g.kind))},
          {"source", g.source},
          {"from_supplier", g.from_supplier ? "yes" : "no"},
          {"cash_or_voucher", g.cash_or_voucher ? "yes" : "no"},
          {"description", g.description},
          {"value", format_pounds(g.value_pence)},
          {"offered_on", g.offered_on.iso()},
          {"outcome", std::string(to_string(g.outcome))},
          {"approved_by", g.approved_by}};
}

json gift_detail_view(SQLite::Database& db, const Gift& g, const std::string& saved) {
  json versions = newest_first(history_json<GiftStore>(db, g.id, [](const Gift& e) {
    return json{{"description", e.description}, {"value", format_pounds(e.value_pence)}, {"offered_on", e.offered_on.iso()},
                {"outcome", e.outcome == GiftOutcome::accepted ? "Accepted" : "Declined"}, {"status", status_label(e.status)}};
  }));
  const std::string kind = g.kind == GiftKind::gift ? "Gift" : "Hospitality";
  const std::string notice = saved == "declared" ? "Your " + std::string(g.kind == GiftKind::gift ? "gift" : "hospitality") + " has been declared."
                             : saved == "updated" ? "Your changes have been saved as a new version. The earlier version is kept."
                                                  : "";
  return {{"title", kind + " from " + g.source},
          {"id", g.id},
          {"kind", kind},
          {"source", g.source},
          {"from_supplier", g.from_supplier ? "Yes" : "No"},
          {"cash_or_voucher", g.cash_or_voucher ? "Yes" : "No"},
          {"description", g.description},
          {"value", format_pounds(g.value_pence)},
          {"offered_on", g.offered_on.iso()},
          {"outcome", g.outcome == GiftOutcome::accepted ? "Accepted" : "Declined"},
          {"approved_by", g.approved_by.empty() ? json(false) : json(g.approved_by)},
          {"approver_role", g.approver_role.empty() ? json(false) : json(g.approver_role)},
          {"approval_reason", g.approval_reason.empty() ? json(false) : json(g.approval_reason)},
          {"declared_on", g.declared_on.iso()},
          {"status", status_label(g.status)},
          {"review_comment", review_comment(db, "gift", g.id, g.status)},
          {"notice", notice.empty() ? json(false) : json(notice)},
          {"versions", versions}};
}

json confirmation_view(SQLite::Database& db, Id person_id, const Date& on, const YearRules& rules, const Problems& errors) {
  const PersonYear year = person_year(db, person_id, on, rules);
  json entries = json::array();
  for (const auto& i : InterestStore(db).for_person(person_id))
    if (i.status != DeclarationStatus::draft && i.from <= on && (!i.to || *i.to >= on)) entries.push_back(interest_row(db, i, on));
  json v = error_view(errors, field_ids());
  const std::string title = "Annual confirmation for " + year_label(year.year_start);
  v["title"] = (errors.empty() ? "" : "Error: ") + title;
  v["heading"] = title;
  v["year"] = my_year_view(year);
  v["entries"] = entries;
  v["has_entries"] = !entries.empty();
  v["statement"] = "I confirm these entries are complete and current as of " + long_date(on);
  v["confirm_error"] = field_error(errors, "confirm");
  v["annual_due"] = long_date(annual_due_by(year.year_start, rules));
  return v;
}

}  // namespace probity
