#pragma once
// The register of procurement decisions (migration 0017): for each decision to commission or
// award, what was bought, the route, who decided (body, committee, meeting, item, date), the
// provider chosen, the value where it is published, who took part, the conflicts declared and
// how each was managed, the quorum and the remedy when an item was inquorate. A row is drafted
// when a meeting with a procurement or contract item is marked held (once per item), or added by
// hand for a decision taken outside a meeting; governance completes and publishes it. Every
// change is a new version with an audit row (model/store/versioned_store.hpp).
//
// A row drafted from a meeting keeps no copy of what was recorded there: its participants,
// conflicts, quorum and remedy are read from the meeting's records each time, so the register
// stays in step with the minutes. Such a row is published only once the minutes are.
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/base/fields.hpp"
#include "model/base/problems.hpp"
#include "model/meetings/meeting_actions.hpp"
#include "model/register/publication_rules.hpp"
#include "model/store/entity_traits.hpp"
#include "model/store/versioned_store.hpp"

namespace probity {

struct ProcurementDecision {
  Id id = 0;
  std::string ref;
  std::string subject;     // the contract or service bought
  std::string route;       // a procurement_routes() code, or empty until governance records it
  std::string decided_by;  // the body or committee, or who under delegated authority
  std::optional<Id> meeting_id;      // nullopt: decided outside a meeting
  std::optional<Id> agenda_item_id;  // the item it was decided at
  std::optional<Date> decided_on;
  std::optional<std::int64_t> value_pence;  // nullopt: the value is not published
  std::string provider;                     // the provider chosen
  std::string participants;                 // outside a meeting: who took part, one a line
  std::string conflicts;                    // outside a meeting: the conflicts and how each was managed
  std::string status = "draft";             // draft or published
  bool operator==(const ProcurementDecision&) const = default;
};

template <>
struct EntityTraits<ProcurementDecision> {
  static constexpr const char* kind = "procurement_decision";
  static constexpr const char* table = "procurement_decisions";
  static constexpr const char* versions = "procurement_decision_versions";
  static constexpr const char* id_column = "procurement_decision_id";
  static constexpr const char* view = "procurement_decision_current";
  static constexpr const char* columns =
      "subject, route, decided_by, meeting_id, agenda_item_id, decided_on, value_pence, provider, participants, conflicts, status";
  static constexpr int column_count = 11;
  static void bind(SQLite::Statement& s, int i, const ProcurementDecision& e) {
    s.bind(i, e.subject);
    s.bind(i + 1, e.route);
    s.bind(i + 2, e.decided_by);
    sqlcol::bind_opt(s, i + 3, e.meeting_id);
    sqlcol::bind_opt(s, i + 4, e.agenda_item_id);
    sqlcol::bind_opt(s, i + 5, e.decided_on);
    if (e.value_pence) s.bind(i + 6, *e.value_pence); else s.bind(i + 6);
    s.bind(i + 7, e.provider);
    s.bind(i + 8, e.participants);
    s.bind(i + 9, e.conflicts);
    s.bind(i + 10, e.status);
  }
  static ProcurementDecision read(SQLite::Statement& s) {
    auto value = s.getColumn(8);
    return {s.getColumn(0).getInt64(),
            s.getColumn(1).getString(),
            s.getColumn(2).getString(),
            s.getColumn(3).getString(),
            s.getColumn(4).getString(),
            sqlcol::opt_id(s.getColumn(5)),
            sqlcol::opt_id(s.getColumn(6)),
            sqlcol::opt_date(s.getColumn(7)),
            value.isNull() ? std::nullopt : std::optional<std::int64_t>(value.getInt64()),
            s.getColumn(9).getString(),
            s.getColumn(10).getString(),
            s.getColumn(11).getString(),
            s.getColumn(12).getString()};
  }
};

class ProcurementDecisionStore : public VersionedStore<ProcurementDecision> {
 public:
  using VersionedStore::VersionedStore;
  /// The row drafted from this agenda item, or nullopt.
  std::optional<ProcurementDecision> for_item(Id agenda_item_id) const {
    auto rows = select("WHERE agenda_item_id = ?", [&](SQLite::Statement& s) { s.bind(1, agenda_item_id); });
    if (rows.empty()) return std::nullopt;
    return rows.front();
  }
};

/// The record as the audit log and the governance API keep it: every field, codes as stored.
void to_json(nlohmann::json& j, const ProcurementDecision& e);

/// The procurement routes, {code, label}, in the order the form offers them.
const std::vector<std::pair<std::string, std::string>>& procurement_routes();
/// "Direct award" for "direct_award"; "Not recorded yet" for the empty code. Throws nothing.
std::string procurement_route_label(std::string_view code);
/// True for the agenda categories whose items are procurement or contract decisions: procurement,
/// GP contracts, enhanced services, local incentive schemes, pharmacy, dental and optometry
/// services, practice mergers. Throws nothing.
bool is_procurement_category(AgendaCategory category);

/// Opens a draft row for each of the meeting's agenda items (not withdrawn) whose category is a
/// procurement one and which has no row yet: what was bought is the item's title, decided by the
/// meeting's committee on the meeting's date. Returns the rows opened now (none on a second run).
/// Must run inside a WriteTransaction. Throws std::invalid_argument for an unknown meeting.
std::vector<ProcurementDecision> draft_procurement_decisions(SQLite::Database& db, Id meeting_id, const std::string& actor);

/// mark_held (model/meetings/meeting_actions.hpp), then the meeting's draft procurement rows in a
/// transaction of their own (mark_held commits its own, and a transaction cannot hold another
/// outside group commit). Marking the meeting held again opens any row missing, so a failure
/// between the two is mended by repeating the action. Refuses and throws as mark_held does.
Result<HeldMeeting> mark_held_and_draft(SQLite::Database& db, const MeetingActor& actor, Id meeting_id);

/// Each action below writes atomically, joining the caller's transaction if it holds one.
/// Adds a row by hand for a decision taken outside a meeting (e.g. under delegated authority):
/// subject, route, decided_by, decided_on (YYYY-MM-DD), value (pounds, optional), provider,
/// participants and conflicts; a draft until published. Problems per field; nothing written then.
/// `ref`: the row's external reference (a bundle's), or empty for a new one.
Result<ProcurementDecision> add_procurement_decision(SQLite::Database& db, const Fields& in, const std::string& actor,
                                                     const std::string& ref = "");
/// Governance completes or corrects a row (the same fields; a field not sent keeps its value).
/// A published row stays published. Nullopt for an unknown id.
std::optional<Result<ProcurementDecision>> edit_procurement_decision(SQLite::Database& db, Id id, const Fields& in,
                                                                     const std::string& actor);
/// Publishes a row once it is complete: route, provider and date recorded, and, outside a
/// meeting, who took part; a row from a meeting only once the meeting's minutes are published.
/// Publishing a published row changes nothing. Nullopt for an unknown id.
std::optional<Result<ProcurementDecision>> publish_procurement_decision(SQLite::Database& db, Id id, const std::string& actor);
/// What stops the row being published (field, message), in form order; empty when nothing does.
Problems publication_problems(SQLite::Database& db, const ProcurementDecision& row);

/// Who reads a row: the public never sees the details of an interest withheld from the register.
enum class ProcurementAudience { public_reader, governance };

/// One conflict on the decision and how it was managed.
struct ProcurementConflict {
  std::string person;
  std::vector<std::string> declared;  // what they declared, or the conflict found on the register
  bool withheld = false;              // rests on an interest withheld from the public register
  std::string managed;                // plain English, as the minutes say it
  std::string action;                 // the chair's decision code, empty when none was recorded
  std::string reason;                 // the chair's reason, as minuted
};

/// A row as the pages, the JSON and the CSV show it.
struct ProcurementRow {
  ProcurementDecision decision;
  std::string route_label;
  std::string value_text;  // "£125,000" or empty
  // From the meeting, when decided at one:
  std::string committee;
  std::string meeting_title;
  std::optional<Date> meeting_date;
  std::string item_title;
  int item_number = 0;
  bool minutes_published = false;
  std::string minutes_href;  // /meetings/{id}/minutes once published
  std::vector<std::string> participants;
  std::vector<ProcurementConflict> conflicts;
  std::string conflicts_text;  // outside a meeting: as governance wrote it
  std::optional<bool> quorate;
  std::vector<std::string> quorum_failures;
  std::string remedy;        // a remedy code when the item was inquorate
  std::string remedy_label;  // "Co-opted members"
  std::string presided_by;
};

/// One row as `audience` reads it; nullopt for an unknown id. For the public, a conflict found on
/// the register (a flag) is described only when every interest and gift behind it is on the
/// public register under `rules` on `today`; one resting on a withheld interest says only that,
/// and one resting on an entry not (or no longer) public says that details are not published.
/// Throws SQLite::Exception.
std::optional<ProcurementRow> procurement_row(SQLite::Database& db, Id id, ProcurementAudience audience,
                                              const PublicationRules& rules = {}, const Date& today = Date::today());
/// Every row (or the published ones only), newest decision first, as procurement_row reads each.
/// Throws SQLite::Exception.
std::vector<ProcurementRow> procurement_rows(SQLite::Database& db, bool published_only, ProcurementAudience audience,
                                             const PublicationRules& rules = {}, const Date& today = Date::today());

/// The JSON of /api/v1/procurement's rows (docs/api.md).
void to_json(nlohmann::json& j, const ProcurementRow& row);
/// The /procurement.csv download: one record per row. Throws nothing.
std::string procurement_csv(const std::vector<ProcurementRow>& rows);

}  // namespace probity
