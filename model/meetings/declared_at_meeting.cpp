#include "model/meetings/declared_at_meeting.hpp"

#include "model/meetings/meeting_record_store.hpp"
#include "model/meetings/meeting_store.hpp"

namespace probity {

std::optional<DeclarationAtMeeting> own_meeting_declaration(SQLite::Database& db, Id person_id, Id declaration_id) {
  auto d = MeetingDeclarationStore(db).find(declaration_id);
  if (!d || d->person_id != person_id) return std::nullopt;
  auto m = MeetingStore(db).find(d->meeting_id);
  if (!m || m->status == MeetingStatus::cancelled) return std::nullopt;
  return DeclarationAtMeeting{*d, *m};
}

Fields interest_fields_from_meeting(const DeclarationAtMeeting& d) {
  Fields f;
  f.set("nature", d.declaration.text);
  f.set("aware_on", d.meeting.date.iso());
  f.set("meeting_declaration_id", std::to_string(d.declaration.id));
  return f;
}

bool link_meeting_declaration(SQLite::Database& db, Id person_id, Id declaration_id, Id interest_id, const std::string& actor) {
  auto d = own_meeting_declaration(db, person_id, declaration_id);
  if (!d || d->declaration.interest_id) return false;
  MeetingDeclaration linked = d->declaration;
  linked.interest_id = interest_id;
  MeetingDeclarationStore(db).record(linked, actor);
  return true;
}

}  // namespace probity
