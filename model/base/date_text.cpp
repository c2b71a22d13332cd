#include "model/base/date_text.hpp"

#include <array>
#include <chrono>

namespace probity {
namespace {
namespace chr = std::chrono;

// 01:00 UTC on the last Sunday of `month` in `year`: when UK clocks change.
Instant change_instant(int year, unsigned month) {
  const chr::sys_days last{chr::year{year} / chr::month{month} / chr::Sunday[chr::last]};
  return Instant{chr::duration_cast<chr::seconds>(last.time_since_epoch())} + chr::hours{1};
}

// "3:44pm", "12:05am": the one way a clock time is written for people.
std::string twelve_hour_text(int hour, int minute) {
  const int twelve = hour % 12 == 0 ? 12 : hour % 12;
  return std::to_string(twelve) + ":" + (minute < 10 ? "0" : "") + std::to_string(minute) + (hour < 12 ? "am" : "pm");
}
}  // namespace

std::string long_date(const Date& date) {
  static constexpr std::array<const char*, 12> months = {"January", "February", "March",     "April",   "May",      "June",
                                                         "July",    "August",   "September", "October", "November", "December"};
  return std::to_string(date.day()) + " " + months[date.month() - 1] + " " + std::to_string(date.year());
}

std::string long_date_of_iso(std::string_view iso) {
  auto d = Date::parse(iso);
  return d ? long_date(*d) : std::string(iso);
}

int uk_offset_seconds(Instant t) {
  const int year = static_cast<int>(chr::year_month_day{chr::floor<chr::days>(t)}.year());
  return t >= change_instant(year, 3) && t < change_instant(year, 10) ? 3600 : 0;
}

Date uk_date(Instant t) {
  const chr::year_month_day ymd{chr::floor<chr::days>(t + chr::seconds{uk_offset_seconds(t)})};
  return Date(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

std::string uk_time(Instant t) {
  const auto local = t + chr::seconds{uk_offset_seconds(t)};
  const chr::hh_mm_ss hms{local - chr::floor<chr::days>(local)};
  const int hour = static_cast<int>(hms.hours().count());
  const int minute = static_cast<int>(hms.minutes().count());
  return twelve_hour_text(hour, minute);
}

std::string clock_time_text(std::string_view hh_mm) {
  if (hh_mm.size() != 5 || hh_mm[2] != ':') return std::string(hh_mm);
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!digit(hh_mm[0]) || !digit(hh_mm[1]) || !digit(hh_mm[3]) || !digit(hh_mm[4])) return std::string(hh_mm);
  const int hour = (hh_mm[0] - '0') * 10 + (hh_mm[1] - '0');
  const int minute = (hh_mm[3] - '0') * 10 + (hh_mm[4] - '0');
  if (hour > 23 || minute > 59) return std::string(hh_mm);
  return twelve_hour_text(hour, minute);
}

std::string long_date_time(Instant t) { return long_date(uk_date(t)) + " at " + uk_time(t); }

std::string long_date_of_instant(std::string_view iso) {
  auto t = parse_instant(iso);
  return t ? long_date(uk_date(*t)) : std::string();
}

std::string long_date_time_of_instant(std::string_view iso) {
  if (auto t = parse_instant(iso)) return long_date_time(*t);
  if (auto d = Date::parse(iso)) return long_date(*d);
  return "";
}

std::string overdue_text(const Date& due, const Date& today) {
  const int days = due.days_until(today);
  if (days > 60) return "overdue since " + long_date(due.plus_days(1));  // the first day it was overdue
  return std::to_string(days) + (days == 1 ? " day" : " days") + " overdue";
}

}  // namespace probity
