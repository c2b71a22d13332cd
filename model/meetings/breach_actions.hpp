#pragma once
// The breaches register's lifecycle, as actions that check and write in one transaction:
// governance records a breach by hand (or edits a draft, the meeting check's included), confirms
// or dismisses it (resolve_breach, meeting_record_actions.hpp), and the Conflicts of Interest
// Guardian signs a confirmed breach off or sends it back to governance. Every step is a new
// version of the breach, so who decided, when and why stays in its history. Who may take each
// step is the server's check (governance, or the Guardian); these functions check the state.
#include <SQLiteCpp/SQLiteCpp.h>

#include <string>
#include <vector>

#include "model/base/fields.hpp"
#include "model/base/problems.hpp"
#include "model/meetings/meeting_records.hpp"

namespace probity {

/// Records a new breach (`breach_id` 0) or edits a draft (status open). Fields: kind, person
/// (a person id), happened_on (YYYY-MM-DD), found_by, reason (what happened), action_taken,
/// lessons, public_summary, public_action, public_lessons, and optionally meeting and
/// agenda_item (ids; an item must belong to the meeting). Nullopt when `breach_id` names no
/// breach; a problem on "status" when the breach is no longer a draft. Throws SQLite::Exception.
std::optional<Result<Breach>> record_breach_by_hand(SQLite::Database& db, Id breach_id, const Fields& in,
                                                    const std::string& actor);

/// The Guardian's decision on a confirmed breach: `decision` sign_off (status signed_off: it is
/// published) or send_back (status open again), with `note`, the reason, required either way.
/// Nullopt when there is no such breach; a problem on "decision" when it is not awaiting the
/// Guardian. Throws SQLite::Exception.
std::optional<Result<Breach>> guardian_decide_breach(SQLite::Database& db, Id breach_id, const Fields& in,
                                                     const std::string& actor);

/// One decision in a breach's history: the version's status, who recorded it, when, and the
/// reason given (the resolution, the Guardian's note, or "" for a draft).
struct BreachDecision {
  int version = 0;
  BreachStatus status = BreachStatus::open;
  std::string recorded_at;
  std::string recorded_by;
  std::string reason;
};

/// Every version of the breach as a decision, oldest first (empty when unknown).
std::vector<BreachDecision> breach_decisions(SQLite::Database& db, Id breach_id);

}  // namespace probity
