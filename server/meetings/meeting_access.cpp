#include "server/meetings/meeting_access.hpp"

#include "model/meetings/meeting_actions.hpp"
#include "server/http/auth.hpp"

namespace probity {

MeetingActor meeting_actor(const CurrentUser& user) { return {actor_of(user), user.person_id, user.governance, user.body_id}; }

bool may_manage(SQLite::Database& db, const CurrentUser& user, Id committee_id) {
  // A vice-chair takes the chair when the chair is conflicted, so both prepare the meeting.
  // A body's governance account manages only its body's committees' meetings (MeetingActor's
  // governance_body); chair rights still count wherever they sit.
  return may_manage_meetings(db, meeting_actor(user), committee_id, Date::today());
}

ReportAudience audience_of(const CurrentUser& user) { return report_audience(meeting_actor(user)); }

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

}  // namespace probity
