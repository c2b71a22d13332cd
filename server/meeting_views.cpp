#include "server/meeting_views.hpp"

#include <map>

#include "model/conflict_decisions.hpp"

namespace probity {
namespace {
using json = nlohmann::json;

std::string label_from(const std::map<std::string, std::string>& labels, const std::string& code) {
  auto it = labels.find(code);
  return it == labels.end() ? code : it->second;
}

void decorate_flag(json& f) {
  f["rule_label"] = conflict_rule_label(f.at("rule").get<std::string>());
  f["certain"] = f.at("confidence") == "certain";
  if (f.at("decision").is_object()) f["decision"]["action_label"] = management_action_label(f["decision"].at("action").get<std::string>());
}
}  // namespace

std::string conflict_rule_label(const std::string& rule) {
  static const std::map<std::string, std::string> labels = {
      {"organisation", "Interest in a linked organisation"},
      {"organisation_group", "Interest in a parent or member organisation"},
      {"own_practice", "Own GP practice is linked"},
      {"all_gp_practices", "Item affects all GP practices"},
      {"indirect", "Through a relative or associate"},
      {"gift_or_hospitality", "Gift or hospitality from a linked organisation"},
      {"similar_name", "Organisation with a similar name"},
      {"withheld", "Interest withheld from the public register"}};
  return label_from(labels, rule);
}

std::string agenda_category_label(const std::string& category) {
  static const std::map<std::string, std::string> labels = {
      {"declarations", "Declarations of interest"}, {"gp_contract", "GP contract"},
      {"local_incentive_scheme", "Local incentive scheme"}, {"enhanced_service", "Enhanced service"},
      {"practice_merger", "Practice merger"}, {"procurement", "Procurement"}, {"finance", "Finance"},
      {"governance", "Governance"}, {"other", "Other"}};
  return label_from(labels, category);
}

json brief_view(const json& conflicts) {
  json view = conflicts;
  auto& items = view["items"];
  int inquorate = 0, flagged = 0, number = 0;
  for (auto& item : items) {
    item["number"] = ++number;
    for (auto& f : item["flags"]) decorate_flag(f);
    item["has_flags"] = !item["flags"].empty();
    auto& q = item["quorum"];
    if (!q.at("quorate").get<bool>()) ++inquorate;
    if (!item["flags"].empty()) ++flagged;
    if (q["presiding"].is_object() && q["presiding"]["role"].is_string())
      q["presiding"]["role_label"] = q["presiding"]["role"] == "chair" ? "Chair" : "Vice-chair";
  }
  // The matrix: one row per participant, one column per item; a cell holds that person's flags
  // on that item (empty when none).
  json rows = json::array();
  for (const auto& p : view["meeting"]["participants"]) {
    json cells = json::array();
    bool any = false;
    for (const auto& item : items) {
      json cell_flags = json::array();
      for (const auto& f : item["flags"])
        if (f["person"]["id"] == p["id"]) cell_flags.push_back(f);
      any = any || !cell_flags.empty();
      cells.push_back({{"item_number", item["number"]}, {"item_title", item["title"]}, {"flags", cell_flags},
                       {"has_flags", !cell_flags.empty()}});
    }
    rows.push_back({{"person", p}, {"cells", std::move(cells)}, {"has_flags", any}});
  }
  view["matrix"] = {{"items", items}, {"rows", std::move(rows)}};
  view["summary"] = {{"items", items.size()}, {"flagged_items", flagged}, {"inquorate_items", inquorate},
                     {"any_inquorate", inquorate > 0}};
  return view;
}

json minutes_view(const json& minutes) {
  json view = minutes;
  int number = 0;
  bool any = !view["declarations"].empty();
  for (auto& item : view["items"]) {
    item["number"] = ++number;
    item["category_label"] = agenda_category_label(item.at("category").get<std::string>());
    const bool recorded = !item["declarations"].empty() || !item["conflicts"].empty() || !item["movements"].empty();
    item["has_records"] = recorded;
    any = any || recorded;
  }
  view["has_general"] = !view["declarations"].empty();
  view["has_declarations"] = any;
  return view;
}

}  // namespace probity
