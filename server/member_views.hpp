#pragma once
// View data for the member pages (the dashboard's is also the JSON of GET /api/v1/my), the NHS
// form fields the member and governance pages share, and a record's history as pages and the API
// show it.
#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "model/entities.hpp"
#include "model/gift_rules.hpp"
#include "model/json.hpp"
#include "server/forms.hpp"

namespace probity {

/// The versions of record `id` in `Store`, oldest first: each {version, recorded_at,
/// recorded_by} plus what `describe(entity)` adds (an object: the fields a page shows).
template <typename Store, typename Describe>
nlohmann::json history_json(SQLite::Database& db, Id id, Describe describe) {
  nlohmann::json versions = nlohmann::json::array();
  for (const auto& v : Store(db).history(id)) {
    nlohmann::json item = {{"version", v.version}, {"recorded_at", v.recorded_at}, {"recorded_by", v.recorded_by}};
    item.update(describe(v.entity));
    versions.push_back(std::move(item));
  }
  return versions;
}

/// The API's history of a record: each version's whole record under `key`.
template <typename Store>
nlohmann::json history_json(SQLite::Database& db, Id id, const char* key) {
  return history_json<Store>(db, id, [key](const auto& entity) { return nlohmann::json{{key, entity}}; });
}

/// A history_json reversed, as pages list versions: the newest first.
nlohmann::json newest_first(nlohmann::json versions);

/// The element ids errors link to when they differ from the field name (dates: the day input;
/// radios: the first option).
const std::map<std::string, std::string>& field_ids();

/// View data for an NHS date input: {"x_day", "x_month", "x_year"} from the form, or split
/// from `x` (YYYY-MM-DD) when the form did not send the parts.
void add_date_parts(nlohmann::json& view, const std::string& name, const Fields& fields);

/// A declaration's status in plain words ("Returned to you").
std::string status_label(DeclarationStatus s);

/// Governance's comment on a returned declaration ("interest", "gift" or "nil_return"), or false
/// when it is not returned (the dashboard's and the API's `review_comment`).
nlohmann::json review_comment(SQLite::Database& db, const std::string& kind, Id id, DeclarationStatus status);

/// One choice of a radios field.
struct FieldOption {
  std::string value, label, hint;
};

/// View data for the _input / _textarea partials: the field's value from `f`, its message from `e`.
nlohmann::json text_field(const Fields& f, const Problems& e, const std::string& name, const std::string& label,
                          const std::string& hint, const std::string& width = "");
/// View data for the _date_input partial (day, month and year from `f`).
nlohmann::json date_field(const Fields& f, const Problems& e, const std::string& name, const std::string& legend,
                          const std::string& hint);
/// View data for the _radios partial.
nlohmann::json radios(const Fields& f, const Problems& e, const std::string& name, const std::string& legend,
                      const std::string& hint, const std::vector<FieldOption>& options);

/// The organisation's name, or "" when none or unknown.
std::string organisation_name(SQLite::Database& db, const std::optional<Id>& id);
/// The member's declarations and what is due on `on`.
nlohmann::json dashboard_view(SQLite::Database& db, Id person_id, const Date& on);
/// An interest's current values as form fields (for the edit form).
Fields interest_fields(SQLite::Database& db, const Interest& i);
nlohmann::json interest_form_view(const Fields& fields, const Problems& errors, const std::string& action, bool editing);
nlohmann::json interest_detail_view(SQLite::Database& db, const Interest& i, const std::string& saved);
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
