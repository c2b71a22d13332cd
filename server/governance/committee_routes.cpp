// Governance manages committees, their quorum rules and memberships: pages under
// /governance/committees and their JSON twins under /api/v1/governance/committees
// (docs/api-accounts.md). Pages and API read input into the same Fields, go through the same
// checks (model/register/committee_admin.hpp) and say the same words; nothing is written when any is wrong.
#include <algorithm>
#include <cctype>

#include "model/register/bodies.hpp"
#include "model/register/committee_admin.hpp"
#include "model/register/committee_store.hpp"
#include "server/http/app.hpp"
#include "server/http/auth.hpp"
#include "server/governance/committee_views.hpp"
#include "server/http/request_input.hpp"
#include "server/http/routes.hpp"

namespace probity {
namespace {
using json = nlohmann::json;
using Req = httplib::Request;
using Res = httplib::Response;

const std::string kPage = "/governance/committees";
const std::string kApi = "/api/v1/governance/committees";
const std::string kId = R"(/(\d{1,18}))";

// The order fields appear on the pages, so that the error summary lists them in that order.
const std::vector<std::string> kFieldOrder = {"name",    "ref",           "description", "min_voting", "min_lay", "min_executive",
                                              "min_clinical", "body_ids", "min_voting_each_body", "min_voting_from_body", "lay_executive_majority", "lay_chair", "lay_member_may_preside",
                                              "person_id", "role", "from", "to"};


// Parse errors first, then the model's problems (one message per field), in page order.
Problems ordered(Problems parsed, const Problems& found) {
  parsed.add_all(found);
  return parsed.ordered(kFieldOrder);
}

// A whole number such as "4" (the API may send 4). Leaves `value` alone when the field is absent,
// so an API edit may send only what changes; the forms always send every field.
void read_count(const Fields& in, const std::string& key, int& value, Problems& errors) {
  if (!in.has(key)) return;
  const std::string s = in.get(key);
  const std::string label = quorum_field_label(key);
  if (s.empty()) {
    errors.add(key, "Enter the number of " + std::string(1, static_cast<char>(std::tolower(label[0]))) + label.substr(1) + ", or 0");
    return;
  }
  const bool negative = s[0] == '-';
  const std::string digits = negative ? s.substr(1) : s;
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    errors.add(key, label + " must be a whole number, like 4");
    return;
  }
  // Anything longer than 4 digits is out of range anyway; the model says so in its own words.
  value = digits.size() > 4 ? (negative ? -10000 : 10000) : std::stoi(s);
}

void read_flag(const Fields& in, const std::string& key, bool& value, const std::string& message, Problems& errors) {
  if (!in.has(key)) return;
  if (auto flag = in.yes_no(key, message, errors)) value = *flag;
}

// A whole number of 1 to 4 digits (the model checks the range in its own words); nullopt with
// `message` recorded otherwise.
std::optional<int> small_number(const std::string& s, const std::string& key, const std::string& message, Problems& errors) {
  if (s.empty() || s.size() > 4 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    errors.add(key, message);
    return std::nullopt;
  }
  return std::stoi(s);
}

// The id in a field named `prefix` + digits, e.g. body_2; nullopt for any other name.
std::optional<Id> suffix_id(const std::string& name, const std::string& prefix) {
  if (name.rfind(prefix, 0) != 0 || name.size() == prefix.size() || name.size() > prefix.size() + 18) return std::nullopt;
  const auto digits = name.substr(prefix.size());
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  return std::stoll(digits);
}

// Joint committees (README "Several bodies"): the owning bodies and the per-body minimums. The
// form sends bodies_shown with a body_<id> checkbox per owning body and every min_from_body_<id>
// (empty: none); the API sends body_ids (an array of ids) and only the minimums that change.
void read_committee_bodies(const Fields& in, Committee& c, Problems& errors) {
  const bool form = in.has("bodies_shown");
  if (form) {
    c.body_ids.clear();
    c.quorum.min_voting_from_body.clear();
    for (const auto& [name, value] : in.all())
      if (auto id = suffix_id(name, "body_"); id && in.checked(name)) c.body_ids.push_back(*id);
  } else if (in.has("body_ids")) {
    if (auto ids = in.ids("body_ids")) c.body_ids = *ids;
    else errors.add("body_ids", "Select the bodies that own the committee from the list");
  }
  if (in.has("min_voting_each_body")) {
    if (auto n = small_number(in.get("min_voting_each_body"), "min_voting_each_body",
                              "Enter the number of voting members needed from each body as a whole number, like 2, or 0", errors))
      c.quorum.min_voting_each_body = *n;
  }
  for (const auto& [name, value] : in.all()) {
    auto id = suffix_id(name, "min_from_body_");
    if (!id) continue;
    const auto text = in.get(name);
    if (text.empty()) {
      c.quorum.min_voting_from_body.erase(*id);
      continue;
    }
    if (auto n = small_number(text, "min_voting_from_body", "Enter the voting members needed from a named body as a whole number, like 1", errors))
      c.quorum.min_voting_from_body[*id] = *n;
  }
}

// Reads a committee's fields over `base` (a new committee, or the current version to edit).
Committee read_committee(const Fields& in, Committee base, bool creating, Problems& errors) {
  if (in.has("name")) base.name = in.get("name");
  if (creating) base.ref = in.get("ref");
  if (in.has("description")) base.description = in.get("description");
  read_count(in, "min_voting", base.quorum.min_voting, errors);
  read_count(in, "min_lay", base.quorum.min_lay, errors);
  read_count(in, "min_executive", base.quorum.min_executive, errors);
  read_count(in, "min_clinical", base.quorum.min_clinical, errors);
  read_flag(in, "lay_executive_majority", base.quorum.lay_executive_majority,
            "Select whether lay and executive members must be a majority", errors);
  read_flag(in, "lay_chair", base.quorum.lay_chair, "Select whether a lay member must chair each item", errors);
  read_flag(in, "lay_member_may_preside", base.quorum.lay_member_may_preside,
            "Select whether another lay member may preside when neither the chair nor a vice-chair can", errors);
  read_committee_bodies(in, base, errors);
  return base;
}

std::optional<Date> read_date(const Fields& in, const std::string& key, const std::string& what, bool required, Problems& errors) {
  const auto text = in.get(key);
  if (text.empty()) {
    if (required) errors.add(key, "Enter the date the membership " + what);
    return std::nullopt;
  }
  auto d = Date::parse(text);
  if (!d || d->year() < 1900 || d->year() > 2200) {
    errors.add(key, "The date the membership " + what + " must be a real date");
    return std::nullopt;
  }
  return d;
}

Membership read_membership(const Fields& in, Id committee_id, Problems& errors) {
  Membership m;
  m.committee_id = committee_id;
  if (auto person = in.id("person_id")) m.person_id = *person;
  else errors.add("person_id", "Select the person who is joining the committee");
  if (auto role = enum_from_string<CommitteeRole>(in.get("role"))) m.role = *role;
  else errors.add("role", "Select their role on the committee");
  if (auto from = read_date(in, "from", "starts", true, errors)) m.from = *from;
  m.to = read_date(in, "to", "ends", false, errors);
  return m;
}

// --- actions shared by pages and API: each returns the saved entity or the field errors ---

// The model's problems with a committee as it would be saved (shown with the parse errors).
Problems model_problems(SQLite::Database& db, const Committee& c) {
  Problems found = committee_problems(c, CommitteeStore(db).all());
  found.add_all(committee_body_problems(db, c));
  return found;
}

// A body's governance account keeps its committees in view: its body must own the committee.
void check_owner(const GovernanceScope& scope, const Committee& c, Problems& parsed) {
  if (scope.body() && std::find(c.body_ids.begin(), c.body_ids.end(), *scope.body()) == c.body_ids.end())
    parsed.add("body_ids", "Select your own body as one of the bodies that own the committee");
}

Result<Committee> create(SQLite::Database& db, const Fields& in, const std::string& actor, const GovernanceScope& scope) {
  Problems parsed;
  Committee base;
  if (scope.body()) base.body_ids = {*scope.body()};
  Committee c = read_committee(in, base, true, parsed);
  check_owner(scope, c, parsed);
  if (!parsed.empty()) return {std::nullopt, ordered(parsed, model_problems(db, c))};
  auto r = create_committee(db, c, actor);
  return {r.saved, ordered(parsed, r.problems)};
}

Result<Committee> edit(SQLite::Database& db, Id id, const Fields& in, const std::string& actor, const GovernanceScope& scope) {
  auto current = CommitteeStore(db).find(id);
  if (!current || !scope.sees_committee(id)) throw not_found("That committee");
  Problems parsed;
  Committee c = read_committee(in, *current, false, parsed);
  check_owner(scope, c, parsed);
  if (!parsed.empty()) return {std::nullopt, ordered(parsed, model_problems(db, c))};
  auto r = edit_committee(db, c, actor);
  if (!r) throw not_found("That committee");
  return {r->saved, ordered(parsed, r->problems)};
}

Result<Membership> add_member(SQLite::Database& db, Id committee_id, const Fields& in, const std::string& actor) {
  if (!CommitteeStore(db).find(committee_id)) throw not_found("That committee");
  Problems parsed;
  Membership m = read_membership(in, committee_id, parsed);
  if (!parsed.empty()) return {std::nullopt, parsed};
  auto r = add_membership(db, m, actor);
  if (!r) throw not_found("That committee");
  return {r->saved, ordered(parsed, r->problems)};
}

Result<Membership> end_member(SQLite::Database& db, Id committee_id, Id membership_id, const Fields& in, const std::string& actor) {
  auto existing = MembershipStore(db).find(membership_id);
  if (!existing || existing->committee_id != committee_id) throw not_found("That membership");
  Problems parsed;
  auto to = read_date(in, "to", "ends", true, parsed);
  if (!to) return {std::nullopt, parsed};
  auto r = end_membership(db, committee_id, membership_id, *to, actor);
  if (!r) throw not_found("That membership");
  // The end form has one field: every problem (an overlap the new end would create, a leaver's
  // date) is about the date chosen.
  Problems errors;
  for (const auto& p : r->problems.list()) errors.add("to", p.message);
  return {r->saved, errors};
}

std::string notice_for(const std::string& saved) {
  if (saved == "created") return "The committee has been added. Add its members below.";
  if (saved == "edited") return "The committee has been saved as a new version; the earlier version is kept.";
  if (saved == "member") return "The membership has been added.";
  if (saved == "ended") return "The membership's end date has been recorded; the earlier version is kept.";
  return "";
}

// The committee form, with the joint-committee fields when the instance has several bodies.
json form_view(App& app, SQLite::Database& db, const Fields& f, const Problems& e, bool editing, const std::string& action,
               const std::string& heading) {
  json v = committee_form_view(f, e, editing, action, heading);
  if (several_bodies(db)) add_committee_body_fields(v, f, e, body_names(db, app.config().organisation_name));
  return v;
}

// The committee's form fields, with its bodies when the instance has several.
Fields fields_of(SQLite::Database& db, const Committee& c) {
  Fields f = committee_fields(c);
  if (several_bodies(db)) add_committee_body_values(f, c);
  return f;
}

// The committee as this account may see it: 404 as for one that does not exist otherwise.
void require_sees_committee(SQLite::Database& db, const CurrentUser& user, Id id) {
  if (!governance_scope(db, user).sees_committee(id)) throw not_found("That committee");
}

// The committees list, without those this account does not see.
json seen_committees(SQLite::Database& db, const CurrentUser& user) {
  json data = committees_list(db, Date::today());
  const auto scope = governance_scope(db, user);
  if (scope.instance_wide()) return data;
  json kept = json::array();
  for (auto& c : data["committees"])
    if (scope.sees_committee(c["id"].get<Id>())) kept.push_back(c);
  data["committees"] = kept;
  return data;
}

std::string committee_path(Id id, const std::string& saved) { return kPage + "/" + std::to_string(id) + "?saved=" + saved; }

void page_routes(App& app) {
  auto& s = app.http();
  s.Get(kPage, [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    json data = seen_committees(*db, user);
    data["title"] = "Committees";
    data["has_committees"] = !data["committees"].empty();
    app.render_page(req, res, "governance_committees", data);
  });

  s.Get(kPage + "/new", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    Committee blank;
    if (user.body_id) blank.body_ids = {*user.body_id};
    app.render_page(req, res, "governance_committee_form", form_view(app, *db, fields_of(*db, blank), {}, false, kPage, "Add a committee"));
  });

  s.Post(kPage, [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto fields = read_fields(app, req);
    auto db = app.pool().acquire();
    auto out = create(*db, fields, actor_of(user), governance_scope(*db, user));
    if (out.saved) return res.set_redirect(committee_path(out.saved->id, "created"), 303);
    app.render_page(req, res, "governance_committee_form", form_view(app, *db, fields, out.problems, false, kPage, "Add a committee"), 422);
  });

  s.Get(kPage + kId, [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    require_sees_committee(*db, user, id_at(req, 1));
    auto data = committee_page_view(*db, id_at(req, 1), Date::today(), {}, {});
    if (!data) throw not_found("That committee");
    const auto notice = notice_for(req.get_param_value("saved"));
    if (!notice.empty()) (*data)["notice"] = notice;
    app.render_page(req, res, "governance_committee", *data);
  });

  s.Get(kPage + kId + "/edit", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1);
    require_sees_committee(*db, user, id);
    auto c = CommitteeStore(*db).find(id);
    if (!c) throw not_found("That committee");
    app.render_page(req, res, "governance_committee_form",
                    form_view(app, *db, fields_of(*db, *c), {}, true, kPage + "/" + std::to_string(id) + "/edit", "Change " + c->name));
  });

  s.Post(kPage + kId + "/edit", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto fields = read_fields(app, req);
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1);
    auto out = edit(*db, id, fields, actor_of(user), governance_scope(*db, user));
    if (out.saved) return res.set_redirect(committee_path(id, "edited"), 303);
    const auto name = CommitteeStore(*db).find(id).value().name;
    app.render_page(req, res, "governance_committee_form",
                    form_view(app, *db, fields, out.problems, true, kPage + "/" + std::to_string(id) + "/edit", "Change " + name), 422);
  });

  s.Post(kPage + kId + "/memberships", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto fields = read_fields(app, req);
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1);
    require_sees_committee(*db, user, id);
    auto out = add_member(*db, id, fields, actor_of(user));
    if (out.saved) return res.set_redirect(committee_path(id, "member") + "#members", 303);
    auto data = committee_page_view(*db, id, Date::today(), fields, out.problems);
    app.render_page(req, res, "governance_committee", *data, 422);
  });

  s.Get(kPage + kId + "/memberships" + kId + "/end", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    require_sees_committee(*db, user, id_at(req, 1));
    auto data = end_membership_view(*db, id_at(req, 1), id_at(req, 2), {}, {});
    if (!data) throw not_found("That membership");
    app.render_page(req, res, "governance_membership_end", *data);
  });

  s.Post(kPage + kId + "/memberships" + kId + "/end", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto fields = read_fields(app, req);
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1), membership = id_at(req, 2);
    require_sees_committee(*db, user, id);
    if (!end_membership_view(*db, id, membership, {}, {})) throw not_found("That membership");
    auto out = end_member(*db, id, membership, fields, actor_of(user));
    if (out.saved) return res.set_redirect(committee_path(id, "ended") + "#members", 303);
    app.render_page(req, res, "governance_membership_end", *end_membership_view(*db, id, membership, fields, out.problems), 422);
  });
}

void api_routes(App& app) {
  auto& s = app.http();
  s.Get(kApi, [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    App::send_json(res, seen_committees(*db, user));
  });

  auto committee_reply = [](SQLite::Database& db, const Committee& c) { return json{{"committee", committee_json(db, c)}}; };
  auto membership_reply = [](SQLite::Database& db, const Membership& m) {
    return json{{"membership", membership_json(db, m, Date::today())}};
  };
  s.Post(kApi, [&app, committee_reply](const Req& req, Res& res) {
    const auto user = require_governance(app, req);
    const auto actor = actor_of(user);
    send_change(app, req, res, [&](SQLite::Database& db, const Fields& in) { return create(db, in, actor, governance_scope(db, user)); },
                committee_reply, 201);
  });

  s.Get(kApi + kId, [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    require_sees_committee(*db, user, id_at(req, 1));
    auto doc = committee_doc(*db, id_at(req, 1), Date::today());
    if (!doc) throw not_found("That committee");
    App::send_json(res, *doc);
  });

  s.Post(kApi + kId, [&app, committee_reply](const Req& req, Res& res) {
    const auto user = require_governance(app, req);
    const auto actor = actor_of(user);
    send_change(
        app, req, res, [&](SQLite::Database& db, const Fields& in) { return edit(db, id_at(req, 1), in, actor, governance_scope(db, user)); },
        committee_reply);
  });

  s.Post(kApi + kId + "/memberships", [&app, membership_reply](const Req& req, Res& res) {
    const auto user = require_governance(app, req);
    const auto actor = actor_of(user);
    send_change(app, req, res, [&](SQLite::Database& db, const Fields& in) {
                  require_sees_committee(db, user, id_at(req, 1));
                  return add_member(db, id_at(req, 1), in, actor); },
                membership_reply, 201);
  });

  s.Post(kApi + kId + "/memberships" + kId + "/end", [&app, membership_reply](const Req& req, Res& res) {
    const auto user = require_governance(app, req);
    const auto actor = actor_of(user);
    send_change(
        app, req, res, [&](SQLite::Database& db, const Fields& in) {
          require_sees_committee(db, user, id_at(req, 1));
          return end_member(db, id_at(req, 1), id_at(req, 2), in, actor); },
        membership_reply);
  });
}
}  // namespace

void register_committee_routes(App& app) {
  page_routes(app);
  api_routes(app);
}

}  // namespace probity
