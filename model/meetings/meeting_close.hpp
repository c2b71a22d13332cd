#pragma once
// Marking a meeting as held: the point at which failures to declare become visible. Each person
// with a `certain` flag who declared nothing at the meeting gets a draft breach.
#include <SQLiteCpp/SQLiteCpp.h>

#include <vector>

#include "model/meetings/conflicts_report.hpp"
#include "model/meetings/meeting_records.hpp"

namespace probity {

/// Opens (once: an existing breach for the same meeting, item and person is kept whatever its
/// status) a draft breach for every person with a certain flag and no declaration at the
/// meeting, and returns the breaches for those people (new or found). The breaches register is
/// the governance team's, so a breach records the flag's full reason; the breaches returned
/// carry the reason as `audience` may read it (for ReportAudience::committee, without the
/// details of withheld entries). Must run inside a WriteTransaction. Throws
/// std::invalid_argument for an unknown meeting, SQLite::Exception on a database error.
std::vector<Breach> open_draft_breaches(SQLite::Database& db, Id meeting_id, const std::string& actor, ReportAudience audience);

}  // namespace probity
