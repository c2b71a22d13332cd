#pragma once
// Changes to a meeting's agenda, shared by the manage page and the API: add an item, edit it (a
// new version; the brief and quorum follow at once), withdraw it, put the items in a new order.
// As every meeting change (meeting_actions.hpp), each runs its checks inside its write
// transaction, answers field mistakes with Problems and refuses the whole change with
// MeetingRefused.
#include <SQLiteCpp/SQLiteCpp.h>

#include <vector>

#include "model/meetings/meeting_actions.hpp"

namespace probity {

/// The item on the meeting's agenda (withdrawn ones are no longer on it); MeetingRefused
/// not_found otherwise. Throws SQLite::Exception if the database fails.
AgendaItem agenda_item_or_refuse(SQLite::Database& db, const Meeting& meeting, Id item_id);

/// Adds an item at the end of the agenda: `title` (required, at most kShortTextMax characters),
/// `description` (at most kLongTextMax), `category` (other when empty), the organisations it
/// concerns (each on the register; see FieldLayout) and `affects_all_gp_practices` (yes, no, or
/// empty or "default" for the category's default). MeetingRefused as editable_meeting. Throws
/// SQLite::Exception if the database fails.
Result<AgendaItem> add_agenda_item(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, const Fields& in,
                                   FieldLayout layout);

/// Writes a new version of the item from the same fields as add_agenda_item; its place on the
/// agenda is kept. MeetingRefused as editable_meeting, and not_found for an item not on the
/// agenda. Throws SQLite::Exception if the database fails.
Result<AgendaItem> edit_agenda_item(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, Id item_id, const Fields& in,
                                    FieldLayout layout);

/// Takes the item off the agenda (a new version marked withdrawn; its history stays).
/// MeetingRefused as edit_agenda_item, and conflict `item_has_records` for an item that the
/// meeting's records cite (declarations, decisions, movements, breaches): it stays on the agenda.
/// Throws SQLite::Exception if the database fails.
Result<AgendaItem> withdraw_agenda_item(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, Id item_id);

/// Puts the agenda in a new order and returns it: from a JSON body `item_ids`, every item once;
/// from the page's form `item_id` moved one place in `direction` (up or down). MeetingRefused as
/// editable_meeting. Throws SQLite::Exception if the database fails.
Result<std::vector<AgendaItem>> reorder_agenda(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, const Fields& in,
                                               FieldLayout layout);

}  // namespace probity
