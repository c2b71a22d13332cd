#include "server/http/forms.hpp"

#include "model/base/text.hpp"
#include "server/http/http_error.hpp"

namespace probity {
namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode_component(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= s.size()) throw HttpError(400, "bad_form", "The form data is not correctly encoded.");
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) throw HttpError(400, "bad_form", "The form data is not correctly encoded.");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

Fields parse_form_body(std::string_view body, const FormLimits& limits) {
  std::map<std::string, std::string> fields;
  std::size_t start = 0;
  while (start <= body.size() && !body.empty()) {
    auto end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const auto pair = body.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) {
      if (end == body.size()) break;
      continue;
    }
    const auto eq = pair.find('=');
    const std::string name = decode_component(pair.substr(0, eq));
    const std::string value = eq == std::string_view::npos ? std::string() : decode_component(pair.substr(eq + 1));
    if (name.empty() || name.size() > limits.max_name_bytes || !is_clean_text(name))
      throw HttpError(400, "bad_form", "The form contains a field name this service does not accept.");
    if (value.size() > limits.max_value_bytes)
      throw HttpError(400, "field_too_long", "A field in the form is longer than this service accepts.", {{name, "Too long"}});
    if (!is_clean_text(value))
      throw HttpError(400, "bad_form", "The form contains characters this service does not accept.", {{name, "Invalid characters"}});
    if (!fields.emplace(name, value).second)
      throw HttpError(400, "duplicate_field", "The form sent the field '" + name + "' more than once.", {{name, "Sent more than once"}});
    if (fields.size() > limits.max_fields) throw HttpError(400, "too_many_fields", "The form has more fields than this service accepts.");
    if (end == body.size()) break;
  }
  return Fields(std::move(fields));
}

Fields parse_form(const httplib::Request& req, const FormLimits& limits) {
  const auto type = req.get_header_value("Content-Type");
  if (!req.body.empty() && type.rfind("application/x-www-form-urlencoded", 0) != 0)
    throw HttpError(415, "unsupported_media_type", "Forms must be sent as application/x-www-form-urlencoded.");
  return parse_form_body(req.body, limits);
}

nlohmann::json error_view(const Problems& problems, const std::map<std::string, std::string>& ids) {
  nlohmann::json out = nlohmann::json::object();
  if (problems.empty()) return out;
  nlohmann::json summary = nlohmann::json::array();
  nlohmann::json errors = nlohmann::json::object();
  for (const auto& [field, message] : problems.list()) {
    auto id = ids.find(field);
    summary.push_back({{"href", "#" + (id == ids.end() ? field : id->second)}, {"text", message}});
    errors[field] = message;
  }
  out["error_summary"] = summary;
  out["errors"] = errors;
  out["has_errors"] = true;
  return out;
}

}  // namespace probity
