#pragma once
// The public register as JSON, the document the API serves: people by their public summary (no
// contact details), entries with their detail, or withheld entries with "withheld": true and no
// detail keys at all.
#include <nlohmann/json.hpp>

#include "model/public/public_register.hpp"

namespace probity {

void to_json(nlohmann::json& j, const PublicMembership& m);
void to_json(nlohmann::json& j, const PublicBody& b);
void to_json(nlohmann::json& j, const PublicBodySummary& b);
void to_json(nlohmann::json& j, const PublicPersonSummary& p);
void to_json(nlohmann::json& j, const PublicInterest& e);
void to_json(nlohmann::json& j, const PublicRegisterRow& r);
void to_json(nlohmann::json& j, const PublicGift& g);
void to_json(nlohmann::json& j, const PublicNilReturn& n);
void to_json(nlohmann::json& j, const PublicPerson& p);
void to_json(nlohmann::json& j, const PublicCommitteeSummary& c);
void to_json(nlohmann::json& j, const PublicCommitteeMember& m);
void to_json(nlohmann::json& j, const PublicCommittee& c);
void to_json(nlohmann::json& j, const PublicEntryVersion& v);
void to_json(nlohmann::json& j, const PublicEntryHistory& h);
void to_json(nlohmann::json& j, const RegisterPage& p);
void to_json(nlohmann::json& j, const GiftsPage& p);
void to_json(nlohmann::json& j, const FilterError& e);
void to_json(nlohmann::json& j, const PublicRegisterChange& c);

}  // namespace probity
