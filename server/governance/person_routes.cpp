// Governance adds a person to the register and changes their details: pages under
// /governance/people and their JSON twins under /api/v1/governance/people (docs/api-accounts.md).
// A new GP member is added here, then given a committee membership (/governance/committees) and
// an account (/governance). Pages and API read input into the same Fields and go through the
// same checks (model/register/person_admin.hpp); nothing is written when any is wrong.
#include <algorithm>

#include "model/store/json.hpp"
#include "model/register/bodies.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_admin.hpp"
#include "model/register/person_store.hpp"
#include "server/http/app.hpp"
#include "server/http/auth.hpp"
#include "server/http/form_views.hpp"
#include "server/http/request_input.hpp"
#include "server/http/routes.hpp"

namespace probity {
namespace {
using json = nlohmann::json;
using Req = httplib::Request;
using Res = httplib::Response;

const std::string kPage = "/governance/people";
const std::string kApi = "/api/v1/governance/people";
const std::string kId = R"(/(\d{1,18}))";
const std::vector<std::string> kFieldOrder = {"name", "email", "kind", "position", "practice_id", "body_id", "decision_maker"};

const std::vector<FieldOption>& kind_options() {
  static const std::vector<FieldOption> o = {
      {"gp", "GP member", "A GP partner or salaried GP. Choose their practice below."},
      {"lay", "Lay member", "For example the lay member for governance or for patient and public involvement."},
      {"executive", "Executive", "For example the chief finance officer or the director of nursing."},
      {"clinical", "Other clinician", "For example a secondary-care doctor or a registered nurse."},
      {"officer", "Officer", "Staff who support the committees or make decisions, but are not members."},
      {"attendee", "Attendee", "For example a Healthwatch or Health and Wellbeing Board representative. Attendees never vote."},
  };
  return o;
}

Fields person_fields(const Person& p) {
  return {{"name", p.name},
          {"email", p.email},
          {"kind", std::string(to_string(p.kind))},
          {"position", p.position},
          {"practice_id", p.practice_id ? std::to_string(*p.practice_id) : std::string()},
          {"decision_maker", p.decision_maker ? "yes" : "no"},
          {"body_id", std::to_string(p.body_id)}};
}

// Reads the fields over `base` (a new person, or the current version to change). A field that
// is absent is left alone, so an API change may send only what changes; the forms send them all.
Person read_person(const Fields& in, Person base, Problems& errors) {
  if (in.has("name")) base.name = in.get("name");
  if (in.has("email")) base.email = in.get("email");
  if (in.has("position")) base.position = in.get("position");
  if (in.has("kind")) {
    if (auto kind = enum_from_string<PersonKind>(in.get("kind"))) base.kind = *kind;
    else errors.add("kind", "Select what kind of person they are, for example GP member or lay member");
  }
  if (in.has("practice_id")) {
    const auto practice = in.get("practice_id");
    if (practice.empty()) base.practice_id.reset();
    else if (auto id = in.id("practice_id")) base.practice_id = *id;
    else errors.add("practice_id", "Select a GP practice from the list");
  }
  // The home body (only asked when the instance has several; absent leaves it as it is).
  if (in.has("body_id")) {
    if (auto id = in.id("body_id")) base.body_id = *id;
    else errors.add("body_id", "Select a body from the list");
  }
  // Who is published: absent leaves it as it is (a new person is a decision-maker).
  if (in.has("decision_maker")) {
    if (auto v = in.yes_no("decision_maker", "Select yes if they are a decision-maker, whose entries are published", errors))
      base.decision_maker = *v;
  }
  return base;
}

// Parse errors first, then the model's problems (one message per field), in page order.
Problems ordered(Problems parsed, const Problems& found) {
  parsed.add_all(found);
  return parsed.ordered(kFieldOrder);
}

Problems problems_of(SQLite::Database& db, const Person& p) {
  std::optional<Organisation> practice;
  if (p.practice_id) practice = OrganisationStore(db).find(*p.practice_id);
  return person_problems(p, practice, PersonStore(db).all());
}

// A body's governance account keeps its people: their home body stays its own.
void check_home_body(const GovernanceScope& scope, const Person& p, Problems& parsed) {
  if (scope.body() && p.body_id != *scope.body()) parsed.add("body_id", "Select your own body: you manage its people only");
}

Result<Person> create(SQLite::Database& db, const Fields& in, const std::string& actor, const GovernanceScope& scope) {
  Problems parsed;
  if (!in.has("kind")) parsed.add("kind", "Select what kind of person they are, for example GP member or lay member");
  Person base;
  if (scope.body()) base.body_id = *scope.body();
  Person p = read_person(in, base, parsed);
  check_home_body(scope, p, parsed);
  if (!parsed.empty()) return {std::nullopt, ordered(parsed, problems_of(db, p))};
  auto r = create_person(db, p, actor);
  return {r.saved, ordered(parsed, r.problems)};
}

Result<Person> edit(SQLite::Database& db, Id id, const Fields& in, const std::string& actor, const GovernanceScope& scope) {
  auto current = PersonStore(db).find(id);
  if (!current || !scope.sees_person(id)) throw not_found("That person");
  Problems parsed;
  Person p = read_person(in, *current, parsed);
  check_home_body(scope, p, parsed);
  if (!parsed.empty()) return {std::nullopt, ordered(parsed, problems_of(db, p))};
  auto r = edit_person(db, p, actor);
  if (!r) throw not_found("That person");
  return {r->saved, ordered(parsed, r->problems)};
}

json person_json(SQLite::Database& db, const Person& p) {
  json j = p;
  j["version"] = PersonStore(db).current_version(p.id);
  return j;
}

json form_view(App& app, SQLite::Database& db, const CurrentUser& user, const Fields& f, const Problems& e, bool editing,
               const std::string& action, const std::string& heading) {
  json v = error_view(e, {{"kind", "kind-gp"}, {"decision_maker", "decision_maker-yes"}});
  v["title"] = (e.empty() ? "" : "Error: ") + heading;
  v["heading"] = heading;
  v["editing"] = editing;
  v["action"] = action;
  v["f_name"] = text_field(f, e, "name", "Full name", "As it should appear on the public register, for example Dr Asha Patel.");
  v["f_email"] = text_field(f, e, "email", "Email address (optional)",
                            "Their work email. Needed later to create their account; each person needs their own.");
  v["f_kind"] = radios(f, e, "kind", "What kind of person are they?",
                       "This decides how they count towards a committee's quorum.", kind_options());
  v["f_position"] = text_field(f, e, "position", "Position (optional)", "For example GP partner, or Lay member for governance.");
  const auto chosen = f.get("practice_id");
  json practices = json::array();
  for (const auto& o : OrganisationStore(db).all())
    if (o.kind == OrganisationKind::gp_practice)
      practices.push_back({{"id", o.id}, {"name", o.name}, {"selected", std::to_string(o.id) == chosen}});
  std::stable_sort(practices.begin(), practices.end(), [](const json& a, const json& b) { return a["name"] < b["name"]; });
  v["practices"] = practices;
  v["practice_error"] = field_error(e, "practice_id");
  // The home body: asked only when the instance has several, of an instance-wide account (a
  // body's own account adds and keeps people in its body).
  if (several_bodies(db) && !user.body_id) {
    const auto chosen_body = f.has("body_id") ? f.get("body_id") : std::to_string(kDefaultBody);
    json bodies = json::array();
    for (const auto& [id, name] : body_names(db, app.config().organisation_name))
      bodies.push_back({{"id", id}, {"name", name}, {"selected", std::to_string(id) == chosen_body}});
    v["bodies"] = bodies;
    v["bodies_shown"] = true;
    v["body_error"] = field_error(e, "body_id");
  }
  Fields shown = f;
  if (!shown.has("decision_maker")) shown.set("decision_maker", "yes");  // a new person: the usual case
  v["f_decision_maker"] = radios(shown, e, "decision_maker", "Decision-maker (published on the public register)",
                                 "Governing body or board members, committee members and senior staff are decision-makers: "
                                 "their entries are published. Everyone else's stay on the internal register, and still count "
                                 "when conflicts are checked.",
                                 {{"yes", "Yes", ""}, {"no", "No", ""}});
  return v;
}

std::string edit_path(Id id) { return kPage + "/" + std::to_string(id) + "/edit"; }

void page_routes(App& app) {
  auto& s = app.http();
  s.Get(kPage + "/new", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    app.render_page(req, res, "governance_person_form", form_view(app, *db, user, {}, {}, false, kPage + "/new", "Add a person"));
  });

  s.Post(kPage + "/new", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto fields = read_fields(app, req);
    auto db = app.pool().acquire();
    auto out = create(*db, fields, actor_of(user), governance_scope(*db, user));
    if (out.saved) return res.set_redirect(kPage + "/" + std::to_string(out.saved->id) + "?saved=added", 303);
    app.render_page(req, res, "governance_person_form", form_view(app, *db, user, fields, out.problems, false, kPage + "/new", "Add a person"), 422);
  });

  s.Get(kPage + kId + "/edit", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1);
    auto p = PersonStore(*db).find(id);
    if (!p || !governance_scope(*db, user).sees_person(id)) throw not_found("That person");
    app.render_page(req, res, "governance_person_form", form_view(app, *db, user, person_fields(*p), {}, true, edit_path(id), "Change " + p->name + "'s details"));
  });

  s.Post(kPage + kId + "/edit", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto fields = read_fields(app, req);
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1);
    auto out = edit(*db, id, fields, actor_of(user), governance_scope(*db, user));
    if (out.saved) return res.set_redirect(kPage + "/" + std::to_string(id) + "?saved=changed", 303);
    const auto name = PersonStore(*db).find(id).value().name;
    app.render_page(req, res, "governance_person_form", form_view(app, *db, user, fields, out.problems, true, edit_path(id), "Change " + name + "'s details"), 422);
  });
}

void api_routes(App& app) {
  auto& s = app.http();
  auto reply = [](SQLite::Database& db, const Person& p) { return json{{"person", person_json(db, p)}}; };
  s.Post(kApi, [&app, reply](const Req& req, Res& res) {
    const auto user = require_governance(app, req);
    const auto actor = actor_of(user);
    send_change(app, req, res, [&](SQLite::Database& db, const Fields& in) { return create(db, in, actor, governance_scope(db, user)); },
                reply, 201);
  });

  s.Put(kApi + kId, [&app, reply](const Req& req, Res& res) {
    const auto user = require_governance(app, req);
    const auto actor = actor_of(user);
    send_change(app, req, res,
                [&](SQLite::Database& db, const Fields& in) { return edit(db, id_at(req, 1), in, actor, governance_scope(db, user)); }, reply);
  });
}
}  // namespace

void register_person_routes(App& app) {
  page_routes(app);
  api_routes(app);
}

}  // namespace probity
