#include "model/meetings/conflicts_report.hpp"

#include <algorithm>
#include <map>

#include "model/register/bodies.hpp"
#include "model/register/committee_store.hpp"
#include "model/meetings/conflict_decisions.hpp"
#include "model/register/declaration_store.hpp"
#include "model/store/json.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_store.hpp"
#include "model/store/database.hpp"
#include "model/store/entity_traits.hpp"

namespace probity {
namespace {

bool in_post_on(const Membership& m, const Date& date) { return m.from <= date && (!m.to || *m.to >= date); }

// Current versions whose `column` is one of `ids`, in batches: one statement per few hundred
// ids instead of one per id (preparing a statement costs more than running it here).
template <typename Store>
auto select_in(const Store& store, const std::string& column, const std::set<Id>& ids) {
  constexpr std::size_t kBatch = 500;  // well under SQLite's default limit on parameters
  decltype(store.all()) out;
  std::vector<Id> batch;
  auto flush = [&] {
    if (batch.empty()) return;
    std::string placeholders;
    for (std::size_t i = 0; i < batch.size(); ++i) placeholders += i ? ", ?" : "?";
    auto rows = store.select("WHERE " + column + " IN (" + placeholders + ")", [&](SQLite::Statement& s) {
      for (std::size_t i = 0; i < batch.size(); ++i) s.bind(static_cast<int>(i + 1), batch[i]);
    });
    for (auto& r : rows) out.push_back(std::move(r));
    batch.clear();
  };
  for (Id id : ids) {
    batch.push_back(id);
    if (batch.size() == kBatch) flush();
  }
  flush();
  return out;
}

// What flagging reads of the participants' interests, gifts and organisations, straight from
// the versions tables rather than through the *_current views: found by id in the identity
// table, or through the person (or parent) index of the versions table, a version is kept when
// it is the one its identity row names as current (a seek by rowid: an entity's person or parent can change between versions,
// so the index alone also finds versions that are no longer current), with only the columns
// the rules read (an interest's kind-specific details were parsed from JSON for
// every row, and no rule reads them). Rows the rules would ignore (an interest or gift naming no
// organisation) are left in the database. Statements are cached per connection and per batch
// size; ids are bound, in batches as select_in binds them.
template <typename Row>
void each_id_batch(const std::set<Id>& ids, Row&& row) {
  constexpr std::size_t kBatch = 500;
  std::vector<Id> batch;
  auto flush = [&] {
    if (batch.empty()) return;
    std::string placeholders;
    for (std::size_t i = 0; i < batch.size(); ++i) placeholders += i ? ", ?" : "?";
    row(batch, placeholders);
    batch.clear();
  };
  for (Id id : ids) {
    batch.push_back(id);
    if (batch.size() == kBatch) flush();
  }
  flush();
}

// Puts rows[first..] in id order. Often they already are (a person's entries were declared
// together); otherwise the order is found on indexes and each row moved once, since a row holds
// a dozen strings.
template <typename Row>
void sort_by_id(std::vector<Row>& rows, std::size_t first) {
  const auto begin = rows.begin() + static_cast<std::ptrdiff_t>(first);
  const auto by_id = [](const Row& a, const Row& b) { return a.id < b.id; };
  if (std::is_sorted(begin, rows.end(), by_id)) return;
  std::vector<std::size_t> order(rows.size() - first);
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = first + i;
  std::sort(order.begin(), order.end(), [&rows](std::size_t a, std::size_t b) { return rows[a].id < rows[b].id; });
  std::vector<Row> sorted;
  sorted.reserve(order.size());
  for (std::size_t i : order) sorted.push_back(std::move(rows[i]));
  std::move(sorted.begin(), sorted.end(), begin);
}

void bind_batch(SQLite::Statement& s, const std::vector<Id>& batch) {
  for (std::size_t i = 0; i < batch.size(); ++i) s.bind(static_cast<int>(i + 1), batch[i]);
}

std::vector<Interest> flagging_interests(SQLite::Database& db, const std::set<Id>& person_ids) {
  std::vector<Interest> out;
  each_id_batch(person_ids, [&](const std::vector<Id>& batch, const std::string& placeholders) {
    CachedStatement q(db,
                      "SELECT v.interest_id, v.person_id, v.category, v.indirect, v.relationship, v.organisation_id, v.nature, "
                      "v.date_from, v.date_to, v.status, v.withheld FROM interest_versions v JOIN interests e ON e.id = v.interest_id "
                      "AND e.current_version = v.version WHERE v.person_id IN (" +
                          placeholders +
                          ") AND v.organisation_id IS NOT NULL");
    bind_batch(*q, batch);
    const std::size_t first = out.size();
    while (q->executeStep()) {
      Interest& i = out.emplace_back();
      i.id = q->getColumn(0).getInt64();
      i.person_id = q->getColumn(1).getInt64();
      i.category = sqlcol::enumv<InterestCategory>(q->getColumn(2));
      i.indirect = q->getColumn(3).getInt() != 0;
      i.relationship = q->getColumn(4).getString();
      i.organisation_id = q->getColumn(5).getInt64();
      i.nature = q->getColumn(6).getString();
      i.from = sqlcol::date(q->getColumn(7));
      i.to = sqlcol::opt_date(q->getColumn(8));
      i.status = sqlcol::enumv<DeclarationStatus>(q->getColumn(9));
      i.withheld = q->getColumn(10).getInt() != 0;
    }
    // In id order, sorted here: SQLite's sorter held every column of every row and cost a third
    // of the query.
    sort_by_id(out, first);
  });
  return out;
}

std::vector<Gift> flagging_gifts(SQLite::Database& db, const std::set<Id>& person_ids) {
  std::vector<Gift> out;
  each_id_batch(person_ids, [&](const std::vector<Id>& batch, const std::string& placeholders) {
    CachedStatement q(db,
                      "SELECT v.gift_id, v.person_id, v.kind, v.organisation_id, v.description, v.value_pence, v.offered_on, "
                      "v.outcome, v.status FROM gift_versions v JOIN gifts e ON e.id = v.gift_id AND e.current_version = v.version "
                      "WHERE v.person_id IN (" +
                          placeholders +
                          ") AND v.organisation_id IS NOT NULL");
    bind_batch(*q, batch);
    const std::size_t first = out.size();
    while (q->executeStep()) {
      Gift& g = out.emplace_back();
      g.id = q->getColumn(0).getInt64();
      g.person_id = q->getColumn(1).getInt64();
      g.kind = sqlcol::enumv<GiftKind>(q->getColumn(2));
      g.organisation_id = q->getColumn(3).getInt64();
      g.description = q->getColumn(4).getString();
      g.value_pence = q->getColumn(5).getInt64();
      g.offered_on = sqlcol::date(q->getColumn(6));
      g.outcome = sqlcol::enumv<GiftOutcome>(q->getColumn(7));
      g.status = sqlcol::enumv<DeclarationStatus>(q->getColumn(8));
    }
    sort_by_id(out, first);
  });
  return out;
}

Organisation organisation_row(SQLite::Statement& q) {
  Organisation o;
  o.id = q.getColumn(0).getInt64();
  o.name = q.getColumn(1).getString();
  o.identifier = q.getColumn(2).getString();
  o.kind = sqlcol::enumv<OrganisationKind>(q.getColumn(3));
  o.parent_id = sqlcol::opt_id(q.getColumn(4));
  return o;
}

// The current organisations among `ids` (those not already in `found`): each one's current
// version, as its identity row names it.
void flagging_organisations(SQLite::Database& db, const std::set<Id>& ids, std::map<Id, Organisation>& found) {
  each_id_batch(ids, [&](const std::vector<Id>& batch, const std::string& placeholders) {
    CachedStatement q(db, "SELECT v.organisation_id, v.name, v.identifier, v.kind, v.parent_id FROM organisations e "
                          "JOIN organisation_versions v ON v.organisation_id = e.id AND v.version = e.current_version "
                          "WHERE e.id IN (" + placeholders + ")");
    bind_batch(*q, batch);
    while (q->executeStep()) {
      Organisation o = organisation_row(*q);
      found.emplace(o.id, std::move(o));
    }
  });
}

// The current organisations whose current parent is one of `ids`. A child's parent can change, so
// a version naming the parent is kept only when it is the child's current one.
void flagging_children(SQLite::Database& db, const std::set<Id>& ids, std::map<Id, Organisation>& found) {
  each_id_batch(ids, [&](const std::vector<Id>& batch, const std::string& placeholders) {
    CachedStatement q(db, "SELECT v.organisation_id, v.name, v.identifier, v.kind, v.parent_id FROM organisation_versions v "
                          "JOIN organisations e ON e.id = v.organisation_id AND e.current_version = v.version "
                          "WHERE v.parent_id IN (" + placeholders + ")");
    bind_batch(*q, batch);
    while (q->executeStep()) {
      Organisation o = organisation_row(*q);
      found.emplace(o.id, std::move(o));
    }
  });
}

// `only_for_items` receives the people who are there only because they were co-opted for
// particular items: they are neither members in post, nor on the attendance list, nor co-opted
// for the whole meeting.
std::vector<MeetingParticipant> load_participants(SQLite::Database& db, const Meeting& meeting,
                                                  const std::vector<CoOptedMember>& co_opted, std::set<Id>& only_for_items) {
  std::map<Id, AttendanceStatus> attendance;
  std::vector<std::pair<Id, std::optional<CommitteeRole>>> candidates;  // members first, then attendees
  std::set<Id> member_ids;
  for (const auto& m : MembershipStore(db).for_committee(meeting.committee_id))
    if (in_post_on(m, meeting.date)) {
      candidates.emplace_back(m.person_id, m.role);
      member_ids.insert(m.person_id);
    }
  // Co-opted for the whole meeting: a voting member at it (a member in post keeps their role).
  for (const auto& c : co_opted)
    if (!c.agenda_item_id) candidates.emplace_back(c.person_id, CommitteeRole::voting);
  for (const auto& a : AttendanceStore(db).for_meeting(meeting.id)) {
    attendance[a.person_id] = a.status;
    candidates.emplace_back(a.person_id, std::nullopt);
  }
  std::set<Id> generally_there;
  for (const auto& [id, role] : candidates) generally_there.insert(id);
  for (const auto& c : co_opted)
    if (c.agenda_item_id) {
      candidates.emplace_back(c.person_id, std::nullopt);
      if (!generally_there.contains(c.person_id)) only_for_items.insert(c.person_id);
    }
  std::set<Id> ids;
  for (const auto& [id, role] : candidates) ids.insert(id);
  std::map<Id, Person> people;
  for (auto& p : select_in(PersonStore(db), "id", ids)) people.emplace(p.id, std::move(p));

  std::vector<MeetingParticipant> out;
  std::set<Id> seen;
  for (const auto& [person_id, role] : candidates) {
    if (seen.contains(person_id)) continue;
    auto status = attendance.find(person_id);
    // Apologies and absence: not there, so neither flagged nor counted.
    if (status != attendance.end() && (status->second == AttendanceStatus::apologies || status->second == AttendanceStatus::absent))
      continue;
    auto person = people.find(person_id);
    if (person == people.end() || (person->second.left_on && *person->second.left_on < meeting.date)) continue;
    seen.insert(person_id);
    const Id who = person_id;  // a structured binding cannot be captured (clang 14)
    const bool co_opted_meeting = std::any_of(co_opted.begin(), co_opted.end(), [who](const CoOptedMember& c) {
      return c.person_id == who && !c.agenda_item_id;
    });
    out.push_back({person->second, role, co_opted_meeting && role == CommitteeRole::voting && !member_ids.contains(person_id)});
  }
  return out;
}

// Every organisation flagging may need to name or relate: the items' linked organisations and
// their parents and children, and those the participants' interests, gifts and practices name.
std::vector<Organisation> load_organisations(SQLite::Database& db, const FlaggingInput& in) {
  std::set<Id> wanted, linked;
  for (const auto& item : in.items) linked.insert(item.organisation_ids.begin(), item.organisation_ids.end());
  wanted = linked;
  for (const auto& i : in.interests)
    if (i.organisation_id) wanted.insert(*i.organisation_id);
  for (const auto& g : in.gifts)
    if (g.organisation_id) wanted.insert(*g.organisation_id);
  for (const auto& p : in.people)
    if (p.person.practice_id) wanted.insert(*p.person.practice_id);

  std::map<Id, Organisation> found;
  flagging_organisations(db, wanted, found);
  std::set<Id> parents;
  for (Id id : linked)
    if (auto it = found.find(id); it != found.end() && it->second.parent_id && !found.contains(*it->second.parent_id))
      parents.insert(*it->second.parent_id);
  flagging_organisations(db, parents, found);
  flagging_children(db, linked, found);

  std::vector<Organisation> out;
  for (auto& [id, o] : found) out.push_back(std::move(o));
  return out;
}

// Built once per participant and copied into each flag that names them: constructing a json
// object from an initializer list copies every nested value, which for ~400 flags was a large
// share of the whole check.
class PersonSummaries {
 public:
  explicit PersonSummaries(const std::vector<MeetingParticipant>& participants) {
    for (const auto& p : participants) {
      nlohmann::json s = nlohmann::json::object();
      s["id"] = p.person.id;
      s["ref"] = p.person.ref;
      s["name"] = p.person.name;
      by_id_.emplace(p.person.id, std::move(s));
    }
  }
  nlohmann::json operator()(std::optional<Id> id) const {
    if (!id) return nullptr;
    auto it = by_id_.find(*id);
    if (it != by_id_.end()) return it->second;
    nlohmann::json s = nlohmann::json::object();
    s["id"] = *id;
    s["ref"] = nullptr;
    s["name"] = nullptr;
    return s;
  }

 private:
  std::map<Id, nlohmann::json> by_id_;
};

std::optional<ConflictsReport> build_one(SQLite::Database& db, Id meeting_id, const FlaggingOptions& options,
                                         const std::string& organisation_name);

// One committee's meeting of a group of committees in common, as its own brief works it out.
InCommonMeeting in_common_summary(const ConflictsReport& r) {
  InCommonMeeting out{r.meeting, r.committee, !r.meeting.in_common_with, {}};
  for (const auto& item : r.items) {
    std::set<Id> people;
    for (const auto& f : item.flags) people.insert(f.flag.person_id);
    out.items.push_back({item.item.id, item.quorum.quorate, static_cast<int>(people.size()), item.quorum.failures});
  }
  return out;
}

}  // namespace

std::optional<ConflictsReport> build_conflicts_report(SQLite::Database& db, Id meeting_id, ReportAudience audience,
                                                      const FlaggingOptions& options, const std::string& organisation_name) {
  auto report = build_one(db, meeting_id, options, organisation_name);
  if (!report) return std::nullopt;
  // Committees in common: each other committee's meeting of the group, worked out for its own
  // committee (a person on two of the committees is counted in each).
  const auto group = in_common_group(db, report->meeting);
  if (group.size() > 1)
    for (const auto& m : group) {
      if (m.id == report->meeting.id) {
        report->in_common.push_back(in_common_summary(*report));
        continue;
      }
      if (auto other = build_one(db, m.id, options, organisation_name)) report->in_common.push_back(in_common_summary(*other));
    }
  if (audience == ReportAudience::committee) withhold_details(*report);
  return report;
}

namespace {

std::optional<ConflictsReport> build_one(SQLite::Database& db, Id meeting_id, const FlaggingOptions& options,
                                         const std::string& organisation_name) {
  auto meeting = MeetingStore(db).find(meeting_id);
  if (!meeting) return std::nullopt;
  ConflictsReport report;
  report.meeting = *meeting;
  report.committee = CommitteeStore(db).find(meeting->committee_id).value();  // a foreign key guarantees it
  report.co_opted = CoOptedMemberStore(db).for_meeting(meeting_id);
  std::set<Id> only_for_items;
  report.participants = load_participants(db, *meeting, report.co_opted, only_for_items);
  report.body_names = body_names(db, organisation_name);
  report.show_bodies = report.committee.body_ids.size() > 1 || report.body_names.size() > 1;
  const QuorumBodies bodies{report.committee.body_ids, report.body_names};

  FlaggingInput in;
  in.meeting_date = meeting->date;
  in.items = AgendaItemStore(db).for_meeting(meeting_id);
  in.people = report.participants;
  // Through the person_id indexes: the participants' interests, not the 100,000 on the register.
  std::set<Id> person_ids;
  for (const auto& p : in.people) person_ids.insert(p.person.id);
  in.interests = flagging_interests(db, person_ids);
  in.gifts = flagging_gifts(db, person_ids);
  in.organisations = load_organisations(db, in);
  in.declarations = MeetingDeclarationStore(db).for_meeting(meeting_id);

  const auto decisions = ConflictDecisionStore(db).for_meeting(meeting_id);
  const auto movements = RoomMovementStore(db).for_meeting(meeting_id);
  std::map<std::pair<Id, Id>, const ConflictDecision*> decision_for;
  for (const auto& d : decisions) decision_for[{d.agenda_item_id, d.person_id}] = &d;

  std::map<Id, ItemOutcome> outcomes;
  for (auto& o : ItemOutcomeStore(db).for_meeting(meeting_id)) outcomes.emplace(o.agenda_item_id, std::move(o));

  // Who is present as quorum sees them on an item: co-opted members vote on the items they were
  // co-opted for; someone co-opted for another item only is not at this one. The same for every
  // item no one is co-opted for in particular (id 0 is no item's), so worked out once for those.
  auto present_at = [&](Id item_id, std::vector<QuorumMember>& present, std::set<Id>& away) {
    for (const auto& p : report.participants) {
      QuorumMember q{p.person.id, p.person.name, p.person.kind, p.role, p.co_opted, "", p.person.body_id};
      bool co_opted_here = false;
      for (const auto& c : report.co_opted) {
        if (c.person_id != p.person.id || !co_opted_for(c, item_id)) continue;
        co_opted_here = true;
        // A non-voting member or attendee co-opted votes; a voting member stays what they are.
        if (!q.role || *q.role == CommitteeRole::non_voting) {
          q.role = CommitteeRole::voting;
          q.co_opted = true;
          q.co_opted_from = c.from_body;
        }
        if (q.co_opted && q.co_opted_from.empty()) q.co_opted_from = c.from_body;
      }
      if (!co_opted_here && only_for_items.contains(p.person.id)) {
        away.insert(p.person.id);
        continue;
      }
      present.push_back(std::move(q));
    }
  };
  std::vector<QuorumMember> usually_present;
  std::set<Id> usually_away;
  present_at(0, usually_present, usually_away);

  auto flags = flag_conflicts(in, options);
  report.items.reserve(in.items.size());
  for (std::size_t i = 0; i < in.items.size(); ++i) {
    ReportItem item;
    item.item = std::move(in.items[i]);  // flagging is done with it
    const Id item_id = item.item.id;
    const bool co_opted_for_item = std::any_of(report.co_opted.begin(), report.co_opted.end(),
                                               [item_id](const CoOptedMember& c) { return c.agenda_item_id == item_id; });
    std::vector<QuorumMember> present_here;
    std::set<Id> away_here;
    if (co_opted_for_item) present_at(item_id, present_here, away_here);
    const auto& present = co_opted_for_item ? present_here : usually_present;
    const auto& away = co_opted_for_item ? away_here : usually_away;
    if (auto o = outcomes.find(item.item.id); o != outcomes.end()) item.outcome = o->second;
    for (auto& f : flags[i].flags) {
      if (away.contains(f.person_id)) continue;
      auto d = decision_for.find({item.item.id, f.person_id});
      item.flags.push_back({std::move(f), d == decision_for.end() ? std::nullopt : std::optional(*d->second)});
    }
    // What excluded_from_decision reads of each flag (item, person, confidence), without copying
    // the reasons and ids.
    std::vector<ConflictFlag> plain(item.flags.size());
    for (std::size_t k = 0; k < item.flags.size(); ++k) {
      plain[k].agenda_item_id = item.flags[k].flag.agenda_item_id;
      plain[k].person_id = item.flags[k].flag.person_id;
      plain[k].confidence = item.flags[k].flag.confidence;
    }
    item.excluded = excluded_from_decision(item.item.id, plain, decisions, movements);
    item.quorum = check_quorum(report.committee.quorum, bodies, present, item.excluded);
    report.items.push_back(std::move(item));
  }
  return report;
}

}  // namespace

void withhold_details(ConflictsReport& report) {
  std::map<Id, std::string> names;
  for (const auto& p : report.participants) names.emplace(p.person.id, p.person.name);
  for (auto& item : report.items)
    for (auto& [f, decision] : item.flags) {
      if (!f.withheld) continue;
      const auto name = names.find(f.person_id);
      const std::string who = name == names.end() ? "This person" : name->second;
      const std::string title = "item \"" + item.item.title + "\"";
      // The organisation, nature, dates, relationship and even the kind of link (the rule) are
      // the withheld details; the person and the item are already the chair's to know.
      f.reason = f.confidence == Confidence::certain
                     ? who + " has an interest that is withheld from the public register and conflicts with " + title +
                           ". Only the governance team can see its details."
                     : who + " has an interest that is withheld from the public register and may conflict with " + title +
                           ". Only the governance team can see its details: ask them whether it does.";
      f.rule = ConflictRule::withheld;
      f.indirect = false;
      f.interest_ids.clear();
      f.gift_ids.clear();
    }
}

void to_json(nlohmann::json& j, const ConflictsReport& report) {
  const PersonSummaries person_summary(report.participants);
  using json = nlohmann::json;
  auto body_of = [&](Id id) {
    json b = json::object();
    b["id"] = id;
    const auto name = report.body_names.find(id);
    b["name"] = name == report.body_names.end() ? std::string() : name->second;
    return b;
  };

  json meeting = report.meeting;
  json committee = json::object();
  committee["id"] = report.committee.id;
  committee["ref"] = report.committee.ref;
  committee["name"] = report.committee.name;
  committee["quorum"] = report.committee.quorum;
  meeting["committee"] = std::move(committee);
  json participants = json::array();
  for (const auto& p : report.participants) {
    json one = json::object();
    one["id"] = p.person.id;
    one["ref"] = p.person.ref;
    one["name"] = p.person.name;
    one["kind"] = std::string(to_string(p.person.kind));
    one["role"] = p.role ? json(std::string(to_string(*p.role))) : json(nullptr);
    one["co_opted"] = p.co_opted;
    if (report.show_bodies) one["body"] = body_of(p.person.body_id);
    participants.push_back(std::move(one));
  }
  meeting["participants"] = std::move(participants);
  json co_opted = json::array();
  for (const auto& c : report.co_opted) {
    json one = json::object();
    one["id"] = c.id;
    one["person"] = person_summary(c.person_id);
    one["from_body"] = c.from_body;
    one["agenda_item_id"] = c.agenda_item_id ? json(*c.agenda_item_id) : json(nullptr);
    co_opted.push_back(std::move(one));
  }
  meeting["co_opted"] = std::move(co_opted);

  json items = json::array();
  for (const auto& item : report.items) {
    json flags = json::array();
    for (const auto& [f, decision] : item.flags) {
      json d = nullptr;
      if (decision) {
        d = json::object();
        d["action"] = std::string(to_string(decision->action));
        d["reason"] = decision->reason;
        d["decided_by"] = decision->decided_by;
      }
      json flag = json::object();
      flag["person"] = person_summary(f.person_id);
      flag["rule"] = std::string(to_string(f.rule));
      flag["confidence"] = std::string(to_string(f.confidence));
      flag["indirect"] = f.rule == ConflictRule::withheld ? json(nullptr) : json(f.indirect);
      flag["withheld"] = f.withheld;
      flag["reason"] = f.reason;
      flag["interest_ids"] = f.interest_ids;
      flag["gift_ids"] = f.gift_ids;
      flag["suggested_action"] = f.suggested_action;
      flag["decision"] = std::move(d);
      flags.push_back(std::move(flag));
    }
    const auto& q = item.quorum;
    json failures = json::array(), remedies = json::array();
    for (const auto& f : q.failures) {
      json one = json::object();
      one["rule"] = f.rule;
      one["reason"] = f.reason;
      failures.push_back(std::move(one));
    }
    for (const auto& r : q.remedies) {
      json one = json::object();
      one["code"] = r.code;
      one["description"] = r.description;
      remedies.push_back(std::move(one));
    }
    json presiding = json::object();
    presiding["person"] = person_summary(q.presiding ? std::optional(q.presiding->person_id) : std::nullopt);
    presiding["role"] = q.presiding ? json(std::string(to_string(q.presiding->role))) : json(nullptr);
    presiding["note"] = q.presiding_note;
    json quorum = json::object();
    quorum["quorate"] = q.quorate;
    quorum["eligible_voting"] = q.eligible_voting;
    quorum["lay"] = q.lay;
    quorum["executive"] = q.executive;
    quorum["clinical"] = q.clinical;
    quorum["co_opted"] = q.co_opted;
    if (report.show_bodies) {
      json by_body = json::array();
      for (const auto& [id, n] : q.by_body) {
        json one = json::object();
        one["body"] = body_of(id);
        one["eligible_voting"] = n;
        by_body.push_back(std::move(one));
      }
      quorum["by_body"] = std::move(by_body);
    }
    quorum["presiding"] = std::move(presiding);
    quorum["failures"] = std::move(failures);
    quorum["remedies"] = std::move(remedies);
    json one = json::object();
    one["id"] = item.item.id;
    one["ref"] = item.item.ref;
    one["title"] = item.item.title;
    one["flags"] = std::move(flags);
    one["quorum"] = std::move(quorum);
    json item_co_opted = json::array();
    for (const auto& c : report.co_opted)
      if (co_opted_for(c, item.item.id)) {
        json who = json::object();
        who["person"] = person_summary(c.person_id);
        who["from_body"] = c.from_body;
        who["for_whole_meeting"] = !c.agenda_item_id;
        item_co_opted.push_back(std::move(who));
      }
    one["co_opted"] = std::move(item_co_opted);
    one["outcome"] = item.outcome ? json(*item.outcome) : json(nullptr);
    items.push_back(std::move(one));
  }
  j = json::object();
  if (!report.in_common.empty()) {
    json group = json::array();
    for (const auto& g : report.in_common) {
      json one = json::object();
      one["meeting_id"] = g.meeting.id;
      one["title"] = g.meeting.title;
      one["committee"] = json::object({{"id", g.committee.id}, {"ref", g.committee.ref}, {"name", g.committee.name}});
      one["lead"] = g.lead;
      json group_items = json::array();
      for (const auto& i : g.items) {
        json failures = json::array();
        for (const auto& f : i.failures) failures.push_back(json::object({{"rule", f.rule}, {"reason", f.reason}}));
        group_items.push_back(json::object({{"agenda_item_id", i.agenda_item_id}, {"quorate", i.quorate}, {"conflicted", i.conflicted},
                                            {"failures", std::move(failures)}}));
      }
      one["items"] = std::move(group_items);
      group.push_back(std::move(one));
    }
    meeting["in_common"] = std::move(group);
  }
  j["meeting"] = std::move(meeting);
  j["items"] = std::move(items);
}

}  // namespace probity
