#pragma once
// Who may see and change meetings. The chair's brief, meeting management and recording are for
// the governance team and for the chair and vice-chair of the meeting's committee; breaches are
// for governance. Sessions, tokens and CSRF come from the accounts area (server/auth.hpp); these
// are the meetings area's questions on top of them.
#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <string>

#include "server/app.hpp"

namespace probity {

/// True when the user is governance, or chairs or vice-chairs the committee today.
bool may_manage(SQLite::Database& db, const CurrentUser& user, Id committee_id);

// These name the meetings area's rules; sessions, tokens and CSRF are server/auth.hpp's.
/// The signed-in user; HttpError 401 otherwise (pages: a sign-in redirect).
CurrentUser require_signed_in(App& app, const httplib::Request& req);
/// Governance or the committee's chair or vice-chair; 401 when signed out, 403 otherwise.
CurrentUser require_manager(App& app, const httplib::Request& req, Id committee_id);
/// As require_manager, but 404 for anyone else: for records whose existence is not public.
void require_manager_or_404(App& app, const httplib::Request& req, Id committee_id);
/// A governance user; 401 when signed out, 403 otherwise.
CurrentUser require_governance_user(App& app, const httplib::Request& req);

/// Checks a state-changing request's CSRF token (HttpError 403 "csrf_failed" when missing or
/// wrong) and returns its form fields (empty for a JSON body).
std::map<std::string, std::string> accept_change(App& app, const httplib::Request& req);

}  // namespace probity
