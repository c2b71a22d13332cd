// The annual assurance report for the audit committee (model/registers/assurance_report.hpp): a
// printable page, its CSV and its JSON, for a declaration year, read from the records as they
// stood at one instant so the same link always gives the same figures.
#include <algorithm>

#include "model/base/date_text.hpp"
#include "model/base/money.hpp"
#include "model/public/csv.hpp"
#include "model/public/register_labels.hpp"
#include "model/registers/assurance_report.hpp"
#include "server/http/app.hpp"
#include "server/http/auth.hpp"
#include "server/http/http_error.hpp"
#include "server/http/routes.hpp"
#include "server/http/year_config.hpp"

namespace probity {
namespace {
using json = nlohmann::json;
using Req = httplib::Request;
using Res = httplib::Response;

// Which report a request asks for: ?year=2026 (the declaration year starting in 2026; the
// current one when absent) and ?as_of=2027-03-31T23:59:59Z (the end of the year, or now).
struct ReportRequest {
  Date year_start;
  std::string as_of;
};

[[noreturn]] void bad_request(const std::string& field, const std::string& message) {
  throw HttpError(400, "invalid_report", message + ".", json{{field, message}});
}

ReportRequest report_request(const App& app, const Req& req) {
  const YearRules rules = year_rules(app.config());
  const Date today = year_today(app.config());
  const Date current = year_start_for(today, rules);
  ReportRequest out{current, {}};
  const std::string year = req.get_param_value("year");
  if (!year.empty()) {
    const bool digits = year.size() == 4 && std::all_of(year.begin(), year.end(), [](char c) { return c >= '0' && c <= '9'; });
    const int y = digits ? std::stoi(year) : 0;
    if (!digits || y < 2000) bad_request("year", "Enter the year the declaration year starts in, as 4 digits, like " + std::to_string(current.year()));
    if (y > current.year()) bad_request("year", "The declaration year starting in " + year + " has not begun");
    out.year_start = Date(y, rules.start_month, rules.start_day);
  }
  const Date year_end = out.year_start.plus_months(12).plus_days(-1);
  const std::string as_of = req.get_param_value("as_of");
  if (as_of.empty()) {
    out.as_of = default_as_of(year_end, utc_timestamp_now());
  } else {
    if (as_of.size() != 20 || !Date::parse(as_of.substr(0, 10)) || as_of[10] != 'T' || as_of.back() != 'Z')
      bad_request("as_of", "Enter the instant as recorded, like 2027-03-31T23:59:59Z");
    out.as_of = as_of;
  }
  if (out.as_of < out.year_start.iso()) bad_request("as_of", "The figures cannot be read before the year they report on has begun");
  return out;
}

std::string percent(int part, int whole) {
  if (whole == 0) return "not applicable";
  return std::to_string((part * 1000 / whole + 5) / 10) + "%";
}

json counts_json(const std::vector<AssuranceCount>& counts) {
  json out = json::array();
  for (const auto& c : counts) out.push_back({{"code", c.code}, {"label", c.label}, {"count", c.count}});
  return out;
}

std::string query_of(const AssuranceReport& r) { return "year=" + std::to_string(r.year_start.year()) + "&as_of=" + r.as_of; }

json report_json(const AssuranceReport& r) {
  json gifts = json::array();
  for (const auto& g : r.gifts)
    gifts.push_back({{"kind", g.kind}, {"outcome", g.outcome}, {"count", g.count}, {"value_pence", g.value_pence},
                     {"value", format_pounds(g.value_pence)}, {"from_suppliers", g.from_suppliers}});
  json extract = json::array();
  for (const auto& e : r.extract) {
    json row = {{"person_id", e.person_id}, {"name", e.name}, {"withheld", e.withheld}};
    if (!e.withheld) {
      row["category"] = e.category;
      row["organisation"] = e.organisation;
      row["nature"] = e.nature;
      row["date_from"] = e.from ? json(e.from->iso()) : json(nullptr);
      row["date_to"] = e.to ? json(e.to->iso()) : json(nullptr);
    }
    extract.push_back(row);
  }
  return {{"year_start", r.year_start.iso()},
          {"year_end", r.year_end.iso()},
          {"as_of", r.as_of},
          {"states_on", r.on.iso()},
          {"annual_declaration",
           {{"people_in_post", r.people_in_post},
            {"confirmed", r.confirmed},
            {"not_confirmed", r.not_confirmed},
            {"not_confirmed_names", r.not_confirmed_names},
            {"late_declarations", r.late_declarations},
            {"nil_returns_holding_interests", r.nil_contradictions}}},
          {"breaches", {{"total", r.breaches}, {"by_kind", counts_json(r.breaches_by_kind)}, {"by_outcome", counts_json(r.breaches_by_outcome)}}},
          {"meetings",
           {{"held", r.meetings_held},
            {"conflict_decisions", r.conflict_decisions},
            {"decisions_by_action", counts_json(r.decisions_by_action)},
            {"items_remedied", r.items_remedied},
            {"remedies", counts_json(r.remedies)}}},
          {"procurement",
           {{"decisions", r.procurement_decisions}, {"published", r.procurement_published}, {"with_conflicts", r.procurement_with_conflicts},
            {"conflicts_by_action", counts_json(r.procurement_conflicts_by_action)}}},
          {"withheld", {{"entries", r.withheld_entries}, {"people", r.people_with_withheld_entries}}},
          {"gifts_and_hospitality", gifts},
          {"register_extract", extract}};
}

json page_data(const App& app, const AssuranceReport& r) {
  json data = report_json(r);
  const YearRules rules = year_rules(app.config());
  const Date current = year_start_for(year_today(app.config()), rules);
  json years = json::array();
  for (int y = current.year(); y >= current.year() - 6; --y)
    years.push_back({{"value", y}, {"label", year_label(Date(y, rules.start_month, rules.start_day))}, {"selected", y == r.year_start.year()}});
  json gifts = json::array();
  for (const auto& g : r.gifts)
    gifts.push_back({{"kind_label", std::string(public_label(g.kind == "hospitality" ? GiftKind::hospitality : GiftKind::gift))},
                     {"outcome_label", std::string(public_label(g.outcome == "declined" ? GiftOutcome::declined : GiftOutcome::accepted))},
                     {"count", g.count},
                     {"value", "£" + format_pounds(g.value_pence)},
                     {"from_suppliers", g.from_suppliers}});
  json extract = json::array();
  for (const auto& e : r.extract) {
    json row = {{"name", e.name}, {"withheld", e.withheld}};
    if (!e.withheld) {
      row["category_label"] = std::string(code_label("category", e.category).value_or(e.category));
      row["organisation"] = e.organisation;
      row["nature"] = e.nature;
      row["from"] = e.from ? long_date(*e.from) : "";
      row["to"] = e.to ? long_date(*e.to) : "";
    }
    extract.push_back(row);
  }
  data["title"] = "Annual assurance report " + year_label(r.year_start);
  data["template"] = "governance_assurance";
  data["year_label"] = year_label(r.year_start);
  data["year_start_long"] = long_date(r.year_start);
  data["year_end_long"] = long_date(r.year_end);
  data["as_of_long"] = long_date_time_of_instant(r.as_of);
  data["states_on_long"] = long_date(r.on);
  data["years"] = years;
  data["query"] = query_of(r);
  data["confirmed_rate"] = percent(r.confirmed, r.people_in_post);
  data["has_not_confirmed"] = !r.not_confirmed_names.empty();
  data["has_breaches"] = r.breaches > 0;
  data["has_decisions"] = r.conflict_decisions > 0;
  data["has_remedies"] = r.items_remedied > 0;
  data["has_procurement_conflicts"] = !r.procurement_conflicts_by_action.empty();
  data["has_gifts"] = !r.gifts.empty();
  data["gift_rows"] = gifts;
  data["extract_rows"] = extract;
  data["has_extract"] = !extract.empty();
  return data;
}

std::string report_csv(const AssuranceReport& r) {
  // One row per figure (section, measure, value), then the register extract, so that a
  // spreadsheet holds the whole report.
  std::vector<std::vector<std::string>> rows;
  auto add = [&](const std::string& section, const std::string& measure, const std::string& value) { rows.push_back({section, measure, value}); };
  add("Report", "Declaration year", year_label(r.year_start));
  add("Report", "Records as recorded at", r.as_of);
  add("Annual declaration", "People in post", std::to_string(r.people_in_post));
  add("Annual declaration", "Confirmed or made a nil return", std::to_string(r.confirmed));
  add("Annual declaration", "Did not confirm", std::to_string(r.not_confirmed));
  add("Annual declaration", "Compliance rate", percent(r.confirmed, r.people_in_post));
  add("Annual declaration", "Late declarations", std::to_string(r.late_declarations));
  add("Annual declaration", "Nil returns from people holding interests", std::to_string(r.nil_contradictions));
  add("Breaches", "Total", std::to_string(r.breaches));
  for (const auto& c : r.breaches_by_kind) add("Breaches by kind", c.label, std::to_string(c.count));
  for (const auto& c : r.breaches_by_outcome) add("Breaches by outcome", c.label, std::to_string(c.count));
  add("Meetings", "Meetings held", std::to_string(r.meetings_held));
  add("Meetings", "Conflicts managed", std::to_string(r.conflict_decisions));
  for (const auto& c : r.decisions_by_action) add("Conflicts managed by", c.label, std::to_string(c.count));
  add("Meetings", "Items inquorate once conflicts were excluded", std::to_string(r.items_remedied));
  for (const auto& c : r.remedies) add("Remedies used", c.label, std::to_string(c.count));
  add("Procurement decisions", "Decisions", std::to_string(r.procurement_decisions));
  add("Procurement decisions", "Published", std::to_string(r.procurement_published));
  add("Procurement decisions", "With conflicts declared or flagged", std::to_string(r.procurement_with_conflicts));
  for (const auto& c : r.procurement_conflicts_by_action) add("Procurement conflicts managed by", c.label, std::to_string(c.count));
  add("Withheld entries", "Entries", std::to_string(r.withheld_entries));
  add("Withheld entries", "People", std::to_string(r.people_with_withheld_entries));
  for (const auto& g : r.gifts) {
    const std::string what = g.kind + " " + g.outcome;
    add("Gifts and hospitality", what + ": count", std::to_string(g.count));
    add("Gifts and hospitality", what + ": value", format_pounds(g.value_pence));
    add("Gifts and hospitality", what + ": from suppliers", std::to_string(g.from_suppliers));
  }
  std::string out = csv_document({"section", "measure", "value"}, rows);
  std::vector<std::vector<std::string>> extract;
  for (const auto& e : r.extract)
    extract.push_back({e.name, e.withheld ? "withheld" : e.category, e.organisation, e.nature, e.from ? e.from->iso() : "",
                       e.to ? e.to->iso() : ""});
  out += "\r\n" + csv_document({"name", "category", "organisation", "nature", "date_from", "date_to"}, extract);
  return out;
}

AssuranceReport report_for(App& app, const Req& req) {
  const ReportRequest which = report_request(app, req);
  auto db = app.pool().acquire();
  SQLite::Transaction snapshot(*db);  // one snapshot for every figure
  PublicationRules publication;
  publication.review_required = app.config().review_required;
  return build_assurance_report(*db, which.year_start, which.as_of, year_rules(app.config()), publication);
}

// The report covers the whole instance (every body's people, meetings and registers), so a
// body's own governance account is refused it, as it is refused other bodies' records; a report
// per body is not built yet (docs/governance-per-body.md).
CurrentUser require_report_reader(const App& app, const Req& req) {
  auto user = require_governance_or_guardian(app, req);
  if (user.governance && user.body_id)
    throw HttpError(403, "forbidden",
                    "The annual assurance report covers every body in this service: an account for all bodies, or the "
                    "Conflicts of Interest Guardian, can read it.");
  return user;
}

}  // namespace

void register_assurance_routes(App& app) {
  auto& s = app.http();
  s.Get("/governance/assurance", [&app](const Req& req, Res& res) {
    const auto user = require_report_reader(app, req);
    json data = page_data(app, report_for(app, req));
    data["back_href"] = user.governance ? "/governance" : "/guardian";
    data["back_text"] = user.governance ? "Back to governance" : "Back to your Guardian page";
    app.render_page(req, res, "governance_assurance", data);
  });
  s.Get("/governance/assurance.csv", [&app](const Req& req, Res& res) {
    require_report_reader(app, req);
    const AssuranceReport r = report_for(app, req);
    res.set_header("Content-Disposition", "attachment; filename=\"assurance-" + std::to_string(r.year_start.year()) + ".csv\"");
    res.set_content(report_csv(r), "text/csv; charset=utf-8");
  });
  s.Get("/api/v1/governance/assurance", [&app](const Req& req, Res& res) {
    require_report_reader(app, req);
    App::send_json(res, report_json(report_for(app, req)));
  });
}

}  // namespace probity
