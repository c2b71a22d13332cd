#include "model/bundle/bundle_parse.hpp"

#include <cctype>
#include <optional>
#include <set>

#include "model/meetings/meeting_records.hpp"
#include "model/register/committee_admin.hpp"
#include "model/register/person_admin.hpp"
#include "model/register/declaration_year.hpp"
#include "model/register/interest_kinds.hpp"
#include "model/base/text.hpp"

namespace probity {
namespace {

constexpr std::size_t kIdentifierTextMax = 100;  // then checked as an ODS or Companies House code
constexpr std::size_t kIdentifierMax = 20;

template <typename T>
Draft<T> draft(const BundleRecord& r) {
  Draft<T> d;
  d.path = r.path();
  return d;
}

void add_link(const BundleRecord& r, std::map<std::string, BundleLink>& links, const std::string& key, const std::string& kind,
          bool required) {
  if (auto l = r.link(key, kind, required)) links.emplace(key, *l);
}

// A declaration's draft with what every declaration starts with: its ref and who made it.
template <typename T>
Draft<T> declaration(const BundleRecord& r) {
  auto d = draft<T>(r);
  d.entity.ref = r.ref();
  add_link(r, d.links, "person", "people", true);
  return d;
}

// A member that only some records need: `message` when `needed` and the member is not given.
void required_when(const BundleRecord& r, bool needed, const std::string& key, const char* message) {
  if (needed && !r.present(key)) r.error(key, message);
}

// "from" (required) and "to" (left out while it lasts), which must not be before "from".
void read_period(const BundleRecord& r, Date& from, std::optional<Date>& to) {
  const auto start = r.date("from", true);
  to = r.date("to", false);
  if (start && to && *to < *start) r.error("to", "must not be before from");
  from = start.value_or(Date{});
}

void check_identifier(const BundleRecord& r, const std::string& identifier) {
  for (char c : identifier)
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      r.error("identifier", "must be letters and digits only (an ODS code or Companies House number)");
      return;
    }
  if (identifier.size() > kIdentifierMax) r.error("identifier", "must be at most 20 characters");
}

Draft<Organisation> read_organisation(const BundleRecord& r) {
  r.only({"ref", "name", "identifier", "kind", "parent"});
  auto d = draft<Organisation>(r);
  Organisation& e = d.entity;
  e.ref = r.ref();
  e.name = r.text("name", true, kShortTextMax);
  e.identifier = r.text("identifier", false, kIdentifierTextMax);
  check_identifier(r, e.identifier);
  e.kind = r.choice<OrganisationKind>("kind", OrganisationKind::other);
  add_link(r, d.links, "parent", "organisations", false);
  return d;
}

// A body of a joint arrangement (docs/bodies.md); "default" is the ref of body 1.
Draft<Body> read_body(const BundleRecord& r) {
  r.only({"ref", "name", "ods_code", "kind", "contact_email", "publication", "register_url"});
  auto d = draft<Body>(r);
  Body& e = d.entity;
  e.ref = r.ref();
  e.name = r.text("name", false, kShortTextMax);
  e.ods_code = r.text("ods_code", false, kIdentifierTextMax);
  e.kind = r.choice<BodyKind>("kind", BodyKind::icb);
  e.contact_email = r.text("contact_email", false, kEmailMax);
  e.publication = r.choice<BodyPublication>("publication", BodyPublication::here);
  e.register_url = r.text("register_url", false, 2000);
  return d;
}

Draft<Person> read_person(const BundleRecord& r) {
  r.only({"ref", "name", "email", "kind", "position", "practice", "left_on", "decision_maker", "body"});
  auto d = draft<Person>(r);
  Person& e = d.entity;
  e.ref = r.ref();
  e.name = r.text("name", true, kShortTextMax);
  e.email = r.text("email", false, kEmailMax);
  if (!e.email.empty() && utf8_length(e.email) <= kEmailMax && !email_well_formed(e.email))
    r.error("email", "not an email address");
  e.kind = r.choice<PersonKind>("kind", std::nullopt);
  e.position = r.text("position", false, kShortTextMax);
  add_link(r, d.links, "practice", "organisations", false);
  e.left_on = r.date("left_on", false);
  e.decision_maker = r.flag("decision_maker", true);  // absent: published, as before the field existed
  add_link(r, d.links, "body", "bodies", false);      // absent: the default body
  return d;
}

QuorumRule read_quorum(const BundleRecord& r) {
  r.only({"min_voting", "min_lay", "min_executive", "min_clinical", "lay_executive_majority", "lay_chair", "lay_member_may_preside",
          "min_voting_each_body", "min_voting_from_body"});
  QuorumRule q;
  q.min_voting = r.whole_number("min_voting", 0, 0, kMaxQuorumCount);
  q.min_lay = r.whole_number("min_lay", 0, 0, kMaxQuorumCount);
  q.min_executive = r.whole_number("min_executive", 0, 0, kMaxQuorumCount);
  q.min_clinical = r.whole_number("min_clinical", 0, 0, kMaxQuorumCount);
  q.lay_executive_majority = r.flag("lay_executive_majority", false);
  q.lay_chair = r.flag("lay_chair", false);
  q.lay_member_may_preside = r.flag("lay_member_may_preside", false);
  q.min_voting_each_body = r.whole_number("min_voting_each_body", 0, 0, kMaxQuorumCount);
  return q;
}

// `minimums`: the quorum's minimums from named bodies ({"body": ref, "min": n}), resolved later.
Draft<Committee> read_committee(const BundleRecord& r, std::vector<std::pair<BundleLink, int>>& minimums) {
  r.only({"ref", "name", "description", "quorum", "members", "bodies"});
  auto d = draft<Committee>(r);
  d.entity.ref = r.ref();
  d.entity.name = r.text("name", true, kShortTextMax);
  d.entity.description = r.text("description", false, kLongTextMax);
  if (auto quorum = r.object("quorum")) {
    d.entity.quorum = read_quorum(*quorum);
    quorum->each("min_voting_from_body", [&](const BundleRecord& m, std::size_t) {
      m.only({"body", "min"});
      auto body = m.link("body", "bodies", true);
      const int min = m.whole_number("min", 0, 1, kMaxQuorumCount);
      if (!m.present("min")) m.error("min", "required");
      if (body) minimums.emplace_back(*body, min);
    });
  }
  d.many = r.links("bodies", "bodies");  // the owning bodies; none given: the default body
  return d;
}

Draft<Membership> read_membership(const BundleRecord& r) {
  r.only({"person", "role", "from", "to"});
  auto d = draft<Membership>(r);
  add_link(r, d.links, "person", "people", true);
  d.entity.role = r.choice<CommitteeRole>("role", std::nullopt);
  read_period(r, d.entity.from, d.entity.to);
  return d;
}

Draft<Interest> read_interest(const BundleRecord& r) {
  r.only({"ref", "person", "category", "indirect", "relationship", "organisation", "nature", "from", "to",
          "action_taken", "declared_on", "status", "withheld", "withheld_reason", "aware_on", "kind", "details"});
  auto d = declaration<Interest>(r);
  Interest& e = d.entity;
  e.category = r.choice<InterestCategory>("category", std::nullopt);
  e.indirect = r.flag("indirect", e.category == InterestCategory::indirect);
  e.relationship = r.text("relationship", false, kShortTextMax);
  required_when(r, e.indirect, "relationship", "required for an indirect interest (e.g. spouse, partner, parent, child)");
  add_link(r, d.links, "organisation", "organisations", false);
  e.nature = r.text("nature", true, kLongTextMax);
  read_period(r, e.from, e.to);
  e.action_taken = r.text("action_taken", false, kLongTextMax);
  e.declared_on = r.date("declared_on", true).value_or(Date{});
  e.aware_on = r.date("aware_on", false);
  e.status = r.choice<DeclarationStatus>("status", DeclarationStatus::submitted);
  e.withheld = r.flag("withheld", false);
  e.withheld_reason = r.text("withheld_reason", false, kLongTextMax);
  required_when(r, e.withheld, "withheld_reason", "required when withheld is true");
  // The kind of interest (absent: other) and its details, checked as the forms check them.
  e.kind = r.choice<InterestKind>("kind", InterestKind::other);
  e.details = r.text_map("details");
  const Problems details = interest_details_problems(e.kind, e.details);  // kept alive: list() refers into it
  for (const auto& p : details.list()) r.error("details", p.field + ": " + p.message);
  return d;
}

Draft<Gift> read_gift(const BundleRecord& r) {
  r.only({"ref", "person", "kind", "organisation", "source", "from_supplier", "cash_or_voucher", "description", "value",
          "offered_on", "outcome", "approved_by", "declared_on", "status", "approver_role", "approval_reason", "approved_on"});
  auto d = declaration<Gift>(r);
  Gift& e = d.entity;
  e.kind = r.choice<GiftKind>("kind", std::nullopt);
  add_link(r, d.links, "organisation", "organisations", false);
  e.source = r.text("source", false, kShortTextMax);
  required_when(r, !r.present("organisation"), "source", "required when no organisation is given");
  e.from_supplier = r.flag("from_supplier", false);
  e.cash_or_voucher = r.flag("cash_or_voucher", false);
  e.description = r.text("description", true, kLongTextMax);
  if (auto pence = r.pence("value")) e.value_pence = *pence;
  e.offered_on = r.date("offered_on", true).value_or(Date{});
  e.outcome = r.choice<GiftOutcome>("outcome", std::nullopt);
  e.approved_by = r.text("approved_by", false, kShortTextMax);
  e.approver_role = r.text("approver_role", false, kShortTextMax);
  e.approval_reason = r.text("approval_reason", false, kLongTextMax);
  e.approved_on = r.date("approved_on", false);
  e.declared_on = r.date("declared_on", true).value_or(Date{});
  e.status = r.choice<DeclarationStatus>("status", DeclarationStatus::submitted);
  return d;
}

Draft<NilReturn> read_nil_return(const BundleRecord& r) {
  r.only({"ref", "person", "made_on", "statement", "status"});
  auto d = declaration<NilReturn>(r);
  d.entity.made_on = r.date("made_on", true).value_or(Date{});
  d.entity.statement = r.text("statement", false, kLongTextMax);
  d.entity.status = r.choice<DeclarationStatus>("status", DeclarationStatus::submitted);
  return d;
}

// An annual confirmation: who, when, the year it was made in (from the date when left out) and
// how many entries it confirmed.
Draft<Confirmation> read_confirmation(const BundleRecord& r) {
  r.only({"ref", "person", "confirmed_on", "year_start", "entries"});
  auto d = declaration<Confirmation>(r);
  d.entity.confirmed_on = r.date("confirmed_on", true).value_or(Date{});
  d.entity.year_start = r.date("year_start", false).value_or(year_start_for(d.entity.confirmed_on));
  d.entity.entries = r.whole_number("entries", 0, 0, 10000);
  return d;
}

Draft<Meeting> read_meeting(const BundleRecord& r) {
  r.only({"ref", "committee", "title", "date", "start_time", "location", "status", "published", "agenda_published", "attendance",
          "agenda", "co_opted", "in_common_with"});
  auto d = draft<Meeting>(r);
  d.entity.ref = r.ref();
  add_link(r, d.links, "committee", "committees", true);
  // Committees in common: the lead meeting, whose agenda and attendance this one shares.
  add_link(r, d.links, "in_common_with", "meetings", false);
  if (r.present("in_common_with") && (r.present("agenda") || r.present("attendance")))
    r.error("in_common_with", "a meeting held in common with another shares its agenda and attendance: list them on that meeting");
  d.entity.title = r.text("title", true, kShortTextMax);
  d.entity.date = r.date("date", true).value_or(Date{});
  d.entity.start_time = r.text("start_time", false, 5);
  if (!d.entity.start_time.empty() && !is_clock_time(d.entity.start_time))
    r.error("start_time", "must be a time on the 24-hour clock written HH:MM, like \"14:00\"");
  d.entity.location = r.text("location", false, kShortTextMax);
  d.entity.status = r.choice<MeetingStatus>("status", MeetingStatus::planned);
  d.entity.published = r.flag("published", false);
  d.entity.agenda_published = r.flag("agenda_published", false);
  return d;
}

// A member co-opted for the meeting: who, from which body, and for which item of its agenda
// ("item", an agenda item's ref; left out: the whole meeting).
Draft<CoOptedMember> read_co_opted(const BundleRecord& r) {
  r.only({"person", "from_body", "item"});
  auto d = draft<CoOptedMember>(r);
  add_link(r, d.links, "person", "people", true);
  add_link(r, d.links, "item", "agenda_items", false);
  d.entity.from_body = r.text("from_body", true, kShortTextMax);
  return d;
}

// `seen`: the people already listed for this meeting, each of whom may be listed once.
Draft<Attendance> read_attendance(const BundleRecord& r, std::set<std::string>& seen) {
  r.only({"person", "status"});
  auto d = draft<Attendance>(r);
  if (auto l = r.link("person", "people", true)) {
    if (!seen.insert(l->ref).second) r.error("person", "listed twice for this meeting");
    d.links.emplace("person", *l);
  }
  d.entity.status = r.choice<AttendanceStatus>("status", AttendanceStatus::expected);
  return d;
}

// `index`: where the item stands on its meeting's agenda, from 0.
Draft<AgendaItem> read_agenda_item(const BundleRecord& r, std::size_t index) {
  r.only({"ref", "title", "description", "category", "organisations", "affects_all_gp_practices"});
  auto d = draft<AgendaItem>(r);
  AgendaItem& e = d.entity;
  e.ref = r.ref();
  e.position = static_cast<int>(index) + 1;
  e.title = r.text("title", true, kShortTextMax);
  e.description = r.text("description", false, kLongTextMax);
  e.category = r.choice<AgendaCategory>("category", AgendaCategory::other);
  e.affects_all_gp_practices = r.flag("affects_all_gp_practices", affects_all_gp_practices_by_default(e.category));
  d.many = r.links("organisations", "organisations");
  return d;
}

}  // namespace

ParsedBundle parse_bundle(const nlohmann::json& bundle, std::vector<BundleError>& errors) {
  ParsedBundle p;
  const BundleRecord top(bundle, "", errors);
  top.only({"format", "version", "bodies", "organisations", "people", "committees", "interests", "gifts", "nil_returns", "confirmations", "meetings",
            "procurement_decisions"});
  if (bundle.contains("format") && bundle.at("format") != "probity-bundle") top.error("format", "must be \"probity-bundle\"");
  if (bundle.contains("version") && bundle.at("version") != 1) top.error("version", "unsupported version (expected 1)");

  top.each("bodies", [&](const BundleRecord& r, std::size_t) { p.bodies.push_back(read_body(r)); });
  top.each("organisations", [&](const BundleRecord& r, std::size_t) { p.organisations.push_back(read_organisation(r)); });
  top.each("people", [&](const BundleRecord& r, std::size_t) { p.people.push_back(read_person(r)); });
  top.each("committees", [&](const BundleRecord& r, std::size_t) {
    const std::size_t committee = p.committees.size();
    p.committee_minimums.emplace_back();
    auto d = read_committee(r, p.committee_minimums.back());
    r.each("members", [&](const BundleRecord& m, std::size_t) {
      p.memberships.push_back(read_membership(m));
      p.membership_committee.push_back(committee);
    });
    p.committees.push_back(std::move(d));
  });
  top.each("interests", [&](const BundleRecord& r, std::size_t) { p.interests.push_back(read_interest(r)); });
  top.each("gifts", [&](const BundleRecord& r, std::size_t) { p.gifts.push_back(read_gift(r)); });
  top.each("nil_returns", [&](const BundleRecord& r, std::size_t) { p.nil_returns.push_back(read_nil_return(r)); });
  top.each("confirmations", [&](const BundleRecord& r, std::size_t) { p.confirmations.push_back(read_confirmation(r)); });
  top.each("meetings", [&](const BundleRecord& r, std::size_t) {
    const std::size_t meeting = p.meetings.size();
    auto d = read_meeting(r);
    p.meeting_lists_agenda.push_back(r.present("agenda"));
    std::set<std::string> seen;
    r.each("attendance", [&](const BundleRecord& a, std::size_t) {
      p.attendances.push_back(read_attendance(a, seen));
      p.attendance_meeting.push_back(meeting);
    });
    r.each("agenda", [&](const BundleRecord& a, std::size_t index) {
      p.agenda_items.push_back(read_agenda_item(a, index));
      p.agenda_meeting.push_back(meeting);
    });
    r.each("co_opted", [&](const BundleRecord& c, std::size_t) {
      p.co_opted.push_back(read_co_opted(c));
      p.co_opted_meeting.push_back(meeting);
    });
    p.meetings.push_back(std::move(d));
  });
  return p;
}

}  // namespace probity
