#pragma once
// What the minutes must say about how an item was handled beyond each person's conflict: the
// remedy chosen when exclusions left it inquorate (defer, refer, co-opt, conflicts panel), who
// presided, and where any independent clinical input came from (guidance: decisions affecting
// all practices rely on lay and executive members or independent clinical input; "record where
// that input came from"). One record per agenda item; a change is its next version.
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

struct ItemOutcome {
  Id id = 0;
  std::string ref;
  Id meeting_id = 0;
  Id agenda_item_id = 0;
  std::string remedy;               // a guidance_remedies() code, or empty when none was needed
  std::string presided_by;          // as the minutes name them; empty: as the brief said
  std::string clinical_input_by;    // independent clinical input: who (empty when none)
  std::string clinical_input_from;  // ... and where from (another area, a hospital trust)
  bool operator==(const ItemOutcome&) const = default;
};

template <>
struct EntityTraits<ItemOutcome> {
  static constexpr const char* kind = "item_outcome";
  static constexpr const char* table = "item_outcomes";
  static constexpr const char* versions = "item_outcome_versions";
  static constexpr const char* id_column = "item_outcome_id";
  static constexpr const char* view = "item_outcome_current";
  static constexpr const char* columns = "meeting_id, agenda_item_id, remedy, presided_by, clinical_input_by, clinical_input_from";
  static constexpr int column_count = 6;
  static void bind(SQLite::Statement& s, int i, const ItemOutcome& e) {
    s.bind(i, e.meeting_id);
    s.bind(i + 1, e.agenda_item_id);
    s.bind(i + 2, e.remedy);
    s.bind(i + 3, e.presided_by);
    s.bind(i + 4, e.clinical_input_by);
    s.bind(i + 5, e.clinical_input_from);
  }
  static ItemOutcome read(SQLite::Statement& s) {
    return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64(), s.getColumn(3).getInt64(),
            s.getColumn(4).getString(),  s.getColumn(5).getString(), s.getColumn(6).getString(), s.getColumn(7).getString()};
  }
};

class ItemOutcomeStore : public VersionedStore<ItemOutcome> {
 public:
  using VersionedStore::VersionedStore;
  std::vector<ItemOutcome> for_meeting(Id meeting_id) const {
    return select("WHERE meeting_id = ?", [&](SQLite::Statement& s) { s.bind(1, meeting_id); });
  }
  std::optional<ItemOutcome> for_item(Id agenda_item_id) const {
    auto rows = select("WHERE agenda_item_id = ?", [&](SQLite::Statement& s) { s.bind(1, agenda_item_id); });
    if (rows.empty()) return std::nullopt;
    return rows.front();
  }
};

/// Plain-English label of a remedy code ("co_opt" -> "Co-opted members"); the code itself when unknown.
std::string remedy_label(const std::string& code);

/// Records how `agenda_item_id` (an item of the meeting) was handled: `remedy` (empty, or one of
/// the guidance's: defer, refer, co_opt, conflicts_panel), `presided_by`, `clinical_input_by`
/// and `clinical_input_from` (each at most kShortTextMax; who gave clinical input and where from
/// go together). A later record for the same item is its next version. MeetingRefused as
/// editable_meeting. Throws SQLite::Exception if the database fails.
Result<ItemOutcome> record_item_outcome(SQLite::Database& db, const MeetingActor& actor, Id meeting_id, const Fields& in);

void to_json(nlohmann::json& j, const ItemOutcome& e);

}  // namespace probity
