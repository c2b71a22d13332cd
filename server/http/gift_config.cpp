#include "server/http/gift_config.hpp"

#include <optional>

namespace probity {
namespace {
using json = nlohmann::json;

void read_pounds(const json& section, const char* key, std::int64_t& pence) {
  if (!section.contains(key)) return;
  const json& v = section.at(key);
  std::optional<std::int64_t> parsed;
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0 && v.get<std::int64_t>() <= 1000000) parsed = v.get<std::int64_t>() * 100;
  else if (v.is_string()) parsed = parse_pounds(v.get<std::string>());
  if (!parsed) throw ConfigError(std::string("config: gifts.") + key + " must be an amount in pounds, such as 50 or \"12.50\"");
  pence = *parsed;
}
}  // namespace

GiftThresholds gift_thresholds(const Config& config) {
  GiftThresholds t;
  if (!config.raw.contains("gifts")) return t;
  const json& section = config.raw.at("gifts");
  if (!section.is_object()) throw ConfigError("config: gifts must be an object");
  read_pounds(section, "supplier_promotional_max", t.supplier_promotional_max_pence);
  read_pounds(section, "gift_declare_from", t.gift_declare_from_pence);
  read_pounds(section, "hospitality_declare_from", t.hospitality_declare_from_pence);
  read_pounds(section, "hospitality_max", t.hospitality_max_pence);
  if (section.contains("aggregation_months")) {
    const json& m = section.at("aggregation_months");
    if (!m.is_number_integer() || m.get<int>() < 1 || m.get<int>() > 60)
      throw ConfigError("config: gifts.aggregation_months must be a whole number from 1 to 60");
    t.aggregation_months = m.get<int>();
  }
  if (section.contains("supplier_hospitality_needs_approval")) {
    const json& b = section.at("supplier_hospitality_needs_approval");
    if (!b.is_boolean()) throw ConfigError("config: gifts.supplier_hospitality_needs_approval must be true or false");
    t.supplier_hospitality_needs_approval = b.get<bool>();
  }
  if (t.hospitality_declare_from_pence > t.hospitality_max_pence)
    throw ConfigError("config: gifts.hospitality_declare_from must not be more than gifts.hospitality_max");
  return t;
}

}  // namespace probity
