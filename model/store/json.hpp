#pragma once
// JSON form of each entity as the API and the audit log show it (ids, not refs, for links;
// dates as ISO 8601 strings; absent optional values as null).
#include <nlohmann/json.hpp>

#include "model/store/entities.hpp"

namespace probity {

void to_json(nlohmann::json& j, const Date& d);
void to_json(nlohmann::json& j, const QuorumRule& q);
void to_json(nlohmann::json& j, const Body& e);
void to_json(nlohmann::json& j, const Organisation& e);
void to_json(nlohmann::json& j, const Person& e);
void to_json(nlohmann::json& j, const Committee& e);
void to_json(nlohmann::json& j, const Membership& e);
void to_json(nlohmann::json& j, const Interest& e);
void to_json(nlohmann::json& j, const Gift& e);
void to_json(nlohmann::json& j, const NilReturn& e);
void to_json(nlohmann::json& j, const Confirmation& e);
void to_json(nlohmann::json& j, const LineManager& e);
void to_json(nlohmann::json& j, const Meeting& e);
void to_json(nlohmann::json& j, const Attendance& e);
void to_json(nlohmann::json& j, const AgendaItem& e);

}  // namespace probity
