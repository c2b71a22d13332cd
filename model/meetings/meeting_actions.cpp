#include "model/meetings/meeting_actions.hpp"

#include "model/meetings/co_opted_members.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "model/register/committee_store.hpp"
#include "model/store/database.hpp"
#include "model/meetings/meeting_close.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/register/person_store.hpp"
#include "model/base/text.hpp"

namespace probity {
namespace {

AttendanceStatus read_status(const std::string& text, const std::string& field, Problems& p) {
  auto s = enum_from_string<AttendanceStatus>(text);
  if (!s) p.add(field, "Select expected, present, apologies or absent");
  return s.value_or(AttendanceStatus::expected);
}

// One person's attendance as a submission asks for it. Read inside the transaction: each person
// must be on the register.
struct AttendanceChange {
  Id person_id;
  AttendanceStatus status;
};

std::vector<AttendanceChange> read_attendance(SQLite::Database& db, const Fields& in, FieldLayout layout, Problems& p) {
  std::vector<AttendanceChange> changes;
  PersonStore people(db);
  if (layout == FieldLayout::json_body) {
    auto person = in.id("person_id");
    if (!person || !people.find(*person)) p.add("person_id", "Select a person from the register");
    auto status = read_status(in.get("status"), "status", p);
    if (person) changes.push_back({*person, status});
    return changes;
  }
  for (const auto& [name, value] : in.all()) {
    if (name.rfind("status_", 0) != 0) continue;
    auto person = Fields{{"id", name.substr(7)}}.id("id");
    auto status = read_status(trim(value), name, p);
    if (person && people.find(*person)) changes.push_back({*person, status});
  }
  if (!in.get("add_person_id").empty()) {
    auto person = in.id("add_person_id");
    if (!person || !people.find(*person)) p.add("add_person_id", "Select a person from the register");
    else changes.push_back({*person, read_status(in.get("add_status").empty() ? "expected" : in.get("add_status"), "add_status", p)});
  }
  return changes;
}

bool is_member(SQLite::Database& db, Id person_id, Id committee_id) {
  const auto memberships = MembershipStore(db).for_person(person_id);
  return std::any_of(memberships.begin(), memberships.end(), [&](const Membership& ms) { return ms.committee_id == committee_id; });
}

}  // namespace

ReportAudience report_audience(const MeetingActor& actor) {
  return actor.governance ? ReportAudience::governance : ReportAudience::committee;
}

Meeting meeting_or_refuse(SQLite::Database& db, Id meeting_id) {
  auto m = MeetingStore(db).find(meeting_id);
  if (!m) throw MeetingRefused(MeetingRefused::Kind::not_found, "not_found", "Meeting was not found");
  return *m;
}

void require_unpublished(const Meeting& m) {
  if (m.published)
    throw MeetingRefused(MeetingRefused::Kind::conflict, "meeting_published",
                         "This meeting's minutes have been published, so its records can no longer be changed.");
}

Meeting editable_meeting(SQLite::Database& db, const MeetingActor& actor, Id meeting_id) {
  Meeting m = meeting_or_refuse(db, meeting_id);
  if (!may_manage_meetings(db, actor, m.committee_id, Date::today()))
    throw MeetingRefused(MeetingRefused::Kind::forbidden, "forbidden", "Only the chair or vice-chair of this committee can use this page.");
  require_unpublished(m);
  return m;
}

void require_own_agenda(SQLite::Database& db, const Meeting& m) {
  if (!m.in_common_with) return;
  std::string committee = "the lead committee";
  if (auto lead = MeetingStore(db).find(*m.in_common_with))
    if (auto c = CommitteeStore(db).find(lead->committee_id)) committee = c->name;
  throw MeetingRefused(MeetingRefused::Kind::conflict, "shares_agenda",
                       "This meeting shares the agenda and attendance of " + committee +
                           "'s meeting: change them on that meeting.");
}

Result<Meeting> hold_in_common(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, const Fields& in) {
  return change_meeting<Meeting>(db, actor, meeting_id, [&](const Meeting& m, Problems& p) -> std::optional<Meeting> {
    if (m.status == MeetingStatus::cancelled)
      throw MeetingRefused(MeetingRefused::Kind::conflict, "meeting_cancelled", "A cancelled meeting cannot be held in common with another committee.");
    const auto committee_id = in.id("committee_id");
    const auto committee = committee_id ? CommitteeStore(db).find(*committee_id) : std::nullopt;
    if (!committee) {
      p.add("committee_id", "Select the committee");
      return std::nullopt;
    }
    if (committee->id == m.committee_id) {
      p.add("committee_id", "Select another committee: this is the meeting's own committee");
      return std::nullopt;
    }
    for (const auto& other : in_common_group(db, m))
      if (other.committee_id == committee->id) {
        p.add("committee_id", "Select another committee: " + committee->name + " already meets in common at this meeting");
        return std::nullopt;
      }
    if (!may_manage_meetings(db, actor, committee->id, Date::today()))
      throw MeetingRefused(MeetingRefused::Kind::forbidden, "forbidden",
                           "You can only hold a meeting in common with a committee whose meetings you manage.");
    Meeting follower;
    follower.committee_id = committee->id;
    follower.title = m.title;
    follower.date = m.date;
    follower.start_time = m.start_time;
    follower.location = m.location;
    // The lead of a group is never itself a follower: joining a follower joins its lead.
    follower.in_common_with = agenda_meeting_id(m);
    MeetingStore(db).save(follower, actor.audit_name);
    return follower;
  });
}

std::map<Id, Person> meeting_people(SQLite::Database& db, const Meeting& m) {
  std::set<Id> ids;
  for (const auto& ms : MembershipStore(db).for_committee(m.committee_id))
    if (ms.from <= m.date && (!ms.to || *ms.to >= m.date)) ids.insert(ms.person_id);
  for (const auto& a : AttendanceStore(db).for_meeting(m.id)) ids.insert(a.person_id);
  for (const auto& c : CoOptedMemberStore(db).for_meeting(m.id)) ids.insert(c.person_id);
  std::map<Id, Person> out;
  PersonStore people(db);
  for (Id id : ids)
    if (auto p = people.find(id)) out.emplace(id, *p);
  return out;
}

Result<Meeting> create_meeting(SQLite::Database& db, const MeetingActor& actor, const Fields& in) {
  WriteTransaction tx(db);
  const Date today = Date::today();
  if (!manages_any_committee(db, actor, today))
    throw MeetingRefused(MeetingRefused::Kind::forbidden, "forbidden", "Only committee chairs, vice-chairs and the governance team manage meetings.");
  Problems p;
  auto committee_id = in.id("committee_id");
  if (!committee_id || !CommitteeStore(db).find(*committee_id)) p.add("committee_id", "Select the committee");
  else if (!may_manage_meetings(db, actor, *committee_id, today))
    throw MeetingRefused(MeetingRefused::Kind::forbidden, "forbidden", "You can only create meetings of committees you chair.");
  Meeting m;
  m.title = in.text("title", "Title", kShortTextMax, p, "Enter the meeting's title");
  m.location = in.text("location", "Location", kShortTextMax, p);
  auto date = Date::parse(in.get("date"));
  if (!date) p.add("date", "Enter the meeting's date as a real date, for example 10 12 2026");
  m.start_time = trim(in.get("start_time"));
  if (m.start_time.size() == 4 && m.start_time[1] == ':') m.start_time = "0" + m.start_time;  // 9:30 is 09:30
  if (!m.start_time.empty() && !is_clock_time(m.start_time))
    p.add("start_time", "Enter the start time as a time on the 24-hour clock, for example 14:00, or leave it empty");
  if (!p.empty()) return {std::nullopt, p};
  m.committee_id = *committee_id;
  m.date = *date;
  MeetingStore(db).save(m, actor.audit_name);
  tx.commit();
  return {m, {}};
}

Result<std::vector<Attendance>> set_attendance(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, const Fields& in,
                                               FieldLayout layout) {
  return change_meeting<std::vector<Attendance>>(db, actor, meeting_id, [&](const Meeting& m, Problems& p) -> std::optional<std::vector<Attendance>> {
    require_own_agenda(db, m);
    const auto changes = read_attendance(db, in, layout, p);
    if (!p.empty()) return std::nullopt;
    AttendanceStore store(db);
    std::vector<Attendance> out;
    for (const auto& [person, status] : changes) {
      Attendance a;
      if (auto existing = store.find_by_key(m.id, person)) a = *existing;
      // A member with no attendance row is already expected: an unchanged row of the page's list needs none.
      else if (status == AttendanceStatus::expected && layout == FieldLayout::page_form && is_member(db, person, m.committee_id)) continue;
      a.meeting_id = m.id;
      a.person_id = person;
      a.status = status;
      store.save(a, actor.audit_name);
      out.push_back(a);
    }
    return out;
  });
}

Result<HeldMeeting> mark_held(SQLite::Database& db, const MeetingActor& actor, Id meeting_id) {
  return change_meeting<HeldMeeting>(db, actor, meeting_id, [&](Meeting m, Problems&) {
    if (m.status == MeetingStatus::cancelled)
      throw MeetingRefused(MeetingRefused::Kind::conflict, "meeting_cancelled", "A cancelled meeting cannot be marked as held.");
    m.status = MeetingStatus::held;
    MeetingStore(db).save(m, actor.audit_name);
    auto breaches = open_draft_breaches(db, m.id, actor.audit_name, report_audience(actor));
    return std::optional<HeldMeeting>(HeldMeeting{m, std::move(breaches)});
  });
}

Result<Meeting> publish_meeting(SQLite::Database& db, const MeetingActor& actor, Id meeting_id) {
  return change_meeting<Meeting>(db, actor, meeting_id, [&](Meeting m, Problems&) {
    if (m.status != MeetingStatus::held)
      throw MeetingRefused(MeetingRefused::Kind::conflict, "meeting_not_held", "Only a meeting marked as held can be published.");
    m.published = true;
    MeetingStore(db).save(m, actor.audit_name);
    return std::optional<Meeting>(m);
  });
}

Result<Meeting> publish_agenda(SQLite::Database& db, const MeetingActor& actor, Id meeting_id) {
  return change_meeting<Meeting>(db, actor, meeting_id, [&](Meeting m, Problems&) {
    if (m.status == MeetingStatus::cancelled)
      throw MeetingRefused(MeetingRefused::Kind::conflict, "meeting_cancelled", "A cancelled meeting's agenda cannot be published.");
    if (!m.agenda_published) {
      m.agenda_published = true;
      MeetingStore(db).save(m, actor.audit_name);
    }
    return std::optional<Meeting>(m);
  });
}

}  // namespace probity
