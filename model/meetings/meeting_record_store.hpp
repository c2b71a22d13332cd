#pragma once
// Stores for what is recorded at a meeting (migration 0003), built on VersionedStore so every
// change is a new version with an audit row. Each store checks validation_error() before writing.
#include <stdexcept>

#include "model/meetings/meeting_records.hpp"
#include "model/store/versioned_store.hpp"

namespace probity {

template <>
struct EntityTraits<ConflictDecision> {
  static constexpr const char* kind = "conflict_decision";
  static constexpr const char* table = "conflict_decisions";
  static constexpr const char* versions = "conflict_decision_versions";
  static constexpr const char* id_column = "conflict_decision_id";
  static constexpr const char* view = "conflict_decision_current";
  static constexpr const char* columns = "meeting_id, agenda_item_id, person_id, action, reason, decided_by";
  static constexpr int column_count = 6;
  static void bind(SQLite::Statement& s, int i, const ConflictDecision& e) {
    s.bind(i, e.meeting_id);
    s.bind(i + 1, e.agenda_item_id);
    s.bind(i + 2, e.person_id);
    s.bind(i + 3, std::string(to_string(e.action)));
    s.bind(i + 4, e.reason);
    s.bind(i + 5, e.decided_by);
  }
  static ConflictDecision read(SQLite::Statement& s) {
    return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64(), s.getColumn(3).getInt64(),
            s.getColumn(4).getInt64(), sqlcol::enumv<ManagementAction>(s.getColumn(5)), s.getColumn(6).getString(),
            s.getColumn(7).getString()};
  }
};

template <>
struct EntityTraits<MeetingDeclaration> {
  static constexpr const char* kind = "meeting_declaration";
  static constexpr const char* table = "meeting_declarations";
  static constexpr const char* versions = "meeting_declaration_versions";
  static constexpr const char* id_column = "meeting_declaration_id";
  static constexpr const char* view = "meeting_declaration_current";
  static constexpr const char* columns = "meeting_id, agenda_item_id, person_id, text, interest_id";
  static constexpr int column_count = 5;
  static void bind(SQLite::Statement& s, int i, const MeetingDeclaration& e) {
    s.bind(i, e.meeting_id);
    sqlcol::bind_opt(s, i + 1, e.agenda_item_id);
    s.bind(i + 2, e.person_id);
    s.bind(i + 3, e.text);
    sqlcol::bind_opt(s, i + 4, e.interest_id);
  }
  static MeetingDeclaration read(SQLite::Statement& s) {
    return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64(),
            sqlcol::opt_id(s.getColumn(3)), s.getColumn(4).getInt64(), s.getColumn(5).getString(),
            sqlcol::opt_id(s.getColumn(6))};
  }
};

template <>
struct EntityTraits<RoomMovement> {
  static constexpr const char* kind = "room_movement";
  static constexpr const char* table = "room_movements";
  static constexpr const char* versions = "room_movement_versions";
  static constexpr const char* id_column = "room_movement_id";
  static constexpr const char* view = "room_movement_current";
  static constexpr const char* columns = "meeting_id, person_id, agenda_item_id, left_at, returned_at";
  static constexpr int column_count = 5;
  static void bind(SQLite::Statement& s, int i, const RoomMovement& e) {
    s.bind(i, e.meeting_id);
    s.bind(i + 1, e.person_id);
    sqlcol::bind_opt(s, i + 2, e.agenda_item_id);
    s.bind(i + 3, e.left_at);
    if (e.returned_at) s.bind(i + 4, *e.returned_at); else s.bind(i + 4);
  }
  static RoomMovement read(SQLite::Statement& s) {
    auto returned = s.getColumn(6);
    return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64(), s.getColumn(3).getInt64(),
            sqlcol::opt_id(s.getColumn(4)), s.getColumn(5).getString(),
            returned.isNull() ? std::nullopt : std::optional<std::string>(returned.getString())};
  }
};

template <>
struct EntityTraits<Breach> {
  static constexpr const char* kind = "breach";
  static constexpr const char* table = "breaches";
  static constexpr const char* versions = "breach_versions";
  static constexpr const char* id_column = "breach_id";
  static constexpr const char* view = "breach_current";
  static constexpr const char* columns =
      "person_id, meeting_id, agenda_item_id, reason, status, resolution, kind, happened_on, found_by, action_taken, lessons, "
      "public_summary, public_action, public_lessons, guardian_note";
  static constexpr int column_count = 15;
  static void bind(SQLite::Statement& s, int i, const Breach& e) {
    s.bind(i, e.person_id);
    sqlcol::bind_opt(s, i + 1, e.meeting_id ? std::optional<Id>(e.meeting_id) : std::nullopt);
    sqlcol::bind_opt(s, i + 2, e.agenda_item_id);
    s.bind(i + 3, e.reason);
    s.bind(i + 4, std::string(to_string(e.status)));
    s.bind(i + 5, e.resolution);
    s.bind(i + 6, std::string(to_string(e.kind)));
    sqlcol::bind_opt(s, i + 7, e.happened_on);
    s.bind(i + 8, std::string(to_string(e.found_by)));
    s.bind(i + 9, e.action_taken);
    s.bind(i + 10, e.lessons);
    s.bind(i + 11, e.public_summary);
    s.bind(i + 12, e.public_action);
    s.bind(i + 13, e.public_lessons);
    s.bind(i + 14, e.guardian_note);
  }
  static Breach read(SQLite::Statement& s) {
    return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64(),
            sqlcol::opt_id(s.getColumn(3)).value_or(0), sqlcol::opt_id(s.getColumn(4)), s.getColumn(5).getString(),
            sqlcol::enumv<BreachStatus>(s.getColumn(6)), s.getColumn(7).getString(), sqlcol::enumv<BreachKind>(s.getColumn(8)),
            sqlcol::opt_date(s.getColumn(9)), sqlcol::enumv<BreachFoundBy>(s.getColumn(10)), s.getColumn(11).getString(),
            s.getColumn(12).getString(), s.getColumn(13).getString(), s.getColumn(14).getString(), s.getColumn(15).getString(),
            s.getColumn(16).getString()};
  }
};

/// The chair's decisions: at most one current decision per (agenda item, person); a changed
/// decision is a new version of the same record, so the minutes' history is kept.
class ConflictDecisionStore : public VersionedStore<ConflictDecision> {
 public:
  using VersionedStore::VersionedStore;
  /// Every current decision for the meeting's items.
  std::vector<ConflictDecision> for_meeting(Id meeting_id) const;
  /// The current decision for this person on this item, or nullopt.
  std::optional<ConflictDecision> find_by_key(Id agenda_item_id, Id person_id) const;
  /// Records the decision as a new version of the one for its (item, person), or a new record.
  /// Must run inside a WriteTransaction. Throws std::invalid_argument with validation_error()'s
  /// message, and SQLite::Exception for an unknown meeting, item or person.
  SaveResult record(ConflictDecision& decision, const std::string& actor);
};

/// Declarations made at meetings.
class MeetingDeclarationStore : public VersionedStore<MeetingDeclaration> {
 public:
  using VersionedStore::VersionedStore;
  /// Every declaration made at the meeting, in the order recorded.
  std::vector<MeetingDeclaration> for_meeting(Id meeting_id) const;
  /// Saves the declaration inside a WriteTransaction. Throws std::invalid_argument when invalid.
  SaveResult record(MeetingDeclaration& declaration, const std::string& actor);
};

/// Whether anything was recorded at the meeting against this agenda item (a declaration, a
/// decision, a movement or a breach); such an item stays on the agenda, as the minutes cite it.
bool agenda_item_has_records(SQLite::Database& db, Id agenda_item_id);

/// People leaving and returning to the room.
class RoomMovementStore : public VersionedStore<RoomMovement> {
 public:
  using VersionedStore::VersionedStore;
  /// Every movement at the meeting, in the order recorded.
  std::vector<RoomMovement> for_meeting(Id meeting_id) const;
  /// Saves the movement (a return is a new version) inside a WriteTransaction. Throws
  /// std::invalid_argument when the times are invalid.
  SaveResult record(RoomMovement& movement, const std::string& actor);
};

/// The breaches register.
class BreachStore : public VersionedStore<Breach> {
 public:
  using VersionedStore::VersionedStore;
  std::vector<Breach> for_meeting(Id meeting_id) const;
  std::vector<Breach> for_person(Id person_id) const;
  /// Every breach with this status, in id order.
  std::vector<Breach> with_status(BreachStatus status) const;
  /// Saves the breach inside a WriteTransaction. Throws std::invalid_argument when invalid.
  SaveResult record(Breach& breach, const std::string& actor);
  /// Opens a draft breach unless one already exists for the same meeting, item and person (any
  /// status: a dismissed breach is not reopened by re-running the check). Returns the breach
  /// recorded or found. Must run inside a WriteTransaction; throws std::invalid_argument when invalid.
  Breach open_once(Breach breach, const std::string& actor);
};

}  // namespace probity
