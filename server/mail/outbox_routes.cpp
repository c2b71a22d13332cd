// The Outbox for governance: every message Probity has sent or will send, why, and what became
// of it (GET /governance/outbox, filtered by status and paged, and /governance/outbox/{id}), and
// their JSON twins under /api/v1/governance/outbox (docs/mail.md).
#include "model/base/fields.hpp"
#include "model/mail/outbox_delivery.hpp"
#include "server/http/app.hpp"
#include "server/http/auth.hpp"
#include "server/http/request_input.hpp"
#include "server/http/routes.hpp"
#include "server/mail/outbox_views.hpp"

namespace probity {
namespace {
using Req = httplib::Request;
using Res = httplib::Response;

struct OutboxFilter {
  std::optional<std::string> status;
  int page = 1;
};

// ?status=pending|sending|sent|failed&page=N; anything else is 422 with a message per field.
OutboxFilter read_filter(const Req& req) {
  Problems problems;
  const Fields in = Fields::from_query(req.params, {"status", "page"}, problems);
  OutboxFilter f;
  const auto& statuses = outbox_statuses();
  if (auto i = in.one_of("status", {statuses[0], statuses[1], statuses[2], statuses[3]},
                         "Choose a status: pending, sending, sent or failed", problems))
    f.status = statuses[*i];
  if (auto p = in.whole_number("page", 1, 1000000, "The page must be a whole number from 1", problems))
    f.page = static_cast<int>(*p);
  if (!problems.empty()) throw invalid_input(problems);
  return f;
}

// The message, if this governance account sees it: a body's account sees the messages to its
// people only (GovernanceScope); messages to no register person (governance's own, an account
// invitation) only instance-wide accounts see.
OutboxMessage message_at(SQLite::Database& db, const Req& req, const CurrentUser& user) {
  auto m = find_outbox_message(db, id_at(req, 1, "That message"));
  if (!m) throw not_found("That message");
  const auto scope = governance_scope(db, user);
  if (!scope.instance_wide() && !(m->person_id && scope.sees_person(*m->person_id))) throw not_found("That message");
  return *m;
}

}  // namespace

void register_outbox_routes(App& app) {
  auto& s = app.http();
  const std::string id = R"(/(\d{1,18}))";

  // A body's governance account lists only the messages to its own people.
  s.Get("/governance/outbox", [&app](const Req& req, Res& res) {
    const auto user = require_governance(app, req);
    const auto f = read_filter(req);
    auto db = app.pool().acquire();
    app.render_page(req, res, "outbox", outbox_page_view(*db, f.status, f.page, governance_scope(*db, user).person_filter("person_id")));
  });

  s.Get("/governance/outbox" + id, [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    app.render_page(req, res, "outbox_message", outbox_message_view(message_at(*db, req, user)));
  });

  s.Get("/api/v1/governance/outbox", [&app](const Req& req, Res& res) {
    const auto user = require_governance(app, req);
    const auto f = read_filter(req);
    auto db = app.pool().acquire();
    App::send_json(res, outbox_list_json(*db, f.status, f.page, governance_scope(*db, user).person_filter("person_id")));
  });

  s.Get("/api/v1/governance/outbox" + id, [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    App::send_json(res, {{"message", outbox_message_json(message_at(*db, req, user), true)}});
  });
}

}  // namespace probity
