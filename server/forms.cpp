#include "server/forms.hpp"

#include "server/http_error.hpp"

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

std::string trim(std::string_view s) {
  const auto* ws = " \t\r\n";
  const auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return "";
  const auto e = s.find_last_not_of(ws);
  return std::string(s.substr(b, e - b + 1));
}
}  // namespace

bool is_clean_text(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f) return false;
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1fu;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0fu;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (i + len > text.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3fu);
    }
    // Overlong forms, surrogates and values past Unicode are not UTF-8.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += len;
  }
  return true;
}

std::string Form::get(const std::string& name) const {
  auto it = fields_.find(name);
  return it == fields_.end() ? std::string() : trim(it->second);
}

std::string Form::raw(const std::string& name) const {
  auto it = fields_.find(name);
  return it == fields_.end() ? std::string() : it->second;
}

bool Form::checked(const std::string& name) const {
  const auto v = get(name);
  return !v.empty() && v != "false" && v != "no" && v != "0";
}

Form parse_form_body(std::string_view body, const FormLimits& limits) {
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
  return Form(std::move(fields));
}

Form parse_form(const httplib::Request& req, const FormLimits& limits) {
  const auto type = req.get_header_value("Content-Type");
  if (!req.body.empty() && type.rfind("application/x-www-form-urlencoded", 0) != 0)
    throw HttpError(415, "unsupported_media_type", "Forms must be sent as application/x-www-form-urlencoded.");
  return parse_form_body(req.body, limits);
}

void FieldErrors::add(const std::string& field, const std::string& message) {
  if (!has(field)) list_.emplace_back(field, message);
}

bool FieldErrors::has(const std::string& field) const {
  for (const auto& [f, m] : list_)
    if (f == field) return true;
  return false;
}

nlohmann::json FieldErrors::view(const std::map<std::string, std::string>& ids) const {
  nlohmann::json out = nlohmann::json::object();
  if (list_.empty()) return out;
  nlohmann::json summary = nlohmann::json::array();
  nlohmann::json errors = nlohmann::json::object();
  for (const auto& [field, message] : list_) {
    auto id = ids.find(field);
    summary.push_back({{"href", "#" + (id == ids.end() ? field : id->second)}, {"text", message}});
    errors[field] = message;
  }
  out["error_summary"] = summary;
  out["errors"] = errors;
  out["has_errors"] = true;
  return out;
}

nlohmann::json FieldErrors::details() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [field, message] : list_) out[field] = message;
  return out;
}

}  // namespace probity
