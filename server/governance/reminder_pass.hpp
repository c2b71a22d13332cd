#pragma once
// The declaration year's mail: one reminder pass turns the reminder plan
// (model/register/reminder_plan.hpp) into messages in the outbox: reminders to the people due or
// overdue, escalations to governance and the line manager, and governance's weekly digest. Each
// notice's dedupe key makes a pass idempotent: a second pass on the same day, or a second server
// running one, enqueues nothing new. `probity serve` runs a pass every hour; `probity reminders
// run` runs one for cron. "Chase everyone overdue now" (chase.hpp) is a pass of its own.
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "model/base/date.hpp"
#include "model/base/timestamp.hpp"
#include "server/http/config.hpp"

namespace probity {

struct ReminderPassResult {
  int planned = 0;       // notices the plan gave for the day
  int enqueued = 0;      // messages added to the outbox (a notice may go to several people)
  int already_sent = 0;  // messages an earlier pass had already enqueued (same dedupe key)
  int no_address = 0;    // people with no email address on the register: nothing could be sent
  int switched_off = 0;  // messages of a kind switched off in the "mail" section
};

inline constexpr std::size_t kReminderPeopleBatch = 1000;

/// One reminder pass, a step at a time: each step reads and plans the next `people_batch` people
/// (so memory follows the batch, not the register) and enqueues their messages on `db`; the last
/// adds the weekly digest, counted over everyone. Each step may run in a write transaction of its
/// own. Throws SQLite::Exception, or ConfigError for a wrong "year" section.
class ReminderPass {
 public:
  ReminderPass(const Config& config, const Date& on, Instant now, std::size_t people_batch = kReminderPeopleBatch);
  ~ReminderPass();
  ReminderPass(const ReminderPass&) = delete;
  ReminderPass& operator=(const ReminderPass&) = delete;
  /// Does the next step; false when that step finished the pass (and after it, does nothing).
  bool step(SQLite::Database& db);
  const ReminderPassResult& result() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

/// A whole pass on `db` (call it inside a write transaction: its messages are enqueued together
/// or not at all): plans the notices due on `on` and enqueues their messages.
ReminderPassResult run_reminder_pass(const Config& config, SQLite::Database& db, const Date& on, Instant now,
                                     std::size_t people_batch = kReminderPeopleBatch);

/// A reminder now to everyone overdue on `on`, whatever the plan's weekly rhythm, once a day at
/// most per person (dedupe key chase:<person>:<date>). Returns how many people were sent one.
int chase_overdue_people(const Config& config, SQLite::Database& db, const Date& on, Instant now);

class App;

/// The pass `probity serve` runs: once at start, then every `every` (an hour by default), through
/// the app's writer, on the day year_today(config) gives. Errors are printed and the loop goes on.
class ReminderLoop {
 public:
  explicit ReminderLoop(App& app, std::chrono::seconds every = std::chrono::hours(1));
  ~ReminderLoop();
  ReminderLoop(const ReminderLoop&) = delete;
  ReminderLoop& operator=(const ReminderLoop&) = delete;
  void stop();

 private:
  void run(std::chrono::seconds every);
  App& app_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace probity
