#include "model/accounts/request_limit.hpp"

#include "model/store/database.hpp"

namespace probity {

bool RequestLimit::allow(const std::string& key, Instant now) {
  // One statement reads and counts, so two requests at once cannot both see the old count.
  CachedStatement up(db_,
                     "INSERT INTO request_limits(key, count, window_start) VALUES (?1, 1, ?2) "
                     "ON CONFLICT(key) DO UPDATE SET "
                     "count = CASE WHEN window_start <= ?3 THEN 1 ELSE count + 1 END, "
                     "window_start = CASE WHEN window_start <= ?3 THEN ?2 ELSE window_start END "
                     "RETURNING count");
  up->bind(1, key);
  up->bind(2, iso_instant(now));
  up->bind(3, iso_instant(now - window_));
  up->executeStep();
  const int count = up->getColumn(0).getInt();
  while (up->executeStep()) {
  }
  return count <= max_;
}

int RequestLimit::purge(Instant now) {
  CachedStatement del(db_, "DELETE FROM request_limits WHERE window_start <= ?");
  del->bind(1, iso_instant(now - window_));
  return del->exec();
}

}  // namespace probity
