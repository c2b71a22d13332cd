#include "server/request_input.hpp"

#include "server/app.hpp"
#include "server/auth.hpp"

namespace probity {

Fields read_fields(App& app, const httplib::Request& req) {
  auto form = require_csrf(app, req);
  if (App::wants_json(req)) return fields_from_json(req.body.empty() ? std::string("{}") : req.body);
  return fields_from_form(form);
}

HttpError invalid_input(const Problems& problems) {
  return HttpError(422, "invalid_input", "Some of the details are not right: see details for each field.", problems.details());
}

}  // namespace probity
