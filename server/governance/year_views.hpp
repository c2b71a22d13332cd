#pragma once
// View data for governance's view of the declaration year: the compliance dashboard (and its JSON
// twin), the people list and non-compliance CSV rows, and one person's events, due dates and late
// declarations. The states come from model/register/declaration_year.hpp, the words from
// describe_event and state_label.
#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "model/base/fields.hpp"
#include "model/base/problems.hpp"
#include "model/register/declaration_year.hpp"
#include "model/register/governance_scope.hpp"

namespace probity {

/// Everyone on the register in post on `on` (and leavers whose final confirmation is still open),
/// each with their year: the people list's and the CSV's rows. With `scope`, only the people that
/// governance account sees (GovernanceScope::sees_person).
nlohmann::json people_year_rows(SQLite::Database& db, const Date& on, const YearRules& rules, const GovernanceScope* scope = nullptr);

/// The compliance dashboard: counts and lists of up to date, due within 28 days, overdue, never
/// declared, late declarations this year, and nil returns from people holding interests.
nlohmann::json compliance_view(SQLite::Database& db, const Date& on, const YearRules& rules, const GovernanceScope* scope = nullptr);

/// One person's year: events with their due dates and when each was answered, late declarations,
/// contradictions, the line manager (with the form's fields and problems). Nullopt: no such person.
std::optional<nlohmann::json> person_year_view(SQLite::Database& db, Id person_id, const Date& on, const YearRules& rules,
                                               const Fields& manager_fields, const Problems& errors);

/// The non-compliance CSV: everyone not up to date, with state, due or overdue dates and reasons.
std::string year_csv(const nlohmann::json& rows);

}  // namespace probity
