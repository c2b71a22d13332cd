#pragma once
// The published breaches register: every breach the Conflicts of Interest Guardian has signed
// off, anonymised. A published breach is built from the breach's kind, the month it happened,
// how it was found and the three summaries governance wrote for publication, and nothing else:
// no person, no person id, no meeting or item, no organisation, none of the internal text.
#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/meetings/meeting_records.hpp"

namespace probity {

struct PublicBreach {
  std::string ref;
  BreachKind kind = BreachKind::other;
  int year = 0;
  int month = 0;  // 1 to 12
  BreachFoundBy found_by = BreachFoundBy::other;
  std::string summary;
  std::string action;
  std::string lessons;
};

/// The public view of one breach (whatever its status: the caller chooses which are published).
PublicBreach public_view(const Breach& b);

/// Every signed-off breach, the latest to happen first. Throws SQLite::Exception.
std::vector<PublicBreach> public_breaches(SQLite::Database& db);

/// When a breach was last recorded (ISO 8601 instant), or nullopt when none was. One query.
std::optional<std::string> breaches_last_recorded(SQLite::Database& db);

/// "March 2026". Throws nothing.
std::string month_year_text(int year, int month);

void to_json(nlohmann::json& j, const PublicBreach& b);

/// The download (/breaches.csv). Throws nothing.
std::string breaches_csv(const std::vector<PublicBreach>& rows);

}  // namespace probity
