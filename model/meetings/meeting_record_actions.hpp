#pragma once
// Recording what happens at a meeting, shared by the page used at the meeting and the API: a
// declaration, the chair's decision on a conflict, someone leaving or coming back into the room;
// and, afterwards, the governance team confirming or dismissing a draft breach. As every meeting
// change (meeting_actions.hpp), each runs its checks inside its write transaction, answers field
// mistakes with Problems and refuses the whole change with MeetingRefused.
#include <SQLiteCpp/SQLiteCpp.h>

#include "model/meetings/meeting_actions.hpp"

namespace probity {

/// Records a declaration by `person_id` (a member or attendee of the meeting: meeting_people),
/// for `agenda_item_id` (an item of the meeting) or, when empty, the whole meeting: `text`
/// (required, at most kLongTextMax characters, as the minutes will say it) and `interest_id`
/// (optional: one of that person's registered interests). MeetingRefused as editable_meeting.
/// Throws SQLite::Exception if the database fails.
Result<MeetingDeclaration> record_declaration(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, const Fields& in);

/// Records the chair's decision on how the conflict of `person_id` on `agenda_item_id` is managed
/// (`action`), by `decided_by` (required, at most kShortTextMax), with `reason` (at most
/// kLongTextMax) required when the action departs from the suggestion for that person and item
/// (missing_reason, on the flags as the actor may read them). A later decision for the same
/// person and item is a new version of it. MeetingRefused as editable_meeting. Throws
/// SQLite::Exception if the database fails.
Result<ConflictDecision> record_decision(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, const Fields& in);

/// Records someone leaving the room (`person_id`, `agenda_item_id` optional, `left_at` HH:MM,
/// `returned_at` optional) or, given `movement_id` (a movement at this meeting), their return
/// (`returned_at` required, not before they left). MeetingRefused as editable_meeting. Throws
/// SQLite::Exception if the database fails.
Result<RoomMovement> record_movement(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, const Fields& in);

/// The governance team confirms or dismisses a breach: `status` (confirmed or dismissed) and
/// `resolution` (required, at most kLongTextMax: why). MeetingRefused forbidden for anyone else,
/// not_found when there is no such breach. Throws SQLite::Exception if the database fails.
Result<Breach> resolve_breach(SQLite::Database& db, const MeetingActor& actor, Id breach_id, const Fields& in);

}  // namespace probity
