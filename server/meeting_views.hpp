#pragma once
// View data for the meetings pages. Each takes the JSON document the API returns for the same
// resource and only adds display keys (labels, the people-by-items matrix), so a page and its
// JSON cannot drift apart.
#include <nlohmann/json.hpp>
#include <string>

namespace probity {

/// Plain-English label of a conflict rule ("organisation_group" -> "Parent or member organisation").
std::string conflict_rule_label(const std::string& rule);
/// Plain-English label of an agenda category code.
std::string agenda_category_label(const std::string& category);

/// The chair's brief: GET /api/v1/meetings/{id}/conflicts plus labels on every flag, decision and
/// quorum, the matrix ("matrix": {"items": [...], "rows": [{"person", "cells": [{"flags"}]}]}) and
/// counts for the summary.
nlohmann::json brief_view(const nlohmann::json& conflicts);

/// A meeting's recorded declarations (GET /api/v1/meetings/{id}) plus labels and item numbers.
nlohmann::json minutes_view(const nlohmann::json& minutes);

}  // namespace probity
