#pragma once
// The demo data set (config/demo.json) kept current: it was written with its next meeting a
// fortnight ahead, and a demo whose "upcoming" meeting is months past shows a chair nothing to
// prepare for. Its declaration year is written on the day it is loaded: most people confirmed
// this year, a few due, one or two overdue, one late declaration and a newcomer who has never
// declared (docs/declaration-year.md).
#include <nlohmann/json.hpp>

#include "model/base/date.hpp"
#include "model/register/declaration_year.hpp"

namespace probity {

/// `bundle` with every date in it (any string that is exactly a valid YYYY-MM-DD) moved by `days`.
nlohmann::json shift_bundle_dates(nlohmann::json bundle, int days);

/// The demo's declaration year as of `today`, written into `bundle` (the demo): this year's
/// confirmations and nil returns; Dr Kowalski's draft interest overdue (aware 45 days ago);
/// Peter Grant and James Harding each with an interest they became aware of days ago (due);
/// Helen Morris's last confirmation last year (overdue once the annual due date has passed, due
/// before); Dr Fletcher's Dales Diagnostics interest declared 45 days after he became aware of it
/// (late); and Priya Shah, who joined the Governing Body 40 days ago and has declared nothing.
nlohmann::json place_demo_year(nlohmann::json bundle, const Date& today, const YearRules& rules = {});

/// The demo bundle's dates as they should be on `today`: unchanged while its latest meeting is at
/// least 14 days ahead, otherwise every date moved on by the whole weeks that put that meeting 14
/// to 20 days ahead (whole weeks keep each meeting on its weekday). Everything keeps its place
/// relative to the meeting: the interests that have ended, the gifts in the last 12 months.
nlohmann::json demo_shifted_for(const nlohmann::json& demo, const Date& today);

/// The demo bundle as it should be loaded on `today`: demo_shifted_for, then its year placed on
/// `today` (place_demo_year).
nlohmann::json demo_for(const nlohmann::json& demo, const Date& today, const YearRules& rules = {});

}  // namespace probity

#include <SQLiteCpp/SQLiteCpp.h>

namespace probity {

/// The demo's breaches register and Guardian's work, added after the demo bundle is imported
/// (the bundle format carries neither): Dr Fletcher's late declaration, confirmed and signed off
/// by the Guardian (so published, anonymised); a hospitality breach confirmed by governance and
/// awaiting the Guardian; and Ms Ellison's request to withhold her volunteering, forwarded to the
/// Guardian. Does nothing when the register already has a breach recorded by hand or a
/// withholding request. Throws SQLite::Exception.
void add_demo_guardian_records(SQLite::Database& db, const Date& today);

}  // namespace probity
