#pragma once
// A meeting as an iCalendar (RFC 5545) entry, for calendar programs. Meetings are kept by date
// only (no time of day), so the entry is an all-day event (DTSTART;VALUE=DATE): a date value has
// no time zone, so no VTIMEZONE is needed and no calendar shifts it to the day before.
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

/// The whole VCALENDAR with one VEVENT, lines ending CRLF. Throws nothing.
std::string meeting_calendar(const CalendarEvent& event);

}  // namespace probity
