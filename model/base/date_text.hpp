#pragma once
// The one way pages write dates and times for people: "8 August 2012" and "3:44pm", in UK time
// (Europe/London: GMT in winter, BST in summer). Machine formats (JSON, CSV, <time datetime>)
// keep ISO 8601; only what a person reads goes through here.
#include <optional>
#include <string>
#include <string_view>

#include "model/base/date.hpp"
#include "model/base/timestamp.hpp"

namespace probity {

/// A date as people read it, e.g. "2 March 2025". Throws nothing.
std::string long_date(const Date& date);
/// An ISO date (YYYY-MM-DD) as long_date writes it; `iso` unchanged when it is not one (so a
/// caller can pass "continuing" or an empty string through). Throws nothing.
std::string long_date_of_iso(std::string_view iso);

/// Seconds UK clocks are ahead of UTC at `t`: 3600 from 01:00 UTC on the last Sunday of March to
/// 01:00 UTC on the last Sunday of October (British Summer Time), otherwise 0. Throws nothing.
int uk_offset_seconds(Instant t);
/// The UK calendar day of an instant. Throws nothing.
Date uk_date(Instant t);
/// The UK clock time of an instant, e.g. "3:44pm", "12:05am", "12 noon" is written "12:00pm".
/// Throws nothing.
std::string uk_time(Instant t);
/// A clock time written "HH:MM" (a meeting's start time) as people read it: "09:30" is "9:30am",
/// "14:00" is "2:00pm"; anything else comes back as it was.
std::string clock_time_text(std::string_view hh_mm);
/// "3 December 2026 at 3:44pm" (UK time). Throws nothing.
std::string long_date_time(Instant t);

/// The UK date of an ISO 8601 instant (2026-12-03T03:44:45Z), as long_date writes it; empty when
/// `iso` is not an instant. Throws nothing.
std::string long_date_of_instant(std::string_view iso);
/// An ISO 8601 instant as long_date_time writes it; an ISO date as long_date writes it; empty
/// when `iso` is neither. Throws nothing.
std::string long_date_time_of_instant(std::string_view iso);

/// How late something due by `due` is on `today`, as a person reads it: "3 days overdue" up to
/// 60 days, then "overdue since 9 August 2020" (the day after it was due): a count in thousands
/// of days means nothing to anyone. Throws nothing.
std::string overdue_text(const Date& due, const Date& today);

}  // namespace probity
