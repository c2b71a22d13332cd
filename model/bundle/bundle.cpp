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
        {"meetings", "meetings"}, {"agenda_items", "agenda_items"}};
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
  for (std::size_t i : org_order) {
    auto& d = p.organisations[i];
    d.entity.parent_id = opt_link(d, "parent");
    record("organisations", d.entity.ref,
           write(stores.organisations, d.entity, actor, refs.existing_id("organisations", d.entity.ref)));
  }
  UserStore accounts(db);
  for (auto& d : p.people) {
    d.entity.practice_id = opt_link(d, "practice");
    const auto existing = refs.existing_id("people", d.entity.ref);
    const auto before = existing ? stores.people.find(*existing) : std::nullopt;
    record("people", d.entity.ref, write(stores.people, d.entity, actor, existing));
    // A bundle that records a leaving disables the leaver's account, as the governance page does;
    // only when the leaving is new, so re-importing does not undo governance re-enabling it.
    if (before && !before->left_on && d.entity.left_on)
      if (auto account = accounts.find_user_by_person(d.entity.id)) accounts.set_disabled(account->id, true, actor, now_instant());
  }
  for (auto& d : p.committees)
    record("committees", d.entity.ref, write(stores.committees, d.entity, actor, refs.existing_id("committees", d.entity.ref)));
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
      if (!item || item->meeting_id != meeting.id || item->withdrawn)
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
