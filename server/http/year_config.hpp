#pragma once
// The declaration year's settings from the config file's "year" section (README, Settings;
// docs/declaration-year.md): the year's first day, the days to declare, the annual due date, and
// the reminder stages. Defaults for anything the section leaves out.
#include "model/register/reminder_plan.hpp"
#include "server/http/config.hpp"

namespace probity {

/// Reads "year": {"start": "04-01" (month-day), "declare_within_days" (1 to 365),
/// "annual_due_months" (1 to 11)}. Throws ConfigError naming a wrong field.
YearRules year_rules(const Config& config);

/// Reads "year": {"first_reminder_days_before" (0 to 90), "overdue_every_days" (1 to 90),
/// "escalate_after_days" (1 to 365), "digest_weekday" ("monday" ... "sunday")}. Throws ConfigError.
ReminderSettings reminder_settings(const Config& config);

/// The date the year's pages and actions treat as today: the config's "today" when set
/// (tests and demos), else the real date.
Date year_today(const Config& config);

}  // namespace probity
