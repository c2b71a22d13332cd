#include "server/meeting_access.hpp"

#include "model/chair_rights.hpp"
#include "server/auth.hpp"

namespace probity {

bool may_manage(SQLite::Database& db, const CurrentUser& user, Id committee_id) {
  if (user.governance) return true;
  // A vice-chair takes the chair when the chair is conflicted, so both prepare the meeting.
  return user.person_id && is_chair_of(db, *user.person_id, committee_id, Date::today());
}

CurrentUser require_signed_in(App& app, const httplib::Request& req) { return require_user(app, req); }

CurrentUser require_manager(App& app, const httplib::Request& req, Id committee_id) {
  return require_chair_of(app, req, committee_id);
}

void require_manager_or_404(App& app, const httplib::Request& req, Id committee_id) {
  auto user = app.current_user(req);
  auto db = app.pool().acquire();
  if (!user || !may_manage(*db, *user, committee_id)) throw not_found("Meeting");
}

CurrentUser require_governance_user(App& app, const httplib::Request& req) { return require_governance(app, req); }

std::map<std::string, std::string> accept_change(App& app, const httplib::Request& req) {
  return require_csrf(app, req).all();
}

}  // namespace probity
