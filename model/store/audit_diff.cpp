#include "model/store/audit_diff.hpp"

#include <nlohmann/json.hpp>

namespace probity {
namespace {
using json = nlohmann::json;

json object_of(const std::string& text) {
  if (text.empty()) return json::object();
  auto j = json::parse(text, nullptr, false);
  return j.is_object() ? j : json::object();
}

std::string shown(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  return v.dump();
}

std::string label_of(const std::string& field) {
  std::string out = field;
  for (char& c : out)
    if (c == '_') c = ' ';
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}
}  // namespace

std::vector<FieldChange> audit_changes(const std::string& before_json, const std::string& after_json) {
  const json before = object_of(before_json), after = object_of(after_json);
  std::vector<FieldChange> out;
  auto consider = [&](const std::string& key) {
    if (key == "id" || key == "ref") return;
    const json b = before.contains(key) ? before.at(key) : json(nullptr);
    const json a = after.contains(key) ? after.at(key) : json(nullptr);
    if (b == a) return;
    out.push_back({key, label_of(key), shown(b), shown(a)});
  };
  for (const auto& [key, value] : after.items()) consider(key);
  for (const auto& [key, value] : before.items())
    if (!after.contains(key)) consider(key);
  return out;
}

}  // namespace probity
