// Meetings (issue 5, and the published-meeting pages of issue 3): the chair's brief and its
// JSON, managing meetings and agendas, recording what happens at the meeting, breaches for
// governance and the minutes' declarations section. (The public view of published meetings is
// server/public_routes.cpp's.)
//
// Every page and its JSON share one action function: the handler parses input, calls the
// action (which validates and writes through the model's stores), then either redirects a form
// back to its page (POST-redirect-GET) or answers JSON. Validation problems are field errors:
// 422 with details for the API, the page again with the NHS error summary for forms.
#include <algorithm>
#include <map>
#include <set>

#include "model/audit_log.hpp"
#include "model/chair_rights.hpp"
#include "model/committee_store.hpp"
#include "model/conflict_decisions.hpp"
#include "model/conflicts_report.hpp"
#include "model/json.hpp"
#include "model/meeting_close.hpp"
#include "model/meeting_minutes.hpp"
#include "model/meeting_record_store.hpp"
#include "model/meeting_store.hpp"
#include "model/organisation_store.hpp"
#include "model/person_store.hpp"
#include "model/text.hpp"
#include "server/app.hpp"
#include "server/auth.hpp"
#include "server/forms.hpp"
#include "server/http_cache.hpp"
#include "server/meeting_access.hpp"
#include "server/meeting_views.hpp"
#include "server/routes.hpp"

namespace probity {
namespace {
using json = nlohmann::json;
using Req = httplib::Request;
using Res = httplib::Response;

// ---------------------------------------------------------------------------------------------
// Input: a form's fields or a JSON body's scalar members, read the same way.

// Field problems, shown as the NHS error summary on pages and as `details` in the API.
using Problems = Problems;

// Thrown by actions: the page or API answers with the field errors.
struct Invalid {
  Problems problems;
};

struct Input {
  bool api = false;
  std::map<std::string, std::string> fields;
  json body = json::object();

  std::string text(const std::string& name) const {
    auto it = fields.find(name);
    if (it == fields.end()) return "";
    auto s = it->second;
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
  }
  bool has(const std::string& name) const { return fields.count(name) != 0; }
  std::optional<Id> id(const std::string& name) const {
    const auto s = text(name);
    if (s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    return std::stoll(s);
  }
};

void check_length(const Input& in, const std::string& field, const std::string& label, std::size_t max, Problems& p) {
  const auto text = in.text(field);
  const auto chars = static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
  if (chars > max) p.add(field, label + " must be " + std::to_string(max) + " characters or fewer");
}

Input read_input(App& app, const Req& req) {
  Input in;
  in.api = App::wants_json(req);
  auto fields = accept_change(app, req);  // refuses a missing CSRF token (403)
  if (in.api) {
    if (req.body.empty()) return in;
    try {
      in.body = json::parse(req.body);
    } catch (const json::exception&) {
      // Every nlohmann error, not only parse_error: a number too large for a double
      // (1e999) is out_of_range, and was a 500 before (tests/server/hostile_input_test.cpp).
      throw HttpError(400, "invalid_json", "The request body is not valid JSON.");
    }
    if (!in.body.is_object()) throw HttpError(400, "invalid_json", "The request body must be a JSON object.");
    for (const auto& [k, v] : in.body.items()) {
      if (v.is_string()) {
        // The same rule as forms: no control characters ("\u0000" is valid JSON).
        if (!is_clean_text(v.get_ref<const std::string&>()))
          throw HttpError(400, "invalid_json", "The field '" + k + "' contains characters this service does not accept.");
        in.fields[k] = v.get<std::string>();
      } else if (v.is_boolean()) {
        in.fields[k] = v.get<bool>() ? "true" : "false";
      } else if (v.is_number_integer()) {
        in.fields[k] = std::to_string(v.get<long long>());
      } else if (v.is_number()) {
        in.fields[k] = v.dump();
      } else if (v.is_array() || v.is_object()) {
        // Only the lists the actions read as lists; anything else would be stored as its JSON text.
        if (k != "organisation_ids" && k != "item_ids")
          throw HttpError(400, "invalid_json", "The field '" + k + "' must be text, a number or true/false.");
      }
    }
  } else {
    in.fields = std::move(fields);
  }
  return in;
}

Id path_id(const Req& req, std::size_t n = 1) {
  const std::string s = req.matches[n];
  if (s.size() > 18) throw not_found("Record");
  return std::stoll(s);
}

Meeting load_meeting(SQLite::Database& db, Id id) {
  auto m = MeetingStore(db).find(id);
  if (!m) throw not_found("Meeting");
  return *m;
}

// Changes are refused once the minutes are public: the published record is what people read.
void require_unpublished(const Meeting& m) {
  if (m.published)
    throw HttpError(409, "meeting_published", "This meeting's minutes have been published, so its records can no longer be changed.");
}

// The meeting as it stands inside the caller's write transaction, refused once published. The
// handlers check first too, but a publish can commit between that check and the write; a
// WriteTransaction holds the write lock from its BEGIN, so a check made inside it stands until
// the write commits.
Meeting unpublished_in_transaction(SQLite::Database& db, Id meeting_id) {
  auto m = load_meeting(db, meeting_id);
  require_unpublished(m);
  return m;
}

// Only the governance team reads the details of entries withheld from the public register.
ReportAudience audience_of(const CurrentUser& user) {
  return user.governance ? ReportAudience::governance : ReportAudience::committee;
}

// The people who may be named in the meeting's records: members in post on the meeting date
// and people on its attendance list.
std::map<Id, Person> meeting_people(SQLite::Database& db, const Meeting& m) {
  std::set<Id> ids;
  for (const auto& ms : MembershipStore(db).for_committee(m.committee_id))
    if (ms.from <= m.date && (!ms.to || *ms.to >= m.date)) ids.insert(ms.person_id);
  for (const auto& a : AttendanceStore(db).for_meeting(m.id)) ids.insert(a.person_id);
  std::map<Id, Person> out;
  PersonStore people(db);
  for (Id id : ids)
    if (auto p = people.find(id)) out.emplace(id, *p);
  return out;
}

void redirect(Res& res, const std::string& to) { res.set_redirect(to, 303); }

std::string meeting_path(Id id, const std::string& rest = "") { return "/meetings/" + std::to_string(id) + rest; }

// ---------------------------------------------------------------------------------------------
// Actions shared by forms and the API. Each validates and writes in one transaction.

Meeting create_meeting(SQLite::Database& db, const CurrentUser& user, const Input& in) {
  Problems p;
  auto committee_id = in.id("committee_id");
  if (!committee_id || !CommitteeStore(db).find(*committee_id)) p.add("committee_id", "Select the committee");
  else if (!may_manage(db, user, *committee_id)) p.add("committee_id", "You can only create meetings of committees you chair");
  const auto title = in.text("title");
  if (title.empty()) p.add("title", "Enter the meeting's title");
  check_length(in, "title", "Title", kShortTextMax, p);
  check_length(in, "location", "Location", kShortTextMax, p);
  std::optional<Date> date;
  if (in.api || in.has("date")) date = Date::parse(in.text("date"));
  else date = Date::parse(in.text("date-year") + "-" + (in.text("date-month").size() == 1 ? "0" : "") + in.text("date-month") + "-" +
                          (in.text("date-day").size() == 1 ? "0" : "") + in.text("date-day"));
  if (!date) p.add("date", "Enter the meeting's date as a real date, for example 10 12 2026");
  if (!p.empty()) throw Invalid{p};
  Meeting m;
  m.committee_id = *committee_id;
  m.title = title;
  m.date = *date;
  m.location = in.text("location");
  WriteTransaction tx(db);
  MeetingStore(db).save(m, actor_of(user));
  tx.commit();
  return m;
}

AttendanceStatus parse_attendance(const std::string& text, Problems& p, const std::string& field) {
  auto s = enum_from_string<AttendanceStatus>(text);
  if (!s) p.add(field, "Select expected, present, apologies or absent");
  return s.value_or(AttendanceStatus::expected);
}

// API: {"person_id", "status"}. Fields: "status_<person id>" for each listed person, and
// "add_person_id" with "add_status" to add someone from the register as an attendee.
json set_attendance(SQLite::Database& db, const CurrentUser& user, const Meeting& m, const Input& in) {
  Problems p;
  std::vector<std::pair<Id, AttendanceStatus>> changes;
  PersonStore people(db);
  if (in.api) {
    auto person = in.id("person_id");
    if (!person || !people.find(*person)) p.add("person_id", "Select a person from the register");
    auto status = parse_attendance(in.text("status"), p, "status");
    if (person) changes.emplace_back(*person, status);
  } else {
    for (const auto& [name, value] : in.fields) {
      if (name.rfind("status_", 0) != 0) continue;
      Input one;
      one.fields["id"] = name.substr(7);
      auto person = one.id("id");
      auto status = parse_attendance(value, p, name);
      if (person && people.find(*person)) changes.emplace_back(*person, status);
    }
    if (auto added = in.text("add_person_id"); !added.empty()) {
      auto person = in.id("add_person_id");
      if (!person || !people.find(*person)) p.add("add_person_id", "Select a person from the register");
      else changes.emplace_back(*person, parse_attendance(in.text("add_status").empty() ? "expected" : in.text("add_status"), p, "add_status"));
    }
  }
  if (!p.empty()) throw Invalid{p};
  AttendanceStore store(db);
  WriteTransaction tx(db);
  unpublished_in_transaction(db, m.id);
  json out = json::array();
  for (auto [person, status] : changes) {
    Attendance a;
    if (auto existing = store.find_by_key(m.id, person)) a = *existing;
    else if (status == AttendanceStatus::expected && !in.api) {
      // A member with no attendance row is already expected: no row needed for an unchanged form.
      const auto members = MembershipStore(db).for_person(person);
      if (std::any_of(members.begin(), members.end(), [&](const Membership& ms) { return ms.committee_id == m.committee_id; })) continue;
    }
    a.meeting_id = m.id;
    a.person_id = person;
    a.status = status;
    store.save(a, actor_of(user));
    out.push_back(a);
  }
  tx.commit();
  return out;
}

// Reads an agenda item's fields (title, description, category, linked organisations, whether
// it affects all GP practices) from a form or a JSON body into `item`.
void read_item(SQLite::Database& db, const Input& in, AgendaItem& item, Problems& p) {
  item.title = in.text("title");
  if (item.title.empty()) p.add("title", "Enter the item's title");
  check_length(in, "title", "Title", kShortTextMax, p);
  item.description = in.text("description");
  check_length(in, "description", "Description", kLongTextMax, p);
  auto category = enum_from_string<AgendaCategory>(in.text("category").empty() ? "other" : in.text("category"));
  if (!category) p.add("category", "Select the item's category");
  item.category = category.value_or(AgendaCategory::other);
  OrganisationStore orgs(db);
  item.organisation_ids.clear();
  if (in.api) {
    if (in.body.contains("organisation_ids")) {
      const auto& ids = in.body.at("organisation_ids");
      if (!ids.is_array()) p.add("organisation_ids", "organisation_ids must be an array of organisation ids");
      else
        for (const auto& v : ids) {
          if (!v.is_number_integer() || !orgs.find(v.get<Id>())) p.add("organisation_ids", "Every organisation must be on the register");
          else if (std::find(item.organisation_ids.begin(), item.organisation_ids.end(), v.get<Id>()) == item.organisation_ids.end())
            item.organisation_ids.push_back(v.get<Id>());
        }
    }
  } else {
    for (const char* field : {"organisation_1", "organisation_2", "organisation_3"}) {
      if (in.text(field).empty()) continue;
      auto id = in.id(field);
      if (!id || !orgs.find(*id)) p.add(field, "Select an organisation from the register");
      else if (std::find(item.organisation_ids.begin(), item.organisation_ids.end(), *id) == item.organisation_ids.end())
        item.organisation_ids.push_back(*id);
    }
  }
  // Local incentive schemes and enhanced services affect every practice unless said otherwise.
  const auto all = in.text("affects_all_gp_practices");
  if (all.empty() || all == "default") item.affects_all_gp_practices = affects_all_gp_practices_by_default(item.category);
  else if (all == "true" || all == "yes") item.affects_all_gp_practices = true;
  else if (all == "false" || all == "no") item.affects_all_gp_practices = false;
  else p.add("affects_all_gp_practices", "Say whether the item affects all GP practices");
}

AgendaItem add_item(SQLite::Database& db, const CurrentUser& user, const Meeting& m, const Input& in) {
  Problems p;
  AgendaItem item;
  item.meeting_id = m.id;
  read_item(db, in, item, p);
  if (!p.empty()) throw Invalid{p};
  AgendaItemStore store(db);
  WriteTransaction tx(db);
  unpublished_in_transaction(db, m.id);
  int last = 0;
  for (const auto& other : store.for_meeting(m.id)) last = std::max(last, other.position);
  item.position = last + 1;
  store.save(item, actor_of(user));
  tx.commit();
  return item;
}

// An item on the meeting's agenda (withdrawn ones are no longer on it), or 404.
AgendaItem load_item(SQLite::Database& db, const Meeting& m, Id item_id) {
  auto item = AgendaItemStore(db).find(item_id);
  if (!item || item->meeting_id != m.id || item->withdrawn) throw not_found("Agenda item");
  return *item;
}

// A changed item is a new version of it; the brief and quorum follow at once.
AgendaItem edit_item(SQLite::Database& db, const CurrentUser& user, const Meeting& m, Id item_id, const Input& in) {
  auto item = load_item(db, m, item_id);
  Problems p;
  read_item(db, in, item, p);
  if (!p.empty()) throw Invalid{p};
  WriteTransaction tx(db);
  unpublished_in_transaction(db, m.id);
  AgendaItemStore(db).save(item, actor_of(user));
  tx.commit();
  return item;
}

// Takes the item off the agenda (a new version marked withdrawn; its history stays). An item
// the meeting's records cite (declarations, decisions, movements, breaches) stays on it.
AgendaItem withdraw_item(SQLite::Database& db, const CurrentUser& user, const Meeting& m, Id item_id) {
  auto item = load_item(db, m, item_id);
  WriteTransaction tx(db);
  unpublished_in_transaction(db, m.id);
  if (agenda_item_has_records(db, item.id))
    throw HttpError(409, "item_has_records",
                    "Declarations or decisions have been recorded against this item at the meeting, so it stays on the agenda.");
  item.withdrawn = true;
  AgendaItemStore(db).save(item, actor_of(user));
  tx.commit();
  return item;
}

// API: {"item_ids": [...]}, every item once, in the new order. Fields: "item_id" and
// "direction" (up or down).
std::vector<AgendaItem> reorder_items(SQLite::Database& db, const CurrentUser& user, const Meeting& m, const Input& in) {
  AgendaItemStore store(db);
  auto items = store.for_meeting(m.id);
  std::vector<Id> order;
  for (const auto& i : items) order.push_back(i.id);
  Problems p;
  if (in.api) {
    std::vector<Id> wanted;
    if (in.body.contains("item_ids") && in.body.at("item_ids").is_array())
      for (const auto& v : in.body.at("item_ids"))
        if (v.is_number_integer()) wanted.push_back(v.get<Id>());
    auto a = wanted, b = order;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    if (a != b) p.add("item_ids", "item_ids must list every item of the meeting once");
    order = wanted;
  } else {
    auto id = in.id("item_id");
    auto it = id ? std::find(order.begin(), order.end(), *id) : order.end();
    const auto direction = in.text("direction");
    if (it == order.end()) p.add("item_id", "Select an item of this meeting");
    else if (direction == "up" && it != order.begin()) std::iter_swap(it, it - 1);
    else if (direction == "down" && it + 1 != order.end()) std::iter_swap(it, it + 1);
    else if (direction != "up" && direction != "down") p.add("direction", "Move the item up or down");
  }
  if (!p.empty()) throw Invalid{p};
  WriteTransaction tx(db);
  unpublished_in_transaction(db, m.id);
  std::vector<AgendaItem> out;
  for (std::size_t i = 0; i < order.size(); ++i) {
    auto item = *std::find_if(items.begin(), items.end(), [&](const AgendaItem& x) { return x.id == order[i]; });
    item.position = static_cast<int>(i + 1);
    store.save(item, actor_of(user));
    out.push_back(item);
  }
  tx.commit();
  return out;
}

std::optional<Id> item_of_meeting(SQLite::Database& db, const Meeting& m, const Input& in, const std::string& field, bool required,
                                  Problems& p) {
  if (in.text(field).empty()) {
    if (required) p.add(field, "Select the agenda item");
    return std::nullopt;
  }
  auto id = in.id(field);
  auto item = id ? AgendaItemStore(db).find(*id) : std::nullopt;
  if (!item || item->meeting_id != m.id) {
    p.add(field, "Select an agenda item of this meeting");
    return std::nullopt;
  }
  return id;
}

std::optional<Id> person_at(const std::map<Id, Person>& people, const Input& in, const std::string& field, Problems& p) {
  auto id = in.id(field);
  if (!id || !people.contains(*id)) {
    p.add(field, "Select a member or attendee of this meeting");
    return std::nullopt;
  }
  return id;
}

MeetingDeclaration record_declaration(SQLite::Database& db, const CurrentUser& user, const Meeting& m, const Input& in) {
  Problems p;
  MeetingDeclaration d;
  d.meeting_id = m.id;
  const auto people = meeting_people(db, m);
  auto person = person_at(people, in, "person_id", p);
  d.agenda_item_id = item_of_meeting(db, m, in, "agenda_item_id", false, p);
  d.text = in.text("text");
  if (d.text.empty()) p.add("text", "Enter what was declared, as it should appear in the minutes");
  check_length(in, "text", "What was declared", kLongTextMax, p);
  if (!in.text("interest_id").empty()) {
    // A declaration may repeat an entry already on the register; it must be that person's.
    auto interest = in.id("interest_id");
    SQLite::Statement q(db, "SELECT person_id FROM interest_current WHERE id = ?");
    q.bind(1, interest.value_or(0));
    if (!interest || !q.executeStep() || (person && q.getColumn(0).getInt64() != *person))
      p.add("interest_id", "Select one of this person's registered interests, or leave it empty");
    else d.interest_id = interest;
  }
  if (!p.empty()) throw Invalid{p};
  d.person_id = *person;
  WriteTransaction tx(db);
  unpublished_in_transaction(db, m.id);
  MeetingDeclarationStore(db).record(d, actor_of(user));
  tx.commit();
  return d;
}

// The flags on one agenda item of the meeting, as the brief shows them.
std::vector<ConflictFlag> item_flags(SQLite::Database& db, Id meeting_id, Id item_id, ReportAudience audience) {
  std::vector<ConflictFlag> out;
  if (auto report = build_conflicts_report(db, meeting_id, audience))
    for (const auto& item : report->items)
      if (item.item.id == item_id)
        for (const auto& rf : item.flags) out.push_back(rf.flag);
  return out;
}

ConflictDecision record_decision(SQLite::Database& db, const CurrentUser& user, const Meeting& m, const Input& in) {
  Problems p;
  ConflictDecision d;
  d.meeting_id = m.id;
  const auto people = meeting_people(db, m);
  auto item = item_of_meeting(db, m, in, "agenda_item_id", true, p);
  auto person = person_at(people, in, "person_id", p);
  auto action = enum_from_string<ManagementAction>(in.text("action"));
  if (!action) p.add("action", "Select how the conflict is managed");
  d.reason = in.text("reason");
  if (item && person && action && d.reason.empty()) {
    // Following the suggestion needs no explanation; departing from it does (issue 5).
    const auto suggested = suggested_decision(*item, *person, item_flags(db, m.id, *item, audience_of(user)));
    if (decision_needs_reason(suggested, *action))
      p.add("reason", "Enter the reason for departing from the suggested decision (" +
                          management_action_label(std::string(to_string(*suggested))) + "), as it should appear in the minutes");
  }
  d.decided_by = in.text("decided_by");
  if (d.decided_by.empty()) p.add("decided_by", "Enter who made the decision (normally the person presiding)");
  check_length(in, "reason", "Reason", kLongTextMax, p);
  check_length(in, "decided_by", "Who made the decision", kShortTextMax, p);
  if (!p.empty()) throw Invalid{p};
  d.agenda_item_id = *item;
  d.person_id = *person;
  d.action = *action;
  WriteTransaction tx(db);
  unpublished_in_transaction(db, m.id);
  ConflictDecisionStore(db).record(d, actor_of(user));
  tx.commit();
  return d;
}

// A new movement ({"person_id", "agenda_item_id"?, "left_at", "returned_at"?}) or a return
// ({"movement_id", "returned_at"}).
RoomMovement record_movement(SQLite::Database& db, const CurrentUser& user, const Meeting& m, const Input& in) {
  Problems p;
  RoomMovementStore store(db);
  RoomMovement mv;
  if (!in.text("movement_id").empty()) {
    auto id = in.id("movement_id");
    auto found = id ? store.find(*id) : std::nullopt;
    if (!found || found->meeting_id != m.id) p.add("movement_id", "Select a movement recorded at this meeting");
    else mv = *found;
  } else {
    mv.meeting_id = m.id;
    const auto people = meeting_people(db, m);
    if (auto person = person_at(people, in, "person_id", p)) mv.person_id = *person;
    mv.agenda_item_id = item_of_meeting(db, m, in, "agenda_item_id", false, p);
    mv.left_at = in.text("left_at");
    if (!is_clock_time(mv.left_at)) p.add("left_at", "Enter the time they left as HH:MM, for example 14:05");
  }
  if (!in.text("returned_at").empty()) {
    mv.returned_at = in.text("returned_at");
    if (!is_clock_time(*mv.returned_at)) p.add("returned_at", "Enter the time they returned as HH:MM, for example 14:40");
    else if (p.empty() && *mv.returned_at < mv.left_at) p.add("returned_at", "The time they returned must not be before the time they left");
  } else if (mv.id != 0) {
    p.add("returned_at", "Enter the time they returned as HH:MM, for example 14:40");
  }
  if (!p.empty()) throw Invalid{p};
  WriteTransaction tx(db);
  unpublished_in_transaction(db, m.id);
  store.record(mv, actor_of(user));
  tx.commit();
  return mv;
}

// Both write the meeting itself, so they save the version read inside the transaction: the
// copy the handler read may predate a publish it would otherwise undo.
std::vector<Breach> mark_held(SQLite::Database& db, const CurrentUser& user, const Meeting& read_before) {
  WriteTransaction tx(db);
  Meeting m = unpublished_in_transaction(db, read_before.id);
  if (m.status == MeetingStatus::cancelled) throw HttpError(409, "meeting_cancelled", "A cancelled meeting cannot be marked as held.");
  m.status = MeetingStatus::held;
  MeetingStore(db).save(m, actor_of(user));
  auto breaches = open_draft_breaches(db, m.id, actor_of(user), audience_of(user));
  tx.commit();
  return breaches;
}

Meeting publish(SQLite::Database& db, const CurrentUser& user, const Meeting& read_before) {
  WriteTransaction tx(db);
  Meeting m = unpublished_in_transaction(db, read_before.id);
  // The minutes are published after the meeting, once what happened there is recorded.
  if (m.status != MeetingStatus::held)
    throw HttpError(409, "meeting_not_held", "Only a meeting marked as held can be published.");
  m.published = true;
  MeetingStore(db).save(m, actor_of(user));
  tx.commit();
  return m;
}

Breach resolve_breach(SQLite::Database& db, const CurrentUser& user, Breach b, const Input& in) {
  Problems p;
  auto status = enum_from_string<BreachStatus>(in.text("status"));
  if (!status || *status == BreachStatus::open) p.add("status", "Select confirm or dismiss");
  const auto resolution = in.text("resolution");
  if (resolution.empty()) p.add("resolution", "Enter the reason for confirming or dismissing the breach");
  check_length(in, "resolution", "Reason", kLongTextMax, p);
  if (!p.empty()) throw Invalid{p};
  b.status = *status;
  b.resolution = resolution;
  WriteTransaction tx(db);
  BreachStore(db).record(b, actor_of(user));
  tx.commit();
  return b;
}

// ---------------------------------------------------------------------------------------------
// View data.

json committee_options(SQLite::Database& db, const CurrentUser& user) {
  json out = json::array();
  for (const auto& c : CommitteeStore(db).all())
    if (may_manage(db, user, c.id)) out.push_back({{"id", c.id}, {"name", c.name}});
  return out;
}

json meetings_list(SQLite::Database& db, const CurrentUser& user) {
  json out = json::array();
  for (const auto& c : CommitteeStore(db).all()) {
    if (!may_manage(db, user, c.id)) continue;
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

json minutes_json(SQLite::Database& db, Id meeting_id) {
  auto minutes = build_meeting_minutes(db, meeting_id);
  if (!minutes) throw not_found("Meeting");
  return *minutes;
}

// The management page: the meeting, its attendance and its agenda, with the forms to change them.
// The choices of the agenda item form (category, three organisation selects, the "affects all
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
  const char* labels[] = {"First organisation", "Second organisation", "Third organisation"};
  for (int i = 0; i < 3; ++i) {
    const std::string field = "organisation_" + std::to_string(i + 1);
    json options = json::array();
    for (const auto& o : organisations) {
      json option = o;
      option["selected"] = std::to_string(o.at("id").get<Id>()) == value(field.c_str());
      options.push_back(std::move(option));
    }
    json select = {{"field", field}, {"label", labels[i]}, {"options", options}};
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
  for (std::size_t i = 0; i < item.organisation_ids.size() && i < 3; ++i)
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

// The page to edit one agenda item (and withdraw it).
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
    j["first"] = i == 0;
    j["last"] = i + 1 == agenda.size();
    json names = json::array();
    for (Id o : agenda[i].organisation_ids) names.push_back(org_names.contains(o) ? org_names[o] : std::to_string(o));
    j["organisations"] = names;
    items.push_back(std::move(j));
  }
  view["items"] = items;
  view["held"] = m.status == MeetingStatus::held;
  view["can_publish"] = m.status == MeetingStatus::held && !m.published;
  view["editable"] = !m.published;
  view["status_label"] = m.status == MeetingStatus::held ? "Held" : m.status == MeetingStatus::cancelled ? "Cancelled" : "Planned";
  return view;
}

// The page used at the meeting: the brief's flags with a decision form each, the declarations
// and movements recorded so far, and each item's quorum as it now stands.
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
    for (auto& f : items[i]["flags"]) {
      // The form starts at the suggested decision, which needs no reason; departing from it does.
      const auto suggested = suggested_decision(report->items[i].item.id, f["person"]["id"].get<Id>(), flags);
      f["suggested_label"] = suggested ? json(management_action_label(std::string(to_string(*suggested)))) : json(false);
      const std::string current = f["decision"].is_object() ? f["decision"]["action"].get<std::string>()
                                  : std::string(to_string(suggested.value_or(ManagementAction::participate)));
      json options = json::array();
      for (const auto& [value, name] : EnumNames<ManagementAction>::values)
        options.push_back({{"value", std::string(name)}, {"label", management_action_label(std::string(name))},
                           {"selected", std::string(name) == current}});
      f["action_options"] = options;
      f["form_id"] = "d-" + std::to_string(items[i]["id"].get<Id>()) + "-" + std::to_string(f["person"]["id"].get<Id>());
    }
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
  return view;
}

// A decision form sent with mistakes: the record page has one decision form per flag, with
// field ids prefixed by the form's id. Puts the errors and the values sent on the form they came
// from, and points the error summary's links at that form's fields.
void place_decision_errors(json& data) {
  const json values = data.value("values", json::object());
  const auto item = values.value("agenda_item_id", std::string()), person = values.value("person_id", std::string());
  for (auto& it : data["items"])
    for (auto& f : it["flags"]) {
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

json breaches_view(SQLite::Database& db) {
  json rows = json::array();
  std::map<Id, std::string> meeting_titles, item_titles;
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

// ---------------------------------------------------------------------------------------------
// Answering.

// Runs a change: JSON answers `status` with the action's result; a form redirects to `back` on
// success, or re-renders `page` with the field errors (and the values sent) on failure.
template <typename Action, typename Page>
void change(App& app, const Req& req, Res& res, Action&& action, const std::string& back, Page&& page, int status = 200) {
  const Input in = read_input(app, req);
  try {
    json result = action(in);
    if (in.api) App::send_json(res, result, status);
    else redirect(res, back);
  } catch (const Invalid& e) {
    if (in.api) throw HttpError(422, "invalid_input", "Some of the values sent are not valid.", e.problems.details());
    json data = page();
    data.update(error_view(e.problems));
    data["values"] = in.fields;
    if (data.contains("item_form"))  // the selects and radios as sent
      data["item_form"] = item_form(data.at("organisations"), data.at("values"), data.value("errors", json::object()));
    if (data.value("template", std::string()) == "meeting_record") place_decision_errors(data);
    app.render_page(req, res, data.at("template").get<std::string>(), data, 422);
  } catch (const std::invalid_argument& e) {
    // The model's own validation, in case a check above missed something.
    throw HttpError(422, "invalid_input", e.what());
  }
}

}  // namespace

void register_meeting_routes(App& app) {
  auto& s = app.http();

  // --- meetings a user may manage ---------------------------------------------------------
  s.Get("/meetings", [&app](const Req& req, Res& res) {
    auto user = require_signed_in(app, req);
    auto db = app.pool().acquire();
    auto committees = committee_options(*db, user);
    if (committees.empty()) throw HttpError(403, "forbidden", "Only committee chairs, vice-chairs and the governance team manage meetings.");
    app.render_page(req, res, "meetings", {{"title", "Meetings"}, {"meetings", meetings_list(*db, user)}, {"committees", committees}});
  });
  s.Get("/api/v1/meetings", [&app](const Req& req, Res& res) {
    auto user = require_signed_in(app, req);
    auto db = app.pool().acquire();
    App::send_json(res, {{"meetings", meetings_list(*db, user)}});
  });
  auto create = [&app](const Req& req, Res& res) {
    auto user = require_signed_in(app, req);
    auto db = app.pool().acquire();
    const Input in = read_input(app, req);
    try {
      auto m = create_meeting(*db, user, in);
      if (in.api) App::send_json(res, m, 201);
      else redirect(res, meeting_path(m.id, "/manage"));
    } catch (const Invalid& e) {
      if (in.api) throw HttpError(422, "invalid_input", "Some of the values sent are not valid.", e.problems.details());
      auto committees = committee_options(*db, user);
      if (committees.empty()) throw HttpError(403, "forbidden", "Only committee chairs, vice-chairs and the governance team manage meetings.");
      json data = {{"title", "Meetings"}, {"meetings", meetings_list(*db, user)}, {"committees", committees}, {"values", in.fields}};
      data.update(error_view(e.problems));
      app.render_page(req, res, "meetings", data, 422);
    }
  };
  s.Post("/meetings", create);
  s.Post("/api/v1/meetings", create);

  // --- the chair's brief ------------------------------------------------------------------
  // A chair's tools ask for the check again and again while nothing changes; it is rebuilt only
  // when the register does. The generation is the last audit id, read in the same snapshot as
  // the check is built from: everything the check reads (meetings, agenda, attendance, people,
  // interests, gifts, decisions, declarations) is written as a new version with an audit row in
  // one transaction. The response carries an ETag, so a client can also ask with If-None-Match.
  auto conflicts_cache = std::make_shared<ResponseCache>(64, 16u << 20);
  s.Get(R"(/api/v1/meetings/(\d+)/conflicts)", [&app, conflicts_cache](const Req& req, Res& res) {
    auto db = app.pool().acquire();
    const auto m = load_meeting(*db, path_id(req));
    // Before the snapshot: signing in may write.
    const auto audience = audience_of(require_manager(app, req, m.committee_id));
    SQLite::Transaction snapshot(*db);  // read only, rolled back at the end
    const long long generation = last_audit_id(*db);
    // One entry per audience: the governance team's check holds withheld details that a
    // chair's must never be served from the cache.
    const std::string key = std::to_string(m.id) + (audience == ReportAudience::governance ? "/governance" : "/committee");
    const bool use_cache = app.config().conflicts_cache;
    bool claimed = false;
    if (use_cache)
      if (auto hit = conflicts_cache->find_or_claim(key, generation, "", claimed)) return send_cacheable(req, res, hit);
    ReleaseClaim release(*conflicts_cache, key, generation, claimed);
    App::send_json(res, conflicts_json(*db, m.id, audience));
    // The gzip copy is made once for a cached check; built each time, it is compressed only for
    // a client that asks (it was a tenth of the check's time).
    auto body = std::make_shared<const CacheableBody>(make_cacheable(res, std::nullopt, use_cache));
    send_cacheable(req, res, body);
    if (use_cache) conflicts_cache->store(key, generation, "", std::move(body));
  });
  s.Get(R"(/meetings/(\d+)/brief)", [&app](const Req& req, Res& res) {
    auto db = app.pool().acquire();
    const auto m = load_meeting(*db, path_id(req));
    const auto user = require_manager(app, req, m.committee_id);
    json view = brief_view(conflicts_json(*db, m.id, audience_of(user)));
    view["title"] = "Chair's brief: " + m.title;
    view["print"] = req.get_param_value("print") == "1";
    app.render_page(req, res, "meeting_brief", view);
  });

  // --- managing one meeting ---------------------------------------------------------------
  // Page builders for a form sent back with errors: (meeting id, who reads it) -> view data.
  auto manage_page = [&app](Id id, ReportAudience) {
    return [&app, id] {
      auto db = app.pool().acquire();
      auto m = load_meeting(*db, id);
      json data = manage_view(*db, m);
      data["title"] = "Manage: " + m.title;
      data["template"] = "meeting_manage";
      return data;
    };
  };
  s.Get(R"(/meetings/(\d+)/manage)", [&app, manage_page](const Req& req, Res& res) {
    Id id = path_id(req);
    {
      auto db = app.pool().acquire();
      require_manager(app, req, load_meeting(*db, id).committee_id);
    }
    app.render_page(req, res, "meeting_manage", manage_page(id, ReportAudience::committee)());
  });
  s.Get(R"(/api/v1/meetings/(\d+)/manage)", [&app](const Req& req, Res& res) {
    auto db = app.pool().acquire();
    auto m = load_meeting(*db, path_id(req));
    require_manager(app, req, m.committee_id);
    json view = manage_view(*db, m);
    App::send_json(res, {{"meeting", view["meeting"]}, {"attendance", view["attendance"]}, {"items", view["items"]}});
  });

  // One registration per change, for its form path and its API path. `needs_editable`: refused
  // once published.
  auto post_change = [&app, &s](const std::string& suffix, const std::string& back_suffix, auto&& page_for, auto action, int status,
                                bool needs_editable) {
    auto handler = [&app, suffix, back_suffix, page_for, action, status, needs_editable](const Req& req, Res& res) {
      const Id id = path_id(req);
      CurrentUser user;
      {
        auto db = app.pool().acquire();
        auto m = load_meeting(*db, id);
        user = require_manager(app, req, m.committee_id);
        if (needs_editable) require_unpublished(m);
      }
      if (const auto& hook = app.config().after_meeting_checks) hook(id);
      change(
          app, req, res,
          [&](const Input& in) {
            auto db = app.pool().acquire();
            return action(*db, user, load_meeting(*db, id), in);
          },
          meeting_path(id, back_suffix), page_for(id, audience_of(user)), status);
    };
    s.Post(R"(/meetings/(\d+))" + suffix, handler);
    s.Post(R"(/api/v1/meetings/(\d+))" + suffix, handler);
  };
  auto record_page = [&app](Id id, ReportAudience audience) {
    return [&app, id, audience] {
      auto db = app.pool().acquire();
      auto m = load_meeting(*db, id);
      json data = record_view(*db, m, audience);
      data["title"] = "At the meeting: " + m.title;
      data["template"] = "meeting_record";
      return data;
    };
  };

  post_change("/attendance", "/manage#attendance", manage_page,
              [](SQLite::Database& db, const CurrentUser& u, const Meeting& m, const Input& in) { return json{{"attendance", set_attendance(db, u, m, in)}}; },
              200, true);
  post_change("/items", "/manage#agenda", manage_page,
              [](SQLite::Database& db, const CurrentUser& u, const Meeting& m, const Input& in) { return json(add_item(db, u, m, in)); }, 201, true);
  post_change("/items/order", "/manage#agenda", manage_page,
              [](SQLite::Database& db, const CurrentUser& u, const Meeting& m, const Input& in) { return json{{"items", reorder_items(db, u, m, in)}}; },
              200, true);
  // --- one agenda item: edit it, or withdraw it from the agenda ----------------------------
  s.Get(R"(/meetings/(\d+)/items/(\d+))", [&app](const Req& req, Res& res) {
    auto db = app.pool().acquire();
    const auto m = load_meeting(*db, path_id(req));
    require_manager(app, req, m.committee_id);
    require_unpublished(m);
    app.render_page(req, res, "agenda_item", item_view(*db, m, load_item(*db, m, path_id(req, 2))));
  });
  auto item_change = [&app, &s](const std::string& suffix, auto action) {
    auto handler = [&app, action](const Req& req, Res& res) {
      const Id id = path_id(req), item_id = path_id(req, 2);
      CurrentUser user;
      {
        auto db = app.pool().acquire();
        auto m = load_meeting(*db, id);
        user = require_manager(app, req, m.committee_id);
        require_unpublished(m);
      }
      if (const auto& hook = app.config().after_meeting_checks) hook(id);
      change(
          app, req, res,
          [&](const Input& in) {
            auto db = app.pool().acquire();
            return json(action(*db, user, load_meeting(*db, id), item_id, in));
          },
          meeting_path(id, "/manage#agenda"),
          [&app, id, item_id] {
            auto db = app.pool().acquire();
            const auto m = load_meeting(*db, id);
            return item_view(*db, m, load_item(*db, m, item_id));
          });
    };
    s.Post(R"(/meetings/(\d+)/items/(\d+))" + suffix, handler);
    s.Post(R"(/api/v1/meetings/(\d+)/items/(\d+))" + suffix, handler);
  };
  item_change("", [](SQLite::Database& db, const CurrentUser& u, const Meeting& m, Id item, const Input& in) { return edit_item(db, u, m, item, in); });
  item_change("/withdraw", [](SQLite::Database& db, const CurrentUser& u, const Meeting& m, Id item, const Input&) {
    return withdraw_item(db, u, m, item);
  });
  post_change("/declarations", "/record#declarations", record_page,
              [](SQLite::Database& db, const CurrentUser& u, const Meeting& m, const Input& in) { return json(record_declaration(db, u, m, in)); },
              201, true);
  post_change("/decisions", "/record#conflicts", record_page,
              [](SQLite::Database& db, const CurrentUser& u, const Meeting& m, const Input& in) {
                auto d = record_decision(db, u, m, in);
                // The answer carries the item's quorum as it now stands, so a client sees the effect.
                json out = d;
                const json conflicts = conflicts_json(db, m.id, audience_of(u));  // kept alive: the loop reads into it
                for (const auto& item : conflicts.at("items"))
                  if (item["id"] == d.agenda_item_id) out["quorum"] = item["quorum"];
                return out;
              },
              201, true);
  post_change("/movements", "/record#movements", record_page,
              [](SQLite::Database& db, const CurrentUser& u, const Meeting& m, const Input& in) { return json(record_movement(db, u, m, in)); },
              201, true);
  post_change("/held", "/manage", manage_page,
              [](SQLite::Database& db, const CurrentUser& u, const Meeting& m, const Input&) {
                auto breaches = mark_held(db, u, m);
                return json{{"meeting", load_meeting(db, m.id)}, {"breaches", breaches}};
              },
              200, true);
  post_change("/publish", "/manage", manage_page,
              [](SQLite::Database& db, const CurrentUser& u, const Meeting& m, const Input&) { return json(publish(db, u, m)); }, 200, true);

  s.Get(R"(/meetings/(\d+)/record)", [&app, record_page](const Req& req, Res& res) {
    Id id = path_id(req);
    CurrentUser user;
    {
      auto db = app.pool().acquire();
      user = require_manager(app, req, load_meeting(*db, id).committee_id);
    }
    app.render_page(req, res, "meeting_record", record_page(id, audience_of(user))());
  });

  // The public view of a published meeting (/meetings/{id}, its JSON and its minutes'
  // declarations section as a page and as text) is in server/public_routes.cpp, so it is cached
  // and revalidated like the rest of the register.

  // --- breaches: governance confirms or dismisses the drafts --------------------------------
  s.Get("/meetings/breaches", [&app](const Req& req, Res& res) {
    require_governance_user(app, req);
    auto db = app.pool().acquire();
    app.render_page(req, res, "meeting_breaches", {{"title", "Breaches register"}, {"breaches", breaches_view(*db)}});
  });
  s.Get("/api/v1/meetings/breaches", [&app](const Req& req, Res& res) {
    require_governance_user(app, req);
    auto db = app.pool().acquire();
    App::send_json(res, {{"breaches", breaches_view(*db)}});
  });
  auto resolve = [&app](const Req& req, Res& res) {
    auto user = require_governance_user(app, req);
    const Id id = path_id(req);
    change(
        app, req, res,
        [&](const Input& in) {
          auto db = app.pool().acquire();
          auto b = BreachStore(*db).find(id);
          if (!b) throw not_found("Breach");
          return json(resolve_breach(*db, user, *b, in));
        },
        "/meetings/breaches",
        [&app] {
          auto db = app.pool().acquire();
          return json{{"title", "Breaches register"}, {"breaches", breaches_view(*db)}, {"template", "meeting_breaches"}};
        });
  };
  s.Post(R"(/meetings/breaches/(\d+))", resolve);
  s.Post(R"(/api/v1/meetings/breaches/(\d+))", resolve);
}

}  // namespace probity
