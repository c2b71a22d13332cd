#pragma once
// How every handler reads its request: a numeric id captured from the URL, and the submitted
// Fields (a form with its NHS date inputs joined, or a JSON body, after the CSRF check); and how
// it refuses input the model found wrong: 422 `invalid_input` with a message per field.
#include <httplib.h>

#include <charconv>
#include <exception>
#include <string>

#include "model/store/entities.hpp"
#include "model/base/fields.hpp"
#include "model/base/problems.hpp"
#include "server/http/app.hpp"
#include "server/http/forms.hpp"
#include "server/http/http_error.hpp"

namespace probity {

/// The id captured by the route's pattern at `index`; 404 when it is not a number that fits.
inline Id id_at(const httplib::Request& req, std::size_t index, const std::string& what = "That record") {
  const std::string text = index < req.matches.size() ? std::string(req.matches[index]) : std::string();
  Id id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) throw not_found(what);
  return id;
}

/// A parsed form's fields with each NHS date input (`x-day`, `x-month`, `x-year`) also joined
/// into `x` as YYYY-MM-DD (empty when all three are empty), so dates read as the API sends them.
Fields fields_from_form(const Fields& form);

/// A JSON object → Fields (Fields::from_json). Throws HttpError 400 `invalid_json` for a body
/// that is not JSON, not an object, or holds a value of another type or unacceptable text.
Fields fields_from_json(const std::string& body);

/// The submitted fields, after require_csrf: a JSON body (fields_from_json; empty body = no
/// fields) when the request wants JSON, else the form with its NHS date inputs joined
/// (fields_from_form). Throws HttpError 400/403/415 as require_csrf and fields_from_json do.
Fields read_fields(App& app, const httplib::Request& req);

/// 422 `invalid_input`: "Some of the details are not right", with `problems` as the details.
HttpError invalid_input(const Problems& problems);

/// The API's half of a change: reads the fields, runs `act(db, fields)` (a model action returning
/// Result<T>), and answers `reply(db, saved)` with `status`, or 422 `invalid_input` with the
/// problems. Throws as read_fields does.
template <typename Act, typename Reply>
void send_change(App& app, const httplib::Request& req, httplib::Response& res, Act act, Reply reply, int status = 200) {
  auto fields = read_fields(app, req);
  auto db = app.pool().acquire();
  auto out = act(*db, fields);
  if (!out.saved) throw invalid_input(out.problems);
  App::send_json(res, reply(*db, *out.saved), status);
}

}  // namespace probity
