#pragma once
// Members co-opted from another body (a neighbouring ICB, NHS England) as voting members for one
// meeting or one agenda item, so that an item left inquorate by exclusions can still be decided
// (guidance: "co-opt unconflicted members"). A co-opted member is a person on the register, so
// their registered interests and what they declare at the meeting are checked like anyone's.
#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/base/fields.hpp"
#include "model/base/problems.hpp"
#include "model/store/entity_traits.hpp"
#include "model/store/versioned_store.hpp"

namespace probity {

struct MeetingActor;

struct CoOptedMember {
  Id id = 0;
  std::string ref;
  Id meeting_id = 0;
  std::optional<Id> agenda_item_id;  // nullopt: a voting member for the whole meeting
  Id person_id = 0;
  std::string from_body;             // the body they come from, as the minutes name it
  bool stood_down = false;           // recorded in error or no longer co-opted (kept for the record)
  bool operator==(const CoOptedMember&) const = default;
};

template <>
struct EntityTraits<CoOptedMember> {
  static constexpr const char* kind = "co_opted_member";
  static constexpr const char* table = "co_opted_members";
  static constexpr const char* versions = "co_opted_member_versions";
  static constexpr const char* id_column = "co_opted_member_id";
  static constexpr const char* view = "co_opted_member_current";
  static constexpr const char* columns = "meeting_id, agenda_item_id, person_id, from_body, stood_down";
  static constexpr int column_count = 5;
  static void bind(SQLite::Statement& s, int i, const CoOptedMember& e) {
    s.bind(i, e.meeting_id);
    sqlcol::bind_opt(s, i + 1, e.agenda_item_id);
    s.bind(i + 2, e.person_id);
    s.bind(i + 3, e.from_body);
    s.bind(i + 4, e.stood_down ? 1 : 0);
  }
  static CoOptedMember read(SQLite::Statement& s) {
    return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64(), sqlcol::opt_id(s.getColumn(3)),
            s.getColumn(4).getInt64(), s.getColumn(5).getString(), s.getColumn(6).getInt() != 0};
  }
};

class CoOptedMemberStore : public VersionedStore<CoOptedMember> {
 public:
  using VersionedStore::VersionedStore;
  /// The meeting's co-opted members who have not stood down, in the order recorded.
  std::vector<CoOptedMember> for_meeting(Id meeting_id) const {
    return select("WHERE meeting_id = ? AND stood_down = 0", [&](SQLite::Statement& s) { s.bind(1, meeting_id); });
  }
};

/// True when `c` is a voting member for `agenda_item_id`: co-opted for the whole meeting or for
/// that item.
constexpr bool co_opted_for(const CoOptedMember& c, Id agenda_item_id) {
  return !c.stood_down && (!c.agenda_item_id || *c.agenda_item_id == agenda_item_id);
}

/// Co-opts `person_id` (anyone on the register who has not left and is not already a voting
/// member of the committee on the meeting date) from `from_body` (required, at most
/// kShortTextMax) for `agenda_item_id` (an item of the meeting) or, when empty, the whole
/// meeting. Co-opting the same person again for the same scope is refused as a field problem.
/// MeetingRefused as editable_meeting. Throws SQLite::Exception if the database fails.
Result<CoOptedMember> co_opt_member(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, const Fields& in);

/// Stands down the co-opted member `co_opted_id` of this meeting (a new version; the record is
/// kept). MeetingRefused as editable_meeting, not_found for a co-opted member of another meeting.
/// Throws SQLite::Exception if the database fails.
CoOptedMember stand_down_co_opted(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, Id co_opted_id);

void to_json(nlohmann::json& j, const CoOptedMember& e);

}  // namespace probity
