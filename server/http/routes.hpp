#pragma once
// Every area of the service registers its routes here, one function each, called once from
// App's constructor: this file is the index of where each URL lives.
namespace probity {
class App;

/// GET /healthz, /, static files: server/http/app.cpp.
/// The public register, people, committees, gifts, published meetings, their JSON/CSV/Atom.
void register_public_routes(App& app);
/// Sign-in, sessions, member declarations, governance pages and their JSON API.
void register_account_routes(App& app);
/// Meetings, agendas, conflict flags, quorum and the chair's brief.
void register_meeting_routes(App& app);

}  // namespace probity
