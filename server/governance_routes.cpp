// The governance team's pages: people and compliance, review, withholding, leavers, accounts.
#include "server/app.hpp"
#include "server/auth.hpp"

namespace probity {

void register_governance_routes(App& /*app*/) {}

}  // namespace probity
