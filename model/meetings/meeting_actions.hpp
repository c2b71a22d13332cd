#pragma once
// What the chair, the vice-chair or the governance team does to a meeting, as actions that a page
// and its API twin share: create it, set who attends, mark it held, publish its minutes; and the
// pieces every meeting change stands on (meeting_agenda_actions.hpp changes the agenda,
// meeting_record_actions.hpp records what happened at the meeting). Each action takes the
// submitted Fields and who is acting, and makes every check inside its write transaction: that
// the meeting exists, that the actor may manage its committee, that its minutes are not yet
// published, and that the fields are right, so a publish or a change of chair that commits first
// is seen. A field's mistake comes back as Problems in the Result, with nothing written; a
// refusal of the whole action is a MeetingRefused. Nothing here knows about HTTP.
#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/meetings/chair_rights.hpp"
#include "model/meetings/conflicts_report.hpp"
#include "model/store/database.hpp"
#include "model/store/entities.hpp"
#include "model/base/fields.hpp"
#include "model/meetings/meeting_records.hpp"
#include "model/base/problems.hpp"

namespace probity {

/// Why a meeting action was refused as a whole rather than for one field: the meeting or the
/// record named does not exist (not_found), the actor may not make the change (forbidden), or the
/// meeting's state rules it out (conflict: its minutes are published, it was not held, ...). The
/// server answers 404, 403 or 409, with `code` and the message.
struct MeetingRefused : std::runtime_error {
  enum class Kind { not_found, forbidden, conflict };
  Kind kind;
  std::string code;  // "not_found", "forbidden", or the conflict's: meeting_published, meeting_not_held, ...
  MeetingRefused(Kind kind_, std::string code_, const std::string& message)
      : std::runtime_error(message), kind(kind_), code(std::move(code_)) {}
};

/// How a submission laid out its fields, where a page's form and the API differ. The manage page
/// sends attendance as `status_<person id>` for each person listed (plus `add_person_id` and
/// `add_status`), picks an item's organisations in three selects (`organisation_1` to
/// `organisation_3`) and moves one item up or down (`item_id`, `direction`); a JSON body sends one
/// person's attendance (`person_id`, `status`), the organisations as `organisation_ids` and the
/// whole new order as `item_ids` (each a list of ids joined with commas: Fields::ids).
enum class FieldLayout { page_form, json_body };

/// Who may read the withheld details in a meeting's check: only the governance team.
ReportAudience report_audience(const MeetingActor& actor);

/// The meeting `meeting_id` as it stands, for a change by `actor`. MeetingRefused not_found when
/// there is no such meeting, forbidden when the actor may not manage its committee today
/// (may_manage_meetings), conflict `meeting_published` once its minutes are public: the published
/// record is what people read. Must run inside the change's WriteTransaction, which holds the
/// write lock from its BEGIN, so the answer stands until the change commits. Throws
/// SQLite::Exception if the database fails.
Meeting editable_meeting(SQLite::Database& db, const MeetingActor& actor, Id meeting_id);

/// Runs one change to the meeting in a write transaction: editable_meeting, then
/// `change(meeting, problems)`, which reads the submitted fields into `problems` and, when there
/// are none, writes and returns what it saved. Commits only then; with problems, nothing is
/// written. MeetingRefused as editable_meeting.
template <typename T, typename Change>
Result<T> change_meeting(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, Change&& change) {
  WriteTransaction tx(db);
  Problems problems;
  std::optional<T> saved = change(editable_meeting(db, actor, meeting_id), problems);
  if (!problems.empty()) return {std::nullopt, problems};
  tx.commit();
  return {saved, {}};
}

/// The meeting, or MeetingRefused not_found. Throws SQLite::Exception if the database fails.
Meeting meeting_or_refuse(SQLite::Database& db, Id meeting_id);

/// MeetingRefused conflict `meeting_published` once the meeting's minutes are public.
void require_unpublished(const Meeting& meeting);

/// Committees in common: MeetingRefused conflict `shares_agenda` for a meeting that shares its
/// lead meeting's agenda and attendance (they are changed on the lead meeting), naming the lead's
/// committee. Throws SQLite::Exception if the database fails.
void require_own_agenda(SQLite::Database& db, const Meeting& meeting);

/// The people who may be named in the meeting's records: members in post on the meeting date and
/// people on its attendance list and co-opted members, by id. Throws SQLite::Exception if the database fails.
std::map<Id, Person> meeting_people(SQLite::Database& db, const Meeting& meeting);

/// Creates a meeting of `committee_id` ("Select the committee" unless it names one), with
/// `title` (required, at most kShortTextMax characters), `date` (YYYY-MM-DD), `start_time`
/// (optional, "HH:MM" on the 24-hour clock; "9:30" is read as 09:30) and `location` (at most
/// kShortTextMax). MeetingRefused forbidden when the actor manages no committee's meetings,
/// or when the committee named is not one of theirs. Throws SQLite::Exception if the database
/// fails.
Result<Meeting> create_meeting(SQLite::Database& db, const MeetingActor& actor, const Fields& in);

/// Sets who attends the meeting and returns the attendance rows written. A JSON body names one
/// person on the register (`person_id`) and a `status` (expected, present, apologies, absent);
/// the page's form sends a status per person listed, leaving without a row a member who stays
/// expected, and may add someone from the register as an attendee (`add_person_id`, `add_status`,
/// expected when empty). MeetingRefused as editable_meeting. Throws SQLite::Exception if the
/// database fails.
Result<std::vector<Attendance>> set_attendance(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, const Fields& in,
                                               FieldLayout layout);

/// Holds the meeting `meeting_id` in common with another committee: creates a meeting
/// of `committee_id` on the same date, start time and place, with the same title, sharing the
/// meeting's agenda and attendance (`in_common_with`: the meeting itself, or its lead when it
/// already follows one). Problems on `committee_id`: "Select the committee" unless it names one;
/// the meeting's own committee; a committee already in the group. MeetingRefused as
/// editable_meeting, forbidden unless the actor may also manage the other committee's meetings,
/// conflict `meeting_cancelled` for a cancelled meeting. Throws SQLite::Exception if the database
/// fails.
Result<Meeting> hold_in_common(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, const Fields& in);

/// A meeting just marked held and the draft breaches that opened (open_draft_breaches): one for
/// each person with a certain conflict who declared nothing, worded as the actor may read it.
struct HeldMeeting {
  Meeting meeting;
  std::vector<Breach> breaches;
};

/// Marks the meeting held and opens its draft breaches (again, it opens no second breach).
/// MeetingRefused as editable_meeting, and conflict `meeting_cancelled` for a cancelled meeting.
/// Throws SQLite::Exception if the database fails.
Result<HeldMeeting> mark_held(SQLite::Database& db, const MeetingActor& actor, Id meeting_id);

/// Publishes the meeting's agenda: the public list of meetings (/meetings) and the meeting's page
/// then show it with its agenda items (titles and descriptions only; never the conflicts, the
/// brief or anything recorded at the meeting until the minutes are published). Publishing it
/// again changes nothing. MeetingRefused as editable_meeting (so not once the minutes are
/// published: they already show the agenda), and conflict `meeting_cancelled` for a cancelled
/// meeting. Throws SQLite::Exception if the database fails.
Result<Meeting> publish_agenda(SQLite::Database& db, const MeetingActor& actor, Id meeting_id);

/// Publishes the meeting's minutes: after the meeting, once what happened there is recorded.
/// MeetingRefused as editable_meeting, and conflict `meeting_not_held` unless it is marked held.
/// Throws SQLite::Exception if the database fails.
Result<Meeting> publish_meeting(SQLite::Database& db, const MeetingActor& actor, Id meeting_id);

}  // namespace probity
