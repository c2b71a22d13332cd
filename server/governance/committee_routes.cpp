// Governance manages committees, their quorum rules and memberships: pages under
// /governance/committees and their JSON twins under /api/v1/governance/committees
// (docs/api-accounts.md). Pages and API read input into the same Fields, go through the same
// checks (model/register/committee_admin.hpp) and say the same words; nothing is written when any is wrong.
#include <algorithm>
#include <cctype>

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
                                              "min_clinical", "lay_executive_majority", "lay_chair", "lay_member_may_preside", "person_id", "role", "from", "to"};


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

Result<Committee> create(SQLite::Database& db, const Fields& in, const std::string& actor) {
  Problems parsed;
  Committee c = read_committee(in, Committee{}, true, parsed);
  if (!parsed.empty()) return {std::nullopt, ordered(parsed, committee_problems(c, CommitteeStore(db).all()))};
  auto r = create_committee(db, c, actor);
  return {r.saved, ordered(parsed, r.problems)};
}

Result<Committee> edit(SQLite::Database& db, Id id, const Fields& in, const std::string& actor) {
  auto current = CommitteeStore(db).find(id);
  if (!current) throw not_found("That committee");
  Problems parsed;
  Committee c = read_committee(in, *current, false, parsed);
  if (!parsed.empty()) return {std::nullopt, ordered(parsed, committee_problems(c, CommitteeStore(db).all()))};
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

std::string committee_path(Id id, const std::string& saved) { return kPage + "/" + std::to_string(id) + "?saved=" + saved; }

void page_routes(App& app) {
  auto& s = app.http();
  s.Get(kPage, [&app](const Req& req, Res& res) {
    require_governance(app, req);
    auto db = app.pool().acquire();
    json data = committees_list(*db, Date::today());
    data["title"] = "Committees";
    data["has_committees"] = !data["committees"].empty();
    app.render_page(req, res, "governance_committees", data);
  });

  s.Get(kPage + "/new", [&app](const Req& req, Res& res) {
    require_governance(app, req);
    app.render_page(req, res, "governance_committee_form",
                    committee_form_view(committee_fields(Committee{}), {}, false, kPage, "Add a committee"));
  });

  s.Post(kPage, [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto fields = read_fields(app, req);
    auto db = app.pool().acquire();
    auto out = create(*db, fields, actor_of(user));
    if (out.saved) return res.set_redirect(committee_path(out.saved->id, "created"), 303);
    app.render_page(req, res, "governance_committee_form", committee_form_view(fields, out.problems, false, kPage, "Add a committee"), 422);
  });

  s.Get(kPage + kId, [&app](const Req& req, Res& res) {
    require_governance(app, req);
    auto db = app.pool().acquire();
    auto data = committee_page_view(*db, id_at(req, 1), Date::today(), {}, {});
    if (!data) throw not_found("That committee");
    const auto notice = notice_for(req.get_param_value("saved"));
    if (!notice.empty()) (*data)["notice"] = notice;
    app.render_page(req, res, "governance_committee", *data);
  });

  s.Get(kPage + kId + "/edit", [&app](const Req& req, Res& res) {
    require_governance(app, req);
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1);
    auto c = CommitteeStore(*db).find(id);
    if (!c) throw not_found("That committee");
    app.render_page(req, res, "governance_committee_form",
                    committee_form_view(committee_fields(*c), {}, true, kPage + "/" + std::to_string(id) + "/edit", "Change " + c->name));
  });

  s.Post(kPage + kId + "/edit", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto fields = read_fields(app, req);
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1);
    auto out = edit(*db, id, fields, actor_of(user));
    if (out.saved) return res.set_redirect(committee_path(id, "edited"), 303);
    const auto name = CommitteeStore(*db).find(id).value().name;
    app.render_page(req, res, "governance_committee_form",
                    committee_form_view(fields, out.problems, true, kPage + "/" + std::to_string(id) + "/edit", "Change " + name), 422);
  });

  s.Post(kPage + kId + "/memberships", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto fields = read_fields(app, req);
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1);
    auto out = add_member(*db, id, fields, actor_of(user));
    if (out.saved) return res.set_redirect(committee_path(id, "member") + "#members", 303);
    auto data = committee_page_view(*db, id, Date::today(), fields, out.problems);
    app.render_page(req, res, "governance_committee", *data, 422);
  });

  s.Get(kPage + kId + "/memberships" + kId + "/end", [&app](const Req& req, Res& res) {
    require_governance(app, req);
    auto db = app.pool().acquire();
    auto data = end_membership_view(*db, id_at(req, 1), id_at(req, 2), {}, {});
    if (!data) throw not_found("That membership");
    app.render_page(req, res, "governance_membership_end", *data);
  });

  s.Post(kPage + kId + "/memberships" + kId + "/end", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto fields = read_fields(app, req);
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1), membership = id_at(req, 2);
    if (!end_membership_view(*db, id, membership, {}, {})) throw not_found("That membership");
    auto out = end_member(*db, id, membership, fields, actor_of(user));
    if (out.saved) return res.set_redirect(committee_path(id, "ended") + "#members", 303);
    app.render_page(req, res, "governance_membership_end", *end_membership_view(*db, id, membership, fields, out.problems), 422);
  });
}

void api_routes(App& app) {
  auto& s = app.http();
  s.Get(kApi, [&app](const Req& req, Res& res) {
    require_governance(app, req);
    auto db = app.pool().acquire();
    App::send_json(res, committees_list(*db, Date::today()));
  });

  auto committee_reply = [](SQLite::Database& db, const Committee& c) { return json{{"committee", committee_json(db, c)}}; };
  auto membership_reply = [](SQLite::Database& db, const Membership& m) {
    return json{{"membership", membership_json(db, m, Date::today())}};
  };
  s.Post(kApi, [&app, committee_reply](const Req& req, Res& res) {
    const auto actor = actor_of(require_governance(app, req));
    send_change(app, req, res, [&](SQLite::Database& db, const Fields& in) { return create(db, in, actor); }, committee_reply, 201);
  });

  s.Get(kApi + kId, [&app](const Req& req, Res& res) {
    require_governance(app, req);
    auto db = app.pool().acquire();
    auto doc = committee_doc(*db, id_at(req, 1), Date::today());
    if (!doc) throw not_found("That committee");
    App::send_json(res, *doc);
  });

  s.Post(kApi + kId, [&app, committee_reply](const Req& req, Res& res) {
    const auto actor = actor_of(require_governance(app, req));
    send_change(app, req, res, [&](SQLite::Database& db, const Fields& in) { return edit(db, id_at(req, 1), in, actor); }, committee_reply);
  });

  s.Post(kApi + kId + "/memberships", [&app, membership_reply](const Req& req, Res& res) {
    const auto actor = actor_of(require_governance(app, req));
    send_change(app, req, res, [&](SQLite::Database& db, const Fields& in) { return add_member(db, id_at(req, 1), in, actor); },
                membership_reply, 201);
  });

  s.Post(kApi + kId + "/memberships" + kId + "/end", [&app, membership_reply](const Req& req, Res& res) {
    const auto actor = actor_of(require_governance(app, req));
    send_change(
        app, req, res, [&](SQLite::Database& db, const Fields& in) { return end_member(db, id_at(req, 1), id_at(req, 2), in, actor); },
        membership_reply);
  });
}
}  // namespace

void register_committee_routes(App& app) {
  page_routes(app);
  api_routes(app);
}

}  // namespace probity
