#pragma once
// An interest first declared at a meeting, as the member declares it on the register: what was
// said opens the interest form pre-filled (nature, and the meeting's date as the date they became
// aware of it), and the interest saved from that form is linked to the declaration, so the
// 28-day clock the meeting started (model/register/declaration_year.hpp, declared_at_meeting)
// stops. docs/meeting-rules.md says what else answers it.
#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>

#include "model/base/fields.hpp"
#include "model/meetings/meeting_records.hpp"

namespace probity {

/// What the member said at a meeting, with the meeting, for the pre-filled form.
struct DeclarationAtMeeting {
  MeetingDeclaration declaration;
  Meeting meeting;
};

/// The declaration `declaration_id` made by person `person_id` at a meeting that was not
/// cancelled, or nullopt (no such declaration, or someone else's). Throws SQLite::Exception.
std::optional<DeclarationAtMeeting> own_meeting_declaration(SQLite::Database& db, Id person_id, Id declaration_id);

/// The interest form's opening fields for the declaration: `nature` from what was said,
/// `aware_on` the meeting's date, and `meeting_declaration_id`, which links what is declared.
Fields interest_fields_from_meeting(const DeclarationAtMeeting& d);

/// Links the declaration `declaration_id` (person `person_id`'s own, not yet linked to an
/// interest) to the interest `interest_id` just declared: a new version of the declaration, with
/// an audit row. False, with nothing written, when it is not theirs or is already linked. Must
/// run inside the interest's WriteTransaction. Throws SQLite::Exception.
bool link_meeting_declaration(SQLite::Database& db, Id person_id, Id declaration_id, Id interest_id, const std::string& actor);

}  // namespace probity
