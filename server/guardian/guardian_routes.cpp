// The Conflicts of Interest Guardian: /guardian lists what waits for them (withholding requests
// governance forwarded, breaches governance confirmed) and what they decided lately; a request's
// and a breach's own pages carry the decision. Governance prepares withholding requests at
// /governance/withholding-requests. Every decision is a model action (withholding_requests.hpp,
// breach_actions.hpp) shared by the page and its /api/v1 twin; only guardian accounts decide.
#include <algorithm>

#include "model/meetings/breach_actions.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/public/register_labels.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/person_store.hpp"
#include "model/register/withholding_requests.hpp"
#include "server/http/app.hpp"
#include "server/http/auth.hpp"
#include "server/http/form_views.hpp"
#include "server/http/forms.hpp"
#include "server/http/request_input.hpp"
#include "server/http/request_log.hpp"
#include "server/http/routes.hpp"
#include "server/meetings/meeting_views.hpp"

namespace probity {
namespace {
using json = nlohmann::json;
using Req = httplib::Request;
using Res = httplib::Response;

std::string words(std::string_view code) { return std::string(code_label("", code).value_or(code)); }

json request_view(SQLite::Database& db, const WithholdingRequest& r) {
  json j = r;
  const auto person = PersonStore(db).find(r.person_id);
  const auto interest = InterestStore(db).find(r.interest_id);
  j["person"] = {{"id", r.person_id}, {"name", person ? person->name : ""}};
  j["interest"] = {{"id", r.interest_id}, {"nature", interest ? interest->nature : ""},
                   {"category", interest ? std::string(to_string(interest->category)) : ""},
                   {"withheld", interest && interest->withheld}};
  j["status_label"] = words(to_string(r.status));
  j["has_governance_note"] = !r.governance_note.empty();
  j["awaiting_governance"] = r.status == WithholdingStatus::requested;
  j["awaiting_guardian"] = r.status == WithholdingStatus::forwarded;
  j["agreed"] = r.status == WithholdingStatus::agreed;
  j["decided"] = r.status == WithholdingStatus::agreed || r.status == WithholdingStatus::refused;
  j["history"] = newest_first(history_json<WithholdingRequestStore>(db, r.id, [](const WithholdingRequest& v) {
    return json{{"status", std::string(to_string(v.status))}, {"status_label", words(to_string(v.status))}};
  }));
  return j;
}

// Newest first.
template <typename T>
std::vector<T> newest(std::vector<T> rows, std::size_t limit) {
  std::reverse(rows.begin(), rows.end());
  if (rows.size() > limit) rows.resize(limit);
  return rows;
}

json guardian_view(SQLite::Database& db) {
  WithholdingRequestStore requests(db);
  BreachStore breaches(db);
  json waiting_requests = json::array(), waiting_breaches = json::array(), decided_requests = json::array(),
       decided_breaches = json::array();
  for (const auto& r : requests.with_status(WithholdingStatus::forwarded)) waiting_requests.push_back(request_view(db, r));
  for (const auto& b : breaches.with_status(BreachStatus::confirmed)) waiting_breaches.push_back(breach_row(db, b));
  std::vector<WithholdingRequest> done;
  for (const auto& r : requests.all())
    if (r.status == WithholdingStatus::agreed || r.status == WithholdingStatus::refused) done.push_back(r);
  for (const auto& r : newest(done, 10)) decided_requests.push_back(request_view(db, r));
  std::vector<Breach> decided;
  for (const auto& b : breaches.all())
    if (b.status == BreachStatus::signed_off || (b.status == BreachStatus::open && !b.guardian_note.empty())) decided.push_back(b);
  for (const auto& b : newest(decided, 10)) decided_breaches.push_back(breach_row(db, b));
  return {{"title", "Conflicts of Interest Guardian"},
          {"requests", waiting_requests},
          {"has_requests", !waiting_requests.empty()},
          {"breaches", waiting_breaches},
          {"has_breaches", !waiting_breaches.empty()},
          {"decided_requests", decided_requests},
          {"has_decided_requests", !decided_requests.empty()},
          {"decided_breaches", decided_breaches},
          {"has_decided_breaches", !decided_breaches.empty()}};
}

json guardian_request_page(SQLite::Database& db, Id id, const Fields& sent, const Problems& problems) {
  const auto r = WithholdingRequestStore(db).find(id);
  if (!r) throw not_found("That request");
  json page = {{"title", "Request to withhold an entry"}, {"request", request_view(db, *r)}, {"values", sent.all()},
               {"agree_checked", sent.get("decision") == "agree"}, {"refuse_checked", sent.get("decision") == "refuse"},
               {"withhold_name_checked", sent.checked("withhold_name")}};
  page.update(error_view(problems));
  return page;
}

json guardian_breach_page(SQLite::Database& db, Id id, const Fields& sent, const Problems& problems) {
  const auto b = BreachStore(db).find(id);
  if (!b) throw not_found("That breach");
  json page = {{"title", "Sign off a breach"}, {"breach", breach_row(db, *b)}, {"history", breach_history_view(db, id)},
               {"values", sent.all()}, {"sign_off_checked", sent.get("decision") == "sign_off"},
               {"send_back_checked", sent.get("decision") == "send_back"}};
  page.update(error_view(problems));
  return page;
}

// `scope`: a body's governance account lists only its own people's requests.
json governance_requests_page(SQLite::Database& db, const GovernanceScope& scope, const Fields& sent, const Problems& problems,
                              std::optional<Id> failed) {
  json rows = json::array();
  auto requests = WithholdingRequestStore(db).all();
  std::erase_if(requests, [&](const auto& r) { return !scope.sees_person(r.person_id); });
  for (const auto& r : newest(std::move(requests), 200)) {
    json row = request_view(db, r);
    if (failed && *failed == r.id) {
      row["note_value"] = sent.get("note");
      row["note_error"] = field_error(problems, "note");
    }
    rows.push_back(std::move(row));
  }
  json page = {{"title", "Requests to withhold entries"}, {"requests", rows}, {"has_requests", !rows.empty()}};
  page.update(error_view(problems, failed ? std::map<std::string, std::string>{{"note", "note-" + std::to_string(*failed)}}
                                          : std::map<std::string, std::string>{}));
  return page;
}

void guardian_pages(App& app) {
  auto& s = app.http();
  s.Get("/guardian", [&app](const Req& req, Res& res) {
    require_guardian(app, req);
    auto db = app.pool().acquire();
    json page = guardian_view(*db);
    const auto saved = req.get_param_value("saved");
    if (saved == "request") page["notice"] = "Your decision on the request is recorded, with your reason.";
    if (saved == "breach") page["notice"] = "Your decision on the breach is recorded, with your reason.";
    app.render_page(req, res, "guardian", page);
  });
  s.Get("/api/v1/guardian", [&app](const Req& req, Res& res) {
    require_guardian(app, req);
    auto db = app.pool().acquire();
    App::send_json(res, guardian_view(*db));
  });
  s.Get(R"(/guardian/requests/(\d{1,18}))", [&app](const Req& req, Res& res) {
    require_guardian(app, req);
    auto db = app.pool().acquire();
    app.render_page(req, res, "guardian_request", guardian_request_page(*db, id_at(req, 1), {}, {}));
  });
  s.Get(R"(/guardian/breaches/(\d{1,18}))", [&app](const Req& req, Res& res) {
    require_guardian(app, req);
    auto db = app.pool().acquire();
    app.render_page(req, res, "guardian_breach", guardian_breach_page(*db, id_at(req, 1), {}, {}));
  });

  // The decisions: a form goes back to /guardian; the API answers the record.
  auto decide_request = [&app](const Req& req, Res& res) {
    const auto user = require_guardian(app, req);
    const auto in = read_fields(app, req);
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1);
    auto out = decide_withholding_request(*db, id, in, actor_of(user));
    if (!out) throw not_found("That request");
    if (out->saved)
      log_event(LogLevel::info, "withholding_request_decided",
                {{"request_id", id}, {"status", std::string(to_string(out->saved->status))}, {"by_user", user.user_id}});
    if (App::wants_json(req)) {
      if (!out->saved) throw invalid_input(out->problems);
      return App::send_json(res, *out->saved);
    }
    if (out->saved) return res.set_redirect("/guardian?saved=request", 303);
    app.render_page(req, res, "guardian_request", guardian_request_page(*db, id, in, out->problems), 422);
  };
  s.Post(R"(/guardian/requests/(\d{1,18}))", decide_request);
  s.Post(R"(/api/v1/guardian/requests/(\d{1,18}))", decide_request);

  auto decide_breach = [&app](const Req& req, Res& res) {
    const auto user = require_guardian(app, req);
    const auto in = read_fields(app, req);
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1);
    auto out = guardian_decide_breach(*db, id, in, actor_of(user));
    if (!out) throw not_found("That breach");
    if (out->saved)
      log_event(LogLevel::info, "breach_decided",
                {{"breach_id", id}, {"status", std::string(to_string(out->saved->status))}, {"by_user", user.user_id}});
    if (App::wants_json(req)) {
      if (!out->saved) throw invalid_input(out->problems);
      return App::send_json(res, *out->saved);
    }
    if (out->saved) return res.set_redirect("/guardian?saved=breach", 303);
    app.render_page(req, res, "guardian_breach", guardian_breach_page(*db, id, in, out->problems), 422);
  };
  s.Post(R"(/guardian/breaches/(\d{1,18}))", decide_breach);
  s.Post(R"(/api/v1/guardian/breaches/(\d{1,18}))", decide_breach);
}

void governance_request_pages(App& app) {
  auto& s = app.http();
  s.Get("/governance/withholding-requests", [&app](const Req& req, Res& res) {
    const auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    json page = governance_requests_page(*db, governance_scope(*db, user), {}, {}, std::nullopt);
    if (req.get_param_value("saved") == "forwarded") page["notice"] = "The request has gone to the Conflicts of Interest Guardian.";
    app.render_page(req, res, "governance_withholding_requests", page);
  });
  s.Get("/api/v1/governance/withholding-requests", [&app](const Req& req, Res& res) {
    const auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    const auto scope = governance_scope(*db, user);
    json rows = json::array();
    for (const auto& r : WithholdingRequestStore(*db).all())
      if (scope.sees_person(r.person_id)) rows.push_back(r);
    App::send_json(res, {{"requests", rows}});
  });
  auto forward = [&app](const Req& req, Res& res) {
    const auto user = require_governance(app, req);
    const auto in = read_fields(app, req);
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1);
    // A body's governance account sees its own people's requests only (GovernanceScope).
    if (const auto r = WithholdingRequestStore(*db).find(id); r && !governance_scope(*db, user).sees_person(r->person_id))
      throw not_found("That request");
    auto out = forward_withholding_request(*db, id, in, actor_of(user));
    if (!out) throw not_found("That request");
    if (App::wants_json(req)) {
      if (!out->saved) throw invalid_input(out->problems);
      return App::send_json(res, *out->saved);
    }
    if (out->saved) return res.set_redirect("/governance/withholding-requests?saved=forwarded", 303);
    app.render_page(req, res, "governance_withholding_requests", governance_requests_page(*db, governance_scope(*db, user), in, out->problems, id), 422);
  };
  s.Post(R"(/governance/withholding-requests/(\d{1,18})/forward)", forward);
  s.Post(R"(/api/v1/governance/withholding-requests/(\d{1,18})/forward)", forward);
}

}  // namespace

void register_guardian_routes(App& app) {
  guardian_pages(app);
  governance_request_pages(app);
}

}  // namespace probity
