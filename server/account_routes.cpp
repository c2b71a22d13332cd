#include "server/app.hpp"
#include "server/routes.hpp"

namespace probity {

void register_account_routes(App& /*app*/) {}

}  // namespace probity
