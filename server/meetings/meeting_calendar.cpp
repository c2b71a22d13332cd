#include "server/meetings/meeting_calendar.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace probity {
namespace {

// 20261210 from 2026-12-10.
std::string ics_date(const Date& d) {
  char out[16];
  std::snprintf(out, sizeof out, "%04d%02u%02u", d.year(), d.month(), d.day());
  return out;
}

std::string ics_utc(Instant t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(t - day);
  char out[24];
  std::snprintf(out, sizeof out, "%04d%02u%02uT%02ld%02ld%02lldZ", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()));
  return out;
}

// 1 (Monday) to 7 (Sunday).
int weekday(const Date& d) {
  const int days = Date(2024, 1, 1).days_until(d);  // a Monday
  return ((days % 7) + 7) % 7 + 1;
}

Date last_sunday(int year, unsigned month) {
  Date d(year, month, 31);  // March and October have 31 days
  return d.plus_days(-(weekday(d) % 7));
}

}  // namespace

bool uk_summer_time(const Date& on, int hh, int mm) {
  const Date starts = last_sunday(on.year(), 3), ends = last_sunday(on.year(), 10);
  const int minutes = hh * 60 + mm;
  if (on < starts || on > ends) return false;
  if (on == starts) return minutes >= 120;  // 01:00 GMT becomes 02:00 BST
  if (on == ends) return minutes < 120;     // 02:00 BST becomes 01:00 GMT: 01:00-01:59 read as BST
  return true;
}

std::string uk_time_as_ics_utc(const Date& on, int hh, int mm) {
  int minutes = hh * 60 + mm - (uk_summer_time(on, hh, mm) ? 60 : 0);
  Date day = on;
  if (minutes < 0) {
    minutes += 24 * 60;
    day = on.plus_days(-1);
  }
  char out[24];
  std::snprintf(out, sizeof out, "%sT%02d%02d00Z", ics_date(day).c_str(), minutes / 60, minutes % 60);
  return out;
}

std::string ics_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' || c == ';' || c == ',') {
      out += '\\';
      out += c;
    } else if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') continue;  // CRLF: the LF makes the newline
      out += "\\n";
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      // TEXT may not hold control characters (other than HTAB, which we drop too).
    } else {
      out += c;
    }
  }
  return out;
}

std::string ics_fold(std::string_view line) {
  std::string out;
  std::size_t room = 75;  // octets left on the current physical line
  std::size_t i = 0;
  while (i < line.size()) {
    // The length of the UTF-8 character starting at i (a stray continuation byte counts alone).
    const auto lead = static_cast<unsigned char>(line[i]);
    std::size_t len = 1;
    if ((lead >> 5) == 0x6) len = 2;
    else if ((lead >> 4) == 0xe) len = 3;
    else if ((lead >> 3) == 0x1e) len = 4;
    if (i + len > line.size()) len = line.size() - i;
    if (len > room) {
      out += "\r\n ";
      room = 74;  // the leading space is one of the 75
    }
    out.append(line.substr(i, len));
    room -= len;
    i += len;
  }
  out += "\r\n";
  return out;
}

std::string meeting_calendar(const CalendarEvent& e) {
  Date next = e.date.plus_days(1);
  std::string out;
  auto line = [&](const std::string& text) { out += ics_fold(text); };
  line("BEGIN:VCALENDAR");
  line("VERSION:2.0");
  line("PRODID:-//Probity//Registers of interests//EN");
  line("CALSCALE:GREGORIAN");
  line("METHOD:PUBLISH");
  line("BEGIN:VEVENT");
  line("UID:" + e.uid);
  line("DTSTAMP:" + ics_utc(e.stamp));
  const bool timed = e.start_time.size() == 5 && e.start_time[2] == ':';
  if (timed) {
    const int hh = std::atoi(e.start_time.substr(0, 2).c_str()), mm = std::atoi(e.start_time.substr(3, 2).c_str());
    line("DTSTART:" + uk_time_as_ics_utc(e.date, hh, mm));
    line("DURATION:PT2H");  // the meeting's length is not recorded
  } else {
    line("DTSTART;VALUE=DATE:" + ics_date(e.date));
    line("DTEND;VALUE=DATE:" + ics_date(next));  // DTEND is exclusive: the day after
  }
  line("SUMMARY:" + ics_escape(e.summary));
  if (!e.location.empty()) line("LOCATION:" + ics_escape(e.location));
  if (!e.description.empty()) line("DESCRIPTION:" + ics_escape(e.description));
  if (!e.url.empty()) line("URL:" + e.url);
  line(timed ? "TRANSP:OPAQUE" : "TRANSP:TRANSPARENT");  // a timed meeting is busy time
  line("END:VEVENT");
  line("END:VCALENDAR");
  return out;
}

}  // namespace probity
