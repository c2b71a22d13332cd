#include "server/http/request_input.hpp"

#include <algorithm>

#include "server/http/app.hpp"
#include "server/http/auth.hpp"

namespace probity {
namespace {
std::string pad(const std::string& s, std::size_t width) {
  if (s.empty() || s.size() > width || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return s;
  return std::string(width - s.size(), '0') + s;
}
}  // namespace

Fields fields_from_form(const Fields& form) {
  Fields out;
  for (const auto& [name, value] : form.all()) out.set(name, form.get(name));
  for (const char* d : {"from", "to", "offered_on", "left_on", "aware_on", "decided_on", "happened_on"}) {
    const std::string base = d;
    if (!form.has(base + "-day") && !form.has(base + "-month") && !form.has(base + "-year")) continue;
    const auto day = form.get(base + "-day"), month = form.get(base + "-month"), year = form.get(base + "-year");
    out.set(base, (day.empty() && month.empty() && year.empty()) ? "" : pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2));
  }
  return out;
}

Fields fields_from_json(const std::string& body) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception&) {
    throw HttpError(400, "invalid_json", "The request body is not valid JSON.");
  }
  // An interest's kind-specific details may come as one "details" object: its members are read
  // as fields of their own (model/register/interest_kinds.hpp names are unique across kinds).
  if (j.is_object() && j.contains("details") && j["details"].is_object()) {
    auto details = j["details"];
    j.erase("details");
    for (auto& [k, v] : details.items())
      if (!j.contains(k)) j[k] = v;
  }
  try {
    return Fields::from_json(j, {"body_ids"});  // a committee's owning bodies (governance)
  } catch (const InputError& e) {
    throw HttpError(400, "invalid_json", e.what());
  }
}

Fields read_fields(App& app, const httplib::Request& req) {
  auto form = require_csrf(app, req);
  if (App::wants_json(req)) return fields_from_json(req.body.empty() ? std::string("{}") : req.body);
  return fields_from_form(form);
}

HttpError invalid_input(const Problems& problems) {
  return HttpError(422, "invalid_input", "Some of the details are not right: see details for each field.", problems.details());
}

}  // namespace probity
