#pragma once
// A meeting as an iCalendar (RFC 5545) entry, for calendar programs. A meeting with a start time
// (UK time, "HH:MM") is a timed event written in UTC (DTSTART:...Z, converted from Europe/London
// with British Summer Time's rules), two hours long, as the meeting's length is not recorded: UTC
// needs no VTIMEZONE, and each calendar shows it in its own zone. A meeting with no time is an
// all-day event (DTSTART;VALUE=DATE): a date value has no time zone, so no calendar shifts it to
// the day before.
#include <string>
#include <string_view>

#include "model/base/date.hpp"
#include "model/base/timestamp.hpp"

namespace probity {

/// What the calendar entry says about one meeting.
struct CalendarEvent {
  std::string uid;  // stable per meeting: the same entry again updates it in a calendar
  Instant stamp{};  // when the entry was made (DTSTAMP, UTC)
  Date date;
  std::string start_time;   // "HH:MM", UK time (Europe/London); empty: an all-day event
  std::string summary;
  std::string location;     // may be empty
  std::string description;  // may be empty; may hold newlines
  std::string url;          // may be empty
};

/// TEXT escaping (RFC 5545 3.3.11): backslash, semicolon and comma get a backslash, a newline
/// (LF or CRLF) becomes \n; other control characters are dropped. Throws nothing.
std::string ics_escape(std::string_view text);

/// One content line folded so that no line is longer than 75 octets (RFC 5545 3.1): CRLF and a
/// space before each continuation, never inside a UTF-8 character. Ends with CRLF. Throws nothing.
std::string ics_fold(std::string_view line);

/// True when `on` at the UK local time `hh`:`mm` is in British Summer Time (UTC+1): from 01:00
/// UTC on the last Sunday in March to 01:00 UTC on the last Sunday in October. The hour that
/// repeats when the clocks go back is read as summer time. Throws nothing.
bool uk_summer_time(const Date& on, int hh, int mm);

/// The UTC date-time of UK local time `hh`:`mm` on `on`, as iCalendar writes it:
/// "20261210T140000Z" (GMT), "20260617T130000Z" for 14:00 in summer. Throws nothing.
std::string uk_time_as_ics_utc(const Date& on, int hh, int mm);

/// The whole VCALENDAR with one VEVENT, lines ending CRLF. Throws nothing.
std::string meeting_calendar(const CalendarEvent& event);

}  // namespace probity
