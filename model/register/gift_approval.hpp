#pragma once
// Senior approval of hospitality from a supplier or contractor (guidance: accepted only if
// modest and reasonable, declared, and approved by a senior manager). The governance team, or a
// senior approver through them, records who approved it (name and role) and why; until then the
// declaration shows "awaiting approval" (model/register/gift_rules.hpp: awaiting_approval). The
// approval is a new version of the gift, so it is audited and the earlier version is kept.
#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>

#include "model/base/fields.hpp"
#include "model/base/problems.hpp"
#include "model/register/gift_rules.hpp"
#include "model/store/entities.hpp"

namespace probity {

/// Records the approval of gift `id`: approved_by (the approver's name), approver_role and
/// approval_reason, all required, with approved_on `today`. Refused (a problem on "approval")
/// for an offer that does not need recorded approval under `thresholds`, was declined, or is
/// already approved. Nullopt when there is no such gift. One transaction; nothing is written when
/// anything is wrong. Throws SQLite::Exception if the database fails.
std::optional<Result<Gift>> record_gift_approval(SQLite::Database& db, Id id, const Fields& in, const Date& today,
                                                 const GiftThresholds& thresholds, const std::string& actor);

}  // namespace probity
