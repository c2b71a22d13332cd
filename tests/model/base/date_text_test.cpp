#include <catch2/catch.hpp>

#include "model/base/date_text.hpp"

using namespace probity;

namespace {
Instant at(const char* iso) { return parse_instant(iso).value(); }
}  // namespace

TEST_CASE("dates are written one way: day, month in words, year") {
  CHECK(long_date(Date(2012, 8, 8)) == "8 August 2012");
  CHECK(long_date(Date(2026, 12, 17)) == "17 December 2026");
  CHECK(long_date_of_iso("2026-01-01") == "1 January 2026");
  CHECK(long_date_of_iso("continuing") == "continuing");  // not a date: passed through
}

TEST_CASE("times are UK clock times: GMT in winter, BST in summer, changing at 01:00 UTC on the last Sundays of March and October") {
  CHECK(uk_time(at("2026-12-03T15:44:45Z")) == "3:44pm");  // GMT
  CHECK(uk_time(at("2026-12-03T03:44:45Z")) == "3:44am");
  CHECK(uk_time(at("2026-07-01T14:05:00Z")) == "3:05pm");  // BST
  CHECK(uk_time(at("2026-07-01T11:00:00Z")) == "12:00pm");
  CHECK(uk_time(at("2026-12-03T00:00:00Z")) == "12:00am");
  // 2026: BST from 29 March 01:00 UTC to 25 October 01:00 UTC.
  CHECK(uk_offset_seconds(at("2026-03-29T00:59:59Z")) == 0);
  CHECK(uk_offset_seconds(at("2026-03-29T01:00:00Z")) == 3600);
  CHECK(uk_offset_seconds(at("2026-10-25T00:59:59Z")) == 3600);
  CHECK(uk_offset_seconds(at("2026-10-25T01:00:00Z")) == 0);
  // Late on a summer evening in UTC is already the next day in the UK.
  CHECK(long_date_of_instant("2026-06-30T23:30:00Z") == "1 July 2026");
  CHECK(long_date_of_instant("2026-12-31T23:30:00Z") == "31 December 2026");
  CHECK(long_date_time_of_instant("2026-12-03T15:44:45Z") == "3 December 2026 at 3:44pm");
  CHECK(long_date_time_of_instant("2026-08-08T09:15:00Z") == "8 August 2026 at 10:15am");
  CHECK(long_date_time_of_instant("2026-08-08") == "8 August 2026");
  CHECK(long_date_time_of_instant("not a date").empty());
  CHECK(long_date_of_instant("2026-08-08").empty());
}

TEST_CASE("how late something is: a count of days up to 60, then the date it became overdue") {
  const Date due(2020, 8, 8);
  CHECK(overdue_text(due, due.plus_days(1)) == "1 day overdue");
  CHECK(overdue_text(due, due.plus_days(32)) == "32 days overdue");
  CHECK(overdue_text(due, due.plus_days(60)) == "60 days overdue");
  CHECK(overdue_text(due, due.plus_days(2335)) == "overdue since 9 August 2020");
}

TEST_CASE("a meeting's start time, stored on the 24-hour clock, is written as the other times are") {
  CHECK(clock_time_text("09:30") == "9:30am");
  CHECK(clock_time_text("14:00") == "2:00pm");
  CHECK(clock_time_text("00:05") == "12:05am");
  CHECK(clock_time_text("12:00") == "12:00pm");
  CHECK(clock_time_text("23:59") == "11:59pm");
  // Anything not a time comes back as it was.
  CHECK(clock_time_text("24:00") == "24:00");
  CHECK(clock_time_text("09:75") == "09:75");
  CHECK(clock_time_text("9:30") == "9:30");
  CHECK(clock_time_text("") == "");
}
