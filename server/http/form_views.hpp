#pragma once
// View data for the NHS form patterns every area's pages use: a text input, a date input, radios,
// the element ids that error links point to, and a record's history (its versions) as pages and
// the API show it. The partials in templates/partials/ render them.
#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/base/fields.hpp"
#include "model/base/problems.hpp"
#include "model/store/entities.hpp"
#include "server/http/forms.hpp"

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

/// The field's message for the partials' `error`: its problem's text, or false when it has none.
nlohmann::json field_error(const Problems& problems, const std::string& field);

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

/// One row of an NHS summary list: {"key": ..., "value": ...}.
nlohmann::json summary_row(const std::string& key, const std::string& value);

}  // namespace probity
