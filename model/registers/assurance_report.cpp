#include "model/registers/assurance_report.hpp"

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <stdexcept>

#include "model/meetings/conflict_decisions.hpp"
#include "model/meetings/item_outcomes.hpp"
#include "model/public/register_labels.hpp"
#include "model/register/year_store.hpp"
#include "model/store/database.hpp"
#include "model/store/version_groups.hpp"

namespace probity {
namespace {

bool is_utc_instant(const std::string& text) {
  static const std::regex shape(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)");
  return std::regex_match(text, shape) && Date::parse(text.substr(0, 10)).has_value();
}

// Every `*_current` view is the versioned store's: the entity joined with its latest version (the
// one its identity row names, migration 0025). The copy made here finds the latest version
// recorded by the instant instead.
const std::regex& current_view_shape() {
  static const std::regex shape(
      R"(CREATE VIEW (\w+) AS SELECT e\.id AS id, e\.ref AS ref, e\.created_at AS created_at, v\.\* FROM (\w+) e JOIN (\w+) v ON v\.(\w+) = e\.id AND v\.version = e\.current_version)");
  return shape;
}

std::string label_or_code(std::string_view field, const std::string& code) {
  auto l = code_label(field, code);
  return l ? std::string(*l) : code;
}

std::vector<AssuranceCount> counted(const std::map<std::string, int>& counts, const auto& label) {
  std::vector<AssuranceCount> out;
  for (const auto& [code, n] : counts) out.push_back({code, label(code), n});
  std::stable_sort(out.begin(), out.end(), [](const AssuranceCount& a, const AssuranceCount& b) { return a.count > b.count; });
  return out;
}

bool in_force_during(const Date& from, const std::optional<Date>& to, const Date& start, const Date& end) {
  return from <= end && (!to || *to >= start);
}

void add_compliance(SQLite::Database& db, AssuranceReport& r, const YearRules& rules) {
  for (const auto& person : load_year_records(db)) {
    const PersonYear y = year_state_on(person, r.on, rules);
    if (y.has_left || (y.in_post_from && *y.in_post_from > r.on)) continue;
    ++r.people_in_post;
    if (y.confirmed_this_year) {
      ++r.confirmed;
    } else {
      ++r.not_confirmed;
      r.not_confirmed_names.push_back(person.name);
    }
    for (const auto& late : y.late)
      if (late.declared_on >= r.year_start && late.declared_on <= r.year_end) ++r.late_declarations;
    for (const auto& c : y.contradictions)
      if (c.made_on >= r.year_start && c.made_on <= r.year_end) ++r.nil_contradictions;
  }
  std::sort(r.not_confirmed_names.begin(), r.not_confirmed_names.end(),
            [](const std::string& a, const std::string& b) { return name_sort_key(a) < name_sort_key(b); });
}

void add_breaches(SQLite::Database& db, AssuranceReport& r) {
  // Breaches of the year by the day they happened (their meeting's day when none is recorded),
  // each of the five kinds, and how far each has gone: a draft, confirmed, dismissed, or signed
  // off by the Guardian.
  SQLite::Statement q(db,
                      "SELECT b.kind, b.status FROM breach_current b LEFT JOIN meeting_current m ON m.id = b.meeting_id "
                      "WHERE COALESCE(b.happened_on, m.date) BETWEEN ? AND ?");
  q.bind(1, r.year_start.iso());
  q.bind(2, r.year_end.iso());
  std::map<std::string, int> by_outcome, by_kind;
  while (q.executeStep()) {
    ++r.breaches;
    ++by_kind[q.getColumn(0).getString()];
    ++by_outcome[q.getColumn(1).getString()];
  }
  r.breaches_by_outcome = counted(by_outcome, [](const std::string& code) { return label_or_code("status", code); });
  r.breaches_by_kind = counted(by_kind, [](const std::string& code) { return label_or_code("kind", code); });
}

void add_meetings(SQLite::Database& db, AssuranceReport& r) {
  {
    SQLite::Statement q(db, "SELECT COUNT(*) FROM meeting_current WHERE status = 'held' AND date BETWEEN ? AND ?");
    q.bind(1, r.year_start.iso());
    q.bind(2, r.year_end.iso());
    q.executeStep();
    r.meetings_held = q.getColumn(0).getInt();
  }
  {
    SQLite::Statement q(db,
                        "SELECT d.action, COUNT(*) FROM conflict_decision_current d JOIN meeting_current m ON m.id = d.meeting_id "
                        "WHERE m.status = 'held' AND m.date BETWEEN ? AND ? GROUP BY d.action");
    q.bind(1, r.year_start.iso());
    q.bind(2, r.year_end.iso());
    std::map<std::string, int> by_action;
    while (q.executeStep()) {
      by_action[q.getColumn(0).getString()] = q.getColumn(1).getInt();
      r.conflict_decisions += q.getColumn(1).getInt();
    }
    r.decisions_by_action = counted(by_action, [](const std::string& code) { return management_action_label(code); });
  }
  {
    SQLite::Statement q(db,
                        "SELECT o.remedy, COUNT(*) FROM item_outcome_current o JOIN meeting_current m ON m.id = o.meeting_id "
                        "WHERE m.status = 'held' AND m.date BETWEEN ? AND ? AND o.remedy <> '' GROUP BY o.remedy");
    q.bind(1, r.year_start.iso());
    q.bind(2, r.year_end.iso());
    std::map<std::string, int> by_remedy;
    while (q.executeStep()) {
      by_remedy[q.getColumn(0).getString()] = q.getColumn(1).getInt();
      r.items_remedied += q.getColumn(1).getInt();
    }
    r.remedies = counted(by_remedy, [](const std::string& code) { return remedy_label(code); });
  }
}

// Procurement decisions of the year (by the day decided, or their meeting's day while a draft has
// none), and how the conflicts on them were managed: the chairs' decisions on their agenda items,
// or, for a decision taken outside a meeting, the conflicts governance recorded with it.
void add_procurement(SQLite::Database& db, AssuranceReport& r) {
  SQLite::Statement q(db,
                      "SELECT p.status, p.agenda_item_id IS NOT NULL, trim(p.conflicts) <> '', "
                      "(SELECT COUNT(*) FROM conflict_decision_current d WHERE d.agenda_item_id = p.agenda_item_id) "
                      "FROM procurement_decision_current p LEFT JOIN meeting_current m ON m.id = p.meeting_id "
                      "WHERE COALESCE(p.decided_on, m.date) BETWEEN ? AND ?");
  q.bind(1, r.year_start.iso());
  q.bind(2, r.year_end.iso());
  while (q.executeStep()) {
    ++r.procurement_decisions;
    if (q.getColumn(0).getString() == "published") ++r.procurement_published;
    const bool at_meeting = q.getColumn(1).getInt() != 0;
    if (at_meeting ? q.getColumn(3).getInt() > 0 : q.getColumn(2).getInt() != 0) ++r.procurement_with_conflicts;
  }
  SQLite::Statement a(db,
                      "SELECT d.action, COUNT(*) FROM procurement_decision_current p "
                      "JOIN conflict_decision_current d ON d.agenda_item_id = p.agenda_item_id "
                      "JOIN meeting_current m ON m.id = p.meeting_id "
                      "WHERE COALESCE(p.decided_on, m.date) BETWEEN ? AND ? GROUP BY d.action");
  a.bind(1, r.year_start.iso());
  a.bind(2, r.year_end.iso());
  std::map<std::string, int> by_action;
  while (a.executeStep()) by_action[a.getColumn(0).getString()] = a.getColumn(1).getInt();
  r.procurement_conflicts_by_action = counted(by_action, [](const std::string& code) { return management_action_label(code); });
}

void add_gifts(SQLite::Database& db, AssuranceReport& r) {
  SQLite::Statement q(db,
                      "SELECT kind, outcome, COUNT(*), SUM(value_pence), SUM(from_supplier) FROM gift_current "
                      "WHERE status IN ('submitted', 'approved') AND offered_on BETWEEN ? AND ? GROUP BY kind, outcome "
                      "ORDER BY kind, outcome");
  q.bind(1, r.year_start.iso());
  q.bind(2, r.year_end.iso());
  while (q.executeStep())
    r.gifts.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt(),
                       q.getColumn(3).getInt64(), q.getColumn(4).getInt()});
}

// The entries the public register showed during the year, as the publication rules show them,
// and the counts of those withheld.
void add_extract(SQLite::Database& db, AssuranceReport& r, const PublicationRules& publication) {
  std::vector<Interest> shown;
  for_each_version_group<Interest>(
      db, "WHERE v.recorded_at <= ?", [&](SQLite::Statement& q) { q.bind(1, r.as_of); },
      [&](const std::vector<Version<Interest>>& group) {
        if (auto v = public_version(entities_of(group), publication.review_required);
            v && in_force_during(v->from, v->to, r.year_start, r.year_end))
          shown.push_back(*v);
      });

  std::map<Id, std::string> names, organisations;
  {
    SQLite::Statement p(db, "SELECT id, name FROM person_current");
    while (p.executeStep()) names[p.getColumn(0).getInt64()] = p.getColumn(1).getString();
    SQLite::Statement o(db, "SELECT id, name FROM organisation_current");
    while (o.executeStep()) organisations[o.getColumn(0).getInt64()] = o.getColumn(1).getString();
  }
  std::set<Id> withheld_people;
  for (const auto& i : shown) {
    AssuranceExtractRow row;
    row.interest_id = i.id;
    row.person_id = i.person_id;
    row.name = names[i.person_id];
    row.withheld = i.withheld;
    if (i.withheld) {
      ++r.withheld_entries;
      withheld_people.insert(i.person_id);
    } else {
      row.category = std::string(to_string(i.category));
      if (i.organisation_id) row.organisation = organisations[*i.organisation_id];
      row.nature = i.nature;
      row.from = i.from;
      row.to = i.to;
    }
    r.extract.push_back(std::move(row));
  }
  r.people_with_withheld_entries = static_cast<int>(withheld_people.size());
  std::stable_sort(r.extract.begin(), r.extract.end(), [](const AssuranceExtractRow& a, const AssuranceExtractRow& b) {
    const auto ka = name_sort_key(a.name), kb = name_sort_key(b.name);
    if (ka != kb) return ka < kb;
    if (a.withheld != b.withheld) return b.withheld;  // withheld last within a person
    return a.interest_id < b.interest_id;
  });
}

}  // namespace

RecordedAsOf::RecordedAsOf(SQLite::Database& db, const std::string& as_of) : db_(db) {
  if (!is_utc_instant(as_of)) throw std::invalid_argument("as_of must be an instant such as 2027-03-31T23:59:59Z");
  std::vector<std::pair<std::string, std::string>> views;
  {
    SQLite::Statement q(db_, "SELECT name, sql FROM main.sqlite_master WHERE type = 'view' AND name LIKE '%\\_current' ESCAPE '\\' ORDER BY name");
    while (q.executeStep()) views.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getString());
  }
  try {
    db_.exec("CREATE TEMP TABLE probity_as_of (t TEXT NOT NULL)");
    SQLite::Statement set(db_, "INSERT INTO temp.probity_as_of (t) VALUES (?)");
    set.bind(1, as_of);
    set.exec();
    for (const auto& [name, sql] : views) {
      std::smatch m;
      if (!std::regex_match(sql, m, current_view_shape()) || m[1] != name)
        throw std::logic_error("view " + name + " is not a versioned store's current view");
      // The names come from the schema and match \w+, so they can be part of the statement.
      const std::string entity = m[2], versions = m[3], id = m[4];
      db_.exec("CREATE TEMP VIEW " + name + " AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM main." + entity +
               " e JOIN main." + versions + " v ON v." + id + " = e.id AND v.version = (SELECT MAX(w.version) FROM main." + versions +
               " w WHERE w." + id + " = e.id AND w.recorded_at <= (SELECT t FROM temp.probity_as_of))");
      views_.push_back(name);
    }
  } catch (...) {
    drop();
    throw;
  }
}

RecordedAsOf::~RecordedAsOf() { drop(); }

void RecordedAsOf::drop() noexcept {
  try {
    for (const auto& name : views_) db_.exec("DROP VIEW IF EXISTS temp." + name);
    views_.clear();
    db_.exec("DROP TABLE IF EXISTS temp.probity_as_of");
  } catch (...) {
    // A connection that cannot drop its temporary objects loses them when it closes.
  }
}

std::string default_as_of(const Date& year_end, const std::string& now) {
  const std::string end = year_end.iso() + "T23:59:59Z";
  return now < end ? now : end;
}

AssuranceReport build_assurance_report(SQLite::Database& db, const Date& year_start, const std::string& as_of,
                                       const YearRules& rules, const PublicationRules& publication) {
  AssuranceReport r;
  r.year_start = year_start;
  r.year_end = year_start.plus_months(12).plus_days(-1);
  r.as_of = as_of;
  RecordedAsOf recorded(db, as_of);
  const Date as_of_day = *Date::parse(as_of.substr(0, 10));
  r.on = std::min(r.year_end, as_of_day);
  add_compliance(db, r, rules);
  add_breaches(db, r);
  add_meetings(db, r);
  add_procurement(db, r);
  add_gifts(db, r);
  add_extract(db, r, publication);
  return r;
}

}  // namespace probity
