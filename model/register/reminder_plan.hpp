#pragma once
// The reminder plan: given each person's year (declaration_year.hpp), a date and the settings,
// the notices due on that date. Pure: it composes and sends nothing. Each notice carries a stable
// dedupe key, so a plan run twice on one date (or on each day of an overdue week) yields the same
// keys, and the outbox (model/mail/outbox.hpp, enqueue_mail) sends each once.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/register/declaration_year.hpp"

namespace probity {

/// The config file's "year" section's reminder numbers (docs/declaration-year.md).
struct ReminderSettings {
  int first_reminder_days_before = 14;  // the first reminder, this many days before the due date
  int overdue_every_days = 7;           // then on the due date, and once a week while overdue
  int escalate_after_days = 14;         // escalate to governance (and the line manager) once this overdue
  unsigned digest_weekday = 1;          // governance's weekly digest: 1 Monday ... 7 Sunday (ISO)
};

enum class NoticeKind { reminder_before, reminder_due, reminder_overdue, escalation, digest };

template <>
struct EnumNames<NoticeKind> {
  static constexpr auto values = std::to_array<std::pair<NoticeKind, std::string_view>>(
      {{NoticeKind::reminder_before, "reminder_before"},
       {NoticeKind::reminder_due, "reminder_due"},
       {NoticeKind::reminder_overdue, "reminder_overdue"},
       {NoticeKind::escalation, "escalation"},
       {NoticeKind::digest, "digest"}});
};

/// One person and their year, as the plan reads them.
struct PlanEntry {
  Id person_id = 0;
  std::string name;
  std::string email;
  std::string manager_name;   // empty: no line manager recorded
  std::string manager_email;
  PersonYear year;
};

struct Notice {
  NoticeKind kind = NoticeKind::reminder_before;
  Id person_id = 0;                    // 0 for the digest
  std::string event_id;                // the event's stable id ("annual-2026", "interest-40", ...)
  YearEventKind event_kind = YearEventKind::annual;
  std::string event;                   // the event in words (describe_event)
  Date due_by;                         // the digest: its date
  int days_overdue = 0;
  int week = 0;                        // reminder_overdue: the week overdue, from 1
  bool to_person = true;               // reminders go to the person
  bool to_governance = false;          // escalations and the digest go to governance...
  std::string manager_name;            // ...and an escalation to the line manager, where recorded
  std::string manager_email;
  int overdue_people = 0;              // the digest: how many are overdue on its date
  std::string dedupe_key;              // reminder:<person>:<event>:<due>:<stage>, escalation:<person>:<event>:<due>, digest:<date>
  bool operator==(const Notice&) const = default;
};

/// The notices due on `on` for every open event of every person, and the digest on its weekday.
/// Every day of the reminder window and of each overdue week yields that stage's notice again
/// with the same key (so a missed daily pass loses nothing, and a repeated one sends nothing
/// twice). Does not throw.
std::vector<Notice> plan_reminders(const std::vector<PlanEntry>& people, const Date& on, const ReminderSettings& settings = {});

/// A person's plan entry: who they are and their year on `on` (year_state_on), the record's
/// text moved into it.
PlanEntry plan_entry(PersonRecord record, const Date& on, const YearRules& rules = {});

/// One person's part of plan_reminders: appends the notices due on `on` for their open events.
void plan_person_reminders(const PlanEntry& person, const Date& on, const ReminderSettings& settings, std::vector<Notice>& out);

/// plan_reminders' digest: the notice when `on` is the digest's weekday, nullopt otherwise.
std::optional<Notice> plan_digest(const Date& on, const ReminderSettings& settings, int overdue_people);

/// ISO weekday of a date: 1 Monday ... 7 Sunday.
unsigned iso_weekday(const Date& d);

}  // namespace probity
