// libFuzzer target: the urlencoded form parser every HTML form goes through
// (server/http/forms.cpp; there is no multipart parser). Beyond "no crash", it checks the parser's
// promises:
// - a body is either parsed or refused with HttpError 400, never any other exception;
// - what it accepts is within FormLimits, each field once, with clean UTF-8 names and values;
// - round trip: the fuzzer's bytes are also read as a map of fields (NUL-separated name/value
//   pairs); encoding that map, with our encoder and with cpp-httplib's (which the browser-like
//   test clients use), and parsing it again gives the same map back, or a 400 exactly when the
//   map breaks a rule (a repeated or empty name, bytes that are not clean UTF-8, a limit).
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/base/text.hpp"
#include "server/http/forms.hpp"
#include "server/http/http_error.hpp"

namespace {
using probity::Fields;
using probity::FormLimits;
using probity::HttpError;

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "forms_fuzz: broken promise: %s\n", what);
    std::abort();
  }
}

// Small limits so the fuzzer reaches them with short inputs.
const FormLimits kLimits{8, 16, 64};

/// Parses `body`; nullopt when refused (which must be a 400).
std::optional<Fields> parse(std::string_view body) {
  try {
    return probity::parse_form_body(body, kLimits);
  } catch (const HttpError& e) {
    require(e.status == 400, "a refused form is a 400");
    require(!e.code.empty() && std::string_view(e.what()).size() > 0, "a refusal says why");
    return std::nullopt;
  }
}

// Percent-encodes every byte outside the unreserved set; spaces as '+' or %20 alternately, so
// both spellings are exercised.
std::string encode(std::string_view s, bool plus_for_space) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ' && plus_for_space) {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

/// Whether the parser should accept this map of fields (in order, possibly with repeats).
bool acceptable(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::map<std::string, std::string> seen;
  for (const auto& [name, value] : fields) {
    if (name.empty() || name.size() > kLimits.max_name_bytes || !probity::is_clean_text(name)) return false;
    if (value.size() > kLimits.max_value_bytes || !probity::is_clean_text(value)) return false;
    if (!seen.emplace(name, value).second) return false;
  }
  return seen.size() <= kLimits.max_fields;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  // 1. The bytes as a request body.
  if (auto form = parse(text)) {
    require(form->all().size() <= kLimits.max_fields, "at most max_fields fields");
    for (const auto& [name, value] : form->all()) {
      require(!name.empty() && name.size() <= kLimits.max_name_bytes, "names are within limits");
      require(value.size() <= kLimits.max_value_bytes, "values are within limits");
      require(probity::is_clean_text(name) && probity::is_clean_text(value), "only clean UTF-8 gets through");
      require(form->raw(name) == value && form->has(name), "raw() gives the value");
      const auto trimmed = form->get(name);
      require(trimmed.size() <= value.size() && value.find(trimmed) != std::string::npos, "get() trims, nothing more");
    }
    // What was accepted re-encodes to a body that parses to the same fields.
    std::string again;
    bool plus = false;
    for (const auto& [name, value] : form->all()) {
      again += (again.empty() ? "" : "&") + encode(name, plus) + "=" + encode(value, !plus);
      plus = !plus;
    }
    auto reparsed = parse(again);
    require(reparsed && reparsed->all() == form->all(), "an accepted form round-trips");
  }

  // 2. The bytes as a map: NUL separates name, value, name, value, ...
  std::vector<std::pair<std::string, std::string>> fields;
  std::size_t start = 0;
  std::vector<std::string> parts;
  for (std::size_t i = 0; i <= text.size(); ++i)
    if (i == text.size() || text[i] == '\0') {
      parts.emplace_back(text.substr(start, i - start));
      start = i + 1;
    }
  for (std::size_t i = 0; i + 1 < parts.size(); i += 2) fields.emplace_back(parts[i], parts[i + 1]);
  if (fields.empty()) return 0;
  std::map<std::string, std::string> expected(fields.begin(), fields.end());
  const bool ok = acceptable(fields);
  std::string ours, httplibs;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto& [name, value] = fields[i];
    ours += (i ? "&" : "") + encode(name, i % 2 == 0) + "=" + encode(value, i % 2 == 1);
    httplibs += (i ? "&" : "") + httplib::detail::encode_query_param(name) + "=" + httplib::detail::encode_query_param(value);
  }
  for (const auto& body : {ours, httplibs}) {
    auto parsed = parse(body);
    require(parsed.has_value() == ok, "an encoded map is accepted exactly when it keeps the rules");
    if (parsed) require(parsed->all() == expected, "an encoded map round-trips");
  }
  return 0;
}
