#pragma once
// The demo data set (config/demo.json) kept current: it was written with its next meeting a
// fortnight ahead, and a demo whose "upcoming" meeting is months past shows a chair nothing to
// prepare for.
#include <nlohmann/json.hpp>

#include "model/base/date.hpp"

namespace probity {

/// `bundle` with every date in it (any string that is exactly a valid YYYY-MM-DD) moved by `days`.
nlohmann::json shift_bundle_dates(nlohmann::json bundle, int days);

/// The demo bundle as it should be loaded on `today`: unchanged while its latest meeting is at
/// least 14 days ahead, otherwise with every date moved on by the whole weeks that put that
/// meeting 14 to 20 days ahead (whole weeks keep each meeting on its weekday). Everything keeps
/// its place relative to the meeting: the interests that have ended, the 28-day and annual
/// rules, the gifts in the last 12 months.
nlohmann::json demo_for(const nlohmann::json& demo, const Date& today);

}  // namespace probity
