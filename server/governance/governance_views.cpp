#include "server/governance/governance_views.hpp"
#include "server/http/form_views.hpp"
#include "server/mail/outbox_views.hpp"

#include <algorithm>
#include <map>
#include <type_traits>

#include "model/store/audit_diff.hpp"
#include "model/base/date_text.hpp"
#include "model/public/register_labels.hpp"
#include "model/register/committee_store.hpp"
#include "model/public/csv.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/interest_kinds.hpp"
#include "model/register/governance_actions.hpp"
#include "model/register/person_store.hpp"
#include "model/register/review_store.hpp"
#include "model/accounts/user_store.hpp"
#include "server/member/member_views.hpp"

namespace probity {
namespace {
using json = nlohmann::json;

const char* kind_label(const std::string& kind) {
  if (kind == "interest") return "Interest";
  if (kind == "gift") return "Gift or hospitality";
  if (kind == "nil_return") return "Nil return";
  if (kind == "person") return "Person";
  return "Record";
}

std::string person_name(SQLite::Database& db, Id id) {
  auto p = PersonStore(db).find(id);
  return p ? p->name : "";
}

// A declaration's versions, newest first, with the status of each (and for an interest whether
// it was withheld).
template <typename Store>
json versions_of(SQLite::Database& db, Id id) {
  json versions = newest_first(history_json<Store>(db, id, [](const auto& e) {
    json item = {{"status", status_label(e.status)}};
    if constexpr (std::is_same_v<std::decay_t<decltype(e)>, Interest>) item["withheld"] = e.withheld;
    return item;
  }));
  for (auto& v : versions) v["recorded_by_text"] = actor_label(db, v.value("recorded_by", std::string()));
  return versions;
}

json reviews_of(SQLite::Database& db, const std::string& kind, Id id) {
  json out = json::array();
  for (const auto& r : ReviewStore(db).for_entity(kind, id))
    out.push_back({{"version", r.version}, {"decision", to_string(r.decision)},
                   {"decision_label", r.decision == ReviewDecision::approved ? "Approved" : "Returned"}, {"comment", r.comment},
                   {"reviewer", r.reviewer}, {"reviewer_text", actor_label(db, r.reviewer)}, {"recorded_at", r.recorded_at}});
  return out;
}

std::string yes_no(bool b) { return b ? "Yes" : "No"; }
}  // namespace

std::string kind_segment(const std::string& kind) {
  if (kind == "interest") return "interests";
  if (kind == "gift") return "gifts";
  if (kind == "nil_return") return "nil-returns";
  if (kind == "person") return "people";
  return kind;
}

std::optional<std::string> kind_of_segment(const std::string& segment) {
  if (segment == "interests") return "interest";
  if (segment == "gifts") return "gift";
  if (segment == "nil-returns") return "nil_return";
  return std::nullopt;
}

json review_queue_view(SQLite::Database& db, bool review_required) {
  json items = json::array();
  for (const auto& q : review_queue(db))
    items.push_back({{"kind", q.kind}, {"kind_label", kind_label(q.kind)}, {"id", q.id}, {"version", q.version},
                     {"person_id", q.person_id}, {"person_name", q.person_name}, {"summary", q.summary},
                     {"declared_on", q.declared_on.iso()}, {"href", "/governance/" + kind_segment(q.kind) + "/" + std::to_string(q.id)}});
  return {{"review_required", review_required}, {"items", items}};
}

std::optional<json> entry_view(SQLite::Database& db, const std::string& kind, Id id, bool review_required, const Fields& fields,
                               const Problems& errors) {
  json v = error_view(errors, field_ids());
  json rows = json::array();
  Id person = 0;
  DeclarationStatus status = DeclarationStatus::submitted;
  std::string heading;
  int version = 0;
  if (kind == "interest") {
    auto i = InterestStore(db).find(id);
    if (!i) return std::nullopt;
    person = i->person_id;
    status = i->status;
    heading = i->nature;
    version = InterestStore(db).current_version(id);
    Fields current = interest_fields(db, *i);
    rows = {summary_row("Type", std::string(public_label(i->category))), summary_row("Organisation", current.get("organisation_name")), summary_row("Nature", i->nature),
            summary_row("From", long_date(i->from)), summary_row("To", i->to ? long_date(*i->to) : "Continuing"), summary_row("Action taken", i->action_taken),
            summary_row("Declared", long_date(i->declared_on))};
    if (i->indirect) rows.push_back(summary_row("Held by", i->relationship));
    rows.push_back(summary_row("Kind of interest", std::string(public_label(i->kind))));
    for (const auto& f : interest_kind_info(i->kind).fields)
      if (auto d = i->details.find(std::string(f.name)); d != i->details.end()) rows.push_back(summary_row(std::string(f.label), d->second));
    v["can_withhold"] = true;
    v["withheld"] = i->withheld;
    v["withheld_reason"] = i->withheld_reason;
    v["withhold_action"] = "/governance/interests/" + std::to_string(id) + "/withhold";
    v["unwithhold_action"] = "/governance/interests/" + std::to_string(id) + "/unwithhold";
    v["versions"] = versions_of<InterestStore>(db, id);
  } else if (kind == "gift") {
    auto g = GiftStore(db).find(id);
    if (!g) return std::nullopt;
    person = g->person_id;
    status = g->status;
    heading = (g->kind == GiftKind::gift ? "Gift from " : "Hospitality from ") + g->source;
    version = GiftStore(db).current_version(id);
    rows = {summary_row("Kind", g->kind == GiftKind::gift ? "Gift" : "Hospitality"), summary_row("Source", g->source),
            summary_row("Supplier or contractor", yes_no(g->from_supplier)), summary_row("Cash or vouchers", yes_no(g->cash_or_voucher)),
            summary_row("Description", g->description), summary_row("Value", "£" + format_pounds(g->value_pence)), summary_row("Offered", long_date(g->offered_on)),
            summary_row("Outcome", g->outcome == GiftOutcome::accepted ? "Accepted" : "Declined"), summary_row("Senior approval", g->approved_by),
            summary_row("Approver's role", g->approver_role), summary_row("Reason for approval", g->approval_reason),
            summary_row("Approval recorded", g->approved_on ? long_date(*g->approved_on) : std::string("Not recorded")),
            summary_row("Declared", long_date(g->declared_on))};
    v["can_withhold"] = false;
    v["versions"] = versions_of<GiftStore>(db, id);
  } else if (kind == "nil_return") {
    auto n = NilReturnStore(db).find(id);
    if (!n) return std::nullopt;
    person = n->person_id;
    status = n->status;
    heading = "Nil return made on " + long_date(n->made_on);
    version = NilReturnStore(db).current_version(id);
    rows = {summary_row("Made on", long_date(n->made_on)), summary_row("Statement", n->statement)};
    v["can_withhold"] = false;
    v["versions"] = versions_of<NilReturnStore>(db, id);
  } else {
    return std::nullopt;
  }
  rows.push_back(summary_row("Status", status_label(status)));
  const std::string base = "/governance/" + kind_segment(kind) + "/" + std::to_string(id);
  v["title"] = (errors.empty() ? "" : "Error: ") + std::string(kind_label(kind)) + ": " + heading;
  v["kind"] = kind;
  v["kind_label"] = kind_label(kind);
  v["id"] = id;
  v["heading"] = heading;
  v["version"] = version;
  v["status"] = to_string(status);
  v["person_id"] = person;
  v["person_name"] = person_name(db, person);
  v["rows"] = rows;
  v["reviews"] = reviews_of(db, kind, id);
  v["has_reviews"] = !v["reviews"].empty();
  v["review_required"] = review_required;
  v["can_review"] = review_required && status == DeclarationStatus::submitted;
  v["review_action"] = base + "/review";
  v["audit_href"] = "/governance/audit/" + kind + "/" + std::to_string(id);
  v["f_decision"] = radios(fields, errors, "decision", "Your decision", "",
                           {{"approve", "Approve it", "It is published on the public register."},
                            {"return", "Return it to the member", "They see your comment and can change it and submit it again."}});
  v["f_comment"] = text_field(fields, errors, "comment", "Comment for the member",
                              "Required when you return it: say what they should change.");
  v["f_reason"] = text_field(fields, errors, "reason", "Reason for withholding",
                             "For example a real risk of harm to someone, or an overriding legal or privacy reason. It is recorded and not published.");
  return v;
}

std::optional<json> person_view(SQLite::Database& db, Id id, const Fields& fields, const Problems& errors) {
  auto p = PersonStore(db).find(id);
  if (!p) return std::nullopt;
  json v = error_view(errors, field_ids());
  v["title"] = (errors.empty() ? "" : "Error: ") + p->name;
  v["id"] = p->id;
  v["name"] = p->name;
  v["position"] = p->position;
  v["decision_maker"] = p->decision_maker;
  v["kind"] = std::string(public_label(p->kind));
  v["email"] = p->email;
  v["practice"] = organisation_name(db, p->practice_id);
  v["left"] = p->left_on.has_value();
  v["left_on"] = p->left_on ? long_date(*p->left_on) : "";
  v["audit_href"] = "/governance/audit/person/" + std::to_string(id);
  v["edit_href"] = "/governance/people/" + std::to_string(id) + "/edit";
  v["leave_action"] = "/governance/people/" + std::to_string(id) + "/leave";
  v["account"] = false;
  if (auto account = UserStore(db).find_user_by_person(id))
    v["account"] = {{"email", account->email}, {"disabled", account->disabled},
                    {"href", "/governance/accounts/" + std::to_string(account->id)}};
  json interests = json::array(), gifts = json::array(), nils = json::array(), memberships = json::array();
  for (const auto& i : InterestStore(db).for_person(id))
    interests.push_back({{"id", i.id}, {"nature", i.nature}, {"from", i.from.iso()}, {"to", i.to ? json(i.to->iso()) : json(false)},
                         {"status", status_label(i.status)}, {"withheld", i.withheld}, {"href", "/governance/interests/" + std::to_string(i.id)}});
  for (const auto& g : GiftStore(db).for_person(id))
    gifts.push_back({{"id", g.id}, {"description", g.description}, {"source", g.source}, {"offered_on", g.offered_on.iso()},
                     {"status", status_label(g.status)}, {"href", "/governance/gifts/" + std::to_string(g.id)}});
  for (const auto& n : NilReturnStore(db).for_person(id))
    nils.push_back({{"id", n.id}, {"made_on", n.made_on.iso()}, {"status", status_label(n.status)},
                    {"href", "/governance/nil-returns/" + std::to_string(n.id)}});
  for (const auto& m : MembershipStore(db).for_person(id)) {
    auto c = CommitteeStore(db).find(m.committee_id);
    memberships.push_back({{"committee", c ? c->name : ""}, {"role", std::string(public_label(m.role))}, {"from", m.from.iso()},
                           {"to", m.to ? json(m.to->iso()) : json(false)}});
  }
  v["interests"] = interests;
  v["gifts"] = gifts;
  v["nil_returns"] = nils;
  v["memberships"] = memberships;
  v["has_interests"] = !interests.empty();
  v["has_gifts"] = !gifts.empty();
  v["has_nil_returns"] = !nils.empty();
  v["has_memberships"] = !memberships.empty();
  v["f_left_on"] = date_field(fields, errors, "left_on", "When did they leave?", "For example, 30 6 2025.");
  v["mail"] = person_mail_timeline(db, id, 20);  // what was sent to them, newest first
  v["has_mail"] = !v["mail"].empty();
  return v;
}

std::string actor_label(SQLite::Database& db, const std::string& actor) {
  // A user's changes: "user:3 asha@nhs.net" (see actor_of).
  if (actor.rfind("user:", 0) == 0) {
    const auto space = actor.find(' ');
    const std::string email = space == std::string::npos ? std::string() : actor.substr(space + 1);
    long long id = 0;
    try {
      id = std::stoll(actor.substr(5, space == std::string::npos ? std::string::npos : space - 5));
    } catch (const std::exception&) {
      id = 0;
    }
    std::string name = email;
    bool governance = false;
    if (auto user = UserStore(db).find_user(id)) {
      governance = user->role == UserRole::governance;
      if (user->person_id)
        if (auto p = PersonStore(db).find(*user->person_id)) name = p->name;
      if (name.empty()) name = user->email;
    }
    if (name.empty()) name = "an account that no longer exists";
    return governance ? "Governance (" + name + ")" : name;
  }
  static const std::map<std::string, std::string> others = {
      {"demo", "The demo data"}, {"import", "A bundle import"}, {"cli", "The command line on the server"},
      {"system", "Probity itself"}, {"reminders", "The reminders run"}, {"", "Unknown"}};
  auto it = others.find(actor);
  return it == others.end() ? actor : it->second;
}

namespace {
// A value in an audit row as people read it: dates in words, codes as their labels, and the
// ids of people, organisations and committees as their names.
std::string audit_value_text(SQLite::Database& db, const std::string& field, const std::string& value) {
  if (value.empty()) return value;
  if (value == "yes" || value == "no") return value == "yes" ? "Yes" : "No";
  if (parse_instant(value)) return long_date_time_of_instant(value);
  if (Date::parse(value)) return long_date_of_iso(value);
  const auto id_of = [&]() -> std::optional<Id> {
    try {
      std::size_t used = 0;
      const long long id = std::stoll(value, &used);
      if (used == value.size()) return id;
    } catch (const std::exception&) {
    }
    return std::nullopt;
  };
  if (field == "person_id" || field == "line_manager_id") {
    if (auto id = id_of())
      if (auto p = PersonStore(db).find(*id)) return p->name;
  } else if (field == "organisation_id" || field == "practice_id") {
    if (auto id = id_of()) return organisation_name(db, *id);
  } else if (field == "committee_id") {
    if (auto id = id_of())
      if (auto c = CommitteeStore(db).find(*id)) return c->name;
  }
  if (auto label = code_label(field, value)) return std::string(*label);
  if (value.find(',') != std::string::npos && value.find(' ') == std::string::npos) return code_list_label(field, value);
  return value;
}

// A field's name in an audit row: "Person" rather than "Person id".
std::string audit_field_label(const std::string& field, const std::string& label) {
  static const std::map<std::string, std::string> labels = {
      {"person_id", "Person"},         {"organisation_id", "Organisation"}, {"practice_id", "Practice"},
      {"meeting_id", "Meeting"},       {"organisation_ids", "Organisations"}, {"agenda_item_id", "Agenda item"},
      {"affects_all_gp_practices", "Affects all GP practices"},
      {"committee_id", "Committee"},   {"line_manager_id", "Line manager"}, {"from", "From"},
      {"to", "To"},                    {"aware_on", "Became aware on"},    {"declared_on", "Declared on"},
      {"made_on", "Made on"},          {"offered_on", "Offered on"},       {"left_on", "Left on"},
      {"value_pence", "Value (pence)"}, {"withheld_reason", "Reason for withholding"}};
  auto it = labels.find(field);
  return it == labels.end() ? label : it->second;
}

std::string action_text(const std::string& action) {
  static const std::map<std::string, std::string> labels = {
      {"create", "Created"}, {"update", "Changed"}, {"delete", "Deleted"}, {"insert", "Created"}};
  auto it = labels.find(action);
  if (it != labels.end()) return it->second;
  return record_kind_label(action);  // the same rule: spaces for underscores, a capital first letter
}
}  // namespace

json audit_rows_for_api(json rows) {
  for (auto& row : rows) {
    for (const char* key : {"at_text", "actor_text", "action_text", "record_text"}) row.erase(key);
    for (auto& c : row["changes"])
      for (const char* key : {"label_text", "before_text", "after_text"}) c.erase(key);
  }
  return rows;
}

json audit_row_view(SQLite::Database& db, const AuditEntry& e) {
  json changes = json::array();
  for (const auto& c : audit_changes(e.before_json, e.after_json))
    changes.push_back({{"field", c.field},
                       {"label", c.label},
                       {"label_text", audit_field_label(c.field, c.label)},
                       {"before", c.before},
                       {"after", c.after},
                       {"before_text", audit_value_text(db, c.field, c.before)},
                       {"after_text", audit_value_text(db, c.field, c.after)}});
  const std::string record = record_kind_label(e.entity_kind) + (e.entity_id ? " " + std::to_string(*e.entity_id) : std::string());
  json out = {{"id", e.id},
              {"at", e.at},
              {"at_text", long_date_time_of_instant(e.at)},
              {"actor", e.actor},
              {"actor_text", actor_label(db, e.actor)},
              {"action", e.action},
              {"action_text", action_text(e.action)},
              {"entity_kind", e.entity_kind},
              {"record_text", record},
              {"entity_id", e.entity_id ? json(*e.entity_id) : json(nullptr)},
              {"version", e.version ? json(*e.version) : json(nullptr)},
              {"changes", changes}};
  const bool linkable = e.entity_id && (e.entity_kind == "interest" || e.entity_kind == "gift" || e.entity_kind == "nil_return" ||
                                        e.entity_kind == "person");
  out["href"] = linkable ? json("/governance/audit/" + e.entity_kind + "/" + std::to_string(*e.entity_id)) : json(false);
  return out;
}

std::optional<json> entity_audit_view(SQLite::Database& db, const std::string& kind, Id id) {
  std::string subject;
  std::string entry_href;
  if (kind == "person") {
    auto p = PersonStore(db).find(id);
    if (!p) return std::nullopt;
    subject = p->name;
    entry_href = "/governance/people/" + std::to_string(id);
  } else if (kind == "interest" || kind == "gift" || kind == "nil_return") {
    auto v = entry_view(db, kind, id, false, {}, {});
    if (!v) return std::nullopt;
    subject = v->at("heading").get<std::string>();
    entry_href = "/governance/" + kind_segment(kind) + "/" + std::to_string(id);
  } else {
    return std::nullopt;
  }
  json rows = json::array();
  for (const auto& e : audit_for(db, kind, id)) rows.push_back(audit_row_view(db, e));
  return json{{"title", "Audit history: " + subject}, {"kind", kind}, {"kind_label", kind_label(kind)}, {"id", id},
              {"subject", subject}, {"entry_href", entry_href}, {"rows", rows}};
}

json audit_overview(SQLite::Database& db, int limit, const GovernanceScope& scope) {
  auto check = verify_audit_chain(db);
  json rows = json::array();
  // A body's governance account sees the changes to its own people and their declarations; the
  // chain's verification covers the whole log either way.
  for (const auto& e : recent_audit(db, limit))
    if (scope.instance_wide() || (e.entity_id && scope.sees_record(e.entity_kind, *e.entity_id))) rows.push_back(audit_row_view(db, e));
  return {{"title", "Audit trail"},
          {"verification",
           {{"ok", check.ok},
            {"rows_checked", check.rows_checked},
            {"first_broken_id", check.first_broken_id ? json(*check.first_broken_id) : json(nullptr)},
            {"problem", check.problem}}},
          {"rows", rows}};
}

}  // namespace probity
