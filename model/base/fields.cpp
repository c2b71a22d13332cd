#include "model/base/fields.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iterator>

#include "model/base/text.hpp"

namespace probity {
namespace {
bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string clean(const std::string& key, const std::string& s) {
  if (!is_clean_text(s)) throw InputError("The field '" + key + "' contains characters this service does not accept.");
  return s;
}
}  // namespace

Fields Fields::from_json(const nlohmann::json& object, std::initializer_list<const char*> lists) {
  if (!object.is_object()) throw InputError("The request body must be a JSON object.");
  Fields out;
  for (const auto& [key, value] : object.items()) {
    clean(key, key);
    if (value.is_string()) {
      out.values_[key] = trim(clean(key, value.get<std::string>()));
    } else if (value.is_boolean()) {
      out.values_[key] = value.get<bool>() ? "yes" : "no";
    } else if (value.is_number()) {
      out.values_[key] = value.dump();
    } else if (value.is_null()) {
      out.values_[key] = "";
    } else if (value.is_array() && std::any_of(lists.begin(), lists.end(), [&name = key](const char* l) { return name == l; })) {
      std::string joined;
      for (const auto& element : value) {
        if (!element.is_number_integer() && !element.is_string())
          throw InputError("The field '" + key + "' must be a list of ids.");
        if (!joined.empty()) joined += ',';
        joined += element.is_string() ? clean(key, element.get<std::string>()) : element.dump();
      }
      out.values_[key] = joined;
    } else {
      throw InputError("The field '" + key + "' must be text, a number or true/false.");
    }
  }
  return out;
}

std::string Fields::get(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::string() : trim(it->second);
}

std::string Fields::raw(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::string() : it->second;
}

bool Fields::checked(const std::string& name) const {
  const auto v = get(name);
  return !v.empty() && v != "false" && v != "no" && v != "0";
}

std::string Fields::text(const std::string& name, const std::string& label, std::size_t max, Problems& problems,
                         const std::string& required) const {
  std::string v = get(name);
  if (v.empty() && !required.empty()) problems.add(name, required);
  else if (utf8_length(v) > max) problems.add(name, label + " must be " + std::to_string(max) + " characters or fewer");
  return v;
}

std::optional<Date> Fields::date(const std::string& name, const std::string& label, Problems& problems, bool required) const {
  const std::string v = get(name);
  if (v.empty()) {
    if (required) problems.add(name, "Enter the " + label);
    return std::nullopt;
  }
  auto d = Date::parse(v);
  if (d && d->year() >= 1900 && d->year() <= 2200) return d;
  std::string cap = label;
  if (!cap.empty()) cap[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(cap[0])));
  problems.add(name, cap + " must be a real date");
  return std::nullopt;
}

std::optional<bool> Fields::yes_no(const std::string& name, const std::string& message, Problems& problems) const {
  const std::string v = get(name);
  if (v == "yes" || v == "true") return true;
  if (v == "no" || v == "false") return false;
  problems.add(name, message);
  return std::nullopt;
}

std::optional<std::int64_t> Fields::id(const std::string& name) const {
  const auto s = get(name);
  if (s.size() > 18 || !all_digits(s)) return std::nullopt;
  return std::stoll(s);
}

std::optional<std::vector<std::int64_t>> Fields::ids(const std::string& name) const {
  std::vector<std::int64_t> out;
  const auto s = get(name);
  if (s.empty()) return out;
  for (std::size_t from = 0; from <= s.size();) {
    const auto comma = std::min(s.find(',', from), s.size());
    const auto element = s.substr(from, comma - from);
    if (element.size() > 18 || !all_digits(element)) return std::nullopt;
    out.push_back(std::stoll(element));
    from = comma + 1;
  }
  return out;
}

Fields Fields::from_query(const std::multimap<std::string, std::string>& params, std::initializer_list<const char*> names,
                          Problems& problems) {
  Fields out;
  for (const char* name : names) {
    auto [first, last] = params.equal_range(name);
    if (first == last || first->second.empty()) continue;
    if (std::next(first) != last) problems.add(name, std::string(name) + " was given more than once; give it once");
    else out.values_[name] = first->second;
  }
  return out;
}

std::optional<std::int64_t> Fields::whole_number(const std::string& name, std::int64_t min, std::int64_t max,
                                                 const std::string& message, Problems& problems) const {
  const std::string v = get(name);
  if (v.empty()) return std::nullopt;
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec == std::errc() && end == v.data() + v.size() && n >= min && n <= max) return n;
  problems.add(name, message);
  return std::nullopt;
}

std::optional<std::size_t> Fields::one_of(const std::string& name, std::initializer_list<std::string_view> choices,
                                          const std::string& message, Problems& problems) const {
  const std::string v = get(name);
  if (v.empty()) return std::nullopt;
  const auto it = std::find(choices.begin(), choices.end(), v);
  if (it != choices.end()) return static_cast<std::size_t>(it - choices.begin());
  problems.add(name, message);
  return std::nullopt;
}

}  // namespace probity
