// The member's own declarations: dashboard, interests, gifts and hospitality, nil returns,
// as pages under /my and as JSON under /api/v1/my (documented in docs/api-accounts.md). Both
// read input into the same Fields and go through the same validation and ownership checks.
#include "model/compliance.hpp"
#include "model/database.hpp"
#include "model/declaration_store.hpp"
#include "model/gift_rules.hpp"
#include "model/json.hpp"
#include "model/organisation_store.hpp"
#include "model/person_store.hpp"
#include "model/review_store.hpp"
#include "server/app.hpp"
#include "server/auth.hpp"
#include "server/declaration_input.hpp"
#include "server/gift_config.hpp"
#include "server/member_views.hpp"

namespace probity {
namespace {
using json = nlohmann::json;
using Req = httplib::Request;
using Res = httplib::Response;

Id id_from(const Req& req) {
  try {
    return std::stoll(req.matches[1]);
  } catch (const std::exception&) {
    throw not_found("That declaration");
  }
}

// Another person's record answers exactly like a missing one, so ids reveal nothing.
Interest own_interest(SQLite::Database& db, const CurrentUser& user, Id id) {
  auto i = InterestStore(db).find(id);
  if (!i || i->person_id != *user.person_id) throw not_found("That interest");
  return *i;
}

Gift own_gift(SQLite::Database& db, const CurrentUser& user, Id id) {
  auto g = GiftStore(db).find(id);
  if (!g || g->person_id != *user.person_id) throw not_found("That gift or hospitality entry");
  return *g;
}

NilReturn own_nil_return(SQLite::Database& db, const CurrentUser& user, Id id) {
  auto n = NilReturnStore(db).find(id);
  if (!n || n->person_id != *user.person_id) throw not_found("That nil return");
  return *n;
}

HttpError invalid(const Problems& errors) {
  return HttpError(422, "validation_failed", "Some of the details are not right: see details for each field.", errors.details());
}

json interest_json(SQLite::Database& db, const Interest& i) {
  json j = i;
  j["organisation_name"] = organisation_name(db, i.organisation_id);
  j["version"] = InterestStore(db).current_version(i.id);
  return j;
}

// --- the actions, shared by pages and API ---

struct Outcome {
  Problems errors;
  Id id = 0;
  bool ok() const { return errors.empty(); }
};

// The writes go through the group-commit writer: validation first, on the request's thread,
// then the write in a transaction shared with concurrent declarations, acknowledged only once
// that transaction is committed.
Outcome create_interest(App& app, const CurrentUser& user, const Fields& in) {
  Outcome out;
  auto input = read_interest(in, out.errors);
  if (!input) return out;
  out.id = app.writer().run([&](SQLite::Database& db) {
    WriteTransaction tx(db);
    Interest i = input->interest;
    i.person_id = *user.person_id;
    i.organisation_id = resolve_organisation(db, input->organisation_name, input->organisation_identifier, actor_of(user));
    i.declared_on = Date::today();
    i.status = DeclarationStatus::submitted;
    InterestStore(db).save(i, actor_of(user));
    tx.commit();
    return i.id;
  });
  return out;
}

Outcome update_interest(App& app, const CurrentUser& user, Interest i, const Fields& in) {
  Outcome out;
  auto input = read_interest(in, out.errors);
  if (!input) return out;
  const auto& n = input->interest;
  i.category = n.category;
  i.indirect = n.indirect;
  i.relationship = n.relationship;
  i.nature = n.nature;
  i.from = n.from;
  i.to = n.to;
  i.action_taken = n.action_taken;
  // A changed entry goes back for review where review is on; a returned one is resubmitted.
  i.status = status_after_member_change(i.status, app.config().review_required);
  out.id = app.writer().run([&](SQLite::Database& db) {
    WriteTransaction tx(db);
    Interest changed = i;
    changed.organisation_id = resolve_organisation(db, input->organisation_name, input->organisation_identifier, actor_of(user));
    InterestStore(db).save(changed, actor_of(user));
    tx.commit();
    return changed.id;
  });
  return out;
}

Outcome end_interest(App& app, const CurrentUser& user, Interest i, const Fields& in) {
  Outcome out;
  auto to = read_end_date(in, i, out.errors);
  if (!to) return out;
  i.to = *to;
  out.id = app.writer().run([&](SQLite::Database& db) {
    WriteTransaction tx(db);
    Interest ended = i;
    InterestStore(db).save(ended, actor_of(user));
    tx.commit();
    return ended.id;
  });
  return out;
}

Outcome make_nil_return(App& app, const CurrentUser& user, const Fields& in) {
  Outcome out;
  auto n = read_nil_return(in, out.errors);
  if (!n) return out;
  n->person_id = *user.person_id;
  n->made_on = Date::today();
  n->status = DeclarationStatus::submitted;
  // A copy per run: the writer runs a write again if SQLite dropped its batch's transaction.
  out.id = app.writer().run([&](SQLite::Database& db) {
    WriteTransaction tx(db);
    NilReturn made = *n;
    NilReturnStore(db).save(made, actor_of(user));
    tx.commit();
    return made.id;
  });
  return out;
}

// A new version of the member's nil return; made_on stays the day it was first made, as an
// interest keeps its declared_on, so correcting it does not move the annual cycle.
Outcome update_nil_return(App& app, const CurrentUser& user, NilReturn n, const Fields& in) {
  Outcome out;
  auto input = read_nil_return(in, out.errors);
  if (!input) return out;
  n.statement = input->statement;
  n.status = status_after_member_change(n.status, app.config().review_required);
  out.id = app.writer().run([&](SQLite::Database& db) {
    WriteTransaction tx(db);
    NilReturn changed = n;
    NilReturnStore(db).save(changed, actor_of(user));
    tx.commit();
    return changed.id;
  });
  return out;
}

struct GiftCheck {
  Problems errors;
  std::optional<Gift> gift;
  std::optional<GiftClassification> classification;
};

// `editing`: the gift being changed. Its id makes the rules leave its earlier version out of the
// running total (it is the same offer, not another one from the source), and its organisation on
// record still names the source while the member keeps the source's words.
GiftCheck check_gift(App& app, SQLite::Database& db, const CurrentUser& user, const Fields& in, bool for_submit,
                     const Gift* editing = nullptr) {
  GiftCheck out;
  out.gift = read_gift(in, out.errors, for_submit);
  if (!out.gift) return out;
  out.gift->person_id = *user.person_id;
  if (editing) {
    out.gift->id = editing->id;
    if (out.gift->source == editing->source) out.gift->organisation_id = editing->organisation_id;
  }
  out.classification = classify_offer(*out.gift, GiftStore(db).for_person(*user.person_id), gift_thresholds(app.config()));
  if (for_submit) check_gift_outcome(*out.gift, *out.classification, out.errors);
  return out;
}

Outcome declare_gift(App& app, const CurrentUser& user, GiftCheck& check) {
  Outcome out;
  out.errors = check.errors;
  if (!out.ok() || !check.gift) return out;
  Gift g = *check.gift;
  g.declared_on = Date::today();
  g.status = DeclarationStatus::submitted;
  out.id = app.writer().run([&](SQLite::Database& db) {
    WriteTransaction tx(db);
    Gift made = g;  // a copy per run, as for nil returns
    GiftStore(db).save(made, actor_of(user));
    tx.commit();
    return made.id;
  });
  return out;
}

// A new version of the member's gift from a checked form (check_gift with `editing`); the
// declared date and ref stay, the status follows the review rule.
Outcome update_gift(App& app, const CurrentUser& user, Gift g, GiftCheck& check) {
  Outcome out;
  out.errors = check.errors;
  if (!out.ok() || !check.gift) return out;
  const Gift& n = *check.gift;
  g.kind = n.kind;
  g.organisation_id = n.organisation_id;
  g.source = n.source;
  g.from_supplier = n.from_supplier;
  g.cash_or_voucher = n.cash_or_voucher;
  g.description = n.description;
  g.value_pence = n.value_pence;
  g.offered_on = n.offered_on;
  g.outcome = n.outcome;
  g.approved_by = n.approved_by;
  g.status = status_after_member_change(g.status, app.config().review_required);
  out.id = app.writer().run([&](SQLite::Database& db) {
    WriteTransaction tx(db);
    Gift changed = g;  // a copy per run, as for nil returns
    GiftStore(db).save(changed, actor_of(user));
    tx.commit();
    return changed.id;
  });
  return out;
}

// An entity with its current version number, as interest_json gives for interests.
template <typename Store, typename T>
json versioned_json(SQLite::Database& db, const T& e) {
  json j = e;
  j["version"] = Store(db).current_version(e.id);
  return j;
}

template <typename Store>
json history_json(SQLite::Database& db, Id id, const char* key) {
  json versions = json::array();
  for (const auto& v : Store(db).history(id))
    versions.push_back({{"version", v.version}, {"recorded_at", v.recorded_at}, {"recorded_by", v.recorded_by}, {key, v.entity}});
  return versions;
}

json classification_json(const GiftClassification& c) {
  return {{"decision", to_string(c.decision)},
          {"on_behalf_of_organisation", c.on_behalf_of_organisation},
          {"running_total", format_pounds(c.running_total_pence)},
          {"explanation", c.explanation}};
}

// --- pages ---

void page_routes(App& app) {
  auto& s = app.http();
  s.Get("/my", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    app.render_page(req, res, "my_dashboard", dashboard_view(*db, *user.person_id, Date::today()));
  });

  s.Get("/my/interests/new", [&app](const Req& req, Res& res) {
    require_member(app, req);
    app.render_page(req, res, "interest_form", interest_form_view({}, {}, "/my/interests/new", false));
  });
  s.Post("/my/interests/new", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto fields = fields_from_form(require_csrf(app, req));
    auto db = app.pool().acquire();
    auto out = create_interest(app, user, fields);
    if (!out.ok()) return app.render_page(req, res, "interest_form", interest_form_view(fields, out.errors, req.path, false), 422);
    res.set_redirect("/my/interests/" + std::to_string(out.id) + "?saved=declared", 303);
  });

  s.Get(R"(/my/interests/(\d{1,18}))", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    auto i = own_interest(*db, user, id_from(req));
    app.render_page(req, res, "interest_detail", interest_detail_view(*db, i, req.get_param_value("saved")));
  });

  s.Get(R"(/my/interests/(\d{1,18})/edit)", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    auto i = own_interest(*db, user, id_from(req));
    app.render_page(req, res, "interest_form", interest_form_view(interest_fields(*db, i), {}, req.path, true));
  });
  s.Post(R"(/my/interests/(\d{1,18})/edit)", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto fields = fields_from_form(require_csrf(app, req));
    auto db = app.pool().acquire();
    auto i = own_interest(*db, user, id_from(req));
    auto out = update_interest(app, user, i, fields);
    if (!out.ok()) return app.render_page(req, res, "interest_form", interest_form_view(fields, out.errors, req.path, true), 422);
    res.set_redirect("/my/interests/" + std::to_string(i.id) + "?saved=updated", 303);
  });

  s.Get(R"(/my/interests/(\d{1,18})/end)", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    auto i = own_interest(*db, user, id_from(req));
    app.render_page(req, res, "interest_end", end_form_view(*db, i, {}, {}));
  });
  s.Post(R"(/my/interests/(\d{1,18})/end)", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto fields = fields_from_form(require_csrf(app, req));
    auto db = app.pool().acquire();
    auto i = own_interest(*db, user, id_from(req));
    auto out = end_interest(app, user, i, fields);
    if (!out.ok()) return app.render_page(req, res, "interest_end", end_form_view(*db, i, fields, out.errors), 422);
    res.set_redirect("/my/interests/" + std::to_string(i.id) + "?saved=ended", 303);
  });

  s.Get("/my/nil-return", [&app](const Req& req, Res& res) {
    require_member(app, req);
    app.render_page(req, res, "nil_return_form", nil_return_view({}, {}, "/my/nil-return", false));
  });
  s.Post("/my/nil-return", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto fields = fields_from_form(require_csrf(app, req));
    auto db = app.pool().acquire();
    auto out = make_nil_return(app, user, fields);
    if (!out.ok()) return app.render_page(req, res, "nil_return_form", nil_return_view(fields, out.errors, req.path, false), 422);
    res.set_redirect("/my?saved=nil_return", 303);
  });

  s.Get(R"(/my/nil-returns/(\d{1,18}))", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    auto n = own_nil_return(*db, user, id_from(req));
    app.render_page(req, res, "nil_return_detail", nil_return_detail_view(*db, n, req.get_param_value("saved")));
  });
  s.Get(R"(/my/nil-returns/(\d{1,18})/edit)", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    auto n = own_nil_return(*db, user, id_from(req));
    app.render_page(req, res, "nil_return_form", nil_return_view(nil_return_fields(n), {}, req.path, true));
  });
  s.Post(R"(/my/nil-returns/(\d{1,18})/edit)", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto fields = fields_from_form(require_csrf(app, req));
    auto db = app.pool().acquire();
    auto n = own_nil_return(*db, user, id_from(req));
    auto out = update_nil_return(app, user, n, fields);
    if (!out.ok()) return app.render_page(req, res, "nil_return_form", nil_return_view(fields, out.errors, req.path, true), 422);
    res.set_redirect("/my/nil-returns/" + std::to_string(n.id) + "?saved=updated", 303);
  });

  s.Get("/my/gifts/new", [&app](const Req& req, Res& res) {
    require_member(app, req);
    app.render_page(req, res, "gift_form", gift_form_view({}, {}, std::nullopt, "/my/gifts/new", false));
  });
  // Without JavaScript the outcome is shown by a "check" submit that re-renders the form; the
  // member then records what they did and submits.
  s.Post("/my/gifts/new", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto fields = fields_from_form(require_csrf(app, req));
    auto db = app.pool().acquire();
    const bool submit = fields.get("action") == "submit";
    auto check = check_gift(app, *db, user, fields, submit);
    if (!submit)
      return app.render_page(req, res, "gift_form", gift_form_view(fields, check.errors, check.classification, req.path, false),
                             check.errors.empty() ? 200 : 422);
    auto out = declare_gift(app, user, check);
    if (!out.ok()) return app.render_page(req, res, "gift_form", gift_form_view(fields, out.errors, check.classification, req.path, false), 422);
    res.set_redirect("/my?saved=gift", 303);
  });

  s.Get(R"(/my/gifts/(\d{1,18}))", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    auto g = own_gift(*db, user, id_from(req));
    app.render_page(req, res, "gift_detail", gift_detail_view(*db, g, req.get_param_value("saved")));
  });
  // The entry already has an outcome, so the form opens checked against the rules, with the
  // outcome to confirm; "check" and "submit" then work as on the new-gift form.
  s.Get(R"(/my/gifts/(\d{1,18})/edit)", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    auto g = own_gift(*db, user, id_from(req));
    const Fields fields = gift_fields(g);
    auto check = check_gift(app, *db, user, fields, false, &g);
    app.render_page(req, res, "gift_form", gift_form_view(fields, {}, check.classification, req.path, true));
  });
  s.Post(R"(/my/gifts/(\d{1,18})/edit)", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto fields = fields_from_form(require_csrf(app, req));
    auto db = app.pool().acquire();
    auto g = own_gift(*db, user, id_from(req));
    const bool submit = fields.get("action") == "submit";
    auto check = check_gift(app, *db, user, fields, submit, &g);
    if (!submit)
      return app.render_page(req, res, "gift_form", gift_form_view(fields, check.errors, check.classification, req.path, true),
                             check.errors.empty() ? 200 : 422);
    auto out = update_gift(app, user, g, check);
    if (!out.ok()) return app.render_page(req, res, "gift_form", gift_form_view(fields, out.errors, check.classification, req.path, true), 422);
    res.set_redirect("/my/gifts/" + std::to_string(g.id) + "?saved=updated", 303);
  });
}

// --- JSON API ---

void api_routes(App& app) {
  auto& s = app.http();
  s.Get("/api/v1/my", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    App::send_json(res, dashboard_view(*db, *user.person_id, Date::today()));
  });
  s.Get("/api/v1/my/interests", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    json list = json::array();
    for (const auto& i : InterestStore(*db).for_person(*user.person_id)) list.push_back(interest_json(*db, i));
    App::send_json(res, {{"interests", list}});
  });
  s.Post("/api/v1/my/interests", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    require_csrf(app, req);
    auto fields = fields_from_json(req.body);
    auto db = app.pool().acquire();
    auto out = create_interest(app, user, fields);
    if (!out.ok()) throw invalid(out.errors);
    App::send_json(res, {{"interest", interest_json(*db, *InterestStore(*db).find(out.id))}}, 201);
  });
  s.Get(R"(/api/v1/my/interests/(\d{1,18}))", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    auto i = own_interest(*db, user, id_from(req));
    json versions = json::array();
    for (const auto& v : InterestStore(*db).history(i.id))
      versions.push_back({{"version", v.version}, {"recorded_at", v.recorded_at}, {"recorded_by", v.recorded_by}, {"interest", v.entity}});
    App::send_json(res, {{"interest", interest_json(*db, i)}, {"history", versions}});
  });
  s.Put(R"(/api/v1/my/interests/(\d{1,18}))", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    require_csrf(app, req);
    auto fields = fields_from_json(req.body);
    auto db = app.pool().acquire();
    auto i = own_interest(*db, user, id_from(req));
    auto out = update_interest(app, user, i, fields);
    if (!out.ok()) throw invalid(out.errors);
    App::send_json(res, {{"interest", interest_json(*db, *InterestStore(*db).find(out.id))}});
  });
  s.Post(R"(/api/v1/my/interests/(\d{1,18})/end)", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    require_csrf(app, req);
    auto fields = fields_from_json(req.body);
    auto db = app.pool().acquire();
    auto i = own_interest(*db, user, id_from(req));
    auto out = end_interest(app, user, i, fields);
    if (!out.ok()) throw invalid(out.errors);
    App::send_json(res, {{"interest", interest_json(*db, *InterestStore(*db).find(out.id))}});
  });
  s.Post("/api/v1/my/nil-returns", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    require_csrf(app, req);
    auto fields = fields_from_json(req.body);
    auto db = app.pool().acquire();
    auto out = make_nil_return(app, user, fields);
    if (!out.ok()) throw invalid(out.errors);
    App::send_json(res, {{"nil_return", *NilReturnStore(*db).find(out.id)}}, 201);
  });
  s.Get(R"(/api/v1/my/nil-returns/(\d{1,18}))", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    auto n = own_nil_return(*db, user, id_from(req));
    App::send_json(res, {{"nil_return", versioned_json<NilReturnStore>(*db, n)},
                         {"review_comment", review_comment(*db, "nil_return", n.id, n.status)},
                         {"history", history_json<NilReturnStore>(*db, n.id, "nil_return")}});
  });
  s.Put(R"(/api/v1/my/nil-returns/(\d{1,18}))", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    require_csrf(app, req);
    auto fields = fields_from_json(req.body);
    auto db = app.pool().acquire();
    auto n = own_nil_return(*db, user, id_from(req));
    auto out = update_nil_return(app, user, n, fields);
    if (!out.ok()) throw invalid(out.errors);
    App::send_json(res, {{"nil_return", versioned_json<NilReturnStore>(*db, *NilReturnStore(*db).find(out.id))}});
  });
  s.Post("/api/v1/my/gifts/check", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    require_csrf(app, req);
    auto fields = fields_from_json(req.body);
    auto db = app.pool().acquire();
    auto check = check_gift(app, *db, user, fields, false);
    if (!check.errors.empty()) throw invalid(check.errors);
    App::send_json(res, {{"classification", classification_json(*check.classification)}});
  });
  s.Get("/api/v1/my/gifts", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    App::send_json(res, {{"gifts", GiftStore(*db).for_person(*user.person_id)}});
  });
  s.Post("/api/v1/my/gifts", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    require_csrf(app, req);
    auto fields = fields_from_json(req.body);
    auto db = app.pool().acquire();
    auto check = check_gift(app, *db, user, fields, true);
    auto out = declare_gift(app, user, check);
    if (!out.ok()) throw invalid(out.errors);
    App::send_json(res, {{"gift", *GiftStore(*db).find(out.id)}, {"classification", classification_json(*check.classification)}}, 201);
  });
  s.Get(R"(/api/v1/my/gifts/(\d{1,18}))", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    auto g = own_gift(*db, user, id_from(req));
    App::send_json(res, {{"gift", versioned_json<GiftStore>(*db, g)},
                         {"review_comment", review_comment(*db, "gift", g.id, g.status)},
                         {"history", history_json<GiftStore>(*db, g.id, "gift")}});
  });
  s.Put(R"(/api/v1/my/gifts/(\d{1,18}))", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    require_csrf(app, req);
    auto fields = fields_from_json(req.body);
    auto db = app.pool().acquire();
    auto g = own_gift(*db, user, id_from(req));
    auto check = check_gift(app, *db, user, fields, true, &g);
    auto out = update_gift(app, user, g, check);
    if (!out.ok()) throw invalid(out.errors);
    App::send_json(res, {{"gift", versioned_json<GiftStore>(*db, *GiftStore(*db).find(out.id))},
                         {"classification", classification_json(*check.classification)}});
  });
}
}  // namespace

void register_member_routes(App& app) {
  page_routes(app);
  api_routes(app);
}

}  // namespace probity
