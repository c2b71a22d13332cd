#pragma once
// A calendar date (no time zone): the register deals in days, as the guidance does.
#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace probity {

class Date {
 public:
  Date() = default;
  /// Builds a date; throws std::invalid_argument if it is not a real calendar day.
  Date(int year, unsigned month, unsigned day);

  /// Parses exactly YYYY-MM-DD and checks the day exists (2025-02-30 is refused); nullopt otherwise.
  static std::optional<Date> parse(std::string_view text);
  /// Today in UTC.
  static Date today();

  std::string iso() const;
  int year() const { return static_cast<int>(ymd_.year()); }
  unsigned month() const { return static_cast<unsigned>(ymd_.month()); }
  unsigned day() const { return static_cast<unsigned>(ymd_.day()); }

  Date plus_days(int days) const;
  /// Calendar months later (or earlier when negative); the day is clamped to the month's end.
  Date plus_months(int months) const;
  /// Whole days from this date to `later` (negative when `later` is earlier).
  int days_until(const Date& later) const;

  auto operator<=>(const Date&) const = default;
  bool operator==(const Date&) const = default;

 private:
  explicit Date(std::chrono::year_month_day ymd) : ymd_(ymd) {}
  std::chrono::year_month_day ymd_{std::chrono::year{1970}, std::chrono::month{1}, std::chrono::day{1}};
};

/// The current UTC time as ISO 8601 with seconds, e.g. 2026-11-23T14:05:09Z.
std::string utc_timestamp_now();

}  // namespace probity
