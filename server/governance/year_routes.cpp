// The declaration year for governance: the compliance dashboard and its JSON twin, "chase everyone
// overdue now", and one person's year (events, due dates, late declarations) with their line
// manager. docs/declaration-year.md has the rules; model/register/declaration_year.hpp applies them.
#include "model/register/year_store.hpp"
#include "server/governance/chase.hpp"
#include "server/governance/year_views.hpp"
#include "server/http/app.hpp"
#include "server/http/auth.hpp"
#include "server/http/request_input.hpp"
#include "server/http/routes.hpp"
#include "server/http/year_config.hpp"

namespace probity {
namespace {
using json = nlohmann::json;
using Req = httplib::Request;
using Res = httplib::Response;
const std::string kPerson = R"(/governance/people/(\d{1,18}))";

int chase_job(App& app) {
  const Date today = year_today(app.config());
  return app.writer().run([&](SQLite::Database& db) { return chase_overdue(app, db, today); });
}

std::optional<Result<LineManager>> manager_job(App& app, const CurrentUser& user, Id person, const Fields& in) {
  return app.writer().run([&](SQLite::Database& db) { return set_line_manager(db, person, in, actor_of(user)); });
}
}  // namespace

void register_year_routes(App& app) {
  year_rules(app.config());  // a wrong "year" section stops start-up, not the first page
  reminder_settings(app.config());
  auto& s = app.http();

  s.Get("/governance/compliance", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    const auto scope = governance_scope(*db, user);
    json data = compliance_view(*db, year_today(app.config()), year_rules(app.config()), &scope);
    const std::string chased = req.get_param_value("chased");
    if (!chased.empty() && chased.size() < 10 && chased.find_first_not_of("0123456789") == std::string::npos)
      data["notice"] = chased == "1" ? "1 person was chased." : chased + " people were chased.";
    app.render_page(req, res, "governance_compliance", data);
  });
  s.Get("/api/v1/governance/compliance", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    const auto scope = governance_scope(*db, user);
    App::send_json(res, compliance_view(*db, year_today(app.config()), year_rules(app.config()), &scope));
  });

  s.Post("/governance/compliance/chase", [&app](const Req& req, Res& res) {
    require_governance(app, req);
    read_fields(app, req);  // the CSRF check
    res.set_redirect("/governance/compliance?chased=" + std::to_string(chase_job(app)), 303);
  });
  s.Post("/api/v1/governance/compliance/chase", [&app](const Req& req, Res& res) {
    require_governance(app, req);
    read_fields(app, req);
    App::send_json(res, {{"chased", chase_job(app)}});
  });

  s.Get(kPerson + "/year", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    require_sees_person(app, user, id_at(req, 1));
    auto db = app.pool().acquire();
    auto data = person_year_view(*db, id_at(req, 1), year_today(app.config()), year_rules(app.config()), {}, {});
    if (!data) throw not_found("That person");
    if (req.get_param_value("saved") == "manager") (*data)["notice"] = "The line manager has been saved.";
    app.render_page(req, res, "governance_person_year", *data);
  });
  s.Post(kPerson + "/manager", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    const Id person = id_at(req, 1);
    auto fields = read_fields(app, req);
    require_sees_person(app, user, person);
    auto out = manager_job(app, user, person, fields);
    if (!out) throw not_found("That person");
    if (out->saved) return res.set_redirect("/governance/people/" + std::to_string(person) + "/year?saved=manager", 303);
    auto db = app.pool().acquire();
    auto data = person_year_view(*db, person, year_today(app.config()), year_rules(app.config()), fields, out->problems);
    app.render_page(req, res, "governance_person_year", *data, 422);
  });
}

}  // namespace probity
