// Governance manages the bodies of a joint arrangement (README "Several bodies"; docs/bodies.md):
// pages under /governance/bodies and their JSON twins under /api/v1/governance/bodies
// (docs/api-accounts.md). Only an instance-wide governance account adds a body or changes another
// body's settings; a body's own governance account may change its own body's (GovernanceScope).
// Saves are versions of the body, written to the audit log like every register record.
#include <algorithm>

#include "model/register/bodies.hpp"
#include "model/store/json.hpp"
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

const std::string kPage = "/governance/bodies";
const std::string kApi = "/api/v1/governance/bodies";
const std::string kId = R"(/(\d{1,18}))";
const std::vector<std::string> kFieldOrder = {"name", "ods_code", "kind", "contact_email", "publication", "register_url"};

const std::vector<FieldOption>& kind_options() {
  static const std::vector<FieldOption> o = {
      {"icb", "Integrated care board", ""},
      {"ccg", "Clinical commissioning group", "Before July 2022, or a register kept from then."},
      {"nhs_england", "NHS England", "For example NHS England's regional team on a joint committee."},
      {"other", "Another body", "For example a local authority in a joint arrangement."},
  };
  return o;
}

std::string kind_words(BodyKind k) {
  for (const auto& o : kind_options())
    if (o.value == to_string(k)) return o.label;
  return "";
}

const std::vector<FieldOption>& publication_options() {
  static const std::vector<FieldOption> o = {
      {"here", "Published here", "Its people's entries appear on this service's public register."},
      {"elsewhere", "Published elsewhere", "The body publishes its own register. Its people's entries stay internal here and still count when conflicts are checked."},
  };
  return o;
}

Fields body_fields(const Body& b) {
  return {{"name", b.name},
          {"ods_code", b.ods_code},
          {"kind", std::string(to_string(b.kind))},
          {"contact_email", b.contact_email},
          {"publication", std::string(to_string(b.publication))},
          {"register_url", b.register_url}};
}

// Reads the fields over `base`; an absent field is left alone (an API change may send only what
// changes; the forms send them all).
Body read_body(const Fields& in, Body base, Problems& errors) {
  if (in.has("name")) base.name = in.get("name");
  if (in.has("ods_code")) base.ods_code = in.get("ods_code");
  if (in.has("contact_email")) base.contact_email = in.get("contact_email");
  if (in.has("register_url")) base.register_url = in.get("register_url");
  if (in.has("kind")) {
    if (auto kind = enum_from_string<BodyKind>(in.get("kind"))) base.kind = *kind;
    else errors.add("kind", "Select what kind of body it is, for example integrated care board");
  }
  if (in.has("publication")) {
    if (auto p = enum_from_string<BodyPublication>(in.get("publication"))) base.publication = *p;
    else errors.add("publication", "Select where the body's register is published");
  }
  return base;
}

Problems ordered(Problems parsed, const Problems& found) {
  parsed.add_all(found);
  return parsed.ordered(kFieldOrder);
}

Result<Body> create(SQLite::Database& db, const Fields& in, const std::string& actor) {
  Problems parsed;
  if (!in.has("kind")) parsed.add("kind", "Select what kind of body it is, for example integrated care board");
  Body b = read_body(in, Body{}, parsed);
  if (!parsed.empty()) return {std::nullopt, ordered(parsed, body_problems(b, BodyStore(db).all()))};
  auto r = create_body(db, b, actor);
  return {r.saved, ordered(parsed, r.problems)};
}

Result<Body> edit(SQLite::Database& db, Id id, const Fields& in, const std::string& actor) {
  auto current = BodyStore(db).find(id);
  if (!current) throw not_found("That body");
  Problems parsed;
  Body b = read_body(in, *current, parsed);
  if (!parsed.empty()) return {std::nullopt, ordered(parsed, body_problems(b, BodyStore(db).all()))};
  auto r = edit_body(db, b, actor);
  if (!r) throw not_found("That body");
  return {r->saved, ordered(parsed, r->problems)};
}

// The account may see body `id`, or the answer is 404 as for a body that does not exist.
void require_sees_body(SQLite::Database& db, const CurrentUser& user, Id id) {
  if (!governance_scope(db, user).sees_body(id) || !BodyStore(db).find(id)) throw not_found("That body");
}

void require_manages_bodies(SQLite::Database& db, const CurrentUser& user) {
  if (!governance_scope(db, user).manages_bodies())
    throw HttpError(403, "forbidden", "Only the governance team for all bodies can add a body.");
}

json body_json(SQLite::Database& db, const Body& b) {
  json j = b;
  j["version"] = BodyStore(db).current_version(b.id);
  return j;
}

// The bodies this account sees, by id: every body for an instance-wide account.
std::vector<Body> seen_bodies(SQLite::Database& db, const CurrentUser& user) {
  auto scope = governance_scope(db, user);
  std::vector<Body> out;
  for (auto& b : BodyStore(db).all())
    if (scope.sees_body(b.id)) out.push_back(std::move(b));
  std::sort(out.begin(), out.end(), [](const Body& a, const Body& b) { return a.id < b.id; });
  return out;
}

json list_view(App& app, SQLite::Database& db, const CurrentUser& user, const std::string& saved) {
  json rows = json::array();
  for (const auto& b : seen_bodies(db, user))
    rows.push_back({{"name", body_name(b, app.config().organisation_name)},
                    {"ods_code", b.ods_code.empty() ? std::string("None") : b.ods_code},
                    {"kind", kind_words(b.kind)},
                    {"published", b.publication == BodyPublication::here ? std::string("Here") : std::string("Elsewhere")},
                    {"href", kPage + "/" + std::to_string(b.id) + "/edit"}});
  json v = {{"title", "Bodies"}, {"bodies", rows}, {"may_add", governance_scope(db, user).manages_bodies()}};
  if (saved == "added") v["notice"] = "The body has been added.";
  if (saved == "changed") v["notice"] = "The body's settings have been saved as a new version; the earlier version is kept.";
  return v;
}

json form_view(const Fields& f, const Problems& e, bool editing, bool default_body, const std::string& action, const std::string& heading) {
  json v = error_view(e, {{"kind", "kind-icb"}, {"publication", "publication-here"}});
  v["title"] = (e.empty() ? "" : "Error: ") + heading;
  v["heading"] = heading;
  v["editing"] = editing;
  v["action"] = action;
  v["f_name"] = text_field(f, e, "name", default_body ? "Name (optional)" : "Name",
                           default_body ? "Leave empty to use the organisation's name from the settings."
                                        : "As it should appear on the public register, for example NHS Westbrook Integrated Care Board.");
  v["f_ods_code"] = text_field(f, e, "ods_code", "ODS code (optional)", "The body's Organisation Data Service code, for example 15N.");
  Fields shown = f;
  if (!shown.has("kind") && !editing) shown.set("kind", "icb");
  if (!shown.has("publication")) shown.set("publication", "here");
  v["f_kind"] = radios(shown, e, "kind", "What kind of body is it?", "", kind_options());
  v["f_contact_email"] = text_field(f, e, "contact_email", "Contact email address (optional)",
                                    "Where people can ask about the body's register, for example its governance team.");
  v["f_publication"] = radios(shown, e, "publication", "Where is its register published?", "", publication_options());
  v["f_register_url"] = text_field(f, e, "register_url", "Address of its register (only when published elsewhere)",
                                   "The web address where the body publishes its register, starting https://");
  return v;
}

std::string edit_path(Id id) { return kPage + "/" + std::to_string(id) + "/edit"; }
std::string edit_heading(App& app, const Body& b) { return "Change " + body_name(b, app.config().organisation_name); }

void page_routes(App& app) {
  auto& s = app.http();
  s.Get(kPage, [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    app.render_page(req, res, "governance_bodies", list_view(app, *db, user, req.get_param_value("saved")));
  });

  s.Get(kPage + "/new", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    require_manages_bodies(*db, user);
    app.render_page(req, res, "governance_body_form", form_view({}, {}, false, false, kPage + "/new", "Add a body"));
  });

  s.Post(kPage + "/new", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto fields = read_fields(app, req);
    auto db = app.pool().acquire();
    require_manages_bodies(*db, user);
    auto out = create(*db, fields, actor_of(user));
    if (out.saved) return res.set_redirect(kPage + "?saved=added", 303);
    app.render_page(req, res, "governance_body_form", form_view(fields, out.problems, false, false, kPage + "/new", "Add a body"), 422);
  });

  s.Get(kPage + kId + "/edit", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1);
    require_sees_body(*db, user, id);
    auto b = BodyStore(*db).find(id).value();
    app.render_page(req, res, "governance_body_form",
                    form_view(body_fields(b), {}, true, id == kDefaultBody, edit_path(id), edit_heading(app, b)));
  });

  s.Post(kPage + kId + "/edit", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto fields = read_fields(app, req);
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1);
    require_sees_body(*db, user, id);
    auto out = edit(*db, id, fields, actor_of(user));
    if (out.saved) return res.set_redirect(kPage + "?saved=changed", 303);
    auto b = BodyStore(*db).find(id).value();
    app.render_page(req, res, "governance_body_form",
                    form_view(fields, out.problems, true, id == kDefaultBody, edit_path(id), edit_heading(app, b)), 422);
  });
}

void api_routes(App& app) {
  auto& s = app.http();
  auto reply = [](SQLite::Database& db, const Body& b) { return json{{"body", body_json(db, b)}}; };

  s.Get(kApi, [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    json list = json::array();
    for (const auto& b : seen_bodies(*db, user)) list.push_back(body_json(*db, b));
    App::send_json(res, json{{"bodies", list}});
  });

  s.Get(kApi + kId, [&app, reply](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1);
    require_sees_body(*db, user, id);
    App::send_json(res, reply(*db, BodyStore(*db).find(id).value()));
  });

  s.Post(kApi, [&app, reply](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    {
      auto db = app.pool().acquire();
      require_manages_bodies(*db, user);
    }
    const auto actor = actor_of(user);
    send_change(app, req, res, [&](SQLite::Database& db, const Fields& in) { return create(db, in, actor); }, reply, 201);
  });

  s.Put(kApi + kId, [&app, reply](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    const Id id = id_at(req, 1);
    {
      auto db = app.pool().acquire();
      require_sees_body(*db, user, id);
    }
    const auto actor = actor_of(user);
    send_change(app, req, res, [&](SQLite::Database& db, const Fields& in) { return edit(db, id, in, actor); }, reply);
  });
}
}  // namespace

void register_body_routes(App& app) {
  page_routes(app);
  api_routes(app);
}

}  // namespace probity
