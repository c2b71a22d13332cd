#pragma once
// Renders the Mustache templates compiled into the binary. Views take the same JSON document
// the API returns, so a page and its JSON cannot drift apart. Values are HTML-escaped by the
// template engine unless a template uses triple braces (only for already-rendered HTML).
#include <nlohmann/json.hpp>
#include <string>

namespace probity {

/// Renders template `name` (file name without .mustache) with `data`; templates whose names
/// start with `_` are available as partials ({{> _name}}). Throws std::runtime_error for an unknown or invalid template.
std::string render_template(const std::string& name, const nlohmann::json& data);

/// Renders template `name` like render_template but without HTML escaping, for plain text such as
/// the text part of an email (an `&` stays `&`). Never use it for a page. Throws as render_template.
std::string render_text_template(const std::string& name, const nlohmann::json& data);

/// True when a template of that name is compiled in.
bool has_template(const std::string& name);

}  // namespace probity
