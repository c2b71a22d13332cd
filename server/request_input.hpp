#pragma once
// How every handler reads its request: a numeric id captured from the URL, and the submitted
// Fields (a form or a JSON body, after the CSRF check); and how it refuses input the model found
// wrong: 422 `invalid_input` with a message per field.
#include <httplib.h>

#include <exception>
#include <string>

#include "model/entities.hpp"
#include "model/fields.hpp"
#include "model/problems.hpp"
#include "server/declaration_input.hpp"
#include "server/http_error.hpp"

namespace probity {

/// The id captured by the route's pattern at `index`; 404 when it is not a number that fits.
inline Id id_at(const httplib::Request& req, std::size_t index) {
  try {
    return std::stoll(req.matches[index]);
  } catch (const std::exception&) {
    throw not_found("That record");
  }
}

class App;

/// The submitted fields, after require_csrf: a JSON body (Fields::from_json; empty body = no
/// fields) when the request wants JSON, else the form with its NHS date inputs joined
/// (fields_from_form). Throws HttpError 400/403/415 as require_csrf and fields_from_json do.
Fields read_fields(App& app, const httplib::Request& req);

/// 422 `invalid_input`: "Some of the details are not right", with `problems` as the details.
HttpError invalid_input(const Problems& problems);

}  // namespace probity
