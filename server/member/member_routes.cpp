// The member's own declarations: dashboard, interests, gifts and hospitality, nil returns,
// as pages under /my and as JSON under /api/v1/my (documented in docs/api-accounts.md). A page
// and its API twin read the same Fields (read_fields) and run the same job: one model action
// (model/register/declaration_actions.hpp) on the group-commit writer. They differ only in the answer: a
// redirect or the form again with its problems, or JSON or a 422.
#include <functional>

#include "model/meetings/declared_at_meeting.hpp"
#include "model/register/declaration_actions.hpp"
#include "model/register/publication_rules.hpp"
#include "model/register/withholding_requests.hpp"
#include "model/register/year_store.hpp"
#include "model/store/json.hpp"
#include "server/http/app.hpp"
#include "server/http/form_views.hpp"
#include "server/http/forms.hpp"
#include "server/http/auth.hpp"
#include "server/http/gift_config.hpp"
#include "server/member/member_views.hpp"
#include "server/http/request_input.hpp"
#include "server/http/routes.hpp"
#include "server/http/year_config.hpp"

namespace probity {
namespace {
using json = nlohmann::json;
using Req = httplib::Request;
using Res = httplib::Response;

constexpr const char* kInterest = "That interest";
constexpr const char* kGift = "That gift or hospitality entry";
constexpr const char* kNilReturn = "That nil return";
const std::string kId = R"((\d{1,18}))";

// The member's own record `id`; another person's answers exactly like a missing one (404).
template <typename Store>
auto own(SQLite::Database& db, const CurrentUser& user, Id id, const char* what) {
  auto record = find_own<Store>(db, *user.person_id, id);
  if (!record) throw not_found(what);
  return *record;
}

// The record id in the path, or 0 for a path without one (a new declaration).
Id path_id(const Req& req) { return req.matches.size() > 1 ? id_at(req, 1) : 0; }

// --- the jobs: one model action each, shared by a page and its API twin ---

// A job runs on the group-commit writer: acknowledged only once the transaction holding it is
// committed. A change to a record that is not the member's answers 404.
template <typename T>
using Job = std::function<Result<T>(App&, const CurrentUser&, Id, const Fields&)>;

template <typename T>
Result<T> found(std::optional<Result<T>> result, const char* what) {
  if (!result) throw not_found(what);
  return std::move(*result);
}

// From the form pre-filled with what the member said at a meeting (`meeting_declaration_id`), the
// interest declared is linked to that declaration in the same transaction: the meeting's 28-day
// clock stops. An id that is not the member's, or is already linked, links nothing.
Result<Interest> declare_interest_job(App& app, const CurrentUser& user, Id, const Fields& in) {
  return app.writer().run([&](SQLite::Database& db) {
    WriteTransaction tx(db);
    auto out = declare_interest(db, *user.person_id, in, Date::today(), actor_of(user));
    if (out.saved)
      if (const auto id = in.id("meeting_declaration_id"))
        link_meeting_declaration(db, *user.person_id, *id, out.saved->id, actor_of(user));
    tx.commit();
    return out;
  });
}

Result<Interest> change_interest_job(App& app, const CurrentUser& user, Id id, const Fields& in) {
  const bool review = app.config().review_required;
  return found(app.writer().run([&](SQLite::Database& db) { return change_interest(db, *user.person_id, id, in, review, actor_of(user)); }),
               kInterest);
}

Result<Interest> end_interest_job(App& app, const CurrentUser& user, Id id, const Fields& in) {
  return found(app.writer().run([&](SQLite::Database& db) { return end_interest(db, *user.person_id, id, in, actor_of(user)); }), kInterest);
}

Result<NilReturn> make_nil_return_job(App& app, const CurrentUser& user, Id, const Fields& in) {
  return app.writer().run([&](SQLite::Database& db) { return make_nil_return(db, *user.person_id, in, Date::today(), actor_of(user)); });
}

Result<NilReturn> change_nil_return_job(App& app, const CurrentUser& user, Id id, const Fields& in) {
  const bool review = app.config().review_required;
  return found(app.writer().run([&](SQLite::Database& db) { return change_nil_return(db, *user.person_id, id, in, review, actor_of(user)); }),
               kNilReturn);
}

// The annual confirmation, as of today (the config's "today" in tests and demos), for the
// signed-in member only: the person comes from the session, never from the request.
Result<Confirmation> confirm_job(App& app, const CurrentUser& user, Id, const Fields& in) {
  const auto rules = year_rules(app.config());
  const Date today = year_today(app.config());
  return app.writer().run([&](SQLite::Database& db) { return confirm_entries(db, *user.person_id, in, today, rules, actor_of(user)); });
}

Result<GiftOffer> declare_gift_job(App& app, const CurrentUser& user, Id, const Fields& in) {
  const auto thresholds = gift_thresholds(app.config());
  return app.writer().run(
      [&](SQLite::Database& db) { return declare_gift(db, *user.person_id, in, thresholds, Date::today(), actor_of(user)); });
}

Result<GiftOffer> change_gift_job(App& app, const CurrentUser& user, Id id, const Fields& in) {
  const auto thresholds = gift_thresholds(app.config());
  const bool review = app.config().review_required;
  return found(app.writer().run([&](SQLite::Database& db) {
    return change_gift(db, *user.person_id, id, in, thresholds, review, actor_of(user));
  }),
               kGift);
}

// --- JSON shapes ---

// A record with its current version number.
template <typename Store, typename T>
json versioned_json(SQLite::Database& db, const T& e) {
  json j = e;
  j["version"] = Store(db).current_version(e.id);
  return j;
}

json interest_json(SQLite::Database& db, const Interest& i) {
  json j = versioned_json<InterestStore>(db, i);
  j["organisation_name"] = organisation_name(db, i.organisation_id);
  return j;
}

json classification_json(const GiftClassification& c) {
  return {{"decision", to_string(c.decision)},
          {"on_behalf_of_organisation", c.on_behalf_of_organisation},
          {"running_total", format_pounds(c.running_total_pence)},
          {"explanation", c.explanation}};
}

// --- pages ---

// View data for a form: the fields shown (as first opened, or as submitted) with their problems.
using FormView = std::function<json(SQLite::Database&, const CurrentUser&, const Req&, const Fields&, const Problems&)>;
// The fields a form opens with: empty for a new declaration, the record's for a change.
using Opening = std::function<Fields(SQLite::Database&, const CurrentUser&, const Req&)>;

struct FormPage {
  std::string path;
  const char* tmpl;
  FormView view;
};

// GET: the form as it opens.
void form_get(App& app, const FormPage& page, Opening opening) {
  app.http().Get(page.path, [&app, page, opening](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    app.render_page(req, res, page.tmpl, page.view(*db, user, req, opening ? opening(*db, user, req) : Fields{}, {}));
  });
}

// A post that may only preview (the gift form's "check"): the problems to show the form with,
// nothing written; nullopt when the post is to be done.
using Preview = std::function<std::optional<Problems>(SQLite::Database&, const CurrentUser&, const Req&, const Fields&)>;

// POST: the job, then on to `next` (303), or the form again with the submitted fields and their
// problems (422). With `preview`, a post it answers re-renders the form instead (200, or 422
// with problems).
template <typename T>
void form_post(App& app, const FormPage& page, Job<T> job, std::function<std::string(const T&)> next, Preview preview = nullptr) {
  app.http().Post(page.path, [&app, page, job, next, preview](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto fields = read_fields(app, req);
    if (preview) {
      auto db = app.pool().acquire();
      if (auto problems = preview(*db, user, req, fields))
        return app.render_page(req, res, page.tmpl, page.view(*db, user, req, fields, *problems), problems->empty() ? 200 : 422);
    }
    auto out = job(app, user, path_id(req), fields);
    if (out.saved) return res.set_redirect(next(*out.saved), 303);
    auto db = app.pool().acquire();
    app.render_page(req, res, page.tmpl, page.view(*db, user, req, fields, out.problems), 422);
  });
}

// A page showing one of the member's own records, with the notice for what was just saved.
template <typename Store, typename View>
void detail_page(App& app, const std::string& path, const char* what, const char* tmpl, View view) {
  app.http().Get(path, [&app, what, tmpl, view](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    app.render_page(req, res, tmpl, view(*db, own<Store>(*db, user, id_at(req, 1), what), req.get_param_value("saved")));
  });
}

std::string interest_href(const Interest& i, const char* saved) { return "/my/interests/" + std::to_string(i.id) + "?saved=" + saved; }

// The offer as the gift form checks it: for submit (with the outcome) when the member submitted,
// else as a check; against the gift being changed when the path names one (404 when not theirs).
Result<GiftOffer> gift_form_check(SQLite::Database& db, App& app, const CurrentUser& user, const Req& req, const Fields& fields) {
  std::optional<Gift> editing;
  if (const Id id = path_id(req)) editing = own<GiftStore>(db, user, id, kGift);
  return check_gift(db, *user.person_id, fields, fields.get("action") == "submit", gift_thresholds(app.config()),
                    editing ? &*editing : nullptr);
}

// The gift form, with what the rules say once the offer reads.
FormView gift_form(App& app) {
  return [&app](SQLite::Database& db, const CurrentUser& user, const Req& req, const Fields& fields, const Problems& problems) {
    auto check = gift_form_check(db, app, user, req, fields);
    std::optional<GiftClassification> c;
    if (check.saved) c = check.saved->classification;
    return gift_form_view(fields, problems, c, req.path, path_id(req) != 0);
  };
}

// Without JavaScript the outcome is shown by a "check" submit that re-renders the form; the
// member then records what they did and submits.
Preview gift_check(App& app) {
  return [&app](SQLite::Database& db, const CurrentUser& user, const Req& req, const Fields& fields) -> std::optional<Problems> {
    if (fields.get("action") == "submit") return std::nullopt;
    return gift_form_check(db, app, user, req, fields).problems;
  };
}

void page_routes(App& app) {
  auto& s = app.http();
  s.Get("/my", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    json view = dashboard_view(*db, *user.person_id, year_today(app.config()), year_rules(app.config()));
    if (req.get_param_value("saved") == "confirmation")
      view["notice"] = "Your annual confirmation has been recorded.";
    app.render_page(req, res, "my_dashboard", view);
  });

  // The annual confirmation: the member's current entries and the statement to confirm.
  s.Get("/my/confirmation", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    app.render_page(req, res, "annual_confirmation",
                    confirmation_view(*db, *user.person_id, year_today(app.config()), year_rules(app.config()), {}));
  });
  s.Post("/my/confirmation", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto fields = read_fields(app, req);
    auto out = confirm_job(app, user, 0, fields);
    if (out.saved) return res.set_redirect("/my?saved=confirmation", 303);
    auto db = app.pool().acquire();
    app.render_page(req, res, "annual_confirmation",
                    confirmation_view(*db, *user.person_id, year_today(app.config()), year_rules(app.config()), out.problems), 422);
  });

  // Interests: declare, see, change, end.
  // Opened from "What is due" with ?meeting_declaration=<id>, the form is pre-filled with what the
  // member said at that meeting (their own declaration only; another's opens the empty form).
  const FormPage new_interest{"/my/interests/new", "interest_form",
                              [](SQLite::Database& db, const CurrentUser& user, const Req& req, const Fields& f, const Problems& p) {
                                json v = interest_form_view(f, p, req.path, false);
                                if (const auto id = f.id("meeting_declaration_id"))
                                  if (auto d = own_meeting_declaration(db, *user.person_id, *id)) {
                                    v["meeting_declaration_id"] = d->declaration.id;
                                    v["from_meeting"] = {{"meeting", d->meeting.title}, {"on", long_date(d->meeting.date)},
                                                         {"text", d->declaration.text}};
                                  }
                                return v;
                              }};
  form_get(app, new_interest, [](SQLite::Database& db, const CurrentUser& user, const Req& req) {
    Fields q;
    q.set("meeting_declaration", req.get_param_value("meeting_declaration"));
    if (const auto id = q.id("meeting_declaration"))
      if (auto d = own_meeting_declaration(db, *user.person_id, *id)) return interest_fields_from_meeting(*d);
    return Fields{};
  });
  form_post<Interest>(app, new_interest, declare_interest_job, [](const Interest& i) { return interest_href(i, "declared"); });
  detail_page<InterestStore>(app, "/my/interests/" + kId, kInterest, "interest_detail", interest_detail_view);

  // Asking for one's own entry to be withheld: governance prepares the request, the Conflicts of
  // Interest Guardian decides (server/guardian/). The page and the API share the model's action.
  auto ask_withholding = [&app](const Req& req, Res& res) {
    const auto user = require_member(app, req);
    const auto in = read_fields(app, req);
    auto db = app.pool().acquire();
    const auto interest = own<InterestStore>(*db, user, id_at(req, 1), kInterest);
    auto out = request_withholding(*db, *user.person_id, interest.id, in, actor_of(user));
    if (!out) throw not_found(kInterest);
    if (App::wants_json(req)) {
      if (!out->saved) throw invalid_input(out->problems);
      return App::send_json(res, *out->saved, 201);
    }
    if (out->saved) return res.set_redirect(interest_href(interest, "withholding"), 303);
    json page = interest_detail_view(*db, interest, "");
    page.update(error_view(out->problems, {{"reason", "withholding-reason"}}));
    page["withholding"]["reason_value"] = in.get("reason");
    page["withholding"]["reason_error"] = field_error(out->problems, "reason");
    app.render_page(req, res, "interest_detail", page, 422);
  };
  app.http().Post("/my/interests/" + kId + "/withholding-request", ask_withholding);
  app.http().Post("/api/v1/my/interests/" + kId + "/withholding-request", ask_withholding);

  const FormPage edit_interest{"/my/interests/" + kId + "/edit", "interest_form",
                               [](auto&, auto&, const Req& req, const Fields& f, const Problems& p) {
                                 return interest_form_view(f, p, req.path, true);
                               }};
  form_get(app, edit_interest, [](SQLite::Database& db, const CurrentUser& user, const Req& req) {
    return interest_fields(db, own<InterestStore>(db, user, id_at(req, 1), kInterest));
  });
  form_post<Interest>(app, edit_interest, change_interest_job, [](const Interest& i) { return interest_href(i, "updated"); });

  const FormPage end{"/my/interests/" + kId + "/end", "interest_end",
                     [](SQLite::Database& db, const CurrentUser& user, const Req& req, const Fields& f, const Problems& p) {
                       return end_form_view(db, own<InterestStore>(db, user, id_at(req, 1), kInterest), f, p);
                     }};
  form_get(app, end, nullptr);
  form_post<Interest>(app, end, end_interest_job, [](const Interest& i) { return interest_href(i, "ended"); });

  // Nil returns: make, see, change.
  const FormPage new_nil_return{"/my/nil-return", "nil_return_form", [](auto&, auto&, const Req& req, const Fields& f, const Problems& p) {
                                  return nil_return_view(f, p, req.path, false);
                                }};
  form_get(app, new_nil_return, nullptr);
  form_post<NilReturn>(app, new_nil_return, make_nil_return_job, [](const NilReturn& n) { return "/my/nil-returns/" + std::to_string(n.id) + "?saved=made"; });
  detail_page<NilReturnStore>(app, "/my/nil-returns/" + kId, kNilReturn, "nil_return_detail", nil_return_detail_view);

  const FormPage edit_nil_return{"/my/nil-returns/" + kId + "/edit", "nil_return_form",
                                 [](auto&, auto&, const Req& req, const Fields& f, const Problems& p) {
                                   return nil_return_view(f, p, req.path, true);
                                 }};
  form_get(app, edit_nil_return, [](SQLite::Database& db, const CurrentUser& user, const Req& req) {
    return nil_return_fields(own<NilReturnStore>(db, user, id_at(req, 1), kNilReturn));
  });
  form_post<NilReturn>(app, edit_nil_return, change_nil_return_job,
                       [](const NilReturn& n) { return "/my/nil-returns/" + std::to_string(n.id) + "?saved=updated"; });

  // Gifts and hospitality: declare, see, change. The edit form opens checked against the rules,
  // with the outcome to confirm; "check" and "submit" then work as on the new-gift form.
  const FormPage new_gift{"/my/gifts/new", "gift_form", gift_form(app)};
  form_get(app, new_gift, nullptr);
  form_post<GiftOffer>(app, new_gift, declare_gift_job, [](const GiftOffer& o) { return "/my/gifts/" + std::to_string(o.gift.id) + "?saved=declared"; },
            gift_check(app));
  // Hospitality from a supplier shows whether its senior approval is still awaited.
  const auto thresholds = gift_thresholds(app.config());
  detail_page<GiftStore>(app, "/my/gifts/" + kId, kGift, "gift_detail", [thresholds](SQLite::Database& db, const Gift& g, const std::string& saved) {
    json v = gift_detail_view(db, g, saved);
    v["awaiting_approval"] = awaiting_approval(g, thresholds);
    return v;
  });

  const FormPage edit_gift{"/my/gifts/" + kId + "/edit", "gift_form", gift_form(app)};
  form_get(app, edit_gift, [](SQLite::Database& db, const CurrentUser& user, const Req& req) {
    return gift_fields(own<GiftStore>(db, user, id_at(req, 1), kGift));
  });
  form_post<GiftOffer>(
      app, edit_gift, change_gift_job, [](const GiftOffer& o) { return "/my/gifts/" + std::to_string(o.gift.id) + "?saved=updated"; },
      gift_check(app));
}

// --- JSON API ---

// An API change: the job's result as `reply` with `status`, or 422 invalid_input.
template <typename T>
void api_change(App& app, bool put, const std::string& path, Job<T> job, std::function<json(SQLite::Database&, const T&)> reply,
                int status = 200) {
  auto handler = [&app, job, reply, status](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto fields = read_fields(app, req);
    auto out = job(app, user, path_id(req), fields);
    if (!out.saved) throw invalid_input(out.problems);
    auto db = app.pool().acquire();
    App::send_json(res, reply(*db, *out.saved), status);
  };
  if (put) app.http().Put(path, handler);
  else app.http().Post(path, handler);
}

// An API view of one of the member's own records.
template <typename Store, typename Doc>
void api_record(App& app, const std::string& path, const char* what, Doc doc) {
  app.http().Get(path, [&app, what, doc](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    App::send_json(res, doc(*db, own<Store>(*db, user, id_at(req, 1), what)));
  });
}

void api_routes(App& app) {
  auto& s = app.http();
  const std::string api = "/api/v1/my";
  s.Get(api, [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    App::send_json(res, dashboard_view(*db, *user.person_id, year_today(app.config()), year_rules(app.config())));
  });

  s.Get(api + "/interests", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    json list = json::array();
    for (const auto& i : InterestStore(*db).for_person(*user.person_id)) list.push_back(interest_json(*db, i));
    App::send_json(res, {{"interests", list}});
  });
  const auto interest_reply = [](SQLite::Database& db, const Interest& i) {
    return json{{"interest", interest_json(db, *InterestStore(db).find(i.id))}};
  };
  api_change<Interest>(app, false, api + "/interests", declare_interest_job, interest_reply, 201);
  api_record<InterestStore>(app, api + "/interests/" + kId, kInterest, [](SQLite::Database& db, const Interest& i) {
    return json{{"interest", interest_json(db, i)}, {"history", history_json<InterestStore>(db, i.id, "interest")}};
  });
  api_change<Interest>(app, true, api + "/interests/" + kId, change_interest_job, interest_reply);
  api_change<Interest>(app, false, api + "/interests/" + kId + "/end", end_interest_job, interest_reply);

  api_change<NilReturn>(app, false, api + "/nil-returns", make_nil_return_job,
                        [](SQLite::Database& db, const NilReturn& n) { return json{{"nil_return", *NilReturnStore(db).find(n.id)}}; }, 201);
  api_record<NilReturnStore>(app, api + "/nil-returns/" + kId, kNilReturn, [](SQLite::Database& db, const NilReturn& n) {
    return json{{"nil_return", versioned_json<NilReturnStore>(db, n)},
                {"review_comment", review_comment(db, "nil_return", n.id, n.status)},
                {"history", history_json<NilReturnStore>(db, n.id, "nil_return")}};
  });
  api_change<NilReturn>(app, true, api + "/nil-returns/" + kId, change_nil_return_job, [](SQLite::Database& db, const NilReturn& n) {
    return json{{"nil_return", versioned_json<NilReturnStore>(db, *NilReturnStore(db).find(n.id))}};
  });

  api_change<Confirmation>(app, false, api + "/confirmations", confirm_job,
                           [](SQLite::Database&, const Confirmation& c) { return json{{"confirmation", c}}; }, 201);

  s.Post(api + "/gifts/check", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto fields = read_fields(app, req);
    auto db = app.pool().acquire();
    auto check = check_gift(*db, *user.person_id, fields, false, gift_thresholds(app.config()));
    if (!check.saved) throw invalid_input(check.problems);
    App::send_json(res, {{"classification", classification_json(check.saved->classification)}});
  });
  s.Get(api + "/gifts", [&app](const Req& req, Res& res) {
    auto user = require_member(app, req);
    auto db = app.pool().acquire();
    App::send_json(res, {{"gifts", GiftStore(*db).for_person(*user.person_id)}});
  });
  api_change<GiftOffer>(app, false, api + "/gifts", declare_gift_job, [](SQLite::Database& db, const GiftOffer& o) {
    return json{{"gift", *GiftStore(db).find(o.gift.id)}, {"classification", classification_json(o.classification)}};
  }, 201);
  api_record<GiftStore>(app, api + "/gifts/" + kId, kGift, [](SQLite::Database& db, const Gift& g) {
    return json{{"gift", versioned_json<GiftStore>(db, g)},
                {"review_comment", review_comment(db, "gift", g.id, g.status)},
                {"history", history_json<GiftStore>(db, g.id, "gift")}};
  });
  api_change<GiftOffer>(app, true, api + "/gifts/" + kId, change_gift_job, [](SQLite::Database& db, const GiftOffer& o) {
    return json{{"gift", versioned_json<GiftStore>(db, *GiftStore(db).find(o.gift.id))},
                {"classification", classification_json(o.classification)}};
  });
}
}  // namespace

void register_member_routes(App& app) {
  page_routes(app);
  api_routes(app);
}

}  // namespace probity
