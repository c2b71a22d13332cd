#include "server/governance/chase.hpp"

#include "model/base/timestamp.hpp"
#include "server/governance/reminder_pass.hpp"
#include "server/http/app.hpp"

namespace probity {

// A reminder to everyone overdue, in the chase's own write transaction: the messages are in the
// outbox when the page says how many were chased, and the sender delivers them.
int chase_overdue(App& app, SQLite::Database& db, Date on) {
  return chase_overdue_people(app.config(), db, on, now_instant());
}

}  // namespace probity
