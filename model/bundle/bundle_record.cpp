#include "model/bundle/bundle_record.hpp"

#include <algorithm>
#include <map>

#include "model/store/entities.hpp"
#include "model/base/text.hpp"

namespace probity {
namespace {
std::string ref_message(const std::string& kind) {
  return "must be the ref of " + std::string(kind == "organisations" ? "an " : "a ") + bundle_singular(kind);
}
}  // namespace

std::string bundle_singular(const std::string& kind) {
  static const std::map<std::string, std::string> names = {
      {"organisations", "organisation"}, {"people", "person"},   {"committees", "committee"},
      {"interests", "interest"},         {"gifts", "gift"},       {"nil_returns", "nil return"}, {"confirmations", "confirmation"},
      {"meetings", "meeting"},           {"agenda_items", "agenda item"}, {"bodies", "body"}};
  return names.at(kind);
}

BundleRecord::BundleRecord(const nlohmann::json& object, std::string path, std::vector<BundleError>& errors)
    : object_(object), path_(std::move(path)), errors_(errors) {
  for (const auto& [key, value] : object_.items()) {
    if (value.is_string()) fields_.set(key, value.get<std::string>());
    else if (value.is_number()) fields_.set(key, value.dump());
  }
}

std::string BundleRecord::at(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

std::string BundleRecord::element_path(const std::string& key, std::size_t index) const {
  return at(key) + "[" + std::to_string(index) + "]";
}

void BundleRecord::error(const std::string& key, std::string message) const { errors_.push_back({at(key), std::move(message)}); }

void BundleRecord::only(std::initializer_list<const char*> allowed) const {
  for (const auto& [key, value] : object_.items())
    if (std::none_of(allowed.begin(), allowed.end(), [&name = key](const char* a) { return name == a; })) error(key, "unknown field");
}

bool BundleRecord::present(const std::string& key) const { return object_.contains(key) && !object_.at(key).is_null(); }

std::string BundleRecord::text(const std::string& key, bool required, std::size_t max) const {
  if (!present(key)) {
    if (required) error(key, "required");
    return {};
  }
  if (!object_.at(key).is_string()) {
    error(key, "must be a string");
    return {};
  }
  std::string s = fields_.raw(key);
  if (required && trim(s).empty()) error(key, "must not be empty");
  else if (utf8_length(s) > max) error(key, "must be at most " + std::to_string(max) + " characters");
  return s;
}

std::string BundleRecord::ref() const { return text("ref", true, 100); }

bool BundleRecord::flag(const std::string& key, bool fallback) const {
  if (!present(key)) return fallback;
  if (!object_.at(key).is_boolean()) {
    error(key, "must be true or false");
    return fallback;
  }
  return object_.at(key).get<bool>();
}

int BundleRecord::whole_number(const std::string& key, int fallback, int min, int max) const {
  if (!present(key)) return fallback;
  const std::string message = "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  Problems problems;
  const auto n = object_.at(key).is_number_integer() ? fields_.whole_number(key, min, max, message, problems) : std::nullopt;
  if (!n) {
    error(key, message);
    return fallback;
  }
  return static_cast<int>(*n);
}

std::optional<Date> BundleRecord::date(const std::string& key, bool required) const {
  if (!present(key)) {
    if (required) error(key, "required");
    return std::nullopt;
  }
  std::optional<Date> d = object_.at(key).is_string() ? Date::parse(fields_.raw(key)) : std::nullopt;
  if (!d) error(key, "not a date (expected YYYY-MM-DD)");
  return d;
}

std::optional<std::int64_t> BundleRecord::pence(const std::string& key) const {
  if (!present(key)) {
    error(key, "required");
    return std::nullopt;
  }
  const bool is_text = object_.at(key).is_string();
  const std::string s = is_text ? fields_.raw(key) : "";
  std::optional<std::int64_t> amount;
  if (!s.empty() && s[0] == '-') error(key, "must not be negative");
  else if (!(amount = is_text ? parse_pounds(s) : std::nullopt)) error(key, "not an amount (expected pounds as a string like \"45.00\")");
  return amount;
}

std::optional<BundleLink> BundleRecord::link(const std::string& key, const std::string& kind, bool required) const {
  if (!present(key)) {
    if (required) error(key, "required");
    return std::nullopt;
  }
  const std::string ref = object_.at(key).is_string() ? fields_.raw(key) : "";
  if (ref.empty()) {
    error(key, ref_message(kind));
    return std::nullopt;
  }
  return BundleLink{kind, ref, at(key)};
}

std::vector<BundleLink> BundleRecord::links(const std::string& key, const std::string& kind) const {
  std::vector<BundleLink> out;
  const nlohmann::json* refs = list(key);
  if (!refs) return out;
  for (std::size_t i = 0; i < refs->size(); ++i) {
    const auto& ref = (*refs)[i];
    if (!ref.is_string() || ref.get<std::string>().empty())
      errors_.push_back({element_path(key, i), ref_message(kind)});
    else
      out.push_back(BundleLink{kind, ref.get<std::string>(), element_path(key, i)});
  }
  return out;
}

std::map<std::string, std::string> BundleRecord::text_map(const std::string& key) const {
  std::map<std::string, std::string> out;
  if (!present(key)) return out;
  const auto& v = object_.at(key);
  if (!v.is_object()) {
    error(key, "must be an object of text");
    return out;
  }
  for (const auto& [k, member] : v.items()) {
    if (!member.is_string()) error(key, k + " must be a string");
    else out.emplace(k, member.get<std::string>());
  }
  return out;
}

std::optional<BundleRecord> BundleRecord::object(const std::string& key) const {
  if (!present(key)) return std::nullopt;
  if (!object_.at(key).is_object()) {
    error(key, "must be an object");
    return std::nullopt;
  }
  return BundleRecord(object_.at(key), at(key), errors_);
}

const nlohmann::json* BundleRecord::list(const std::string& key) const {
  if (!present(key)) return nullptr;
  if (!object_.at(key).is_array()) {
    error(key, "must be an array");
    return nullptr;
  }
  return &object_.at(key);
}

}  // namespace probity
