#pragma once
// Requests to withhold a register entry, decided by the Conflicts of Interest Guardian: a member
// asks for one of their own entries to be withheld, with a reason; governance prepares the
// request (a note) and forwards it; the Guardian agrees or refuses, with a reason, and where the
// risk is to the person may also withhold their NAME from every public page. An agreed request
// withholds the entry through the interest's own versions (its history shows it). Each step is a
// new version of the request (who and when are the version's recorded_by and recorded_at).
#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/base/fields.hpp"
#include "model/base/problems.hpp"
#include "model/store/entities.hpp"
#include "model/store/versioned_store.hpp"

namespace probity {

enum class WithholdingStatus { requested, forwarded, agreed, refused };

template <>
struct EnumNames<WithholdingStatus> {
  static constexpr auto values = std::to_array<std::pair<WithholdingStatus, std::string_view>>(
      {{WithholdingStatus::requested, "requested"}, {WithholdingStatus::forwarded, "forwarded"},
       {WithholdingStatus::agreed, "agreed"}, {WithholdingStatus::refused, "refused"}});
};

struct WithholdingRequest {
  Id id = 0;
  std::string ref;
  Id interest_id = 0;
  Id person_id = 0;
  std::string reason;  // the member's
  WithholdingStatus status = WithholdingStatus::requested;
  std::string governance_note;
  std::string guardian_reason;
  bool withhold_name = false;  // agreed with the person's name withheld on every public page
  bool operator==(const WithholdingRequest&) const = default;
};

void to_json(nlohmann::json& j, const WithholdingRequest& r);

template <>
struct EntityTraits<WithholdingRequest> {
  static constexpr const char* kind = "withholding_request";
  static constexpr const char* table = "withholding_requests";
  static constexpr const char* versions = "withholding_request_versions";
  static constexpr const char* id_column = "withholding_request_id";
  static constexpr const char* view = "withholding_request_current";
  static constexpr const char* columns = "interest_id, person_id, reason, status, governance_note, guardian_reason, withhold_name";
  static constexpr int column_count = 7;
  static void bind(SQLite::Statement& s, int i, const WithholdingRequest& e) {
    s.bind(i, e.interest_id);
    s.bind(i + 1, e.person_id);
    s.bind(i + 2, e.reason);
    s.bind(i + 3, std::string(to_string(e.status)));
    s.bind(i + 4, e.governance_note);
    s.bind(i + 5, e.guardian_reason);
    s.bind(i + 6, e.withhold_name ? 1 : 0);
  }
  static WithholdingRequest read(SQLite::Statement& s) {
    return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64(), s.getColumn(3).getInt64(),
            s.getColumn(4).getString(), sqlcol::enumv<WithholdingStatus>(s.getColumn(5)), s.getColumn(6).getString(),
            s.getColumn(7).getString(), s.getColumn(8).getInt() != 0};
  }
};

class WithholdingRequestStore : public VersionedStore<WithholdingRequest> {
 public:
  using VersionedStore::VersionedStore;
  std::vector<WithholdingRequest> with_status(WithholdingStatus status) const {
    return select("WHERE status = ?", [&](SQLite::Statement& s) { s.bind(1, std::string(to_string(status))); });
  }
  std::vector<WithholdingRequest> for_interest(Id interest_id) const {
    return select("WHERE interest_id = ?", [&](SQLite::Statement& s) { s.bind(1, interest_id); });
  }
};

/// The member `person_id` asks for their own interest `interest_id` to be withheld (field
/// `reason`, required). Nullopt when the interest is not theirs (or unknown); a problem on
/// "reason" when the entry is already withheld or a request for it awaits a decision.
std::optional<Result<WithholdingRequest>> request_withholding(SQLite::Database& db, Id person_id, Id interest_id,
                                                              const Fields& in, const std::string& actor);

/// Governance forwards a request to the Guardian with its note (`note`, required). Nullopt for
/// an unknown request; a problem on "note" unless the request is newly made.
std::optional<Result<WithholdingRequest>> forward_withholding_request(SQLite::Database& db, Id request_id, const Fields& in,
                                                                      const std::string& actor);

/// The Guardian decides a forwarded request: `decision` agree or refuse, `reason` (required),
/// and, when agreeing, `withhold_name` (a checkbox). Agreeing withholds the entry (its reason
/// is the Guardian's) as a new version of the interest, in the same transaction. Nullopt for an
/// unknown request; a problem on "decision" unless the request was forwarded.
std::optional<Result<WithholdingRequest>> decide_withholding_request(SQLite::Database& db, Id request_id, const Fields& in,
                                                                     const std::string& actor);

/// The people whose name the Guardian withheld from the public pages (an agreed request with
/// withhold_name). One query. Throws SQLite::Exception.
std::set<Id> names_withheld(SQLite::Database& db);

/// What the public pages call a person whose name is withheld.
inline constexpr const char* kNameWithheld = "Name withheld";

}  // namespace probity
