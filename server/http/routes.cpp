#include "server/http/routes.hpp"

namespace probity {

void register_routes(App& app) {
  register_public_routes(app);
  register_account_routes(app);  // first of the signed-in areas: it installs sessions and CSRF
  register_password_reset_routes(app);
  register_oidc_routes(app);
  register_member_routes(app);
  register_governance_routes(app);
  register_committee_routes(app);
  register_person_routes(app);
  register_body_routes(app);
  register_year_routes(app);
  register_assurance_routes(app);
  register_account_admin_routes(app);
  register_meeting_routes(app);
  register_outbox_routes(app);
  register_procurement_routes(app);
  register_guardian_routes(app);
}

}  // namespace probity
