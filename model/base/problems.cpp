#include "model/base/problems.hpp"

#include <algorithm>

namespace probity {

Problems::Problems(std::initializer_list<FieldProblem> problems) {
  for (const auto& p : problems) add(p);
}

void Problems::add(const std::string& field, const std::string& message) {
  if (!has(field)) list_.push_back({field, message});
}

void Problems::add_all(const std::vector<FieldProblem>& problems) {
  for (const auto& p : problems) add(p);
}

bool Problems::has(const std::string& field) const {
  return std::any_of(list_.begin(), list_.end(), [&](const FieldProblem& p) { return p.field == field; });
}

std::string Problems::message(const std::string& field) const {
  for (const auto& p : list_)
    if (p.field == field) return p.message;
  return "";
}

Problems Problems::ordered(const std::vector<std::string>& order) const {
  auto rank = [&](const std::string& f) { return std::find(order.begin(), order.end(), f) - order.begin(); };
  Problems out = *this;
  std::stable_sort(out.list_.begin(), out.list_.end(), [&](const auto& a, const auto& b) { return rank(a.field) < rank(b.field); });
  return out;
}

nlohmann::json Problems::details() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& p : list_) out[p.field] = p.message;
  return out;
}

}  // namespace probity
