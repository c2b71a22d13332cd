#include "model/meetings/meeting_record_store.hpp"

namespace probity {
namespace {
template <typename T>
void require_valid(const T& entity) {
  if (auto error = validation_error(entity)) throw std::invalid_argument(*error);
}
auto by_meeting(Id meeting_id) {
  return [meeting_id](SQLite::Statement& s) { s.bind(1, meeting_id); };
}
}  // namespace

std::vector<ConflictDecision> ConflictDecisionStore::for_meeting(Id meeting_id) const {
  return select("WHERE meeting_id = ?", by_meeting(meeting_id));
}

std::optional<ConflictDecision> ConflictDecisionStore::find_by_key(Id agenda_item_id, Id person_id) const {
  auto rows = select("WHERE agenda_item_id = ? AND person_id = ?", [&](SQLite::Statement& s) {
    s.bind(1, agenda_item_id);
    s.bind(2, person_id);
  });
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

SaveResult ConflictDecisionStore::record(ConflictDecision& decision, const std::string& actor) {
  require_valid(decision);
  // The (item, person) pair is the natural key: a later decision supersedes the earlier one as
  // its next version. BEGIN IMMEDIATE makes this find-then-write safe against a second writer.
  require_transaction(db_);
  if (auto existing = find_by_key(decision.agenda_item_id, decision.person_id)) decision.id = existing->id;
  return save(decision, actor);
}

std::vector<MeetingDeclaration> MeetingDeclarationStore::for_meeting(Id meeting_id) const {
  return select("WHERE meeting_id = ?", by_meeting(meeting_id));
}

SaveResult MeetingDeclarationStore::record(MeetingDeclaration& declaration, const std::string& actor) {
  require_valid(declaration);
  return save(declaration, actor);
}

std::vector<RoomMovement> RoomMovementStore::for_meeting(Id meeting_id) const {
  return select("WHERE meeting_id = ?", by_meeting(meeting_id));
}

SaveResult RoomMovementStore::record(RoomMovement& movement, const std::string& actor) {
  require_valid(movement);
  return save(movement, actor);
}

std::vector<Breach> BreachStore::for_meeting(Id meeting_id) const {
  return select("WHERE meeting_id = ?", by_meeting(meeting_id));
}

std::vector<Breach> BreachStore::for_person(Id person_id) const {
  return select("WHERE person_id = ?", [&](SQLite::Statement& s) { s.bind(1, person_id); });
}

std::vector<Breach> BreachStore::with_status(BreachStatus status) const {
  return select("WHERE status = ?", [&](SQLite::Statement& s) { s.bind(1, std::string(to_string(status))); });
}

SaveResult BreachStore::record(Breach& breach, const std::string& actor) {
  require_valid(breach);
  return save(breach, actor);
}

Breach BreachStore::open_once(Breach breach, const std::string& actor) {
  require_valid(breach);
  require_transaction(db_);
  auto rows = select("WHERE meeting_id = ? AND person_id = ? AND agenda_item_id IS ?", [&](SQLite::Statement& s) {
    s.bind(1, breach.meeting_id);
    s.bind(2, breach.person_id);
    sqlcol::bind_opt(s, 3, breach.agenda_item_id);
  });
  if (!rows.empty()) return rows.front();
  breach.id = 0;
  breach.status = BreachStatus::open;
  breach.resolution.clear();
  save(breach, actor);
  return breach;
}

bool agenda_item_has_records(SQLite::Database& db, Id agenda_item_id) {
  SQLite::Statement q(db,
                      "SELECT EXISTS (SELECT 1 FROM conflict_decision_current WHERE agenda_item_id = ?1)"
                      " OR EXISTS (SELECT 1 FROM meeting_declaration_current WHERE agenda_item_id = ?1)"
                      " OR EXISTS (SELECT 1 FROM room_movement_current WHERE agenda_item_id = ?1)"
                      " OR EXISTS (SELECT 1 FROM breach_current WHERE agenda_item_id = ?1)");
  q.bind(1, agenda_item_id);
  q.executeStep();
  return q.getColumn(0).getInt() != 0;
}

}  // namespace probity
