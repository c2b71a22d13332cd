#include "server/governance/committee_views.hpp"

#include "model/meetings/quorum_check.hpp"

#include <algorithm>

#include "model/register/committee_admin.hpp"
#include "model/register/committee_store.hpp"
#include "model/store/json.hpp"
#include "model/register/person_store.hpp"
#include "model/public/public_register.hpp"
#include "model/register/publication_rules.hpp"
#include "server/governance/governance_views.hpp"  // actor_label
#include "server/http/form_views.hpp"

namespace probity {
namespace {
using json = nlohmann::json;

bool in_post_on(const Membership& m, const Date& on) { return m.from <= on && (!m.to || on <= *m.to); }

std::string plural(int n, const std::string& noun) { return std::to_string(n) + " " + noun + (n == 1 ? "" : "s"); }

// The rule in one plain-English paragraph, as the terms of reference would put it.
std::string quorum_sentence(const QuorumRule& q) {
  std::vector<std::string> including;
  if (q.min_lay > 0) including.push_back(plural(q.min_lay, "lay member"));
  if (q.min_executive > 0) including.push_back(plural(q.min_executive, "executive"));
  if (q.min_clinical > 0) including.push_back(plural(q.min_clinical, "clinician"));
  std::string out;
  if (q.min_voting > 0 || !including.empty()) {
    out = "At least " + plural(q.min_voting, "voting member") + " present and free of conflict";
    for (std::size_t i = 0; i < including.size(); ++i)
      out += (i == 0 ? ", including at least " : i + 1 == including.size() ? " and " : ", ") + including[i];
    out += ".";
  }
  if (q.lay_executive_majority) out += std::string(out.empty() ? "" : " ") + "Lay and executive members must be more than half of them.";
  if (q.lay_chair) out += std::string(out.empty() ? "" : " ") + "A lay chair, or a lay vice-chair, must preside.";
  if (q.lay_member_may_preside)
    out += std::string(out.empty() ? "" : " ") + "When neither can, another lay voting member free of conflict may preside.";
  return out.empty() ? "No quorum rule is set: any number of voting members is quorate." : out;
}

const std::vector<FieldOption>& role_options() {
  static const std::vector<FieldOption> o = {
      {"chair", "Chair", "Presides over the meetings. A committee has one chair at a time."},
      {"vice_chair", "Vice-chair", "Presides when the chair is conflicted or absent."},
      {"voting", "Voting member", "Counts towards the quorum."},
      {"non_voting", "Non-voting member", "May speak but never counts towards the quorum, for example a Healthwatch representative."},
  };
  return o;
}

json yes_no(const Fields& f, const Problems& e, const std::string& name, const std::string& legend, const std::string& hint) {
  return radios(f, e, name, legend, hint, {{"yes", "Yes", ""}, {"no", "No", ""}});
}

json number_field(const Fields& f, const Problems& e, const std::string& name, const std::string& hint) {
  json v = text_field(f, e, name, quorum_field_label(name), hint, "2");
  v["numeric"] = true;
  return v;
}

std::string person_label(const Person& p) { return p.name + (p.position.empty() ? "" : " (" + p.position + ")"); }
}  // namespace

const std::map<std::string, std::string>& committee_field_ids() {
  static const std::map<std::string, std::string> ids = {
      {"from", "from-day"}, {"to", "to-day"}, {"role", "role-chair"},
      {"lay_executive_majority", "lay_executive_majority-yes"}, {"lay_chair", "lay_chair-yes"},
      {"lay_member_may_preside", "lay_member_may_preside-yes"}, {"body_ids", "body_ids"},
      {"min_voting_from_body", "min_voting_from_body"}};
  return ids;
}

json committee_json(SQLite::Database& db, const Committee& c) {
  json j = c;
  j["version"] = CommitteeStore(db).current_version(c.id);
  return j;
}

json membership_json(SQLite::Database& db, const Membership& m, const Date& on) {
  json j = m;
  auto p = PersonStore(db).find(m.person_id);
  j.erase("person_id");
  j["person"] = {{"id", m.person_id}, {"ref", p ? p->ref : ""}, {"name", p ? p->name : ""},
                 {"kind", p ? std::string(to_string(p->kind)) : ""}};
  j["current"] = in_post_on(m, on);
  return j;
}

json committees_list(SQLite::Database& db, const Date& on) {
  json rows = json::array();
  auto committees = CommitteeStore(db).all();
  std::stable_sort(committees.begin(), committees.end(), [](const Committee& a, const Committee& b) { return a.name < b.name; });
  for (const auto& c : committees) {
    json j = committee_json(db, c);
    const auto members = MembershipStore(db).for_committee(c.id);
    j["members_today"] = std::count_if(members.begin(), members.end(), [&](const Membership& m) { return in_post_on(m, on); });
    j["href"] = "/governance/committees/" + std::to_string(c.id);
    rows.push_back(std::move(j));
  }
  return {{"committees", rows}};
}

std::optional<json> committee_doc(SQLite::Database& db, Id id, const Date& on) {
  auto c = CommitteeStore(db).find(id);
  if (!c) return std::nullopt;
  json current = json::array(), past = json::array();
  for (const auto& m : MembershipStore(db).for_committee(id)) {
    json j = membership_json(db, m, on);
    (j["current"].get<bool>() ? current : past).push_back(std::move(j));
  }
  for (auto& j : past) current.push_back(std::move(j));
  return json{{"committee", committee_json(db, *c)}, {"memberships", current}};
}

Fields committee_fields(const Committee& c) {
  return {{"name", c.name},
          {"ref", c.ref},
          {"description", c.description},
          {"min_voting", std::to_string(c.quorum.min_voting)},
          {"min_lay", std::to_string(c.quorum.min_lay)},
          {"min_executive", std::to_string(c.quorum.min_executive)},
          {"min_clinical", std::to_string(c.quorum.min_clinical)},
          {"lay_executive_majority", c.quorum.lay_executive_majority ? "yes" : "no"},
          {"lay_chair", c.quorum.lay_chair ? "yes" : "no"},
          {"lay_member_may_preside", c.quorum.lay_member_may_preside ? "yes" : "no"}};
}

// The joint-committee fields of committee_fields: what the form shows when there are several
// bodies (the API reads body_ids and the same names).
void add_committee_body_values(Fields& f, const Committee& c) {
  f.set("bodies_shown", "yes");
  for (Id id : c.body_ids) f.set("body_" + std::to_string(id), "yes");
  f.set("min_voting_each_body", std::to_string(c.quorum.min_voting_each_body));
  for (const auto& [id, n] : c.quorum.min_voting_from_body) f.set("min_from_body_" + std::to_string(id), std::to_string(n));
}

void add_committee_body_fields(json& v, const Fields& f, const Problems& e, const std::map<Id, std::string>& bodies) {
  json owners = json::array(), minimums = json::array();
  for (const auto& [id, name] : bodies) {
    const std::string key = "body_" + std::to_string(id), min_key = "min_from_body_" + std::to_string(id);
    owners.push_back({{"name", key}, {"label", name}, {"checked", f.checked(key)}});
    json m = text_field(f, e, min_key, "Voting members needed from " + name + " (optional)",
                        "Leave empty if the terms of reference name no number for this body.", "2");
    m["numeric"] = true;
    minimums.push_back(m);
  }
  v["bodies_shown"] = true;
  v["owner_bodies"] = owners;
  v["owner_bodies_error"] = field_error(e, "body_ids");
  v["min_from_body_error"] = field_error(e, "min_voting_from_body");
  v["f_min_voting_each_body"] =
      text_field(f, e, "min_voting_each_body", "Voting members needed from each body",
                 "For a joint committee: how many voting members from each body that owns it must be present and free of "
                 "conflict. Enter 0 if the terms of reference set no number.",
                 "2");
  v["f_min_voting_each_body"]["numeric"] = true;
  v["min_from_bodies"] = minimums;
}

json committee_form_view(const Fields& f, const Problems& e, bool editing, const std::string& action, const std::string& heading) {
  json v = error_view(e, committee_field_ids());
  v["title"] = (e.empty() ? "" : "Error: ") + heading;
  v["heading"] = heading;
  v["editing"] = editing;
  v["action"] = action;
  v["f_name"] = text_field(f, e, "name", "Name", "For example, Primary Care Commissioning Committee.");
  if (!editing)
    v["f_ref"] = text_field(f, e, "ref", "Reference (optional)",
                            "A short, stable key used in data exports and imports, for example pccc. Letters, numbers, hyphens, "
                            "underscores and full stops only. Leave it empty and one is made for you. It cannot be changed later.",
                            "20");
  v["f_description"] = text_field(f, e, "description", "Description (optional)",
                                  "What the committee does, in a sentence or two. It is shown on the public committee page.");
  v["f_min_voting"] = number_field(f, e, "min_voting",
                                   "How many voting members (the chair, vice-chairs and voting members) must be present and free of "
                                   "conflict for an item to be decided. Non-voting members and attendees never count. Enter 0 if the "
                                   "terms of reference set no number.");
  v["f_min_lay"] = number_field(f, e, "min_lay", "How many of those voting members must be lay members. Enter 0 if none is required.");
  v["f_min_executive"] = number_field(f, e, "min_executive",
                                      "How many of them must be executives, such as the chief finance officer or the director of "
                                      "nursing. Enter 0 if none is required.");
  v["f_min_clinical"] = number_field(f, e, "min_clinical",
                                     "How many of them must be clinicians: GP members or other clinicians, such as a secondary-care "
                                     "doctor or a nurse. Enter 0 if none is required.");
  v["f_lay_executive_majority"] =
      yes_no(f, e, "lay_executive_majority", "Must lay and executive members be a majority?",
             "Yes means that for each item, the lay and executive voting members free of conflict must be more than half of all "
             "the voting members free of conflict, as primary care commissioning committees require.");
  v["f_lay_chair"] = yes_no(f, e, "lay_chair", "Must a lay member chair each item?",
                            "Yes means each item must be chaired by a lay chair, or by a lay vice-chair when the chair is "
                            "conflicted or absent. The chair and vice-chairs must then be lay members.");
  v["f_lay_member_may_preside"] =
      yes_no(f, e, "lay_member_may_preside", "May another lay member preside when neither the chair nor a vice-chair can?",
             "Yes means that when the chair and vice-chairs are conflicted or absent, another lay voting member present and free "
             "of conflict takes the item, where the terms of reference allow it. No means the item cannot be chaired.");
  return v;
}

std::optional<json> committee_page_view(SQLite::Database& db, Id id, const Date& on, const Fields& fields, const Problems& errors) {
  auto doc = committee_doc(db, id, on);
  if (!doc) return std::nullopt;
  const Committee c = CommitteeStore(db).find(id).value();
  json v = error_view(errors, committee_field_ids());
  v["title"] = (errors.empty() ? "" : "Error: ") + c.name;
  v["committee"] = (*doc)["committee"];
  v["has_description"] = !c.description.empty();
  v["quorum_rows"] = json::array({summary_row(quorum_field_label("min_voting"), std::to_string(c.quorum.min_voting)),
                                  summary_row(quorum_field_label("min_lay"), std::to_string(c.quorum.min_lay)),
                                  summary_row(quorum_field_label("min_executive"), std::to_string(c.quorum.min_executive)),
                                  summary_row(quorum_field_label("min_clinical"), std::to_string(c.quorum.min_clinical)),
                                  summary_row("Lay and executive majority", c.quorum.lay_executive_majority ? "Yes" : "No"),
                                  summary_row("Lay chair", c.quorum.lay_chair ? "Yes" : "No"),
                                  summary_row("Another lay member may preside", c.quorum.lay_member_may_preside ? "Yes" : "No")});
  v["quorum_sentence"] = quorum_sentence(c.quorum);
  v["edit_href"] = "/governance/committees/" + std::to_string(id) + "/edit";
  v["public_href"] = "/committees/" + std::to_string(id);
  v["membership_action"] = "/governance/committees/" + std::to_string(id) + "/memberships";

  json members = (*doc)["memberships"];
  int voting_today = 0;
  for (auto& m : members) {
    const auto role = enum_from_string<CommitteeRole>(m["role"].get<std::string>()).value();
    if (m["current"].get<bool>() && role != CommitteeRole::non_voting) ++voting_today;
    m["role_label"] = std::string(public_label(role));
    if (auto kind = enum_from_string<PersonKind>(m["person"]["kind"].get<std::string>())) m["kind_label"] = std::string(public_label(*kind));
    m["from_long"] = long_date(Date::parse(m["from"].get<std::string>()).value());
    m["to_long"] = m["to"].is_string() ? json(long_date(Date::parse(m["to"].get<std::string>()).value())) : json(false);
    m["person_href"] = "/governance/people/" + std::to_string(m["person"]["id"].get<Id>());
    // Ending stays possible while the end is open or still ahead (to correct or bring it forward).
    const bool open = !m["to"].is_string() || m["to"].get<std::string>() >= on.iso();
    m["end_href"] = open ? json("/governance/committees/" + std::to_string(id) + "/memberships/" + std::to_string(m["id"].get<Id>()) + "/end")
                         : json(false);
  }
  v["memberships"] = members;
  v["has_memberships"] = !members.empty();
  // Warnings, not refusals: the rule may be set before the members are changed to fit it.
  json warnings = json::array();
  if (c.quorum.min_voting > voting_today)
    warnings.push_back("The quorum needs " + plural(c.quorum.min_voting, "voting member") + ", but the committee has " +
                       std::to_string(voting_today) + " today: every item will be inquorate until more voting members join.");
  if (c.quorum.lay_chair)
    for (const auto& m : members)
      if (m["current"].get<bool>() && (m["role"] == "chair" || m["role"] == "vice_chair") && m["person"]["kind"] != "lay")
        warnings.push_back("The quorum rule needs a lay chair, but " + m["person"]["name"].get<std::string>() + " (" +
                           m["role_label"].get<std::string>() + ") is not a lay member and cannot preside. End that membership "
                           "and add a lay member in the role.");
  // The lay and executive majority, on the membership itself: a committee set up without it
  // cannot meet the national terms of reference (and, if its own require it, is never quorate).
  std::vector<QuorumMember> in_post;
  for (const auto& m : members) {
    if (!m["current"].get<bool>()) continue;
    const auto kind = enum_from_string<PersonKind>(m["person"]["kind"].get<std::string>());
    in_post.push_back({m["person"]["id"].get<Id>(), m["person"]["name"].get<std::string>(), kind.value_or(PersonKind::officer),
                       enum_from_string<CommitteeRole>(m["role"].get<std::string>()), false, ""});
  }
  if (auto problem = membership_majority_problem(c.quorum, in_post)) warnings.push_back(*problem);
  v["warnings"] = warnings;
  v["has_warnings"] = !warnings.empty();

  v["versions"] = newest_first(history_json<CommitteeStore>(
      db, id, [](const Committee& version) { return json{{"name", version.name}, {"quorum_sentence", quorum_sentence(version.quorum)}}; }));
  for (auto& version : v["versions"]) version["recorded_by_text"] = actor_label(db, version.value("recorded_by", std::string()));

  json people = json::array();
  const std::string chosen = fields.has("person_id") ? fields.get("person_id") : std::string();
  for (const auto& p : PersonStore(db).all())
    if (!p.left_on || *p.left_on >= on)
      people.push_back({{"id", p.id}, {"label", person_label(p)}, {"selected", std::to_string(p.id) == chosen}});
  std::stable_sort(people.begin(), people.end(), [](const json& a, const json& b) { return a["label"] < b["label"]; });
  v["people"] = people;
  v["person_error"] = field_error(errors, "person_id");
  v["f_role"] = radios(fields, errors, "role", "Role on the committee", "", role_options());
  v["f_from"] = date_field(fields, errors, "from", "Member from", "For example, 1 4 2026.");
  v["f_to"] = date_field(fields, errors, "to", "Member until (optional)", "Leave empty if the membership has no end date yet.");
  return v;
}

std::optional<json> end_membership_view(SQLite::Database& db, Id committee_id, Id membership_id, const Fields& fields,
                                        const Problems& errors) {
  auto c = CommitteeStore(db).find(committee_id);
  auto m = MembershipStore(db).find(membership_id);
  if (!c || !m || m->committee_id != committee_id) return std::nullopt;
  auto p = PersonStore(db).find(m->person_id);
  const std::string name = p ? p->name : "";
  json v = error_view(errors, committee_field_ids());
  v["title"] = std::string(errors.empty() ? "" : "Error: ") + "End the membership of " + name;
  v["heading"] = "End the membership of " + name;
  v["committee_name"] = c->name;
  v["committee_href"] = "/governance/committees/" + std::to_string(committee_id);
  v["action"] = v["committee_href"].get<std::string>() + "/memberships/" + std::to_string(membership_id) + "/end";
  v["summary"] = std::string(public_label(m->role)) + " from " + long_date(m->from) + (m->to ? ", ending " + long_date(*m->to) : "");
  Fields f = fields;
  if (!f.has("to") && !f.has("to-day") && m->to) f.set("to", m->to->iso());
  v["f_to"] = date_field(f, errors, "to", "Last day of the membership", "For example, 31 3 2027. The earlier version is kept.");
  return v;
}

}  // namespace probity
