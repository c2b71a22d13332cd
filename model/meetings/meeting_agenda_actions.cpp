#include "model/meetings/meeting_agenda_actions.hpp"

#include <algorithm>

#include "model/meetings/meeting_record_store.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/register/organisation_store.hpp"
#include "model/base/text.hpp"

namespace probity {
namespace {

void add_once(std::vector<Id>& ids, Id id) {
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
}

// The organisations an item concerns, each on the register, in the order named and once each.
std::vector<Id> read_organisations(SQLite::Database& db, const Fields& in, FieldLayout layout, Problems& p) {
  OrganisationStore orgs(db);
  std::vector<Id> out;
  if (layout == FieldLayout::json_body) {
    const auto ids = in.ids("organisation_ids");
    const bool all_found = ids && std::all_of(ids->begin(), ids->end(), [&](Id id) { return orgs.find(id).has_value(); });
    if (!all_found) p.add("organisation_ids", "Every organisation must be on the register");
    else for (Id id : *ids) add_once(out, id);
    return out;
  }
  // The page's form has a select per organisation named so far and one more, as organisation_1,
  // organisation_2, ...: any number of organisations, read until the numbering stops.
  constexpr int kMaxOrganisationFields = 200;
  for (int n = 1; n <= kMaxOrganisationFields; ++n) {
    const std::string field = "organisation_" + std::to_string(n);
    if (!in.has(field) && n > 3) break;
    if (in.get(field).empty()) continue;
    auto id = in.id(field);
    if (!id || !orgs.find(*id)) p.add(field, "Select an organisation from the register");
    else add_once(out, *id);
  }
  return out;
}

// Reads an item's fields over `item` (a new item, or the current version to edit).
void read_item(SQLite::Database& db, const Fields& in, FieldLayout layout, AgendaItem& item, Problems& p) {
  item.title = in.text("title", "Title", kShortTextMax, p, "Enter the item's title");
  item.description = in.text("description", "Description", kLongTextMax, p);
  auto category = enum_from_string<AgendaCategory>(in.get("category").empty() ? "other" : in.get("category"));
  if (!category) p.add("category", "Select the item's category");
  item.category = category.value_or(AgendaCategory::other);
  item.organisation_ids = read_organisations(db, in, layout, p);
  // Local incentive schemes and enhanced services affect every practice unless said otherwise.
  const auto all = in.get("affects_all_gp_practices");
  if (all.empty() || all == "default") item.affects_all_gp_practices = affects_all_gp_practices_by_default(item.category);
  else if (all == "true" || all == "yes") item.affects_all_gp_practices = true;
  else if (all == "false" || all == "no") item.affects_all_gp_practices = false;
  else p.add("affects_all_gp_practices", "Say whether the item affects all GP practices");
}

// The agenda in the order a submission asks for: every item once, or one moved up or down.
std::vector<Id> read_order(const Fields& in, FieldLayout layout, std::vector<Id> order, Problems& p) {
  if (layout == FieldLayout::json_body) {
    const auto wanted = in.ids("item_ids").value_or(std::vector<Id>{});
    auto a = wanted, b = order;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    if (!in.ids("item_ids") || a != b) p.add("item_ids", "item_ids must list every item of the meeting once");
    return wanted;
  }
  auto id = in.id("item_id");
  auto it = id ? std::find(order.begin(), order.end(), *id) : order.end();
  const auto direction = in.get("direction");
  if (it == order.end()) p.add("item_id", "Select an item of this meeting");
  else if (direction == "up" && it != order.begin()) std::iter_swap(it, it - 1);
  else if (direction == "down" && it + 1 != order.end()) std::iter_swap(it, it + 1);
  else if (direction != "up" && direction != "down") p.add("direction", "Move the item up or down");
  return order;
}

}  // namespace

AgendaItem agenda_item_or_refuse(SQLite::Database& db, const Meeting& m, Id item_id) {
  auto item = AgendaItemStore(db).find(item_id);
  if (!item || item->meeting_id != agenda_meeting_id(m) || item->withdrawn)
    throw MeetingRefused(MeetingRefused::Kind::not_found, "not_found", "Agenda item was not found");
  return *item;
}

Result<AgendaItem> add_agenda_item(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, const Fields& in,
                                   FieldLayout layout) {
  return change_meeting<AgendaItem>(db, actor, meeting_id, [&](const Meeting& m, Problems& p) -> std::optional<AgendaItem> {
    require_own_agenda(db, m);
    AgendaItem item;
    item.meeting_id = m.id;
    read_item(db, in, layout, item, p);
    if (!p.empty()) return std::nullopt;
    AgendaItemStore store(db);
    int last = 0;
    for (const auto& other : store.for_meeting(m.id)) last = std::max(last, other.position);
    item.position = last + 1;
    store.save(item, actor.audit_name);
    return item;
  });
}

Result<AgendaItem> edit_agenda_item(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, Id item_id, const Fields& in,
                                    FieldLayout layout) {
  return change_meeting<AgendaItem>(db, actor, meeting_id, [&](const Meeting& m, Problems& p) -> std::optional<AgendaItem> {
    require_own_agenda(db, m);
    auto item = agenda_item_or_refuse(db, m, item_id);
    read_item(db, in, layout, item, p);
    if (!p.empty()) return std::nullopt;
    AgendaItemStore(db).save(item, actor.audit_name);
    return item;
  });
}

Result<AgendaItem> withdraw_agenda_item(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, Id item_id) {
  return change_meeting<AgendaItem>(db, actor, meeting_id, [&](const Meeting& m, Problems&) {
    require_own_agenda(db, m);
    auto item = agenda_item_or_refuse(db, m, item_id);
    if (agenda_item_has_records(db, item.id))
      throw MeetingRefused(MeetingRefused::Kind::conflict, "item_has_records",
                           "Declarations or decisions have been recorded against this item at the meeting, so it stays on the agenda.");
    item.withdrawn = true;
    AgendaItemStore(db).save(item, actor.audit_name);
    return std::optional<AgendaItem>(item);
  });
}

Result<std::vector<AgendaItem>> reorder_agenda(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, const Fields& in,
                                               FieldLayout layout) {
  return change_meeting<std::vector<AgendaItem>>(db, actor, meeting_id, [&](const Meeting& m, Problems& p) -> std::optional<std::vector<AgendaItem>> {
    require_own_agenda(db, m);
    AgendaItemStore store(db);
    const auto items = store.for_meeting(m.id);
    std::vector<Id> current;
    for (const auto& i : items) current.push_back(i.id);
    const auto order = read_order(in, layout, current, p);
    if (!p.empty()) return std::nullopt;
    std::vector<AgendaItem> out;
    for (std::size_t i = 0; i < order.size(); ++i) {
      auto item = *std::find_if(items.begin(), items.end(), [&](const AgendaItem& x) { return x.id == order[i]; });
      item.position = static_cast<int>(i + 1);
      store.save(item, actor.audit_name);
      out.push_back(item);
    }
    return out;
  });
}

}  // namespace probity
