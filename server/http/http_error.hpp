#pragma once
// The one way a handler reports a client's mistake: throw HttpError. The server's exception
// handler turns it into a JSON error (under /api/) or an HTML error page, with a stable code.
// Any other exception becomes a 500 whose text is logged, never sent.
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace probity {

struct HttpError : std::runtime_error {
  int status;
  std::string code;  // stable machine-readable code, e.g. "not_found", "invalid_filter"
  nlohmann::json details;  // optional field-by-field errors: {"field": "message"}
  HttpError(int status_, std::string code_, const std::string& message, nlohmann::json details_ = nullptr)
      : std::runtime_error(message), status(status_), code(std::move(code_)), details(std::move(details_)) {}
};

inline HttpError not_found(const std::string& what) { return HttpError(404, "not_found", what + " was not found"); }

}  // namespace probity
