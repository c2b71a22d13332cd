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

namespace probity {

/// Bounds on what a form may carry; anything larger is refused before it reaches a handler.
struct FormLimits {
  std::size_t max_fields = 64;
  std::size_t max_name_bytes = 64;
  std::size_t max_value_bytes = 20000;
};

/// The fields of one submitted form, each at most once.
class Form {
 public:
  Form() = default;
  explicit Form(std::map<std::string, std::string> fields) : fields_(std::move(fields)) {}
  /// The field's value with surrounding white space removed; empty when absent.
  std::string get(const std::string& name) const;
  /// The value exactly as sent; empty when absent.
  std::string raw(const std::string& name) const;
  bool has(const std::string& name) const { return fields_.count(name) != 0; }
  /// A checkbox or radio that is present with any non-empty value other than "false" / "no".
  bool checked(const std::string& name) const;
  const std::map<std::string, std::string>& fields() const { return fields_; }
  void set(const std::string& name, std::string value) { fields_[name] = std::move(value); }

 private:
  std::map<std::string, std::string> fields_;
};

/// Parses a urlencoded body. Throws HttpError 400 for a repeated field, a malformed escape,
/// invalid UTF-8 or control characters, or a body past `limits`.
Form parse_form_body(std::string_view body, const FormLimits& limits = {});

/// Parses the request's body as a form (the query string is ignored: forms are POSTed).
/// Throws HttpError 415 unless the body is application/x-www-form-urlencoded, and as
/// parse_form_body otherwise.
Form parse_form(const httplib::Request& req, const FormLimits& limits = {});

/// Problems with a submitted form, in the order the fields appear on the page.
class FieldErrors {
 public:
  /// Records the first problem for `field` (later ones for the same field are ignored).
  void add(const std::string& field, const std::string& message);
  bool empty() const { return list_.empty(); }
  bool has(const std::string& field) const;
  const std::vector<std::pair<std::string, std::string>>& list() const { return list_; }

  /// View data for templates: "error_summary": [{"href": "#field", "text": message}],
  /// "errors": {"field": message}, "has_errors": true. `ids` maps a field name to its element
  /// id when they differ (e.g. a date's day input). Empty object when there are no errors.
  nlohmann::json view(const std::map<std::string, std::string>& ids = {}) const;
  /// {"field": message} for the JSON API's error details.
  nlohmann::json details() const;

 private:
  std::vector<std::pair<std::string, std::string>> list_;
};

/// True when `text` is valid UTF-8 without control characters other than tab, CR and LF.
bool is_clean_text(std::string_view text);

}  // namespace probity
