#include "model/base/date.hpp"

#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace probity {

namespace chr = std::chrono;

Date::Date(int y, unsigned m, unsigned d) : ymd_(chr::year{y}, chr::month{m}, chr::day{d}) {
  if (!ymd_.ok()) throw std::invalid_argument("not a calendar date");
}

std::optional<Date> Date::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t from, std::size_t count, int& out) {
    out = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (!digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d)) return std::nullopt;
  chr::year_month_day ymd{chr::year{y}, chr::month{static_cast<unsigned>(m)}, chr::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || y < 1900) return std::nullopt;
  return Date(ymd);
}

Date Date::today() { return Date(chr::year_month_day{chr::floor<chr::days>(chr::system_clock::now())}); }

std::string Date::iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year(), month(), day());
  return buf;
}

Date Date::plus_days(int n) const { return Date(chr::year_month_day{chr::sys_days{ymd_} + chr::days{n}}); }

Date Date::plus_months(int n) const {
  chr::year_month_day shifted = ymd_ + chr::months{n};
  if (!shifted.ok()) shifted = shifted.year() / shifted.month() / chr::last;
  return Date(shifted);
}

int Date::days_until(const Date& later) const {
  return static_cast<int>((chr::sys_days{later.ymd_} - chr::sys_days{ymd_}).count());
}

std::string utc_timestamp_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace probity
