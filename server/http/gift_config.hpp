#pragma once
// The gift and hospitality thresholds from the config file's "gifts" section; the national
// figures (GiftThresholds' defaults) for anything the section leaves out.
#include "model/register/gift_rules.hpp"
#include "server/http/config.hpp"

namespace probity {

/// Reads "gifts": {"supplier_promotional_max", "gift_declare_from", "hospitality_declare_from",
/// "hospitality_max"} as pounds (a whole number, or text such as "12.50", so no binary
/// fractions), "aggregation_months" (1 to 60) and "supplier_hospitality_needs_approval" (true or
/// false; true when absent: hospitality from a supplier waits for approval governance records). Throws ConfigError naming a wrong field.
GiftThresholds gift_thresholds(const Config& config);

}  // namespace probity
