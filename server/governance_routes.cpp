// The governance team's pages: people and compliance, the non-compliance CSV, and accounts with
// one-time set-password links. (Review queue, withholding, leavers and audit views: to come.)
#include "model/account_store.hpp"
#include "model/compliance.hpp"
#include "model/declaration_store.hpp"
#include "model/person_store.hpp"
#include "server/app.hpp"
#include "server/auth.hpp"

namespace probity {
namespace {
using json = nlohmann::json;

json people_view(SQLite::Database& db, const Date& on) {
  InterestStore interests(db);
  NilReturnStore nils(db);
  json rows = json::array();
  for (const auto& p : PersonStore(db).all()) {
    if (p.left_on && *p.left_on <= on) continue;
    auto c = compliance_on(interests.for_person(p.id), nils.for_person(p.id), on);
    rows.push_back({{"id", p.id}, {"name", p.name}, {"position", p.position}, {"state", to_string(c.state)},
                    {"overdue", c.state == ComplianceState::overdue}, {"days_overdue", c.days_overdue},
                    {"compliant", c.state == ComplianceState::declared || c.state == ComplianceState::nil_return},
                    {"last_declared_on", c.last_declared_on ? c.last_declared_on->iso() : ""},
                    {"last_nil_return_on", c.last_nil_return_on ? c.last_nil_return_on->iso() : ""}});
  }
  return rows;
}

// CSV cells: quoted, and a leading = + - @ neutralised so a spreadsheet does not run it.
std::string csv_cell(std::string v) {
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v = "'" + v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

json governance_page(App& app, SQLite::Database& db) {
  (void)app;
  return {{"title", "Governance"}, {"people", people_view(db, Date::today())}, {"today", Date::today().iso()}};
}
}  // namespace

void register_governance_routes(App& app) {
  auto& s = app.http();
  s.Get("/governance", [&app](const httplib::Request& req, httplib::Response& res) {
    require_governance(app, req);
    auto db = app.pool().acquire();
    app.render_page(req, res, "governance", governance_page(app, *db));
  });

  s.Get("/governance/non-compliance.csv", [&app](const httplib::Request& req, httplib::Response& res) {
    require_governance(app, req);
    auto db = app.pool().acquire();
    std::string csv = "name,position,state,days_overdue,last_declared_on,last_nil_return_on\r\n";
    for (const auto& p : people_view(*db, Date::today())) {
      if (p.at("compliant").get<bool>()) continue;
      csv += csv_cell(p.at("name")) + "," + csv_cell(p.at("position")) + "," + csv_cell(p.at("state")) + "," +
             std::to_string(p.at("days_overdue").get<int>()) + "," + csv_cell(p.at("last_declared_on")) + "," +
             csv_cell(p.at("last_nil_return_on")) + "\r\n";
    }
    res.set_header("Content-Disposition", "attachment; filename=\"non-compliance.csv\"");
    res.set_content(csv, "text/csv; charset=utf-8");
  });

  // Governance makes an account for a person on the register and hands over a one-time link.
  s.Post("/governance/accounts", [&app](const httplib::Request& req, httplib::Response& res) {
    auto user = require_governance(app, req);
    Form form = require_csrf(app, req);
    auto db = app.pool().acquire();
    json data = governance_page(app, *db);
    FieldErrors errors;
    const std::string email = form.get("email");
    std::optional<Id> person_id;
    if (!form.get("person").empty()) {
      try {
        person_id = std::stoll(form.get("person"));
      } catch (const std::exception&) {
        errors.add("person", "Select a person from the register");
      }
      if (person_id && !PersonStore(*db).find(*person_id)) errors.add("person", "Select a person from the register");
    }
    const auto role = form.get("role") == "governance" ? UserRole::governance : UserRole::member;
    AccountStore accounts(*db, account_config(app.config()));
    if (person_id && accounts.find_user_by_person(*person_id)) errors.add("person", "That person already has an account");
    if (errors.empty()) {
      try {
        User made = accounts.create_user(email, person_id, role, actor_of(user), auth_now());
        auto link = accounts.create_password_link(made.id, actor_of(user), auth_now());
        data["link"] = app.config().effective_base_url() + "/set-password/" + link.token;
        data["link_email"] = made.email;
        data["link_expires"] = iso_instant(link.expires_at);
        app.render_page(req, res, "governance", data, 201);
        return;
      } catch (const std::invalid_argument& e) {
        errors.add("email", e.what());
      }
    }
    data.update(errors.view());
    data["title"] = "Error: Governance";
    data["email"] = email;
    app.render_page(req, res, "governance", data, 422);
  });
}

}  // namespace probity
