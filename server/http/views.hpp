#pragma once
// Renders the Mustache templates compiled into the binary. Views take the same JSON document
// the API returns, so a page and its JSON cannot drift apart. Values are HTML-escaped by the
// template engine unless a template uses triple braces (only for already-rendered HTML).
#include <nlohmann/json.hpp>
#include <string>

namespace probity {

/// Renders template `name` (file name without .mustache) with `data`; templates whose names
/// start with `_` are available as partials ({{> _name}}). Beside every field whose value is an ISO
/// date (2026-12-17) or instant (2026-12-03T03:44:45Z) the template also sees FIELD_long, the
/// words people read ("17 December 2026", "3 December 2026 at 3:44am", UK time), unless the data
/// has its own FIELD_long; and beside every code in a field named status, role, kind, category,
/// state, outcome, person_kind or entity_kind, FIELD_label, its words from the one table of labels
/// (code_label in model/public/register_labels.hpp), unless the data has its own. Throws std::runtime_error for an unknown or invalid template.
std::string render_template(const std::string& name, const nlohmann::json& data);

/// Renders template `name` like render_template but without HTML escaping, for plain text such as
/// the text part of an email (an `&` stays `&`). Never use it for a page. Throws as render_template.
std::string render_text_template(const std::string& name, const nlohmann::json& data);

/// True when a template of that name is compiled in.
bool has_template(const std::string& name);

}  // namespace probity
