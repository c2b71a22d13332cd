#pragma once
// Who may see and change meetings. The chair's brief, meeting management and recording are for
// the governance team and for the chair and vice-chair of the meeting's committee; breaches are
// for governance. Sessions, tokens and CSRF come from the accounts area (server/http/auth.hpp); these
// are the meetings area's questions on top of them. The meeting actions (model/meetings/meeting_actions.hpp)
// ask the same question again inside their write transactions, of a MeetingActor.
#include <SQLiteCpp/SQLiteCpp.h>

#include "model/meetings/chair_rights.hpp"
#include "model/meetings/conflicts_report.hpp"
#include "server/http/app.hpp"

namespace probity {

/// The signed-in user as the meeting actions see them: their audit name, register entry and role.
MeetingActor meeting_actor(const CurrentUser& user);

/// True when the user is governance, or chairs or vice-chairs the committee today.
bool may_manage(SQLite::Database& db, const CurrentUser& user, Id committee_id);

/// Who may read withheld details in the meeting's check: the governance team, or the committee.
ReportAudience audience_of(const CurrentUser& user);

/// The signed-in user; HttpError 401 otherwise (pages: a sign-in redirect).
CurrentUser require_signed_in(App& app, const httplib::Request& req);
/// Governance or the committee's chair or vice-chair; 401 when signed out, 403 otherwise.
CurrentUser require_manager(App& app, const httplib::Request& req, Id committee_id);
/// As require_manager, but 404 for anyone else: for records whose existence is not public.
void require_manager_or_404(App& app, const httplib::Request& req, Id committee_id);
/// A governance user; 401 when signed out, 403 otherwise.
CurrentUser require_governance_user(App& app, const httplib::Request& req);

}  // namespace probity
