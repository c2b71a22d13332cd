#pragma once
// The audit trail's before/after JSON as readable field-by-field changes, for governance's
// history pages.
#include <string>
#include <vector>

namespace probity {

struct FieldChange {
  std::string field;   // the stored name, e.g. "withheld_reason"
  std::string label;   // for people, e.g. "Withheld reason"
  std::string before;  // "" when the field had no value (or there was no before: a creation)
  std::string after;
  bool operator==(const FieldChange&) const = default;
};

/// The fields that differ between two audit JSON objects (either may be "" for none), in
/// alphabetical order of field name (as the stored JSON is written), then any only in before. Values are shown as text: strings
/// as they are, true/false as "yes"/"no", null as "", others as JSON. The identity fields id and
/// ref are left out: they never change. Text that is not a JSON object counts as no fields.
/// Throws nothing.
std::vector<FieldChange> audit_changes(const std::string& before_json, const std::string& after_json);

}  // namespace probity
