#include "server/governance/year_views.hpp"

#include "model/public/csv.hpp"
#include "model/public/register_labels.hpp"

#include <algorithm>
#include "model/register/publication_rules.hpp"
#include "model/register/person_store.hpp"
#include "model/register/year_store.hpp"
#include "server/http/form_views.hpp"

namespace probity {
namespace {
using json = nlohmann::json;

std::string opt_long(const std::optional<Date>& d) { return d ? long_date(*d) : ""; }

json row_for(const PersonRecord& r, const PersonYear& y, const std::string& position) {
  json late = json::array();
  for (const auto& l : y.late)
    late.push_back({{"interest_id", l.interest_id}, {"nature", l.nature}, {"declared_on", long_date(l.declared_on)},
                    {"due_by", long_date(l.due_by)}, {"days_late", l.days_late}, {"this_year", l.declared_on >= y.year_start}});
  json contradictions = json::array();
  for (const auto& c : y.contradictions)
    contradictions.push_back({{"nil_return_id", c.nil_return_id}, {"made_on", long_date(c.made_on)}, {"interests_held", c.interests_held}});
  const std::string reason = y.reason ? describe_event(*y.reason) : "";
  std::string summary;
  if (y.state == YearState::due) summary = "Due by " + long_date(*y.due_by) + ": " + reason;
  else if (y.state != YearState::up_to_date) summary = "Overdue since " + long_date(*y.overdue_since) + ": " + reason;
  return {{"id", r.person_id},
          {"name", r.name},
          {"position", position},
          {"href", "/governance/people/" + std::to_string(r.person_id) + "/year"},
          {"person_href", "/governance/people/" + std::to_string(r.person_id)},
          {"edit_href", "/governance/people/" + std::to_string(r.person_id) + "/edit"},
          {"state", to_string(y.state)},
          {"state_label", state_label(y.state)},
          {"up_to_date", y.state == YearState::up_to_date},
          {"due", y.state == YearState::due},
          {"overdue", y.state == YearState::overdue || y.state == YearState::never_declared},
          {"never_declared", y.state == YearState::never_declared},
          {"days_overdue", y.days_overdue},
          {"due_by", opt_long(y.due_by)},
          {"overdue_since", opt_long(y.overdue_since)},
          {"reason", reason},
          {"summary", summary},
          {"last_confirmed_on", opt_long(y.last_confirmed_on)},
          {"confirmed_this_year", y.confirmed_this_year},
          {"has_left", y.has_left},
          {"late", late},
          {"contradictions", contradictions},
          {"manager", r.manager_email.empty() ? json(false) : json(r.manager_name + " <" + r.manager_email + ">")}};
}

}  // namespace

json people_year_rows(SQLite::Database& db, const Date& on, const YearRules& rules, const GovernanceScope* scope) {
  std::map<Id, std::string> positions;
  {
    SQLite::Statement q(db, "SELECT id, position FROM person_current");
    while (q.executeStep()) positions[q.getColumn(0).getInt64()] = q.getColumn(1).getString();
  }
  auto records = load_year_records(db);
  // By surname, then forenames (never by title: "Cllr", "Dr").
  std::stable_sort(records.begin(), records.end(),
                   [](const PersonRecord& a, const PersonRecord& b) { return name_sort_key(a.name) < name_sort_key(b.name); });
  json rows = json::array();
  for (const auto& r : records) {
    const PersonYear y = year_state_on(r, on, rules);
    // Leavers stay listed while their final confirmation is open.
    if (y.has_left && y.state == YearState::up_to_date) continue;
    if (scope && !scope->sees_person(r.person_id)) continue;
    rows.push_back(row_for(r, y, positions[r.person_id]));
  }
  return rows;
}

json compliance_view(SQLite::Database& db, const Date& on, const YearRules& rules, const GovernanceScope* scope) {
  const json rows = people_year_rows(db, on, rules, scope);
  json up = json::array(), due = json::array(), overdue = json::array(), never = json::array(), late = json::array(),
       nil = json::array();
  for (const auto& r : rows) {
    const std::string state = r.at("state");
    json brief = {{"id", r.at("id")}, {"name", r.at("name")}, {"href", r.at("href")}, {"summary", r.at("summary")},
                  {"due_by", r.at("due_by")}, {"overdue_since", r.at("overdue_since")}, {"reason", r.at("reason")},
                  {"days_overdue", r.at("days_overdue")}};
    if (state == "up_to_date") up.push_back(brief);
    else if (state == "due") due.push_back(brief);
    else if (state == "overdue") overdue.push_back(brief);
    else never.push_back(brief);
    for (const auto& l : r.at("late"))
      if (l.at("this_year").get<bool>()) {
        json item = l;
        item["name"] = r.at("name");
        item["href"] = r.at("href");
        late.push_back(item);
      }
    for (const auto& c : r.at("contradictions")) {
      json item = c;
      item["name"] = r.at("name");
      item["href"] = r.at("href");
      nil.push_back(item);
    }
  }
  const Date start = year_start_for(on, rules);
  auto section = [](const char* key, const char* heading, const char* empty, const json& list) {
    return json{{"key", key}, {"heading", heading}, {"count", list.size()}, {"people", list}, {"has_people", !list.empty()},
                {"empty", empty}};
  };
  return {{"title", "Compliance dashboard"},
          {"today", long_date(on)},
          {"date", on.iso()},
          {"year", year_label(start)},
          {"year_start", long_date(start)},
          {"annual_due", long_date(annual_due_by(start, rules))},
          {"counts",
           {{"up_to_date", up.size()}, {"due", due.size()}, {"overdue", overdue.size()}, {"never_declared", never.size()},
            {"late_this_year", late.size()}, {"nil_returns_holding_interests", nil.size()}}},
          {"sections", json::array({section("overdue", "Overdue", "Nobody is overdue.", overdue),
                                    section("never_declared", "Never declared", "Everyone has made a declaration.", never),
                                    section("due", "Due within 28 days", "Nothing is due.", due),
                                    section("up_to_date", "Up to date", "Nobody is up to date yet.", up)})},
          {"late", late},
          {"has_late", !late.empty()},
          {"nil_returns", nil},
          {"has_nil_returns", !nil.empty()}};
}

std::optional<json> person_year_view(SQLite::Database& db, Id person_id, const Date& on, const YearRules& rules,
                                     const Fields& manager_fields, const Problems& errors) {
  auto person = PersonStore(db).find(person_id);
  if (!person) return std::nullopt;
  auto records = load_year_records(db, person_id);
  const PersonRecord& r = records.front();
  const PersonYear y = year_state_on(r, on, rules);
  json events = json::array();
  for (const auto& e : y.events)
    events.push_back({{"event", describe_event(e)}, {"on", long_date(e.on)}, {"due_by", long_date(e.due_by)},
                      {"met_on", e.met_on ? json(long_date(*e.met_on)) : json(false)},
                      {"open", !e.met_on}, {"overdue", !e.met_on && e.due_by < on}});
  json v = error_view(errors, field_ids());
  v.update(row_for(r, y, person->position));
  Fields f = manager_fields;
  if (!f.has("manager_name") && !f.has("manager_email")) {
    f.set("manager_name", r.manager_name);
    f.set("manager_email", r.manager_email);
  }
  v["title"] = (errors.empty() ? "" : "Error: ") + person->name + ": declaration year";
  v["today"] = long_date(on);
  v["events"] = events;
  v["has_events"] = !events.empty();
  v["has_late"] = !v.at("late").empty();
  v["has_contradictions"] = !v.at("contradictions").empty();
  v["in_post_from"] = opt_long(y.in_post_from);
  v["next_annual_due"] = opt_long(y.next_annual_due);
  v["f_manager_name"] = text_field(f, errors, "manager_name", "Line manager's name", "");
  v["f_manager_email"] = text_field(f, errors, "manager_email", "Line manager's email address",
                                    "Told, with the governance team, when this person's declarations are escalated.");
  v["action"] = "/governance/people/" + std::to_string(person_id) + "/manager";
  return v;
}

std::string year_csv(const json& rows) {
  std::vector<std::vector<std::string>> records;
  for (const auto& p : rows) {
    if (p.at("up_to_date").get<bool>() && p.at("late").empty() && p.at("contradictions").empty()) continue;
    auto text = [&p](const char* key) { return p.at(key).get<std::string>(); };
    std::string late, nil;
    for (const auto& l : p.at("late"))
      late += (late.empty() ? "" : "; ") + l.at("nature").get<std::string>() + " declared " + l.at("declared_on").get<std::string>() +
              ", " + std::to_string(l.at("days_late").get<int>()) + " days late";
    for (const auto& c : p.at("contradictions"))
      nil += (nil.empty() ? "" : "; ") + std::string("nil return of ") + c.at("made_on").get<std::string>() + " while holding interests";
    records.push_back({text("name"), text("position"), text("state_label"), text("due_by"), text("overdue_since"),
                       std::to_string(p.at("days_overdue").get<int>()), text("reason"), text("last_confirmed_on"), late, nil});
  }
  return csv_document({"name", "position", "state", "due_by", "overdue_since", "days_overdue", "reason", "last_confirmed_on",
                       "late_declarations", "nil_returns_while_holding_interests"},
                      records);
}

}  // namespace probity
