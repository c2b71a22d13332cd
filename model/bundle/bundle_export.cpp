#include "model/bundle/bundle.hpp"

#include <map>
#include <optional>

#include "model/bundle/bundle_stores.hpp"
#include "model/meetings/co_opted_members.hpp"
#include "model/base/money.hpp"
#include "model/register/bodies.hpp"
#include "model/registers/procurement_register.hpp"
#include "model/store/json.hpp"

namespace probity {

namespace {
using json = nlohmann::json;
}  // namespace

json export_bundle(SQLite::Database& db) {
  BundleStores stores(db);

  std::map<Id, std::string> org_ref, person_ref, committee_ref;
  auto orgs = stores.organisations.all();
  for (const auto& o : orgs) org_ref[o.id] = o.ref;
  auto persons = stores.people.all();
  for (const auto& p : persons) person_ref[p.id] = p.ref;
  auto comms = stores.committees.all();
  for (const auto& c : comms) committee_ref[c.id] = c.ref;
  auto ref_or_null = [](const std::map<Id, std::string>& refs, const std::optional<Id>& id) {
    return id ? json(refs.at(*id)) : json(nullptr);
  };
  auto date_or_null = [](const std::optional<Date>& d) { return d ? json(d->iso()) : json(nullptr); };

  json out = {{"format", "probity-bundle"}, {"version", 1}};
  // Bodies only where they say something: an instance of one body, unchanged since it was made,
  // exports as before bodies existed (and imports back into the default body).
  std::map<Id, std::string> body_ref;
  const auto all_bodies = BodyStore(db).all();
  for (const auto& b : all_bodies) body_ref[b.id] = b.ref;
  Body untouched;
  untouched.id = kDefaultBody;
  untouched.ref = "default";
  const bool with_bodies = all_bodies.size() > 1 || (all_bodies.size() == 1 && all_bodies.front() != untouched);
  if (with_bodies) {
    out["bodies"] = json::array();
    for (const auto& b : all_bodies)
      out["bodies"].push_back({{"ref", b.ref}, {"name", b.name}, {"ods_code", b.ods_code}, {"kind", to_string(b.kind)},
                               {"contact_email", b.contact_email}, {"publication", to_string(b.publication)},
                               {"register_url", b.register_url}});
  }
  out["organisations"] = json::array();
  for (const auto& o : orgs)
    out["organisations"].push_back({{"ref", o.ref}, {"name", o.name},
                                    {"identifier", o.identifier.empty() ? json(nullptr) : json(o.identifier)},
                                    {"kind", to_string(o.kind)}, {"parent", ref_or_null(org_ref, o.parent_id)}});
  out["people"] = json::array();
  for (const auto& p : persons) {
    json person = {{"ref", p.ref}, {"name", p.name}, {"email", p.email}, {"kind", to_string(p.kind)},
                   {"position", p.position}, {"practice", ref_or_null(org_ref, p.practice_id)},
                   {"left_on", date_or_null(p.left_on)}, {"decision_maker", p.decision_maker}};
    if (with_bodies) person["body"] = body_ref.at(p.body_id);
    out["people"].push_back(std::move(person));
  }
  out["committees"] = json::array();
  for (const auto& c : comms) {
    json members = json::array();
    for (const auto& m : stores.memberships.for_committee(c.id))
      members.push_back({{"person", person_ref.at(m.person_id)}, {"role", to_string(m.role)}, {"from", m.from.iso()},
                         {"to", date_or_null(m.to)}});
    json quorum = c.quorum;
    quorum.erase("min_voting_from_body");  // by body id there; by ref here
    if (!c.quorum.min_voting_from_body.empty()) {
      json minimums = json::array();
      for (const auto& [id, n] : c.quorum.min_voting_from_body) minimums.push_back({{"body", body_ref.at(id)}, {"min", n}});
      quorum["min_voting_from_body"] = std::move(minimums);
    }
    json committee = {{"ref", c.ref}, {"name", c.name}, {"description", c.description}, {"quorum", quorum}, {"members", members}};
    if (with_bodies) {
      json owners = json::array();
      for (Id id : c.body_ids) owners.push_back(body_ref.at(id));
      committee["bodies"] = std::move(owners);
    }
    out["committees"].push_back(std::move(committee));
  }
  out["interests"] = json::array();
  for (const auto& i : stores.interests.all())
    out["interests"].push_back({{"ref", i.ref}, {"person", person_ref.at(i.person_id)}, {"category", to_string(i.category)},
                                {"indirect", i.indirect}, {"relationship", i.relationship},
                                {"organisation", ref_or_null(org_ref, i.organisation_id)}, {"nature", i.nature},
                                {"from", i.from.iso()}, {"to", date_or_null(i.to)}, {"action_taken", i.action_taken},
                                {"declared_on", i.declared_on.iso()}, {"status", to_string(i.status)},
                                {"withheld", i.withheld}, {"withheld_reason", i.withheld_reason},
                                {"aware_on", date_or_null(i.aware_on)}, {"kind", to_string(i.kind)},
                                {"details", i.details}});
  out["gifts"] = json::array();
  for (const auto& g : stores.gifts.all())
    out["gifts"].push_back({{"ref", g.ref}, {"person", person_ref.at(g.person_id)}, {"kind", to_string(g.kind)},
                            {"organisation", ref_or_null(org_ref, g.organisation_id)}, {"source", g.source},
                            {"from_supplier", g.from_supplier}, {"cash_or_voucher", g.cash_or_voucher},
                            {"description", g.description}, {"value", format_pounds(g.value_pence)},
                            {"offered_on", g.offered_on.iso()}, {"outcome", to_string(g.outcome)},
                            {"approved_by", g.approved_by}, {"declared_on", g.declared_on.iso()},
                            {"status", to_string(g.status)}, {"approver_role", g.approver_role},
                            {"approval_reason", g.approval_reason}, {"approved_on", date_or_null(g.approved_on)}});
  out["nil_returns"] = json::array();
  for (const auto& n : stores.nil_returns.all())
    out["nil_returns"].push_back({{"ref", n.ref}, {"person", person_ref.at(n.person_id)}, {"made_on", n.made_on.iso()},
                                  {"statement", n.statement}, {"status", to_string(n.status)}});
  out["confirmations"] = json::array();
  for (const auto& c : stores.confirmations.all())
    out["confirmations"].push_back({{"ref", c.ref}, {"person", person_ref.at(c.person_id)}, {"confirmed_on", c.confirmed_on.iso()},
                                    {"year_start", c.year_start.iso()}, {"entries", c.entries}});
  out["meetings"] = json::array();
  const auto all_meetings = stores.meetings.all();
  std::map<Id, std::string> meeting_ref;
  for (const auto& m : all_meetings) meeting_ref[m.id] = m.ref;
  // Who is co-opted to `meeting_id`, each for the whole meeting or for an item of the agenda of
  // `agenda_meeting_id` (the meeting's own, or the lead's for committees in common).
  auto co_opted_of = [&](Id meeting_id, Id agenda_meeting_id) {
    std::map<Id, std::string> item_ref;
    for (const auto& item : stores.agenda_items.for_meeting(agenda_meeting_id)) item_ref[item.id] = item.ref;
    json co_opted = json::array();
    for (const auto& c : CoOptedMemberStore(db).for_meeting(meeting_id)) {
      json one = {{"person", person_ref.at(c.person_id)}, {"from_body", c.from_body}};
      if (c.agenda_item_id) {
        if (!item_ref.contains(*c.agenda_item_id)) continue;  // co-opted for an item since withdrawn: not on the agenda exported
        one["item"] = item_ref.at(*c.agenda_item_id);
      }
      co_opted.push_back(std::move(one));
    }
    return co_opted;
  };
  for (const auto& m : all_meetings) {
    if (m.in_common_with) {
      // Committees in common: the agenda and attendance are the lead meeting's, listed there.
      json meeting = {{"ref", m.ref}, {"committee", committee_ref.at(m.committee_id)}, {"title", m.title},
                      {"date", m.date.iso()}, {"location", m.location}, {"status", to_string(m.status)},
                      {"published", m.published}, {"agenda_published", m.agenda_published},
                      {"co_opted", co_opted_of(m.id, *m.in_common_with)},
                      {"start_time", m.start_time.empty() ? json(nullptr) : json(m.start_time)},
                      {"in_common_with", meeting_ref.at(*m.in_common_with)}};
      out["meetings"].push_back(std::move(meeting));
      continue;
    }
    json attendance = json::array();
    for (const auto& a : stores.attendances.for_meeting(m.id))
      attendance.push_back({{"person", person_ref.at(a.person_id)}, {"status", to_string(a.status)}});
    json agenda = json::array();
    for (const auto& item : stores.agenda_items.for_meeting(m.id)) {
      json item_orgs = json::array();
      for (Id o : item.organisation_ids) item_orgs.push_back(org_ref.at(o));
      agenda.push_back({{"ref", item.ref}, {"title", item.title}, {"description", item.description},
                        {"category", to_string(item.category)}, {"organisations", item_orgs},
                        {"affects_all_gp_practices", item.affects_all_gp_practices}});
    }
    json co_opted = co_opted_of(m.id, m.id);
    json meeting = {{"ref", m.ref}, {"committee", committee_ref.at(m.committee_id)}, {"title", m.title},
                    {"date", m.date.iso()}, {"location", m.location}, {"status", to_string(m.status)},
                    {"published", m.published}, {"agenda_published", m.agenda_published}, {"attendance", attendance},
                    {"agenda", agenda}, {"co_opted", co_opted},
                    {"start_time", m.start_time.empty() ? json(nullptr) : json(m.start_time)}};
    out["meetings"].push_back(std::move(meeting));
  }
  // The register of procurement decisions: a row drafted from a meeting names its item (the
  // import completes the row the held meeting drafts); a row added by hand has its ref.
  out["procurement_decisions"] = json::array();
  for (const auto& d : ProcurementDecisionStore(db).all()) {
    json row = {{"subject", d.subject}, {"route", d.route}, {"decided_by", d.decided_by}, {"decided_on", date_or_null(d.decided_on)},
                {"value", d.value_pence ? json(format_pounds(*d.value_pence)) : json(nullptr)}, {"provider", d.provider},
                {"participants", d.participants}, {"conflicts", d.conflicts}, {"status", d.status}};
    if (d.agenda_item_id) {
      auto item = stores.agenda_items.find(*d.agenda_item_id);
      if (!item || item->withdrawn) continue;  // not on the agenda exported
      row["item"] = item->ref;
    } else {
      row["ref"] = d.ref;
    }
    out["procurement_decisions"].push_back(std::move(row));
  }
  return out;
}

}  // namespace probity
