#pragma once
// View data for the member pages (the dashboard's is also the JSON of GET /api/v1/my), and the
// words for a declaration's status and review that governance's pages show too.
#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "model/store/entities.hpp"
#include "model/register/declaration_year.hpp"
#include "model/register/gift_rules.hpp"
#include "model/store/json.hpp"
#include "server/http/form_views.hpp"

namespace probity {

/// A declaration's status in plain words ("Returned to you").
std::string status_label(DeclarationStatus s);

/// Governance's comment on a returned declaration ("interest", "gift" or "nil_return"), or false
/// when it is not returned (the dashboard's and the API's `review_comment`).
nlohmann::json review_comment(SQLite::Database& db, const std::string& kind, Id id, DeclarationStatus status);

/// The organisation's name, or "" when none or unknown.
std::string organisation_name(SQLite::Database& db, const std::optional<Id>& id);
/// The member's declarations and their declaration year on `on` (state, reasons, late declarations).
nlohmann::json dashboard_view(SQLite::Database& db, Id person_id, const Date& on, const YearRules& rules);
/// The member's year in plain words ("Your annual confirmation is due by 30 April 2027").
nlohmann::json my_year_view(const PersonYear& year);
/// The annual confirmation page: the member's current entries, with the statement to confirm.
nlohmann::json confirmation_view(SQLite::Database& db, Id person_id, const Date& on, const YearRules& rules, const Problems& errors);
/// An interest's current values as form fields (for the edit form).
Fields interest_fields(SQLite::Database& db, const Interest& i);
nlohmann::json interest_form_view(const Fields& fields, const Problems& errors, const std::string& action, bool editing);
nlohmann::json interest_detail_view(SQLite::Database& db, const Interest& i, const std::string& saved);
/// The entry's withholding request as its page shows it: the latest request (status, reasons)
/// and `may_ask` (not withheld, no request awaiting a decision), with the form's `action`.
nlohmann::json withholding_view(SQLite::Database& db, const Interest& i);
nlohmann::json end_form_view(SQLite::Database& db, const Interest& i, const Fields& fields, const Problems& errors);
/// The nil return form; `action` is where it posts, `editing` when it changes an existing one.
nlohmann::json nil_return_view(const Fields& fields, const Problems& errors, const std::string& action, bool editing);
/// A nil return's current statement as form fields (the member confirms it again).
Fields nil_return_fields(const NilReturn& n);
nlohmann::json nil_return_detail_view(SQLite::Database& db, const NilReturn& n, const std::string& saved);
/// The gift form; `c` is the outcome of the rules once checked. `action` and `editing` as above.
nlohmann::json gift_form_view(const Fields& fields, const Problems& errors, const std::optional<GiftClassification>& c,
                              const std::string& action, bool editing);
/// A gift's current values as form fields (for the edit form).
Fields gift_fields(const Gift& g);
nlohmann::json gift_detail_view(SQLite::Database& db, const Gift& g, const std::string& saved);

}  // namespace probity
