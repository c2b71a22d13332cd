#pragma once
// The index of where each URL lives: every area registers its routes with one function, and
// register_routes (server/http/routes.cpp) calls them all, once, from App's constructor. A new
// area adds its function here and one line there.
namespace probity {
class App;

/// GET /healthz, /, static files: App::register_core_routes (server/http/app.cpp).

/// The public register, people, committees, gifts, published meetings and minutes, their
/// JSON/CSV/Atom (server/public/public_routes.cpp).
void register_public_routes(App& app);
/// Sign-in, sign-out, set-password links; installs sessions and CSRF checks for every other
/// area (server/accounts/account_routes.cpp).
void register_account_routes(App& app);
/// /password-reset: a reset link by email for a forgotten password
/// (server/accounts/password_reset_routes.cpp).
void register_password_reset_routes(App& app);
/// Single sign-on with OpenID Connect: /sign-in/oidc/{provider} and its callback, and
/// governance's /governance/sign-in-providers and password sign-in switch
/// (server/accounts/oidc_routes.cpp).
void register_oidc_routes(App& app);
/// /my: a member's interests, gifts and hospitality, nil returns, and /api/v1/my
/// (server/member/member_routes.cpp).
void register_member_routes(App& app);
/// /governance: the dashboard, non-compliance CSV, review, withheld entries, leavers, the audit
/// log and their API (server/governance/governance_routes.cpp).
void register_governance_routes(App& app);
/// /governance/committees: committees, memberships and quorum rules (server/governance/committee_routes.cpp).
void register_committee_routes(App& app);
/// /governance/people: adding a person and changing their details (server/governance/person_routes.cpp).
void register_person_routes(App& app);
void register_body_routes(App& app);  // server/governance/body_routes.cpp: the bodies of a joint arrangement
/// /governance/compliance and /governance/people/{id}/year: the declaration year's dashboard,
/// chasing, one person's year and line manager (server/governance/year_routes.cpp).
void register_year_routes(App& app);
// The annual assurance report for the audit committee (server/governance/assurance_routes.cpp).
void register_assurance_routes(App& app);
/// /governance/accounts: accounts and their API tokens: disable, enable, revoke
/// (server/accounts/account_admin_routes.cpp).
void register_account_admin_routes(App& app);
/// /meetings: meetings, agendas, the chair's brief, recording at the meeting, minutes,
/// breaches (server/meetings/meeting_routes.cpp).
void register_meeting_routes(App& app);
/// /governance/outbox: every message sent or to send, and what became of it, and its API
/// (server/mail/outbox_routes.cpp).
void register_outbox_routes(App& app);
/// The register of procurement decisions: /procurement, its JSON and CSV, and governance's
/// /governance/procurement and its API (server/registers/procurement_routes.cpp).
void register_procurement_routes(App& app);
/// /guardian: the Conflicts of Interest Guardian's decisions on withholding requests and breaches,
/// and governance's /governance/withholding-requests (server/guardian/guardian_routes.cpp).
void register_guardian_routes(App& app);

/// Every area's routes, in the order above.
void register_routes(App& app);

}  // namespace probity
