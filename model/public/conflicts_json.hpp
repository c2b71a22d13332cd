#pragma once
// GET /api/v1/meetings/{id}/conflicts written straight to JSON text. The nlohmann value of the
// report (to_json in model/meetings/conflicts_report.hpp) is what the brief page works from; the
// API needs only its bytes, and building that value, writing it and freeing it cost three times
// as much as writing the text directly (docs/benchmarks-notes.md, eighth round).
#include <string>

#include "model/meetings/conflicts_report.hpp"

namespace probity {

/// Exactly compact_json(nlohmann::json(report)) (model/public/json_text.hpp): the same keys in
/// the same (sorted) order, the same escaping. Throws nothing that compact_json would not.
std::string conflicts_json_text(const ConflictsReport& report);

}  // namespace probity
