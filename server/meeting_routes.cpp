#include "server/app.hpp"
#include "server/routes.hpp"

namespace probity {

void register_meeting_routes(App& /*app*/) {}

}  // namespace probity
