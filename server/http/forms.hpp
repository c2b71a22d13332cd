#pragma once
// HTML form input: parsing application/x-www-form-urlencoded bodies strictly, and turning field
// problems into the NHS design system's error pattern (an error summary at the top linking to
// each field, and a message by the field).
#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/base/fields.hpp"
#include "model/base/problems.hpp"

namespace probity {

/// Bounds on what a form may carry; anything larger is refused before it reaches a handler.
struct FormLimits {
  std::size_t max_fields = 64;
  std::size_t max_name_bytes = 64;
  std::size_t max_value_bytes = 20000;
};

/// Parses a urlencoded body. Throws HttpError 400 for a repeated field, a malformed escape,
/// invalid UTF-8 or control characters, or a body past `limits`.
Fields parse_form_body(std::string_view body, const FormLimits& limits = {});

/// Parses the request's body as a form (the query string is ignored: forms are POSTed).
/// Throws HttpError 415 unless the body is application/x-www-form-urlencoded, and as
/// parse_form_body otherwise.
Fields parse_form(const httplib::Request& req, const FormLimits& limits = {});

/// View data for the NHS error pattern: "error_summary": [{"href": "#field", "text": message}],
/// "errors": {"field": message}, "has_errors": true. `ids` maps a field name to its element id
/// when they differ (e.g. a date's day input). Empty object when there are no problems.
nlohmann::json error_view(const Problems& problems, const std::map<std::string, std::string>& ids = {});

}  // namespace probity
