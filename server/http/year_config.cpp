#include "server/http/year_config.hpp"

#include <array>

namespace probity {
namespace {
using json = nlohmann::json;

const json* section(const Config& config) {
  if (!config.raw.contains("year")) return nullptr;
  const json& s = config.raw.at("year");
  if (!s.is_object()) throw ConfigError("config: year must be an object");
  return &s;
}

void read_days(const json& s, const char* key, int min, int max, int& out) {
  if (!s.contains(key)) return;
  const json& v = s.at(key);
  if (!v.is_number_integer() || v.get<long long>() < min || v.get<long long>() > max)
    throw ConfigError(std::string("config: year.") + key + " must be a whole number from " + std::to_string(min) + " to " +
                      std::to_string(max));
  out = v.get<int>();
}
}  // namespace

YearRules year_rules(const Config& config) {
  YearRules r;
  const json* s = section(config);
  if (!s) return r;
  if (s->contains("start")) {
    const json& v = s->at("start");
    // "MM-DD" checked against a year that is not a leap year, so the day exists every year.
    const auto date = v.is_string() && v.get<std::string>().size() == 5 ? Date::parse("2027-" + v.get<std::string>()) : std::nullopt;
    if (!date) throw ConfigError("config: year.start must be a month and day written MM-DD, such as \"04-01\" (not 29 February)");
    r.start_month = date->month();
    r.start_day = date->day();
  }
  read_days(*s, "declare_within_days", 1, 365, r.declare_within_days);
  read_days(*s, "annual_due_months", 1, 11, r.annual_due_months);
  return r;
}

ReminderSettings reminder_settings(const Config& config) {
  ReminderSettings r;
  const json* s = section(config);
  if (!s) return r;
  read_days(*s, "first_reminder_days_before", 0, 90, r.first_reminder_days_before);
  read_days(*s, "overdue_every_days", 1, 90, r.overdue_every_days);
  read_days(*s, "escalate_after_days", 1, 365, r.escalate_after_days);
  if (s->contains("digest_weekday")) {
    static constexpr std::array<const char*, 7> days{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    const json& v = s->at("digest_weekday");
    bool found = false;
    for (unsigned i = 0; i < days.size() && v.is_string(); ++i)
      if (v.get<std::string>() == days[i]) {
        r.digest_weekday = i + 1;
        found = true;
      }
    if (!found) throw ConfigError("config: year.digest_weekday must be a day of the week in lower case, such as \"monday\"");
  }
  return r;
}

Date year_today(const Config& config) {
  if (!config.today.empty())
    if (auto d = Date::parse(config.today)) return *d;
  return Date::today();
}

}  // namespace probity
