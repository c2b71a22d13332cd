#pragma once
// Money as the register keeps it: whole pence, written and read as pounds ("12.50", no sign).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace probity {

/// Pence to "12.50" (no currency sign).
std::string format_pounds(std::int64_t pence);
/// Parses pounds like "12", "12.5" or "12.50" into pence; nullopt for anything else (negative,
/// more than two decimals, not a number, over 999999999.99).
std::optional<std::int64_t> parse_pounds(std::string_view text);

}  // namespace probity
