#include "server/meetings/meeting_views.hpp"

#include <algorithm>
#include <map>

#include "model/register/committee_store.hpp"
#include "model/meetings/conflict_decisions.hpp"
#include "model/store/json.hpp"
#include "model/meetings/meeting_actions.hpp"
#include "model/meetings/meeting_minutes.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/meetings/co_opted_members.hpp"
#include "model/meetings/item_outcomes.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_store.hpp"
#include "server/http/forms.hpp"
#include "server/http/http_error.hpp"

namespace probity {
namespace {
using json = nlohmann::json;

std::string label_from(const std::map<std::string, std::string>& labels, const std::string& code) {
  auto it = labels.find(code);
  return it == labels.end() ? code : it->second;
}

void decorate_flag(json& f) {
  f["rule_label"] = conflict_rule_label(f.at("rule").get<std::string>());
  f["certain"] = f.at("confidence") == "certain";
  if (f.at("decision").is_object()) f["decision"]["action_label"] = management_action_label(f["decision"].at("action").get<std::string>());
}

json minutes_json(SQLite::Database& db, Id meeting_id) {
  auto minutes = build_meeting_minutes(db, meeting_id);
  if (!minutes) throw not_found("Meeting");
  return *minutes;
}

// The choices of the agenda item form (category, the organisation selects, the "affects all
// GP practices" radios) with what `values` selected and each select's error from `errors`.
json item_form(const json& organisations, const json& values, const json& errors) {
  auto value = [&](const char* key) { return values.is_object() && values.contains(key) && values[key].is_string() ? values[key].get<std::string>() : std::string(); };
  json form;
  json categories = json::array();
  for (const auto& [category, name] : EnumNames<AgendaCategory>::values)
    categories.push_back({{"value", std::string(name)}, {"label", agenda_category_label(std::string(name))},
                          {"all_gp_default", affects_all_gp_practices_by_default(category)}, {"selected", value("category") == name}});
  form["categories"] = categories;
  json selects = json::array();
  // A select for each organisation named and one more (at least three): an item may name any
  // number; a form sent with every select filled comes back with another empty one.
  int named = 0;
  for (int n = 1; n <= 200 && values.is_object() && values.contains("organisation_" + std::to_string(n)); ++n) named = n;
  const int count = std::max(3, named + 1);
  for (int i = 0; i < count; ++i) {
    const std::string field = "organisation_" + std::to_string(i + 1);
    const std::string label = "Organisation " + std::to_string(i + 1);
    json options = json::array();
    for (const auto& o : organisations) {
      json option = o;
      option["selected"] = std::to_string(o.at("id").get<Id>()) == value(field.c_str());
      options.push_back(std::move(option));
    }
    json select = {{"field", field}, {"label", label}, {"options", options}};
    if (errors.is_object() && errors.contains(field)) select["error"] = errors[field];
    selects.push_back(std::move(select));
  }
  form["organisation_selects"] = selects;
  const auto all = value("affects_all_gp_practices");
  form["all_default"] = all.empty() || all == "default";
  form["all_yes"] = all == "yes" || all == "true";
  form["all_no"] = all == "no" || all == "false";
  return form;
}

// The form's values for an existing item, as a form would send them.
json item_values(const AgendaItem& item) {
  json values = {{"title", item.title}, {"description", item.description}, {"category", std::string(to_string(item.category))}};
  for (std::size_t i = 0; i < item.organisation_ids.size(); ++i)
    values["organisation_" + std::to_string(i + 1)] = std::to_string(item.organisation_ids[i]);
  values["affects_all_gp_practices"] = item.affects_all_gp_practices == affects_all_gp_practices_by_default(item.category)
                                           ? "default"
                                           : item.affects_all_gp_practices ? "yes" : "no";
  return values;
}

json organisation_options(SQLite::Database& db) {
  json orgs = json::array();
  for (const auto& o : OrganisationStore(db).all())
    orgs.push_back({{"id", o.id}, {"name", o.name}, {"identifier", o.identifier.empty() ? json(nullptr) : json(o.identifier)}});
  std::stable_sort(orgs.begin(), orgs.end(), [](const json& a, const json& b) { return a["name"] < b["name"]; });
  return orgs;
}

// An item's outcome form sent with mistakes: its fields' ids are prefixed by the form's id
// ("o-<item>-"), so the errors, the values sent and the summary's links go to that form.
void place_outcome_errors(json& data) {
  const json values = data.value("values", json::object());
  const auto item = values.value("agenda_item_id", std::string());
  for (auto& it : data["items"]) {
    if (std::to_string(it["id"].get<Id>()) != item) continue;
    auto& form = it["outcome_form"];
    const std::string prefix = "#" + form["form_id"].get<std::string>() + "-";
    form["errors"] = data.value("errors", json::object());
    for (const char* key : {"presided_by", "clinical_input_by", "clinical_input_from"}) form["values"][key] = values.value(key, std::string());
    for (auto& option : form["remedies"]) option["selected"] = option["value"] == values.value("remedy", std::string("none"));
    for (auto& entry : data["error_summary"]) {
      const auto href = entry.value("href", std::string());
      if (href == "#remedy" || href == "#presided_by" || href == "#clinical_input_by" || href == "#clinical_input_from")
        entry["href"] = prefix + href.substr(1);
    }
    return;
  }
}

// A decision form sent with mistakes: the record page has one decision form per person and item, with
// field ids prefixed by the form's id. Puts the errors and the values sent on the form they came
// from, and points the error summary's links at that form's fields.
void place_decision_errors(json& data) {
  const json values = data.value("values", json::object());
  const auto item = values.value("agenda_item_id", std::string()), person = values.value("person_id", std::string());
  for (auto& it : data["items"])
    for (auto& f : it["people"]) {
      if (std::to_string(it["id"].get<Id>()) != item || std::to_string(f["person"]["id"].get<Id>()) != person) continue;
      const std::string prefix = "#" + f["form_id"].get<std::string>() + "-";
      f["form_errors"] = data.value("errors", json::object());
      f["form_values"] = values;
      for (auto& option : f["action_options"]) option["selected"] = option["value"] == values.value("action", std::string());
      for (auto& entry : data["error_summary"]) {
        const auto href = entry.value("href", std::string());
        if (href == "#action" || href == "#reason" || href == "#decided_by") entry["href"] = prefix + href.substr(1);
      }
      return;
    }
}

}  // namespace

std::string conflict_rule_label(const std::string& rule) {
  static const std::map<std::string, std::string> labels = {
      {"organisation", "Interest in a linked organisation"},
      {"organisation_group", "Interest in a parent or member organisation"},
      {"own_practice", "Own GP practice is linked"},
      {"all_gp_practices", "Item affects all GP practices"},
      {"indirect", "Through a relative or associate"},
      {"gift_or_hospitality", "Gift or hospitality from a linked organisation"},
      {"similar_name", "Organisation with a similar name"},
      {"withheld", "Interest withheld from the public register"},
      {"all_pharmacies", "Item affects all community pharmacies"},
      {"all_dental_practices", "Item affects all dental practices"},
      {"all_optometrists", "Item affects all optometrists"},
      {"declared_at_meeting", "Declared at the meeting"}};
  return label_from(labels, rule);
}

std::string agenda_category_label(const std::string& category) {
  static const std::map<std::string, std::string> labels = {
      {"declarations", "Declarations of interest"}, {"gp_contract", "GP contract"},
      {"local_incentive_scheme", "Local incentive scheme"}, {"enhanced_service", "Enhanced service"},
      {"practice_merger", "Practice merger"}, {"procurement", "Procurement"}, {"finance", "Finance"},
      {"governance", "Governance"}, {"other", "Other"},
      {"pharmacy_service", "Community pharmacy services"}, {"dental_service", "Dental services"},
      {"optometry_service", "Optometry (eye care) services"}};
  return label_from(labels, category);
}

json brief_view(const json& conflicts) {
  json view = conflicts;
  auto& items = view["items"];
  int inquorate = 0, flagged = 0, number = 0;
  for (auto& item : items) {
    item["number"] = ++number;
    for (auto& f : item["flags"]) decorate_flag(f);
    item["has_flags"] = !item["flags"].empty();
    auto& q = item["quorum"];
    if (!q.at("quorate").get<bool>()) ++inquorate;
    if (!item["flags"].empty()) ++flagged;
    if (q["presiding"].is_object() && q["presiding"]["role"].is_string())
      q["presiding"]["role_label"] = q["presiding"]["role"] == "chair" ? "Chair" : "Vice-chair";
  }
  // The matrix: one row per participant, one column per item; a cell holds that person's flags
  // on that item (empty when none).
  json rows = json::array();
  for (const auto& p : view["meeting"]["participants"]) {
    json cells = json::array();
    bool any = false;
    for (const auto& item : items) {
      json cell_flags = json::array();
      for (const auto& f : item["flags"])
        if (f["person"]["id"] == p["id"]) cell_flags.push_back(f);
      any = any || !cell_flags.empty();
      cells.push_back({{"item_number", item["number"]}, {"item_title", item["title"]}, {"flags", cell_flags},
                       {"has_flags", !cell_flags.empty()}});
    }
    rows.push_back({{"person", p}, {"cells", std::move(cells)}, {"has_flags", any}});
  }
  view["matrix"] = {{"items", items}, {"rows", std::move(rows)}};
  view["summary"] = {{"items", items.size()}, {"flagged_items", flagged}, {"inquorate_items", inquorate},
                     {"any_inquorate", inquorate > 0}};
  return view;
}

json minutes_view(const json& minutes) {
  json view = minutes;
  int number = 0;
  bool any = !view["declarations"].empty();
  for (auto& item : view["items"]) {
    item["number"] = ++number;
    item["category_label"] = agenda_category_label(item.at("category").get<std::string>());
    const bool recorded = !item["declarations"].empty() || !item["conflicts"].empty() || !item["movements"].empty() ||
                          !item.value("co_opted", json::array()).empty() || item.value("outcome", json(nullptr)).is_object();
    item["has_records"] = recorded;
    any = any || recorded;
  }
  view["has_co_opted"] = !view["meeting"].value("co_opted", json::array()).empty();
  any = any || view["has_co_opted"].get<bool>();
  view["has_general"] = !view["declarations"].empty() || view["has_co_opted"].get<bool>();
  view["has_declarations"] = any;
  return view;
}

json committee_options(SQLite::Database& db, const MeetingActor& actor) {
  const Date today = Date::today();
  json out = json::array();
  for (const auto& c : CommitteeStore(db).all())
    if (may_manage_meetings(db, actor, c.id, today)) out.push_back({{"id", c.id}, {"name", c.name}});
  return out;
}

json meetings_list(SQLite::Database& db, const MeetingActor& actor) {
  const Date today = Date::today();
  json out = json::array();
  for (const auto& c : CommitteeStore(db).all()) {
    if (!may_manage_meetings(db, actor, c.id, today)) continue;
    for (const auto& m : MeetingStore(db).for_committee(c.id)) {
      json j = m;
      j["committee"] = {{"id", c.id}, {"ref", c.ref}, {"name", c.name}};
      out.push_back(std::move(j));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const json& a, const json& b) { return a["date"].get<std::string>() > b["date"].get<std::string>(); });
  return out;
}

json conflicts_json(SQLite::Database& db, Id meeting_id, ReportAudience audience) {
  auto report = build_conflicts_report(db, meeting_id, audience);
  if (!report) throw not_found("Meeting");
  return *report;
}

json decision_answer(SQLite::Database& db, const ConflictDecision& decision, ReportAudience audience) {
  json out = decision;
  const json conflicts = conflicts_json(db, decision.meeting_id, audience);
  for (const auto& item : conflicts.at("items"))
    if (item.at("id") == decision.agenda_item_id) out["quorum"] = item.at("quorum");
  return out;
}

json item_view(SQLite::Database& db, const Meeting& m, const AgendaItem& item) {
  json view = {{"meeting", m}, {"item", item}, {"organisations", organisation_options(db)}, {"values", item_values(item)}};
  view["has_records"] = agenda_item_has_records(db, item.id);
  view["item_form"] = item_form(view["organisations"], view["values"], json::object());
  view["title"] = "Edit agenda item: " + item.title;
  view["template"] = "agenda_item";
  return view;
}

json manage_view(SQLite::Database& db, const Meeting& m) {
  json view = {{"meeting", m}};
  auto committee = CommitteeStore(db).find(m.committee_id).value();
  view["committee"] = committee;
  std::map<Id, AttendanceStatus> status;
  for (const auto& a : AttendanceStore(db).for_meeting(m.id)) status[a.person_id] = a.status;
  std::map<Id, std::string> roles;
  for (const auto& ms : MembershipStore(db).for_committee(m.committee_id))
    if (ms.from <= m.date && (!ms.to || *ms.to >= m.date)) roles[ms.person_id] = std::string(to_string(ms.role));
  json attendance = json::array();
  for (const auto& [id, person] : meeting_people(db, m)) {
    const auto s = status.contains(id) ? status[id] : AttendanceStatus::expected;
    json options = json::array();
    for (const auto& [value, name] : EnumNames<AttendanceStatus>::values)
      options.push_back({{"value", std::string(name)}, {"selected", value == s}});
    attendance.push_back({{"person", {{"id", id}, {"name", person.name}, {"kind", std::string(to_string(person.kind))}}},
                          {"role", roles.contains(id) ? json(roles[id]) : json("attendee")},
                          {"status", std::string(to_string(s))}, {"options", options}});
  }
  view["attendance"] = attendance;
  std::map<Id, std::string> org_names;
  json orgs = organisation_options(db);
  for (const auto& o : orgs) org_names[o.at("id").get<Id>()] = o.at("name").get<std::string>();
  view["organisations"] = orgs;
  view["item_form"] = item_form(orgs, json::object(), json::object());
  json people = json::array();
  for (const auto& p : PersonStore(db).all()) people.push_back({{"id", p.id}, {"name", p.name}});
  std::stable_sort(people.begin(), people.end(), [](const json& a, const json& b) { return a["name"] < b["name"]; });
  view["people"] = people;
  json items = json::array();
  auto agenda = AgendaItemStore(db).for_meeting(m.id);
  for (std::size_t i = 0; i < agenda.size(); ++i) {
    json j = agenda[i];
    j["number"] = i + 1;
    j["category_label"] = agenda_category_label(std::string(to_string(agenda[i].category)));
    j["affects_all_label"] = sector_phrase(sector_of(agenda[i].category));
    j["first"] = i == 0;
    j["last"] = i + 1 == agenda.size();
    json names = json::array();
    for (Id o : agenda[i].organisation_ids) names.push_back(org_names.contains(o) ? org_names[o] : std::to_string(o));
    j["organisations"] = names;
    items.push_back(std::move(j));
  }
  view["items"] = items;
  // Co-opted members, and who may be co-opted: anyone on the register not already a voting member.
  std::map<Id, std::string> item_titles;
  for (std::size_t i = 0; i < agenda.size(); ++i) item_titles[agenda[i].id] = "Item " + std::to_string(i + 1) + ": " + agenda[i].title;
  std::map<Id, std::string> person_names;
  for (const auto& p : people) person_names[p.at("id").get<Id>()] = p.at("name").get<std::string>();
  json co_opted = json::array();
  for (const auto& c : CoOptedMemberStore(db).for_meeting(m.id)) {
    const auto title = c.agenda_item_id ? item_titles.find(*c.agenda_item_id) : item_titles.end();
    co_opted.push_back({{"id", c.id}, {"person_id", c.person_id}, {"name", person_names[c.person_id]}, {"from_body", c.from_body},
                        {"agenda_item_id", c.agenda_item_id ? json(*c.agenda_item_id) : json(nullptr)},
                        {"scope", !c.agenda_item_id ? std::string("The whole meeting") : title != item_titles.end() ? title->second : "An item no longer on the agenda"}});
  }
  view["has_co_opted"] = !co_opted.empty();
  view["co_opted"] = co_opted;
  json co_opt_people = json::array();
  for (const auto& p : people) {
    const auto role = roles.find(p.at("id").get<Id>());
    if (role == roles.end() || role->second == "non_voting") co_opt_people.push_back(p);
  }
  view["co_opt_people"] = co_opt_people;
  view["held"] = m.status == MeetingStatus::held;
  view["can_publish"] = m.status == MeetingStatus::held && !m.published;
  view["editable"] = !m.published;
  view["status_label"] = m.status == MeetingStatus::held ? "Held" : m.status == MeetingStatus::cancelled ? "Cancelled" : "Planned";
  view["title"] = "Manage: " + m.title;
  view["template"] = "meeting_manage";
  return view;
}

json record_view(SQLite::Database& db, const Meeting& m, ReportAudience audience) {
  auto report = build_conflicts_report(db, m.id, audience);
  if (!report) throw not_found("Meeting");
  json view = brief_view(json(*report));
  json minutes = minutes_view(minutes_json(db, m.id));
  view["general_declarations"] = minutes["declarations"];
  auto& items = view["items"];
  for (std::size_t i = 0; i < items.size(); ++i) {
    items[i]["declarations"] = minutes["items"][i]["declarations"];
    items[i]["movements"] = minutes["items"][i]["movements"];
    std::vector<ConflictFlag> flags;
    for (const auto& rf : report->items[i].flags) flags.push_back(rf.flag);
    // One decision form per person and item, whatever the number of flags: the chair decides how
    // the person's conflict on the item is managed, not each reason for it.
    const Id item_id = items[i]["id"].get<Id>();
    json people = json::array();
    for (const auto& f : items[i]["flags"]) {
      const Id person_id = f["person"]["id"].get<Id>();
      auto same = std::find_if(people.begin(), people.end(), [&](const json& p) { return p["person"]["id"] == person_id; });
      if (same != people.end()) {
        (*same)["flags"].push_back(f);
        continue;
      }
      json one = {{"person", f["person"]}, {"flags", json::array({f})}, {"decision", f["decision"]}};
      // The form starts at the suggested decision, which needs no reason; departing from it does.
      const auto suggested = suggested_decision(item_id, person_id, flags);
      one["suggested_label"] = suggested ? json(management_action_label(std::string(to_string(*suggested)))) : json(false);
      const std::string current = f["decision"].is_object() ? f["decision"]["action"].get<std::string>()
                                  : std::string(to_string(suggested.value_or(ManagementAction::participate)));
      json options = json::array();
      for (const auto& [value, name] : EnumNames<ManagementAction>::values)
        options.push_back({{"value", std::string(name)}, {"label", management_action_label(std::string(name))},
                           {"selected", std::string(name) == current}});
      one["action_options"] = options;
      one["form_id"] = "d-" + std::to_string(item_id) + "-" + std::to_string(person_id);
      one["item_number"] = items[i]["number"];
      people.push_back(std::move(one));
    }
    items[i]["people"] = people;
    // How the item was handled: its form's values start at what was recorded, or at who the
    // brief says presides.
    const auto& q = items[i]["quorum"];
    json outcome = items[i].value("outcome", json(nullptr));
    const std::string remedy = outcome.is_object() && outcome["remedy"].is_string() ? outcome["remedy"].get<std::string>() : "";
    json remedies = json::array({{{"value", "none"}, {"label", "None needed"}, {"selected", remedy.empty()}}});
    for (const auto& r : guidance_remedies())
      remedies.push_back({{"value", r.code}, {"label", remedy_label(r.code)}, {"selected", r.code == remedy}});
    const std::string presiding_name = q["presiding"]["person"].is_object() && q["presiding"]["person"]["name"].is_string()
                                           ? q["presiding"]["person"]["name"].get<std::string>() : "";
    items[i]["outcome_form"] = {
        {"form_id", "o-" + std::to_string(item_id)},
        {"errors", false},  // not the page's: another form's mistakes must not open this one
        {"remedies", remedies},
        {"values", {{"presided_by", outcome.is_object() ? outcome["presided_by"].get<std::string>() : presiding_name},
                    {"clinical_input_by", outcome.is_object() ? outcome["clinical_input_by"] : json("")},
                    {"clinical_input_from", outcome.is_object() ? outcome["clinical_input_from"] : json("")}}}};
    items[i]["has_outcome"] = outcome.is_object();
    items[i]["has_co_opted"] = !items[i]["co_opted"].empty();
  }
  json open_movements = json::array();
  for (const auto& mv : RoomMovementStore(db).for_meeting(m.id))
    if (!mv.returned_at) {
      auto person = PersonStore(db).find(mv.person_id);
      open_movements.push_back({{"id", mv.id}, {"name", person ? person->name : ""}, {"left_at", mv.left_at}});
    }
  view["open_movements"] = open_movements;
  view["held"] = m.status == MeetingStatus::held;
  view["editable"] = !m.published;
  view["title"] = "At the meeting: " + m.title;
  view["template"] = "meeting_record";
  return view;
}

json breaches_view(SQLite::Database& db) {
  json rows = json::array();
  for (const auto& b : BreachStore(db).all()) {
    json j = b;
    auto person = PersonStore(db).find(b.person_id);
    auto meeting = MeetingStore(db).find(b.meeting_id);
    j["person"] = {{"id", b.person_id}, {"name", person ? person->name : ""}};
    j["meeting"] = {{"id", b.meeting_id}, {"title", meeting ? meeting->title : ""}, {"date", meeting ? meeting->date.iso() : ""}};
    if (b.agenda_item_id)
      if (auto item = AgendaItemStore(db).find(*b.agenda_item_id)) j["agenda_item"] = {{"id", item->id}, {"title", item->title}};
    j["is_open"] = b.status == BreachStatus::open;
    rows.push_back(std::move(j));
  }
  return rows;
}

void show_problems(json& page, const Problems& problems, const Fields& sent) {
  page.update(error_view(problems));
  page["values"] = sent.all();
  if (page.contains("item_form"))  // the selects and radios as sent
    page["item_form"] = item_form(page.at("organisations"), page.at("values"), page.value("errors", json::object()));
  if (page.value("template", std::string()) == "meeting_manage" && page.contains("co_opt_people")) {
    // The co-opt form's choices as sent (the attendance form names its own fields add_person_id
    // and status_*, so a person_id comes from the co-opt form).
    const auto person = sent.get("person_id"), item = sent.get("agenda_item_id");
    for (auto& p : page["co_opt_people"]) p["selected"] = std::to_string(p.at("id").get<Id>()) == person;
    for (auto& it : page["items"]) it["co_opt_selected"] = std::to_string(it.at("id").get<Id>()) == item;
  }
  if (page.value("template", std::string()) == "meeting_record") {
    if (sent.has("remedy") || sent.has("presided_by")) place_outcome_errors(page);
    else place_decision_errors(page);
  }
}

}  // namespace probity
