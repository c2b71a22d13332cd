#include "model/bundle/bundle.hpp"

#include <functional>
#include <map>
#include <optional>
#include <set>

#include "model/bundle/bundle_parse.hpp"
#include "model/bundle/bundle_stores.hpp"
#include "model/store/database.hpp"
#include "model/meetings/meeting_close.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/accounts/user_store.hpp"
#include "model/registers/procurement_register.hpp"
#include "model/register/bodies.hpp"

namespace probity {
namespace {
using json = nlohmann::json;

// Refs known for each kind: those defined in the file (id filled when written) and those
// already in the database.
class RefTable {
 public:
  explicit RefTable(SQLite::Database& db) : db_(db) {}

  void define(const std::string& kind, const std::string& ref, const std::string& path, std::vector<BundleError>& errors) {
    if (ref.empty()) return;
    auto [it, fresh] = in_file_[kind].emplace(ref, path);
    if (!fresh) errors.push_back({path + ".ref", "duplicate ref \"" + ref + "\" (also at " + it->second + ")"});
  }

  bool known(const BundleLink& l) {
    if (in_file_[l.kind].count(l.ref)) return true;
    return existing_id(l.kind, l.ref).has_value();
  }

  std::optional<Id> existing_id(const std::string& kind, const std::string& ref) {
    static const std::map<std::string, std::string> tables = {
        {"organisations", "organisations"}, {"people", "people"}, {"committees", "committees"},
        {"interests", "interests"}, {"gifts", "gifts"}, {"nil_returns", "nil_returns"}, {"confirmations", "confirmations"},
        {"meetings", "meetings"}, {"agenda_items", "agenda_items"}, {"bodies", "bodies"}};
    SQLite::Statement q(db_, "SELECT id FROM " + tables.at(kind) + " WHERE ref = ?");
    q.bind(1, ref);
    if (q.executeStep()) return q.getColumn(0).getInt64();
    return std::nullopt;
  }

  Id id(const BundleLink& l) {
    auto it = written_[l.kind].find(l.ref);
    if (it != written_[l.kind].end()) return it->second;
    auto existing = existing_id(l.kind, l.ref);
    if (!existing) throw std::logic_error("unresolved ref after validation: " + l.ref);
    return *existing;
  }

  void written(const std::string& kind, const std::string& ref, Id id) { written_[kind][ref] = id; }
  /// True when the ref is already written by this import or is in the database.
  bool written_or_existing(const BundleLink& l) {
    return written_[l.kind].count(l.ref) || existing_id(l.kind, l.ref).has_value();
  }

 private:
  SQLite::Database& db_;
  std::map<std::string, std::map<std::string, std::string>> in_file_;
  std::map<std::string, std::map<std::string, Id>> written_;
};

void check_link(const BundleLink& l, RefTable& refs, std::vector<BundleError>& errors) {
  if (!refs.known(l)) errors.push_back({l.path, "no " + bundle_singular(l.kind) + " with ref \"" + l.ref + "\""});
}

template <typename T>
void check_links(const std::vector<Draft<T>>& drafts, RefTable& refs, std::vector<BundleError>& errors) {
  for (const auto& d : drafts) {
    for (const auto& [field, l] : d.links) check_link(l, refs, errors);
    for (const auto& l : d.many) check_link(l, refs, errors);
  }
}

// Organisations must be written parents first; a cycle of parents within the file is an error.
std::vector<std::size_t> organisation_order(const ParsedBundle& p, std::vector<BundleError>& errors) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < p.organisations.size(); ++i) index[p.organisations[i].entity.ref] = i;
  std::vector<int> state(p.organisations.size(), 0);  // 0 new, 1 visiting, 2 done
  std::vector<std::size_t> order;
  std::function<void(std::size_t)> visit = [&](std::size_t i) {
    if (state[i] != 0) return;
    state[i] = 1;
    auto parent = p.organisations[i].links.find("parent");
    if (parent != p.organisations[i].links.end()) {
      auto it = index.find(parent->second.ref);
      if (it != index.end()) {
        if (state[it->second] == 1) errors.push_back({parent->second.path, "organisations' parents form a cycle"});
        else visit(it->second);
      }
    }
    state[i] = 2;
    order.push_back(i);
  };
  for (std::size_t i = 0; i < p.organisations.size(); ++i) visit(i);
  return order;
}

// A meeting's "agenda" in a bundle is its whole agenda: items already on it that the bundle
// leaves out are withdrawn (a new version; nothing is deleted). An item with declarations or
// decisions recorded against it at the meeting cannot be left out, as the minutes cite it.
std::vector<AgendaItem> agenda_withdrawals(SQLite::Database& db, const ParsedBundle& p, RefTable& refs,
                                           std::vector<BundleError>& errors) {
  std::set<std::string> listed;
  for (const auto& d : p.agenda_items) listed.insert(d.entity.ref);
  AgendaItemStore store(db);
  std::vector<AgendaItem> out;
  for (std::size_t i = 0; i < p.meetings.size(); ++i) {
    if (!p.meeting_lists_agenda[i]) continue;
    const auto meeting = refs.existing_id("meetings", p.meetings[i].entity.ref);
    if (!meeting) continue;
    for (const auto& item : store.for_meeting(*meeting)) {
      if (listed.count(item.ref)) continue;
      if (agenda_item_has_records(db, item.id))
        errors.push_back({p.meetings[i].path + ".agenda", "leaves out item \"" + item.ref +
                                                              "\", which has declarations or decisions recorded at the meeting; list it"});
      else
        out.push_back(item);
    }
  }
  return out;
}

// Why `meeting` cannot be held in common with the meeting `lead` names, or nullopt: the lead must
// be written already (listed earlier in the file, or in the database), another committee's, on the
// same date, and not itself held in common with a third; a meeting others follow cannot follow.
std::optional<std::string> in_common_problem(BundleStores& stores, const Meeting& meeting, const BundleLink& lead_link, RefTable& refs) {
  if (lead_link.ref == meeting.ref) return "a meeting cannot be held in common with itself";
  if (!refs.written_or_existing(lead_link)) return "list the meeting \"" + lead_link.ref + "\" before the meetings held in common with it";
  const auto lead = stores.meetings.find(refs.id(lead_link));
  if (!lead) return "no meeting with ref \"" + lead_link.ref + "\"";
  if (lead->in_common_with) return "\"" + lead_link.ref + "\" is itself held in common with another meeting: name that one";
  if (lead->committee_id == meeting.committee_id) return "a committee cannot meet in common with itself";
  if (lead->date != meeting.date) return "must be on the same date as the meeting it is held in common with";
  if (auto self = refs.existing_id("meetings", meeting.ref))
    for (const auto& m : stores.meetings.select("WHERE in_common_with = ?", [&](SQLite::Statement& s) { s.bind(1, *self); }))
      if (m.id != *self) return "other meetings are held in common with this one, so it cannot follow another";
  return std::nullopt;
}

template <typename Store, typename T>
Id write(Store& store, T& entity, const std::string& actor, std::optional<Id> existing) {
  if (existing) entity.id = *existing;
  store.save(entity, actor);
  return entity.id;
}

// "procurement_decisions": rows of the register of procurement decisions. One naming a meeting's
// agenda item ("item": its ref) completes the row drafted from it; one with a "ref" already in the
// database is its next version; any other is added as a decision taken outside a meeting. Each
// reads its fields as governance's form does; "status": "published" publishes it.
void import_procurement_section(SQLite::Database& db, const json& bundle, const std::string& actor, std::vector<BundleError>& errors) {
  if (!bundle.contains("procurement_decisions")) return;
  const auto& list = bundle.at("procurement_decisions");
  if (!list.is_array()) {
    errors.push_back({"procurement_decisions", "must be an array"});
    return;
  }
  ProcurementDecisionStore store(db);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = "procurement_decisions[" + std::to_string(i) + "]";
    if (!list[i].is_object()) {
      errors.push_back({path, "must be an object"});
      continue;
    }
    Fields in;
    try {
      in = Fields::from_json(list[i]);
    } catch (const InputError& e) {
      errors.push_back({path, e.what()});
      continue;
    }
    std::optional<ProcurementDecision> existing;
    if (!in.get("item").empty()) {
      if (auto item = AgendaItemStore(db).find_by_ref(in.get("item"))) existing = store.for_item(item->id);
      if (!existing) {
        errors.push_back({path + ".item", "no procurement row drafted from an agenda item with ref \"" + in.get("item") + "\" (is its meeting held?)"});
        continue;
      }
    } else if (!in.get("ref").empty()) {
      existing = store.find_by_ref(in.get("ref"));
    }
    const bool publish = in.get("status") == "published";
    for (const char* f : {"item", "status", "ref"}) in.erase(f);
    std::optional<Result<ProcurementDecision>> out;
    if (existing) out = edit_procurement_decision(db, existing->id, in, actor);
    else out = add_procurement_decision(db, in, actor, list[i].value("ref", ""));
    if (out && out->saved && publish) out = publish_procurement_decision(db, out->saved->id, actor);
    if (out)
      for (const auto& problem : out->problems.list()) errors.push_back({path + "." + problem.field, problem.message});
  }
}

}  // namespace

ImportResult import_bundle(SQLite::Database& db, const json& bundle, const std::string& actor) {
  ImportResult result;
  if (!bundle.is_object()) {
    result.errors.push_back({"$", "must be a JSON object"});
    return result;
  }
  ParsedBundle p = parse_bundle(bundle, result.errors);

  RefTable refs(db);
  for (const auto& d : p.bodies) refs.define("bodies", d.entity.ref, d.path, result.errors);
  for (const auto& d : p.organisations) refs.define("organisations", d.entity.ref, d.path, result.errors);
  for (const auto& d : p.people) refs.define("people", d.entity.ref, d.path, result.errors);
  for (const auto& d : p.committees) refs.define("committees", d.entity.ref, d.path, result.errors);
  for (const auto& d : p.interests) refs.define("interests", d.entity.ref, d.path, result.errors);
  for (const auto& d : p.gifts) refs.define("gifts", d.entity.ref, d.path, result.errors);
  for (const auto& d : p.nil_returns) refs.define("nil_returns", d.entity.ref, d.path, result.errors);
  for (const auto& d : p.confirmations) refs.define("confirmations", d.entity.ref, d.path, result.errors);
  for (const auto& d : p.meetings) refs.define("meetings", d.entity.ref, d.path, result.errors);
  for (const auto& d : p.agenda_items) refs.define("agenda_items", d.entity.ref, d.path, result.errors);
  check_links(p.organisations, refs, result.errors);
  check_links(p.people, refs, result.errors);
  check_links(p.committees, refs, result.errors);
  for (const auto& minimums : p.committee_minimums)
    for (const auto& [link, n] : minimums) check_link(link, refs, result.errors);
  check_links(p.memberships, refs, result.errors);
  check_links(p.interests, refs, result.errors);
  check_links(p.gifts, refs, result.errors);
  check_links(p.nil_returns, refs, result.errors);
  check_links(p.confirmations, refs, result.errors);
  check_links(p.meetings, refs, result.errors);
  check_links(p.attendances, refs, result.errors);
  check_links(p.agenda_items, refs, result.errors);
  check_links(p.co_opted, refs, result.errors);
  auto org_order = organisation_order(p, result.errors);
  if (!result.errors.empty()) return result;
  const auto withdrawals = agenda_withdrawals(db, p, refs, result.errors);
  if (!result.errors.empty()) return result;

  BundleStores stores(db);
  json ids = json::object();
  auto record = [&](const std::string& kind, const std::string& ref, Id id) {
    refs.written(kind, ref, id);
    ids[kind][ref] = id;
  };
  auto opt_link = [&](auto& d, const char* field) -> std::optional<Id> {
    auto it = d.links.find(field);
    if (it == d.links.end()) return std::nullopt;
    return refs.id(it->second);
  };

  WriteTransaction tx(db);
  // Bodies first: people and committees name them. Each is checked as governance's form checks it.
  BodyStore bodies(db);
  for (auto& d : p.bodies) {
    const auto existing = refs.existing_id("bodies", d.entity.ref);
    d.entity.id = existing.value_or(0);
    const auto problems = body_problems(d.entity, bodies.all());
    for (const auto& problem : problems.list()) result.errors.push_back({d.path + "." + problem.field, problem.message});
    if (!problems.empty()) continue;
    record("bodies", d.entity.ref, write(bodies, d.entity, actor, existing));
  }
  if (!result.errors.empty()) return result;
  for (std::size_t i : org_order) {
    auto& d = p.organisations[i];
    d.entity.parent_id = opt_link(d, "parent");
    record("organisations", d.entity.ref,
           write(stores.organisations, d.entity, actor, refs.existing_id("organisations", d.entity.ref)));
  }
  UserStore accounts(db);
  for (auto& d : p.people) {
    d.entity.practice_id = opt_link(d, "practice");
    d.entity.body_id = opt_link(d, "body").value_or(kDefaultBody);
    const auto existing = refs.existing_id("people", d.entity.ref);
    const auto before = existing ? stores.people.find(*existing) : std::nullopt;
    record("people", d.entity.ref, write(stores.people, d.entity, actor, existing));
    // A bundle that records a leaving disables the leaver's account, as the governance page does;
    // only when the leaving is new, so re-importing does not undo governance re-enabling it.
    if (before && !before->left_on && d.entity.left_on)
      if (auto account = accounts.find_user_by_person(d.entity.id)) accounts.set_disabled(account->id, true, actor, now_instant());
  }
  for (std::size_t i = 0; i < p.committees.size(); ++i) {
    auto& d = p.committees[i];
    d.entity.body_ids.clear();
    for (const auto& l : d.many) d.entity.body_ids.push_back(refs.id(l));
    if (d.many.empty()) d.entity.body_ids = {kDefaultBody};
    d.entity.quorum.min_voting_from_body.clear();
    for (const auto& [link, n] : p.committee_minimums[i])
      if (!d.entity.quorum.min_voting_from_body.emplace(refs.id(link), n).second)
        result.errors.push_back({link.path, "this body's minimum is given twice"});
    const Problems body_problems_found = committee_body_problems(db, d.entity);  // kept: list() refers into it
    for (const auto& problem : body_problems_found.list())
      result.errors.push_back({d.path + "." + (problem.field == "body_ids" ? std::string("bodies") : "quorum." + problem.field), problem.message});
    if (!result.errors.empty()) return result;
    record("committees", d.entity.ref, write(stores.committees, d.entity, actor, refs.existing_id("committees", d.entity.ref)));
  }
  for (std::size_t i = 0; i < p.memberships.size(); ++i) {
    auto& d = p.memberships[i];
    d.entity.committee_id = p.committees[p.membership_committee[i]].entity.id;
    d.entity.person_id = *opt_link(d, "person");
    auto existing = stores.memberships.find_by_key(d.entity.committee_id, d.entity.person_id, d.entity.from);
    write(stores.memberships, d.entity, actor, existing ? std::optional<Id>(existing->id) : std::nullopt);
  }
  for (auto& d : p.interests) {
    d.entity.person_id = *opt_link(d, "person");
    d.entity.organisation_id = opt_link(d, "organisation");
    record("interests", d.entity.ref, write(stores.interests, d.entity, actor, refs.existing_id("interests", d.entity.ref)));
  }
  for (auto& d : p.gifts) {
    d.entity.person_id = *opt_link(d, "person");
    d.entity.organisation_id = opt_link(d, "organisation");
    record("gifts", d.entity.ref, write(stores.gifts, d.entity, actor, refs.existing_id("gifts", d.entity.ref)));
  }
  for (auto& d : p.nil_returns) {
    d.entity.person_id = *opt_link(d, "person");
    record("nil_returns", d.entity.ref, write(stores.nil_returns, d.entity, actor, refs.existing_id("nil_returns", d.entity.ref)));
  }
  for (auto& d : p.confirmations) {
    d.entity.person_id = *opt_link(d, "person");
    record("confirmations", d.entity.ref,
           write(stores.confirmations, d.entity, actor, refs.existing_id("confirmations", d.entity.ref)));
  }
  for (auto& d : p.meetings) {
    d.entity.committee_id = *opt_link(d, "committee");
    d.entity.in_common_with.reset();
    if (auto lead = d.links.find("in_common_with"); lead != d.links.end()) {
      if (auto problem = in_common_problem(stores, d.entity, lead->second, refs)) {
        result.errors.push_back({lead->second.path, *problem});
        return result;
      }
      d.entity.in_common_with = refs.id(lead->second);
    }
    record("meetings", d.entity.ref, write(stores.meetings, d.entity, actor, refs.existing_id("meetings", d.entity.ref)));
  }
  for (std::size_t i = 0; i < p.attendances.size(); ++i) {
    auto& d = p.attendances[i];
    d.entity.meeting_id = p.meetings[p.attendance_meeting[i]].entity.id;
    d.entity.person_id = *opt_link(d, "person");
    auto existing = stores.attendances.find_by_key(d.entity.meeting_id, d.entity.person_id);
    write(stores.attendances, d.entity, actor, existing ? std::optional<Id>(existing->id) : std::nullopt);
  }
  // An item the bundle moves to another meeting leaves a gap on its old meeting's agenda; the
  // old agenda is renumbered below, so that its export lists what a re-import would write.
  std::set<Id> left_meetings;
  for (std::size_t i = 0; i < p.agenda_items.size(); ++i) {
    auto& d = p.agenda_items[i];
    d.entity.meeting_id = p.meetings[p.agenda_meeting[i]].entity.id;
    if (auto existing = refs.existing_id("agenda_items", d.entity.ref))
      if (auto before = stores.agenda_items.find(*existing); before && before->meeting_id != d.entity.meeting_id)
        left_meetings.insert(before->meeting_id);
    d.entity.organisation_ids.clear();
    for (const auto& l : d.many) d.entity.organisation_ids.push_back(refs.id(l));
    record("agenda_items", d.entity.ref,
           write(stores.agenda_items, d.entity, actor, refs.existing_id("agenda_items", d.entity.ref)));
  }
  for (auto item : withdrawals) {
    item.withdrawn = true;
    stores.agenda_items.save(item, actor);
  }
  for (Id meeting : left_meetings) {
    int position = 0;
    for (auto item : stores.agenda_items.for_meeting(meeting)) {
      if (item.position == ++position) continue;
      item.position = position;
      stores.agenda_items.save(item, actor);
    }
  }
  // Co-opted members: the same person for the same item (or the whole meeting) again is the same
  // record, saved as a new version; the item must be one on this meeting's agenda.
  CoOptedMemberStore co_opted(db);
  for (std::size_t i = 0; i < p.co_opted.size(); ++i) {
    auto& d = p.co_opted[i];
    const auto& meeting = p.meetings[p.co_opted_meeting[i]].entity;
    d.entity.meeting_id = meeting.id;
    d.entity.person_id = *opt_link(d, "person");
    d.entity.agenda_item_id = opt_link(d, "item");
    if (d.entity.agenda_item_id) {
      const auto item = stores.agenda_items.find(*d.entity.agenda_item_id);
      // For committees in common the agenda is the lead meeting's.
      if (!item || item->meeting_id != meeting.in_common_with.value_or(meeting.id) || item->withdrawn)
        result.errors.push_back({d.links.at("item").path, "not an item on this meeting's agenda"});
    }
    std::optional<Id> existing;
    for (const auto& c : co_opted.for_meeting(meeting.id))
      if (c.person_id == d.entity.person_id && c.agenda_item_id == d.entity.agenda_item_id) existing = c.id;
    if (result.errors.empty()) write(co_opted, d.entity, actor, existing);
  }
  // A meeting imported as already held gets the check marking it held runs: a draft breach for
  // each certain conflict nobody declared (opened once; importing again opens no second one).
  if (result.errors.empty())
    for (const auto& d : p.meetings)
      if (d.entity.status == MeetingStatus::held) open_draft_breaches(db, d.entity.id, actor, ReportAudience::governance);
  if (!result.errors.empty()) return result;  // the transaction is rolled back: nothing is written
  // A meeting imported as held has its draft procurement rows, as marking it held opens them.
  for (const auto& d : p.meetings)
    if (d.entity.status == MeetingStatus::held) draft_procurement_decisions(db, d.entity.id, actor);
  import_procurement_section(db, bundle, actor, result.errors);
  if (!result.errors.empty()) return result;
  tx.commit();
  result.ok = true;
  result.ids = std::move(ids);
  return result;
}

ImportResult import_bundle_text(SQLite::Database& db, std::string_view text, const std::string& actor) {
  json bundle;
  try {
    bundle = json::parse(text);
  } catch (const json::exception& e) {
    // Not only parse_error: a number too large for a double (e.g. 1e999) throws out_of_range
    // (found by tests/fuzz/bundle_import_fuzz.cpp). Both are the author's mistake, not ours.
    ImportResult r;
    // nlohmann's message names the byte offset and what it expected, which helps the author;
    // drop its "[json.exception.<kind>.<id>] " prefix.
    std::string what = e.what();
    auto pos = what.find("] ");
    r.errors.push_back({"$", "not valid JSON (" + (pos == std::string::npos ? what : what.substr(pos + 2)) + ")"});
    return r;
  }
  return import_bundle(db, bundle, actor);
}

}  // namespace probity
