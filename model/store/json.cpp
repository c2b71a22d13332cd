#include "model/store/json.hpp"

namespace probity {
namespace {
template <typename T>
nlohmann::json optional_json(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
std::string name(auto e) { return std::string(to_string(e)); }
}  // namespace

void to_json(nlohmann::json& j, const Date& d) { j = d.iso(); }

void to_json(nlohmann::json& j, const QuorumRule& q) {
  j = {{"min_voting", q.min_voting}, {"min_lay", q.min_lay}, {"min_executive", q.min_executive},
       {"min_clinical", q.min_clinical}, {"lay_executive_majority", q.lay_executive_majority}, {"lay_chair", q.lay_chair},
       {"lay_member_may_preside", q.lay_member_may_preside}};
  // Joint committees' rules appear only when set, so a single body's JSON reads as before.
  if (q.min_voting_each_body != 0) j["min_voting_each_body"] = q.min_voting_each_body;
  if (!q.min_voting_from_body.empty()) {
    auto& m = j["min_voting_from_body"] = nlohmann::json::object();
    for (const auto& [id, n] : q.min_voting_from_body) m[std::to_string(id)] = n;
  }
}

void to_json(nlohmann::json& j, const Body& e) {
  j = {{"id", e.id}, {"ref", e.ref}, {"name", e.name}, {"ods_code", e.ods_code}, {"kind", name(e.kind)},
       {"contact_email", e.contact_email}, {"publication", name(e.publication)}, {"register_url", e.register_url}};
}

void to_json(nlohmann::json& j, const Organisation& e) {
  j = {{"id", e.id}, {"ref", e.ref}, {"name", e.name}, {"identifier", e.identifier.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.identifier)},
       {"kind", name(e.kind)}, {"parent_id", optional_json(e.parent_id)}};
}

void to_json(nlohmann::json& j, const Person& e) {
  j = {{"id", e.id}, {"ref", e.ref}, {"name", e.name}, {"email", e.email}, {"kind", name(e.kind)},
       {"position", e.position}, {"practice_id", optional_json(e.practice_id)}, {"left_on", optional_json(e.left_on)},
       {"decision_maker", e.decision_maker}, {"body_id", e.body_id}};
}

void to_json(nlohmann::json& j, const Committee& e) {
  j = {{"id", e.id}, {"ref", e.ref}, {"name", e.name}, {"description", e.description}, {"quorum", e.quorum},
       {"body_ids", e.body_ids}};
}

void to_json(nlohmann::json& j, const Membership& e) {
  j = {{"id", e.id}, {"ref", e.ref}, {"committee_id", e.committee_id}, {"person_id", e.person_id},
       {"role", name(e.role)}, {"from", e.from}, {"to", optional_json(e.to)}};
}

void to_json(nlohmann::json& j, const Interest& e) {
  j = {{"id", e.id}, {"ref", e.ref}, {"person_id", e.person_id}, {"category", name(e.category)},
       {"indirect", e.indirect}, {"relationship", e.relationship}, {"organisation_id", optional_json(e.organisation_id)},
       {"nature", e.nature}, {"from", e.from}, {"to", optional_json(e.to)}, {"action_taken", e.action_taken},
       {"declared_on", e.declared_on}, {"status", name(e.status)}, {"withheld", e.withheld},
       {"withheld_reason", e.withheld_reason}, {"aware_on", optional_json(e.aware_on)}, {"kind", name(e.kind)},
       {"details", e.details}};
}

void to_json(nlohmann::json& j, const Gift& e) {
  j = {{"id", e.id}, {"ref", e.ref}, {"person_id", e.person_id}, {"kind", name(e.kind)},
       {"organisation_id", optional_json(e.organisation_id)}, {"source", e.source}, {"from_supplier", e.from_supplier},
       {"cash_or_voucher", e.cash_or_voucher}, {"description", e.description}, {"value", format_pounds(e.value_pence)},
       {"offered_on", e.offered_on}, {"outcome", name(e.outcome)}, {"approved_by", e.approved_by},
       {"declared_on", e.declared_on}, {"status", name(e.status)}, {"approver_role", e.approver_role},
       {"approval_reason", e.approval_reason}, {"approved_on", optional_json(e.approved_on)}};
}

void to_json(nlohmann::json& j, const NilReturn& e) {
  j = {{"id", e.id}, {"ref", e.ref}, {"person_id", e.person_id}, {"made_on", e.made_on},
       {"statement", e.statement}, {"status", name(e.status)}};
}

void to_json(nlohmann::json& j, const Confirmation& e) {
  j = {{"id", e.id}, {"ref", e.ref}, {"person_id", e.person_id}, {"confirmed_on", e.confirmed_on},
       {"year_start", e.year_start}, {"entries", e.entries}};
}

void to_json(nlohmann::json& j, const LineManager& e) {
  j = {{"id", e.id}, {"ref", e.ref}, {"person_id", e.person_id}, {"name", e.name}, {"email", e.email}};
}

void to_json(nlohmann::json& j, const Meeting& e) {
  j = {{"id", e.id}, {"ref", e.ref}, {"committee_id", e.committee_id}, {"title", e.title}, {"date", e.date},
       {"location", e.location}, {"status", name(e.status)}, {"published", e.published},
       {"agenda_published", e.agenda_published}, {"start_time", e.start_time.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.start_time)}};
  // Only for a meeting of committees in common, so other meetings' JSON reads as before.
  if (e.in_common_with) j["in_common_with"] = *e.in_common_with;
}

void to_json(nlohmann::json& j, const Attendance& e) {
  j = {{"id", e.id}, {"ref", e.ref}, {"meeting_id", e.meeting_id}, {"person_id", e.person_id}, {"status", name(e.status)}};
}

void to_json(nlohmann::json& j, const AgendaItem& e) {
  j = {{"id", e.id}, {"ref", e.ref}, {"meeting_id", e.meeting_id}, {"position", e.position}, {"title", e.title},
       {"description", e.description}, {"category", name(e.category)}, {"organisation_ids", e.organisation_ids},
       {"affects_all_gp_practices", e.affects_all_gp_practices}, {"withdrawn", e.withdrawn}};
}

}  // namespace probity
