// The member's own declarations: dashboard, interests, gifts and hospitality, nil returns,
// as pages and as JSON under /api/v1/my/.
#include "server/app.hpp"
#include "server/auth.hpp"

namespace probity {

void register_member_routes(App& /*app*/) {}

}  // namespace probity
