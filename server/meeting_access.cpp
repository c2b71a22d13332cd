#include "server/meeting_access.hpp"

#include "model/chair_rights.hpp"

namespace probity {

bool may_manage(SQLite::Database& db, const CurrentUser& user, Id committee_id) {
  if (user.governance) return true;
  // A vice-chair takes the chair when the chair is conflicted, so both prepare the meeting.
  return user.person_id && is_chair_of(db, *user.person_id, committee_id, Date::today());
}

CurrentUser require_signed_in(App& app, const httplib::Request& req) {
  auto user = app.current_user(req);
  if (!user) throw HttpError(401, "sign_in_required", "Sign in to use this page.");
  return *user;
}

CurrentUser require_manager(App& app, const httplib::Request& req, Id committee_id) {
  auto user = require_signed_in(app, req);
  auto db = app.pool().acquire();
  if (!may_manage(*db, user, committee_id))
    throw HttpError(403, "forbidden", "Only the governance team and the chair or vice-chair of this committee can use this page.");
  return user;
}

void require_manager_or_404(App& app, const httplib::Request& req, Id committee_id) {
  auto user = app.current_user(req);
  auto db = app.pool().acquire();
  if (!user || !may_manage(*db, *user, committee_id)) throw not_found("Meeting");
}

CurrentUser require_governance_user(App& app, const httplib::Request& req) {
  auto user = require_signed_in(app, req);
  if (!user.governance) throw HttpError(403, "forbidden", "Only the governance team can use this page.");
  return user;
}

std::map<std::string, std::string> accept_change(App& /*app*/, const httplib::Request& req) {
  // Until the accounts area's CSRF check is merged: the form fields cpp-httplib parsed.
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : req.params) out[k] = v;
  return out;
}

std::string actor_of_user(const CurrentUser& user) { return "user:" + std::to_string(user.user_id) + " " + user.email; }

}  // namespace probity
