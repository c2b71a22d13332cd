#include "server/governance/chase.hpp"

namespace probity {

// Not connected yet: the mailer connects this to the reminder plan (model/register/reminder_plan.hpp),
// the message composer and the outbox (model/mail/outbox.hpp, enqueue_mail). Until then it
// enqueues nothing and chases nobody, and the dashboard says so ("0 people chased").
int chase_overdue(App& app, SQLite::Database& db, Date on) {
  (void)app;
  (void)db;
  (void)on;
  return 0;
}

}  // namespace probity
