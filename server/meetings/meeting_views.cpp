#include "server/meetings/meeting_views.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "model/register/committee_store.hpp"
#include "model/base/date_text.hpp"
#include "model/meetings/breach_actions.hpp"
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
#include "model/register/publication_rules.hpp"
#include "model/public/conflicts_json.hpp"
#include "model/public/register_labels.hpp"
#include "server/http/form_views.hpp"
#include "server/http/forms.hpp"
#include "server/http/http_error.hpp"

namespace probity {
namespace {
using json = nlohmann::json;

std::string label_from(const std::map<std::string, std::string>& labels, const std::string& code) {
  auto it = labels.find(code);
  return it == labels.end() ? code : it->second;
}

// A quorum rule that fails, in a few words for the brief's summary; the engine's reason (with
// its counts) is shown in the item's detail. A rule this list does not know shows that reason.
std::string quorum_rule_label(const std::string& rule, const std::string& reason) {
  static const std::map<std::string, std::string> labels = {
      {"min_voting", "Too few voting members"},
      {"min_lay", "Too few lay members"},
      {"min_executive", "Too few executive members"},
      {"min_clinical", "Too few clinical members"},
      {"lay_executive_majority", "No lay and executive majority"},
      {"lay_chair", "No lay chair free of conflict"}};
  auto it = labels.find(rule);
  return it == labels.end() ? reason : it->second;
}

// The strongest action for one person on one item, as the brief's summary shows it.
json glance_action(const std::optional<ManagementAction>& action, bool decided) {
  std::string kind = "decide", label = "Chair to decide", tag = "nhsuk-tag--yellow";
  if (action == ManagementAction::leave_room || action == ManagementAction::papers_withheld) {
    kind = "leave";
    label = action == ManagementAction::papers_withheld ? "Leaves the room; papers withheld" : "Leaves the room";
    tag = "nhsuk-tag--red";
  } else if (action == ManagementAction::no_vote) {
    kind = "no_vote";
    label = "No part in the decision";
    tag = "nhsuk-tag--orange";
  } else if (action == ManagementAction::participate) {
    kind = "take_part";
    label = "Takes full part";
    tag = "nhsuk-tag--green";
  }
  return {{"kind", kind}, {"label", label}, {"tag", tag}, {"decided", decided}};
}

std::string brief_role_label(const std::string& role) {
  static const std::map<std::string, std::string> labels = {
      {"chair", "Chair"}, {"vice_chair", "Vice-chair"}, {"voting", "Voting member"}, {"non_voting", "Non-voting member"}};
  return role.empty() ? std::string("Attending") : label_from(labels, role);
}

std::string brief_kind_label(const std::string& kind) {
  static const std::map<std::string, std::string> labels = {
      {"gp", "GP"}, {"lay", "Lay member"}, {"executive", "Executive"}, {"clinical", "Clinician"}, {"officer", "Officer"}, {"attendee", "Attendee"}};
  return label_from(labels, kind);
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
  auto label = code_label("category", category);
  return label ? std::string(*label) : category;
}

json brief_view(const json& conflicts) {
  json view = conflicts;
  auto& items = view["items"];
  int inquorate = 0, flagged = 0, number = 0;
  // The chair is "present" when among the participants (those who sent apologies or were absent
  // are not): when not, the brief says so once, not in every item's note on who presides.
  bool chair_present = false;
  for (const auto& p : view["meeting"]["participants"])
    if (p["role"] == "chair") chair_present = true;
  for (auto& item : items) {
    item["number"] = ++number;
    for (auto& f : item["flags"]) decorate_flag(f);
    item["has_flags"] = !item["flags"].empty();
    auto& q = item["quorum"];
    if (!q.at("quorate").get<bool>()) ++inquorate;
    if (!item["flags"].empty()) ++flagged;
    if (q["presiding"].is_object() && q["presiding"]["role"].is_string())
      q["presiding"]["role_label"] = q["presiding"]["role"] == "chair" ? "Chair" : q["presiding"]["role"] == "vice_chair" ? "Vice-chair" : "Member";
    // Who presides comes from the engine's result; its note is kept where it says something this
    // item alone explains (the chair is excluded from it, or nobody may preside).
    const bool someone_presides = q["presiding"].is_object() && q["presiding"]["person"].is_object();
    q["show_note"] = q["presiding"].is_object() && q["presiding"].value("note", std::string()) != "" &&
                     (chair_present || !someone_presides);
    json failed = json::array();
    for (const auto& f : q["failures"]) failed.push_back(quorum_rule_label(f.value("rule", std::string()), f.value("reason", std::string())));
    q["failed_rules"] = failed;
    if (q.contains("by_body") && q["by_body"].size() > 1) {
      std::string text;
      for (const auto& b : q["by_body"])
        text += (text.empty() ? "" : ", ") + b["body"]["name"].get<std::string>() + " " + std::to_string(b["eligible_voting"].get<int>());
      q["by_body_text"] = text;
    }
  }
  // One entry per person and item: the strongest action for them on it (a recorded decision, or
  // else what the guidance suggests from all their flags there), not one per flag.
  std::map<std::pair<Id, Id>, json> actions;
  for (auto& item : items) {
    const Id item_id = item.at("id").get<Id>();
    std::vector<ConflictFlag> flags;
    std::vector<Id> people;
    std::map<Id, json> decided;
    for (const auto& f : item["flags"]) {
      ConflictFlag cf;
      cf.agenda_item_id = item_id;
      cf.person_id = f["person"]["id"].get<Id>();
      cf.confidence = f.value("confidence", std::string()) == "certain" ? Confidence::certain : Confidence::possible;
      cf.suggested_action = f.value("suggested_action", std::string());
      cf.financial = f.value("financial", false);
      flags.push_back(cf);
      if (std::find(people.begin(), people.end(), cf.person_id) == people.end()) people.push_back(cf.person_id);
      if (f["decision"].is_object()) decided[cf.person_id] = f["decision"];
    }
    json leave = json::array(), no_vote = json::array(), decide = json::array(), take_part = json::array();
    json by_person = json::array();
    for (Id person : people) {
      json name, reasons = json::array();
      bool certain = false;
      for (const auto& f : item["flags"])
        if (f["person"]["id"].get<Id>() == person) {
          name = f["person"]["name"];
          certain = certain || f.value("certain", false);
          reasons.push_back(f);
        }
      std::optional<ManagementAction> action = suggested_decision(item_id, person, flags);
      // The guidance's words for that suggestion, once: from the flag that makes it.
      std::string suggested_text;
      for (const auto& cf : flags)
        if (cf.person_id == person && (suggested_text.empty() || suggested_decision(cf) == action)) {
          if (suggested_decision(cf) == action) {
            suggested_text = cf.suggested_action;
            break;
          }
          suggested_text = cf.suggested_action;
        }
      const bool is_decided = decided.contains(person);
      if (is_decided) {
        if (auto a = enum_from_string<ManagementAction>(decided[person].value("action", std::string()))) action = *a;
      }
      json cell = glance_action(action, is_decided);
      cell["suggested_text"] = suggested_text;
      cell["certain"] = certain;
      cell["person"] = {{"id", person}, {"name", name}};
      const std::string kind = cell["kind"];
      json who = {{"name", name}, {"decided", is_decided}};
      (kind == "leave" ? leave : kind == "no_vote" ? no_vote : kind == "decide" ? decide : take_part).push_back(who);
      actions[{person, item_id}] = cell;
      json entry = cell;
      entry["reasons"] = std::move(reasons);
      by_person.push_back(std::move(entry));
    }
    item["leave"] = leave;
    item["no_vote"] = no_vote;
    item["chair_decides"] = decide;
    item["takes_part"] = take_part;
    item["by_person"] = by_person;
  }
  // The matrix: one row per participant with any flag, one column per item; each cell the
  // strongest action for that person on that item (the flags stay for the record page).
  json rows = json::array();
  int unflagged = 0;
  for (const auto& p : view["meeting"]["participants"]) {
    json cells = json::array();
    bool any = false;
    for (const auto& item : items) {
      json cell_flags = json::array();
      for (const auto& f : item["flags"])
        if (f["person"]["id"] == p["id"]) cell_flags.push_back(f);
      any = any || !cell_flags.empty();
      json cell = {{"item_number", item["number"]}, {"item_title", item["title"]}, {"flags", cell_flags}, {"has_flags", !cell_flags.empty()}};
      auto it = actions.find({p["id"].get<Id>(), item["id"].get<Id>()});
      if (it != actions.end()) cell["action"] = it->second;
      cells.push_back(std::move(cell));
    }
    if (!any) {
      ++unflagged;
      continue;
    }
    json person = p;
    if (p.contains("body")) person["body_name"] = p["body"]["name"];
    person["role_label"] = brief_role_label(p.value("role", json()).is_string() ? p["role"].get<std::string>() : std::string());
    person["kind_label"] = brief_kind_label(p.value("kind", std::string()));
    rows.push_back({{"person", person}, {"cells", std::move(cells)}, {"has_flags", any}});
  }
  // Several bodies: everyone present with their home body, when they come from more than one
  // (a joint committee, committees in common, a member of another body); the conflicts table
  // names each person's body whenever the instance has several.
  std::set<Id> bodies_there;
  for (const auto& p : view["meeting"]["participants"])
    if (p.contains("body")) bodies_there.insert(p["body"]["id"].get<Id>());
  if (bodies_there.size() > 1) {
    json present = json::array();
    for (const auto& p : view["meeting"]["participants"]) {
      const std::string role = p.value("role", json()).is_string() ? p["role"].get<std::string>() : std::string();
      present.push_back({{"name", p["name"]}, {"body_name", p["body"]["name"]}, {"role_label", brief_role_label(role)},
                         {"kind_label", brief_kind_label(p.value("kind", std::string()))}});
    }
    view["bodies_present"] = present;
    view["show_bodies"] = true;
  }
  view["matrix"] = {{"items", items}, {"rows", std::move(rows)}, {"unflagged", unflagged}, {"any_unflagged", unflagged > 0}};
  view["summary"] = {{"items", items.size()}, {"flagged_items", flagged}, {"inquorate_items", inquorate},
                     {"any_inquorate", inquorate > 0}, {"chair_present", chair_present}};
  return view;
}

void in_common_links(json& view, const std::function<bool(Id)>& may_see) {
  if (!view["meeting"].contains("in_common")) return;
  auto& group = view["meeting"]["in_common"];
  const Id self = view["meeting"]["id"].get<Id>();
  for (auto& g : group) {
    g["this_meeting"] = g["meeting_id"].get<Id>() == self;
    g["may_see"] = !g["this_meeting"].get<bool>() && may_see(g["committee"]["id"].get<Id>());
  }
  json rows = json::array();
  for (const auto& item : view["items"]) {
    json cells = json::array();
    for (const auto& g : group)
      for (const auto& i : g["items"])
        if (i["agenda_item_id"] == item["id"]) {
          json reasons = json::array();
          for (const auto& f : i["failures"]) reasons.push_back(f["reason"]);
          const int n = i["conflicted"].get<int>();
          cells.push_back({{"committee", g["committee"]["name"]}, {"quorate", i["quorate"]}, {"reasons", reasons},
                           {"conflicted_text", n == 0 ? std::string("Nobody conflicted") : n == 1 ? std::string("1 person conflicted")
                                                                                                 : std::to_string(n) + " people conflicted"}});
        }
    rows.push_back({{"number", item["number"]}, {"title", item["title"]}, {"id", item["id"]}, {"cells", cells}});
  }
  view["in_common"] = {{"meetings", group}, {"rows", rows}};
}

json brief_view(const ConflictsReport& report) {
  // The API's document does not say which conflicts are financial; the suggested action (leave
  // the room, or no part in the decision) rests on it, so the page's copy carries it.
  json conflicts = report;
  auto& items = conflicts["items"];
  for (std::size_t i = 0; i < report.items.size() && i < items.size(); ++i)
    for (std::size_t k = 0; k < report.items[i].flags.size() && k < items[i]["flags"].size(); ++k)
      items[i]["flags"][k]["financial"] = report.items[i].flags[k].flag.financial;
  return brief_view(conflicts);
}

json brief_attendance(SQLite::Database& db, const Meeting& m) {
  std::map<Id, CommitteeRole> roles;
  for (const auto& ms : MembershipStore(db).for_committee(m.committee_id))
    if (ms.from <= m.date && (!ms.to || *ms.to >= m.date)) roles[ms.person_id] = ms.role;
  json apologies = json::array(), absent = json::array();
  json chair = nullptr;
  for (const auto& a : AttendanceStore(db).for_meeting(m.id)) {
    if (a.status != AttendanceStatus::apologies && a.status != AttendanceStatus::absent) continue;
    auto person = PersonStore(db).find(a.person_id);
    if (!person) continue;
    const auto role = roles.find(a.person_id);
    json one = {{"id", person->id}, {"name", person->name},
                {"role_label", role == roles.end() ? std::string("Attending") : brief_role_label(std::string(to_string(role->second)))}};
    if (role != roles.end() && role->second == CommitteeRole::chair && a.status == AttendanceStatus::apologies) chair = one;
    (a.status == AttendanceStatus::apologies ? apologies : absent).push_back(std::move(one));
  }
  auto by_name = [](const json& a, const json& b) { return a["name"] < b["name"]; };
  std::stable_sort(apologies.begin(), apologies.end(), by_name);
  std::stable_sort(absent.begin(), absent.end(), by_name);
  return {{"apologies", apologies}, {"any_apologies", !apologies.empty()}, {"absent", absent}, {"any_absent", !absent.empty()},
          {"chair_apologies", chair}};
}

namespace {
// A meeting as the lists show it: its committee and its date in words.
json listed_meeting(const Meeting& m, const Committee& c) {
  json j = {{"id", m.id}, {"title", m.title}, {"date", m.date.iso()}, {"date_long", long_date(m.date)}, {"location", m.location},
            {"start_time", m.start_time.empty() ? json(false) : json(m.start_time)},
            {"published", m.published}, {"agenda_published", m.agenda_published},
            {"held", m.status == MeetingStatus::held}, {"cancelled", m.status == MeetingStatus::cancelled}};
  j["committee"] = {{"id", c.id}, {"name", c.name}};
  return j;
}

void split_by_date(json& view, std::vector<std::pair<Date, json>> rows, const Date& today) {
  // Upcoming soonest first; past latest first.
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  json upcoming = json::array(), past = json::array();
  for (auto& [date, row] : rows)
    if (date >= today) upcoming.push_back(std::move(row));
  for (auto it = rows.rbegin(); it != rows.rend(); ++it)
    if (it->first < today) past.push_back(std::move(it->second));
  view["any_upcoming"] = !upcoming.empty();
  view["any_past"] = !past.empty();
  view["upcoming"] = std::move(upcoming);
  view["past"] = std::move(past);
}
}  // namespace

json public_meetings_view(SQLite::Database& db, const Date& today, std::optional<Id> committee_id) {
  std::vector<std::pair<Date, json>> rows;
  json view = json::object();
  for (const auto& c : CommitteeStore(db).all()) {
    if (committee_id && c.id != *committee_id) continue;
    if (committee_id) view["committee"] = {{"id", c.id}, {"name", c.name}};
    for (const auto& m : MeetingStore(db).for_committee(c.id)) {
      if (!is_public_meeting(m)) continue;
      json row = listed_meeting(m, c);
      // Before its minutes are published, a meeting whose agenda is published is listed with its
      // agenda: the items' titles and descriptions, nothing else.
      if (!m.published) {
        json items = json::array();
        for (const auto& item : AgendaItemStore(db).for_meeting(m.id))
          items.push_back({{"title", item.title}, {"description", item.description}});
        row["agenda"] = items;
        row["any_agenda"] = !items.empty();
      }
      rows.emplace_back(m.date, std::move(row));
    }
  }
  if (committee_id && !view.contains("committee")) throw not_found("Committee");
  split_by_date(view, std::move(rows), today);
  return view;
}

json my_meetings_view(SQLite::Database& db, Id person_id, const Date& today) {
  std::map<Id, std::vector<Membership>> memberships;  // by committee
  for (const auto& ms : MembershipStore(db).for_person(person_id)) memberships[ms.committee_id].push_back(ms);
  std::vector<std::pair<Date, json>> rows;
  for (const auto& c : CommitteeStore(db).all())
    for (const auto& m : MeetingStore(db).for_committee(c.id)) {
      if (m.status == MeetingStatus::cancelled) continue;
      std::optional<CommitteeRole> role;
      for (const auto& ms : memberships[c.id])
        if (ms.from <= m.date && (!ms.to || *ms.to >= m.date)) role = ms.role;
      const auto attendance = AttendanceStore(db).find_by_key(m.id, person_id);
      if (!role && !attendance) continue;
      json row = listed_meeting(m, c);
      row["role_label"] = role ? brief_role_label(std::string(to_string(*role))) : std::string("Attending");
      const auto status = attendance ? attendance->status : AttendanceStatus::expected;
      static const std::map<AttendanceStatus, std::string> status_labels = {
          {AttendanceStatus::expected, "Expected"}, {AttendanceStatus::present, "Present"},
          {AttendanceStatus::apologies, "Apologies sent"}, {AttendanceStatus::absent, "Absent"}};
      row["attendance_label"] = status_labels.at(status);
      // The items this person is flagged on, with the action the brief suggests for them: for
      // meetings still to come (afterwards the minutes say what happened).
      json flagged = json::array();
      if (m.status == MeetingStatus::planned && m.date >= today)
        if (auto report = build_conflicts_report(db, m.id, ReportAudience::committee)) {
          const json brief = brief_view(*report);
          for (const auto& item : brief["items"])
            for (const auto& entry : item["by_person"])
              if (entry["person"]["id"].get<Id>() == person_id) {
                json reasons = json::array();
                for (const auto& f : entry["reasons"]) reasons.push_back(f["reason"]);
                flagged.push_back({{"number", item["number"]}, {"title", item["title"]}, {"action", entry}, {"reasons", reasons}});
              }
        }
      row["flagged_items"] = flagged;
      row["any_flagged"] = !flagged.empty();
      rows.emplace_back(m.date, std::move(row));
    }
  json view = json::object();
  split_by_date(view, std::move(rows), today);
  return view;
}

json minutes_view(const json& minutes) {
  json view = minutes;
  if (view["meeting"].is_object() && view["meeting"]["date"].is_string())
    if (auto d = Date::parse(view["meeting"]["date"].get<std::string>())) view["meeting"]["date_long"] = long_date(*d);
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

json conflicts_json(SQLite::Database& db, Id meeting_id, ReportAudience audience, const std::string& organisation_name) {
  auto report = build_conflicts_report(db, meeting_id, audience, {}, organisation_name);
  if (!report) throw not_found("Meeting");
  return *report;
}

std::string conflicts_json_text(SQLite::Database& db, Id meeting_id, ReportAudience audience, const std::string& organisation_name) {
  auto report = build_conflicts_report(db, meeting_id, audience, {}, organisation_name);
  if (!report) throw not_found("Meeting");
  return conflicts_json_text(*report);
}

json decision_answer(SQLite::Database& db, const ConflictDecision& decision, ReportAudience audience, const std::string& organisation_name) {
  json out = decision;
  const json conflicts = conflicts_json(db, decision.meeting_id, audience, organisation_name);
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

json manage_view(SQLite::Database& db, const Meeting& m, const MeetingActor* actor) {
  json view = {{"meeting", m}};
  auto committee = CommitteeStore(db).find(m.committee_id).value();
  view["committee"] = committee;
  // Committees in common: the group, and whether this meeting shares its lead's agenda.
  const auto group = in_common_group(db, m);
  std::set<Id> group_committees;
  json in_common = json::array();
  for (const auto& g : group) {
    group_committees.insert(g.committee_id);
    const auto c = CommitteeStore(db).find(g.committee_id);
    in_common.push_back({{"meeting_id", g.id}, {"committee", c ? c->name : std::string()}, {"lead", !g.in_common_with},
                         {"this_meeting", g.id == m.id}});
  }
  view["in_common"] = in_common;
  view["has_in_common"] = group.size() > 1;
  if (m.in_common_with) {
    const auto lead = group.front();
    const auto c = CommitteeStore(db).find(lead.committee_id);
    view["shares_agenda"] = {{"meeting_id", lead.id}, {"committee", c ? c->name : std::string()}};
  }
  view["agenda_editable"] = !m.published && !m.in_common_with;
  if (actor && !m.published && m.status != MeetingStatus::cancelled) {
    json options = json::array();
    for (const auto& o : committee_options(db, *actor))
      if (!group_committees.contains(o["id"].get<Id>())) options.push_back(o);
    view["in_common_options"] = options;
    view["can_hold_in_common"] = !options.empty();
  }
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
      options.push_back({{"value", std::string(name)}, {"label", std::string(public_label(value))}, {"selected", value == s}});
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
    j["affects_all_label"] = std::string(sector_phrase(sector_of(agenda[i].category)));
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
  view["can_publish_agenda"] = m.status != MeetingStatus::cancelled && !m.published && !m.agenda_published;
  view["editable"] = !m.published;
  view["status_label"] = m.status == MeetingStatus::held ? "Held" : m.status == MeetingStatus::cancelled ? "Cancelled" : "Planned";
  view["title"] = "Manage: " + m.title;
  view["template"] = "meeting_manage";
  return view;
}

json record_view(SQLite::Database& db, const Meeting& m, ReportAudience audience, const std::string& organisation_name) {
  auto report = build_conflicts_report(db, m.id, audience, {}, organisation_name);
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

namespace {
std::string breach_code_label(std::string_view code) { return std::string(code_label("", code).value_or(code)); }
}  // namespace

json breach_row(SQLite::Database& db, const Breach& b) {
  json j = b;
  auto person = PersonStore(db).find(b.person_id);
  j["person"] = {{"id", b.person_id}, {"name", person ? person->name : ""}};
  if (b.meeting_id != 0)
    if (auto meeting = MeetingStore(db).find(b.meeting_id))
      j["meeting"] = {{"id", b.meeting_id}, {"title", meeting->title}, {"date", meeting->date.iso()}};
  if (b.agenda_item_id)
    if (auto item = AgendaItemStore(db).find(*b.agenda_item_id)) j["agenda_item"] = {{"id", item->id}, {"title", item->title}};
  j["is_open"] = b.status == BreachStatus::open;
  j["awaiting_guardian"] = b.status == BreachStatus::confirmed;
  j["status_label"] = breach_code_label(to_string(b.status));
  j["kind_label"] = breach_code_label(to_string(b.kind));
  j["found_by_label"] = breach_code_label(to_string(b.found_by));
  j["sent_back"] = b.status == BreachStatus::open && !b.guardian_note.empty();
  return j;
}

json breaches_view(SQLite::Database& db, const GovernanceScope& scope) {
  json rows = json::array();
  for (const auto& b : BreachStore(db).all())
    if (scope.sees_breach(b.id)) rows.push_back(breach_row(db, b));
  return rows;
}

json breach_history_view(SQLite::Database& db, Id breach_id) {
  json out = json::array();
  for (const auto& d : breach_decisions(db, breach_id))
    out.push_back({{"version", d.version}, {"status", std::string(to_string(d.status))},
                   {"status_label", breach_code_label(to_string(d.status))}, {"recorded_at", d.recorded_at},
                   {"recorded_by", d.recorded_by}, {"reason", d.reason}, {"has_reason", !d.reason.empty()}});
  return newest_first(out);
}

json breach_form_view(SQLite::Database& db, const Fields& f) {
  auto option_list = [&](auto codes, const std::string& field) {
    json out = json::array();
    for (const auto& [value, code] : codes)  // the first radio has the field's id: the error summary links to it
      out.push_back({{"value", std::string(code)}, {"label", breach_code_label(code)}, {"selected", f.get(field) == code},
                     {"id", out.empty() ? field : field + "-" + std::string(code)}});
    return out;
  };
  json people = json::array();
  auto all = PersonStore(db).all();
  std::sort(all.begin(), all.end(), [](const Person& a, const Person& b) { return name_sort_key(a.name) < name_sort_key(b.name); });
  for (const auto& p : all)
    people.push_back({{"value", std::to_string(p.id)}, {"label", p.name}, {"selected", f.get("person") == std::to_string(p.id)}});
  json meetings = json::array();
  json items = json::array();
  for (const auto& m : MeetingStore(db).all()) {
    if (m.status != MeetingStatus::held) continue;
    const std::string label = m.title + ", " + long_date(m.date);
    meetings.push_back({{"value", std::to_string(m.id)}, {"label", label}, {"selected", f.get("meeting") == std::to_string(m.id)}});
    json group = {{"label", label}, {"options", json::array()}};
    for (const auto& it : AgendaItemStore(db).for_meeting(m.id))
      group["options"].push_back(
          {{"value", std::to_string(it.id)}, {"label", it.title}, {"selected", f.get("agenda_item") == std::to_string(it.id)}});
    if (!group["options"].empty()) items.push_back(group);
  }
  json v = {{"kinds", option_list(EnumNames<BreachKind>::values, "kind")},
            {"found_by_options", option_list(EnumNames<BreachFoundBy>::values, "found_by")},
            {"people", people},
            {"meetings", meetings},
            {"item_groups", items},
            {"values", f.all()}};
  add_date_parts(v, "happened_on", f);
  return v;
}

Fields breach_fields(const Breach& b) {
  Fields f;
  f.set("kind", std::string(to_string(b.kind)));
  f.set("person", std::to_string(b.person_id));
  if (b.happened_on) f.set("happened_on", b.happened_on->iso());
  f.set("found_by", std::string(to_string(b.found_by)));
  f.set("reason", b.reason);
  f.set("action_taken", b.action_taken);
  f.set("lessons", b.lessons);
  f.set("public_summary", b.public_summary);
  f.set("public_action", b.public_action);
  f.set("public_lessons", b.public_lessons);
  if (b.meeting_id) f.set("meeting", std::to_string(b.meeting_id));
  if (b.agenda_item_id) f.set("agenda_item", std::to_string(*b.agenda_item_id));
  return f;
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
