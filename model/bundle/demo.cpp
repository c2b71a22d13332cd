#include "model/bundle/demo.hpp"

#include <optional>
#include <string>

namespace probity {
namespace {

void shift_dates_in(nlohmann::json& value, int days) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text.size() == 10)
      if (auto date = Date::parse(text)) value = date->plus_days(days).iso();
  } else if (value.is_structured()) {
    for (auto& inner : value) shift_dates_in(inner, days);
  }
}

}  // namespace

nlohmann::json shift_bundle_dates(nlohmann::json bundle, int days) {
  if (days != 0) shift_dates_in(bundle, days);
  return bundle;
}

nlohmann::json demo_for(const nlohmann::json& demo, const Date& today) {
  std::optional<Date> latest;
  if (demo.contains("meetings"))
    for (const auto& m : demo.at("meetings"))
      if (auto d = m.contains("date") && m.at("date").is_string() ? Date::parse(m.at("date").get<std::string>()) : std::nullopt)
        if (!latest || *d > *latest) latest = d;
  if (!latest) return demo;
  const int behind = latest->days_until(today.plus_days(14));  // > 0: less than 14 days ahead
  if (behind <= 0) return demo;
  return shift_bundle_dates(demo, (behind + 6) / 7 * 7);
}

}  // namespace probity
