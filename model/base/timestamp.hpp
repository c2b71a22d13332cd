#pragma once
// Instants in UTC to the second, for sessions, links and lockouts. Operations that depend on
// the time take it as a parameter, so tests can move the clock instead of sleeping.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace SQLite {
class Column;
}

namespace probity {

using Instant = std::chrono::sys_seconds;

/// The current time, truncated to the second. Does not throw.
Instant now_instant();
/// ISO 8601 UTC with seconds, e.g. 2026-11-23T14:05:09Z (sorts correctly as text). Does not throw.
std::string iso_instant(Instant t);
/// Parses exactly what iso_instant writes; nullopt for anything else. Does not throw.
std::optional<Instant> parse_instant(std::string_view text);
/// A database column holding what iso_instant writes, or NULL: nullopt for NULL (and for
/// anything parse_instant refuses). Does not throw.
std::optional<Instant> instant_or_null(const SQLite::Column& column);

}  // namespace probity
