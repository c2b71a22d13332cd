#include "model/public/register_json.hpp"

#include "model/store/json.hpp"

namespace probity {
namespace {

nlohmann::json opt_date(const std::optional<Date>& d) { return d ? nlohmann::json(d->iso()) : nlohmann::json(nullptr); }
nlohmann::json opt_text(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }
nlohmann::json opt_org(const std::optional<PublicOrganisation>& o) { return o ? nlohmann::json(*o) : nlohmann::json(nullptr); }

}  // namespace

void to_json(nlohmann::json& j, const PublicMembership& m) {
  j = {{"committee_id", m.committee_id}, {"committee_name", m.committee_name}, {"role", to_string(m.role)},
       {"from", m.from.iso()}, {"to", opt_date(m.to)}};
}

void to_json(nlohmann::json& j, const PublicBody& b) { j = {{"id", b.id}, {"name", b.name}}; }

void to_json(nlohmann::json& j, const PublicBodySummary& b) {
  j = {{"id", b.body.id},
       {"name", b.body.name},
       {"ods_code", opt_text(b.ods_code)},
       {"kind", to_string(b.kind)},
       {"publication", to_string(b.publication)},
       {"register_url", opt_text(b.register_url)},
       {"entries", b.entries}};
}

void to_json(nlohmann::json& j, const PublicPersonSummary& p) {
  j = {{"id", p.id}, {"ref", p.ref}, {"name", p.name}, {"kind", to_string(p.kind)}, {"positions", p.positions},
       {"body", p.body}};
  if (p.name_withheld) {
    j["id"] = nullptr;
    j["ref"] = nullptr;
    j["name_withheld"] = true;
  }
}

void to_json(nlohmann::json& j, const PublicInterest& e) {
  j = {{"id", e.id}, {"withheld", e.withheld()}};
  if (!e.detail) return;  // withheld: the detail keys are absent, not null
  const auto& d = *e.detail;
  j["ref"] = d.ref;
  j["category"] = to_string(d.category);
  j["indirect"] = d.indirect;
  j["relationship"] = opt_text(d.relationship);
  j["organisation"] = opt_org(d.organisation);
  j["nature"] = d.nature;
  j["from"] = d.from.iso();
  j["to"] = opt_date(d.to);
  j["action_taken"] = d.action_taken;
  j["declared_on"] = d.declared_on.iso();
  j["kind"] = to_string(d.kind);  // the kind of interest and its own details
  j["details"] = d.details;
}

void to_json(nlohmann::json& j, const PublicRegisterRow& r) {
  j = r.entry;
  j["person"] = r.person;
}

void to_json(nlohmann::json& j, const PublicGift& g) {
  j = {{"id", g.id},
       {"person", g.person},
       {"kind", to_string(g.kind)},
       {"description", g.description},
       {"source", g.source},
       {"organisation", opt_org(g.organisation)},
       {"value", format_pounds(g.value_pence)},
       {"value_pence", g.value_pence},
       {"offered_on", g.offered_on.iso()},
       {"outcome", to_string(g.outcome)},
       {"declared_on", g.declared_on.iso()},
       {"awaiting_approval", g.awaiting_approval}};
  // Hospitality from a supplier over the upper threshold: who approved it and why.
  if (!g.approved_by.empty())
    j["approval"] = {{"approved_by", g.approved_by}, {"approver_role", g.approver_role}, {"reason", g.approval_reason}};
  else
    j["approval"] = nullptr;
}

void to_json(nlohmann::json& j, const PublicNilReturn& n) {
  j = {{"id", n.id}, {"made_on", n.made_on.iso()}, {"statement", n.statement}};
}

void to_json(nlohmann::json& j, const PublicPerson& p) {
  j = p.person;
  j["left_on"] = opt_date(p.left_on);
  j["memberships"] = p.memberships;
  j["interests"] = p.interests;
  auto gifts = nlohmann::json::array();
  for (const auto& g : p.gifts) {
    nlohmann::json one = g;
    one.erase("person");  // the page is the person's own
    gifts.push_back(std::move(one));
  }
  j["gifts"] = std::move(gifts);
  j["nil_returns"] = p.nil_returns;
  j["compliance"] = p.compliance;
}

void to_json(nlohmann::json& j, const PublicCommitteeSummary& c) {
  j = {{"id", c.id}, {"ref", c.ref}, {"name", c.name}, {"description", c.description}, {"member_count", c.member_count},
       {"bodies", c.bodies}};
}

void to_json(nlohmann::json& j, const PublicCommitteeMember& m) {
  j = {{"person", m.person}, {"role", to_string(m.role)}, {"from", m.from.iso()}, {"to", opt_date(m.to)},
       {"compliance", m.compliance}};
}

void to_json(nlohmann::json& j, const PublicCommittee& c) {
  j = c.committee;
  j["members"] = c.members;
  j["register"] = c.register_rows;
  // The register's page, as /api/v1/register pages its entries.
  j["total"] = c.total;
  j["page"] = c.page;
  j["page_size"] = c.page_size;
  j["page_count"] = c.page_count;
}

void to_json(nlohmann::json& j, const PublicEntryVersion& v) {
  j = v.entry;
  if (v.entry.withheld()) return;  // withheld: no number or time, absent rather than null
  j["version"] = v.version;
  j["recorded_at"] = v.recorded_at;
}

void to_json(nlohmann::json& j, const PublicEntryHistory& h) {
  j = {{"id", h.id}, {"person", h.person}, {"versions", h.versions}};
}

void to_json(nlohmann::json& j, const RegisterPage& p) {
  j = {{"total", p.total}, {"page", p.page}, {"page_size", p.page_size}, {"page_count", p.page_count}, {"entries", p.entries}};
}

void to_json(nlohmann::json& j, const GiftsPage& p) {
  j = {{"total", p.total}, {"page", p.page}, {"page_size", p.page_size}, {"page_count", p.page_count}, {"gifts", p.gifts}};
}

void to_json(nlohmann::json& j, const FilterError& e) { j = {{"field", e.field}, {"message", e.message}}; }

void to_json(nlohmann::json& j, const PublicRegisterChange& c) {
  j = c.entry;
  j["version"] = c.version;
  j["recorded_at"] = c.recorded_at;
  j["first"] = c.first;
  j["person"] = c.person;
}

}  // namespace probity
